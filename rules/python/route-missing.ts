import { productionApps, routesOf } from '../../src/model/flask-queries';
import type { SystemModel } from '../../src/model/types';
import type { RuleContext } from '../../src/rule';

/** Reports each production app that serves no route whose path matches `accepts`. */
export function reportMissingRoute(
  model: SystemModel,
  context: RuleContext<'missing'>,
  accepts: RegExp,
  expectedPath: string,
): void {
  for (const app of productionApps(model)) {
    const served = routesOf(model, app).some((route) => accepts.test(route.path));
    if (served) continue;

    context.report({
      messageId: 'missing',
      data: { path: expectedPath, app: app.variable || 'app' },
      location: app.location,
    });
  }
}

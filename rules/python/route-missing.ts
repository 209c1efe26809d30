import { addOperationsPart, type OperationsPart } from '../../src/fix/generated-modules';
import { productionApps, routesOf } from '../../src/model/flask-queries';
import type { SystemModel } from '../../src/model/types';
import type { FixSafety, RuleContext } from '../../src/rule';

/**
 * Reports each production app that serves no route whose path matches `accepts`, with a fix that
 * adds the route to the generated operations blueprint.
 */
export function reportMissingRoute(
  model: SystemModel,
  context: RuleContext<'missing'>,
  accepts: RegExp,
  expectedPath: string,
  part: OperationsPart,
  safety: FixSafety,
): void {
  for (const app of productionApps(model)) {
    const served = routesOf(model, app).some((route) => accepts.test(route.path));
    if (served) continue;

    const edits = addOperationsPart(model, app, part);
    context.report({
      messageId: 'missing',
      data: { path: expectedPath, app: app.variable || 'app' },
      location: app.location,
      fix: edits ? { title: `Add a \`${expectedPath}\` route on the operations blueprint`, safety, ...edits } : undefined,
    });
  }
}

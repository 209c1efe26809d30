import { productionApps } from '../../src/model/flask-queries';
import { factoryFix } from '../../src/fix/factory';
import { defineRule } from '../../src/rule';

export default defineRule({
  meta: {
    id: 'flask-app-factory-missing',
    area: 'python',
    description: 'The app is created at import instead of by a `create_app()` factory',
    severity: 'warning',
    fixable: 'unsafe',
    messages: {
      moduleLevel:
        'App `{{app}}` is created at import in `{{file}}`; build it in a `create_app()` factory and expose `app = create_app()` for Gunicorn.',
      noWsgiObject:
        'Factory `{{factory}}` builds the app, but no module assigns `app = {{factory}}()` and no Gunicorn target calls it, so Gunicorn has nothing to load.',
    },
    docs: {
      whatItDoes:
        'Checks that each Flask app is built by an application factory (a function that creates the app, configures it and returns it), and that the factory is reachable by Gunicorn: a module-level WSGI object (`app = create_app()`) or a factory target (`main:create_app()`).',
      whyItMatters:
        'A factory lets tests build isolated apps with their own configuration, keeps import side effects out of the module, and gives one place where extensions, blueprints, error handlers and middleware are wired. Apps created at import tend to grow configuration scattered over several modules.',
      examples: {
        bad: {
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
        },
        good: {
          'main.py': 'from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n\n\napp = create_app()\n',
        },
      },
      fixSafety:
        'Unsafe: the fix moves the `Flask(...)` statement and every later module-level statement that uses the app (settings, extensions, decorated views) into `def create_app():`, and puts `app = create_app()` where the last of them was, so the module still exposes `app`. Views become functions inside the factory, so code that imported a view by name would break; the fix is not offered when another module imports such a name, when module-level code that stays uses one, or when a moved statement holds a multi-line string whose indentation would change.',
      useInstead: 'Define `def create_app(): app = Flask(__name__); ...; return app` and `app = create_app()` at module level, or point Gunicorn at `main:create_app()`.',
    },
  },
  check(model, context) {
    const invocationTarget = model.gunicorn.invocation?.target ?? '';

    for (const app of productionApps(model)) {
      if (!app.factory) {
        const fix = factoryFix(model, app);
        context.report({ messageId: 'moduleLevel', data: { app: app.variable || 'app', file: app.module.file.relPath }, location: app.location, fix: fix ?? undefined });
        continue;
      }

      const factory = app.factory;
      const calledAtModuleLevel = model.python.calls.some((call) => call.target === factory && call.scope === null);
      const calledByGunicorn = invocationTarget.includes(`${factory.name}(`);
      if (calledAtModuleLevel || calledByGunicorn) continue;

      context.report({ messageId: 'noWsgiObject', data: { factory: factory.name }, location: factory.nameLocation });
    }
  },
});

import { productionApps } from '../../src/model/flask-queries';
import { defineRule } from '../../src/rule';

export default defineRule({
  meta: {
    id: 'flask-app-factory-missing',
    area: 'python',
    description: 'The app is created at import instead of by a `create_app()` factory',
    severity: 'warning',
    fixable: 'none',
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
      useInstead: 'Define `def create_app(): app = Flask(__name__); ...; return app` and `app = create_app()` at module level, or point Gunicorn at `main:create_app()`.',
    },
  },
  check(model, context) {
    const invocationTarget = model.gunicorn.invocation?.target ?? '';

    for (const app of productionApps(model)) {
      if (!app.factory) {
        context.report({ messageId: 'moduleLevel', data: { app: app.variable || 'app', file: app.module.file.relPath }, location: app.location });
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

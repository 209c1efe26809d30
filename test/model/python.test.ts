import { buildPythonModel } from '../../src/model/python';
import { createSourceFile } from '../../src/source';
import { dedent } from '../helpers';

function model(files: Record<string, string>) {
  return buildPythonModel(Object.entries(files).map(([path, text]) => createSourceFile(path, 'python', dedent(text))));
}

function routePaths(files: Record<string, string>): string[] {
  return model(files)
    .routes.filter((route) => route.app)
    .map((route) => route.path)
    .sort();
}

describe('python model', () => {
  test('module-level app routes', () => {
    const paths = routePaths({
      'main.py': `
        from flask import Flask
        app = Flask(__name__)

        @app.route("/health")
        def health():
            return "ok"

        @app.get("/ready")
        def ready():
            return "ok"
      `,
    });
    expect(paths).toEqual(['/health', '/ready']);
  });

  test('factory with blueprint from another module', () => {
    const result = model({
      'app/__init__.py': `
        from flask import Flask
        from .routes import api
        from . import health

        def create_app():
            app = Flask(__name__)
            app.register_blueprint(api, url_prefix="/api/v1")
            app.register_blueprint(health.bp)
            return app
      `,
      'app/routes.py': `
        from flask import Blueprint
        api = Blueprint("api", __name__, url_prefix="/ignored")

        @api.route("/items", methods=["GET", "POST"])
        def items():
            return []
      `,
      'app/health.py': `
        import flask
        bp = flask.Blueprint("health", __name__)

        @bp.route("/health")
        def health():
            return "ok"
      `,
      'wsgi.py': `
        from app import create_app
        application = create_app()
      `,
    });
    expect(result.apps).toHaveLength(1);
    expect(result.apps[0].factory?.name).toBe('create_app');
    expect(result.routes.map((route) => route.path).sort()).toEqual(['/api/v1/items', '/health']);
    const items = result.routes.find((route) => route.path === '/api/v1/items')!;
    expect(items.methods).toEqual(['GET', 'POST']);
  });

  test('app passed to a helper', () => {
    const paths = routePaths({
      'main.py': `
        from flask import Flask
        from routes import register

        def create_app():
            app = Flask(__name__)
            register(app)
            return app
      `,
      'routes.py': `
        def register(application):
            application.add_url_rule("/health", "health", lambda: "ok")

            @application.route("/ready")
            def ready():
                return "ok"
      `,
    });
    expect(paths).toEqual(['/health', '/ready']);
  });

  test('prometheus exporter serves metrics', () => {
    expect(routePaths({
      'main.py': `
        from flask import Flask
        from prometheus_flask_exporter import PrometheusMetrics
        app = Flask(__name__)
        metrics = PrometheusMetrics(app)
      `,
    })).toEqual(['/metrics']);
    expect(routePaths({
      'main.py': `
        from flask import Flask
        from prometheus_flask_exporter import PrometheusMetrics
        metrics = PrometheusMetrics.for_app_factory(path="/internal/metrics")
        def create_app():
            app = Flask(__name__)
            metrics.init_app(app)
            return app
      `,
    })).toEqual(['/internal/metrics']);
  });

  test('nested blueprint prefixes', () => {
    expect(routePaths({
      'main.py': `
        from flask import Flask, Blueprint
        parent = Blueprint("parent", __name__, url_prefix="/api")
        child = Blueprint("child", __name__, url_prefix="/v2")
        @child.route("/status")
        def status():
            return "ok"
        parent.register_blueprint(child)
        app = Flask(__name__)
        app.register_blueprint(parent)
      `,
    })).toEqual(['/api/v2/status']);
  });

  test('unregistered blueprint has no app', () => {
    const result = model({
      'main.py': `
        from flask import Flask, Blueprint
        bp = Blueprint("bp", __name__)
        @bp.route("/health")
        def health():
            return "ok"
        app = Flask(__name__)
      `,
    });
    expect(result.routes).toHaveLength(1);
    expect(result.routes[0].app).toBeNull();
  });

  test('calls resolve through imports and instances', () => {
    const result = model({
      'store.py': `
        class Store:
            async def query(self):
                return 1
      `,
      'main.py': `
        from store import Store
        store = Store()
        def view():
            return store.query()
      `,
    });
    const call = result.calls.find((candidate) => candidate.method === 'query')!;
    expect(call.callee).toBe('store.Store.query');
    expect(call.target?.isAsync).toBe(true);
    expect(call.scope?.name).toBe('view');
  });

  test('main guard and imports recorded', () => {
    const result = model({
      'main.py': `
        import os, yaml
        from flask import Flask
        from .local import thing
        app = Flask(__name__)
        if __name__ == "__main__":
            app.run()
      `,
    });
    const run = result.calls.find((call) => call.method === 'run')!;
    expect(run.underMainGuard).toBe(true);
    expect(run.receiverApp).toBe(result.apps[0]);
    expect(result.modules[0].imports.map((entry) => entry.module)).toEqual(['os', 'yaml', 'flask', 'local']);
  });

  test('syntax error is a problem', () => {
    const result = model({ 'bad.py': 'def broken(:\n    pass\n' });
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0].location.file.relPath).toBe('bad.py');
  });
});

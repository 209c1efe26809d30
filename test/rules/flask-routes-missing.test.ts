import { dedent, ruleFindings } from '../helpers';

const HEALTH = 'flask-health-route-missing';
const READY = 'flask-ready-route-missing';
const METRICS = 'flask-metrics-route-missing';

function positions(rule: string, files: Record<string, string>) {
  return ruleFindings(rule, files).map(({ file, line, column }) => `${file}:${line}:${column}`);
}

const BARE_APP = 'from flask import Flask\n\napp = Flask(__name__)\n';

describe('missing health routes', () => {
  test.each([HEALTH, READY, METRICS])('%s reports at app', (rule) => {
    expect(positions(rule, { 'main.py': BARE_APP })).toEqual(['main.py:3:7']);
  });

  test('factory app reported at its Flask call', () => {
    const source = dedent(`
      from flask import Flask

      def create_app():
          application = Flask(__name__)
          return application
    `);
    expect(positions(HEALTH, { 'app/__init__.py': source })).toEqual(['app/__init__.py:4:19']);
  });

  test('routes on registered blueprint count', () => {
    const files = {
      'main.py': dedent(`
        from flask import Flask
        from health import bp

        def create_app():
            app = Flask(__name__)
            app.register_blueprint(bp)
            return app
      `),
      'health.py': dedent(`
        from flask import Blueprint
        bp = Blueprint("health", __name__)

        @bp.get("/health")
        def health():
            return "ok"

        @bp.get("/ready")
        def ready():
            return "ok"

        @bp.get("/metrics")
        def metrics():
            return ""
      `),
    };
    expect(positions(HEALTH, files)).toEqual([]);
    expect(positions(READY, files)).toEqual([]);
    expect(positions(METRICS, files)).toEqual([]);
  });

  test('prefixed health counts', () => {
    const files = {
      'main.py': 'from flask import Flask, Blueprint\nbp = Blueprint("ops", __name__)\n@bp.route("/healthz")\ndef h():\n    return "ok"\napp = Flask(__name__)\napp.register_blueprint(bp, url_prefix="/ops")\n',
    };
    expect(positions(HEALTH, files)).toEqual([]);
  });

  test('unregistered blueprint does not count', () => {
    const files = {
      'main.py': 'from flask import Flask, Blueprint\nbp = Blueprint("ops", __name__)\n@bp.route("/health")\ndef h():\n    return "ok"\napp = Flask(__name__)\n',
    };
    expect(positions(HEALTH, files)).toEqual(['main.py:6:7']);
  });

  test('add_url_rule counts', () => {
    const files = { 'main.py': 'from flask import Flask\napp = Flask(__name__)\napp.add_url_rule("/ready", "ready", lambda: "ok")\n' };
    expect(positions(READY, files)).toEqual([]);
  });

  test('exporter path option moves metrics', () => {
    const moved = 'from flask import Flask\nfrom prometheus_flask_exporter import PrometheusMetrics\napp = Flask(__name__)\nPrometheusMetrics(app, path="/internal/metrics")\n';
    const disabled = 'from flask import Flask\nfrom prometheus_flask_exporter import PrometheusMetrics\napp = Flask(__name__)\nPrometheusMetrics(app, path=None)\n';
    expect(positions(METRICS, { 'main.py': moved })).toEqual([]);
    expect(positions(METRICS, { 'main.py': disabled })).toEqual(['main.py:3:7']);
  });

  test('dispatcher mount counts', () => {
    const source = dedent(`
      from flask import Flask
      from prometheus_client import make_wsgi_app
      from werkzeug.middleware.dispatcher import DispatcherMiddleware
      app = Flask(__name__)
      app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/metrics": make_wsgi_app()})
    `);
    expect(positions(METRICS, { 'main.py': source })).toEqual([]);
  });

  test('silent without an app', () => {
    expect(positions(HEALTH, { 'tool.py': 'print("hello")\n' })).toEqual([]);
  });
});

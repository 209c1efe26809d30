import { defineRule } from '../../src/rule';
import { reportMissingRoute } from './route-missing';

const METRICS_PATH = /^(.*\/)?metrics\/?$/;

export default defineRule({
  meta: {
    id: 'flask-metrics-route-missing',
    area: 'python',
    description: 'The app serves no `/metrics` route for Prometheus',
    severity: 'warning',
    fixable: 'unsafe',
    messages: {
      missing: 'App `{{app}}` serves no `{{path}}` route, so request rates, errors and latencies are not measured.',
    },
    docs: {
      whatItDoes:
        'Looks for a `/metrics` route on every Flask app: a route of the app or of a registered blueprint, `PrometheusMetrics(app)` or `metrics.init_app(app)` from prometheus-flask-exporter (which serve `/metrics` unless `path=` says otherwise), or `prometheus_client.make_wsgi_app()` mounted with `DispatcherMiddleware`.',
      whyItMatters:
        'Without metrics nobody sees a rising error rate or latency until users report it, and autoscaling has nothing to act on.',
      examples: {
        bad: {
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/health")\ndef health():\n    return {"status": "ok"}\n',
        },
        good: {
          'main.py':
            'from flask import Flask\nfrom prometheus_flask_exporter import PrometheusMetrics\n\napp = Flask(__name__)\nmetrics = PrometheusMetrics(app)\n',
        },
      },
      useInstead:
        'Serve Prometheus text on `/metrics`, with prometheus-flask-exporter or with `prometheus_client.generate_latest()` in a route. Under several Gunicorn workers, use the multiprocess mode of either library.',
      fixSafety:
        'Unsafe: the fix adds a `/metrics` route served with `prometheus_client`, a new dependency that the requirements must declare (`requirements-package-missing` adds it), and exposes process metrics to whoever can reach the route.',
      knownLimitations: 'A metrics path set from a variable (`PrometheusMetrics(app, path=METRICS_PATH)`) is not resolved, so the route is not counted.',
    },
  },
  check(model, context) {
    reportMissingRoute(model, context, METRICS_PATH, '/metrics', 'metrics', 'unsafe');
  },
});

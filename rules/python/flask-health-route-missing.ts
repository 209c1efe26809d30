import { defineRule } from '../../src/rule';
import { reportMissingRoute } from './route-missing';

/** Liveness paths that orchestrators and load balancers commonly probe. */
const HEALTH_PATH = /^(.*\/)?(health|healthz|healthcheck|health-check|livez|liveness|live|alive)\/?$/;

export default defineRule({
  meta: {
    id: 'flask-health-route-missing',
    area: 'python',
    description: 'The app serves no `/health` liveness route',
    severity: 'warning',
    fixable: 'safe',
    messages: {
      missing: 'App `{{app}}` serves no `{{path}}` route, so a container probe or load balancer cannot tell whether the process is alive.',
    },
    docs: {
      whatItDoes:
        'Looks for a liveness route on every Flask app of the system, wherever it is registered: `@app.route`, `@app.get`, a blueprint registered on the app (with its URL prefix joined), or `add_url_rule`. `/health`, `/healthz`, `/livez` and paths ending in those segments count.',
      whyItMatters:
        'Docker HEALTHCHECK, Kubernetes liveness probes and load balancers need a cheap route that answers 200 while the worker can serve. Without one, a hung service keeps receiving traffic and is never restarted.',
      examples: {
        bad: {
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route("/items")\ndef items():\n    return {"items": []}\n',
        },
        good: {
          'main.py':
            'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/health")\ndef health():\n    return {"status": "ok"}\n',
        },
      },
      useInstead: 'Add a `/health` route that returns 200 without touching dependencies; check dependencies in `/ready`.',
      fixSafety:
        'Safe: the fix only adds a `/health` route (in a new `operations` blueprint module registered on the app, or appended to it), which changes no existing route.',
      knownLimitations:
        'Routes registered with computed paths (`app.route(PREFIX + "/health")` where `PREFIX` is not a literal), or by extensions other than the Prometheus exporter, are not seen.',
    },
  },
  check(model, context) {
    reportMissingRoute(model, context, HEALTH_PATH, '/health', 'health', 'safe');
  },
});

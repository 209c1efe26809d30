import { defineRule } from '../../src/rule';
import { reportMissingRoute } from './route-missing';

const READY_PATH = /^(.*\/)?(ready|readyz|readiness|health\/ready)\/?$/;

export default defineRule({
  meta: {
    id: 'flask-ready-route-missing',
    area: 'python',
    description: 'The app serves no `/ready` readiness route',
    severity: 'warning',
    fixable: 'safe',
    messages: {
      missing: 'App `{{app}}` serves no `{{path}}` route, so traffic reaches workers whose dependencies are down.',
    },
    docs: {
      whatItDoes:
        'Looks for a readiness route (`/ready`, `/readyz`, `/readiness`) on every Flask app, through blueprints and `add_url_rule` as well as direct routes.',
      whyItMatters:
        'Readiness is not liveness: a worker whose database is unreachable is alive but must not receive traffic. Kubernetes readiness probes and load balancers use such a route to take an instance out of rotation without restarting it.',
      examples: {
        bad: {
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/health")\ndef health():\n    return {"status": "ok"}\n',
        },
        good: {
          'main.py':
            'from flask import Flask\n\nfrom store import store\n\napp = Flask(__name__)\n\n\n@app.get("/ready")\ndef ready():\n    if not store.ping(timeout=2):\n        return {"status": "unavailable"}, 503\n    return {"status": "ready"}\n',
        },
      },
      useInstead: 'Add a `/ready` route that checks the dependencies the service needs (database, store, queue) with a short timeout and answers 503 when one is down.',
      fixSafety:
        'Safe: the fix only adds a `/ready` route. When the system has a module-level store instance with a health method (`store.health()`), the route checks it, through the generated `async_bridge.run_sync` with a 2-second timeout when the method is `async def`.',
      knownLimitations: 'The rule checks that the route exists, not that it checks dependencies.',
    },
  },
  check(model, context) {
    reportMissingRoute(model, context, READY_PATH, '/ready', 'ready', 'safe');
  },
});

import { defineRule } from '../../src/rule';
import { corsSetups, originsFromEnvironmentFix } from './cors';

export default defineRule({
  meta: {
    id: 'flask-cors-all-origins',
    area: 'python',
    description: 'CORS allows every origin',
    severity: 'warning',
    fixable: 'unsafe',
    messages: {
      anyOrigin: '`{{call}}` allows requests from every origin; list the allowed origins from configuration.',
    },
    docs: {
      whatItDoes:
        'Reports flask-cors calls that allow every origin without credentials: bare `CORS(app)`, `origins="*"`, or a `resources` entry allowing all. Calls that also allow credentials are reported by `flask-cors-credentials-any-origin` instead.',
      whyItMatters:
        'Any website can then call the API from its visitors\' browsers and read the responses. For a public, unauthenticated API that is intended; for anything else it widens the attack surface and is usually an accident of copying `CORS(app)` from a tutorial.',
      examples: {
        bad: {
          'main.py': 'from flask import Flask\nfrom flask_cors import CORS\n\napp = Flask(__name__)\nCORS(app)\n',
        },
        good: {
          'main.py':
            'import os\n\nfrom flask import Flask\nfrom flask_cors import CORS\n\napp = Flask(__name__)\nCORS(app, origins=os.environ.get("CORS_ORIGINS", "").split(","))\n',
        },
      },
      fixSafety:
        'Unsafe: the fix sets `origins=` to the comma-separated list in the `CORS_ORIGINS` environment variable (replacing a `"*"` value, or adding the argument) and adds `import os` when needed. Until the variable is set, browsers on other origins are refused, which changes what the API allows. Calls configured with `resources=` are not changed.',
      useInstead: 'Pass `origins=` from configuration, such as `os.environ["CORS_ORIGINS"].split(",")`.',
      knownLimitations: 'Origins configured through `app.config["CORS_ORIGINS"]` are not read, so bare `CORS(app)` with that setting is still reported.',
    },
  },
  check(model, context) {
    for (const setup of corsSetups(model)) {
      if (!setup.anyOrigin || setup.credentials) continue;
      const call = setup.call.node.text.replace(/\s+/g, ' ');
      context.report({ messageId: 'anyOrigin', data: { call: call.length > 50 ? `${call.slice(0, 47)}...` : call }, location: setup.call.location, fix: originsFromEnvironmentFix(setup) });
    }
  },
});

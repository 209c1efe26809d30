import { defineRule } from '../../src/rule';
import { corsSetups, originsFromEnvironmentFix } from './cors';

export default defineRule({
  meta: {
    id: 'flask-cors-credentials-any-origin',
    area: 'python',
    description: 'CORS allows credentials from any origin',
    severity: 'error',
    fixable: 'unsafe',
    messages: {
      anyOrigin:
        '`supports_credentials=True` with every origin allowed makes flask-cors echo any requesting origin with credentials, so any website can make authenticated requests as the visitor.',
    },
    docs: {
      whatItDoes:
        'Reports flask-cors calls (`CORS(app, ...)`, `cors.init_app(app, ...)`, `@cross_origin(...)`) that set `supports_credentials=True` while allowing every origin: no `origins`, `"*"`, a list containing `"*"`, or a `resources` entry without a narrower `origins`.',
      whyItMatters:
        'Browsers refuse `Access-Control-Allow-Origin: *` with credentials, so flask-cors answers with the requesting origin itself. Combined, the two settings let any page on the internet read authenticated responses of the API with the visitor\'s cookies.',
      examples: {
        bad: {
          'main.py': 'from flask import Flask\nfrom flask_cors import CORS\n\napp = Flask(__name__)\nCORS(app, supports_credentials=True)\n',
        },
        good: {
          'main.py':
            'import os\n\nfrom flask import Flask\nfrom flask_cors import CORS\n\napp = Flask(__name__)\nCORS(app, origins=os.environ["CORS_ORIGINS"].split(","), supports_credentials=True)\n',
        },
      },
      fixSafety:
        'Unsafe: the fix sets `origins=` to the comma-separated list in the `CORS_ORIGINS` environment variable (replacing a `"*"` value, or adding the argument) and adds `import os` when needed. Until the variable is set, browsers on other origins are refused, which changes what the API allows. Calls configured with `resources=` are not changed.',
      useInstead: 'List the allowed origins explicitly, from configuration: `CORS(app, origins=os.environ["CORS_ORIGINS"].split(","), supports_credentials=True)`.',
    },
  },
  check(model, context) {
    for (const setup of corsSetups(model)) {
      if (!setup.credentials || !setup.anyOrigin) continue;
      context.report({ messageId: 'anyOrigin', location: setup.call.location, fix: originsFromEnvironmentFix(setup) });
    }
  },
});

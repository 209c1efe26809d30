import { productionApps } from '../../src/model/flask-queries';
import { importFrom, insertAppLines } from '../../src/fix/app-edits';
import type { FlaskApp } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';
import { proxyFixCalls } from './proxyfix';

export default defineRule({
  meta: {
    id: 'flask-proxyfix-missing',
    area: 'python',
    description: 'The app does not trust the proxy headers of its load balancer',
    severity: 'warning',
    fixable: 'unsafe',
    messages: {
      missing:
        'App `{{app}}` is not wrapped in `ProxyFix`, so behind a TLS-terminating proxy `url_for(..., _external=True)` and redirects say `http://` and `request.remote_addr` is the proxy.',
    },
    docs: {
      whatItDoes: 'Looks for `ProxyFix` from `werkzeug.middleware.proxy_fix` wrapping the app\'s `wsgi_app` anywhere in the system.',
      whyItMatters:
        'In a container the service sits behind a load balancer or ingress that terminates TLS and forwards `X-Forwarded-For` and `X-Forwarded-Proto`. Without ProxyFix, Flask sees plain HTTP from the proxy\'s address: external URLs and redirects use `http://`, secure cookies and HSTS logic misfire, and rate limits or logs see one client.',
      examples: {
        bad: {
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
        },
        good: {
          'main.py':
            'from flask import Flask\nfrom werkzeug.middleware.proxy_fix import ProxyFix\n\napp = Flask(__name__)\napp.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)\n',
        },
      },
      useInstead: 'Add `app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)`, with counts equal to the number of proxies in front of the service.',
      fixSafety:
        'Unsafe: the fix adds `app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)` after the app is created (or before the factory returns it) and the import. Behind exactly one proxy that is right; with no proxy in front, clients could then set their own address and scheme, so review where the service runs first.',
      knownLimitations: 'A service that is never behind a proxy does not need ProxyFix; turn the rule off for it in the configuration.',
    },
  },
  check(model, context) {
    if (proxyFixCalls(model).length > 0) return;

    for (const app of productionApps(model)) {
      context.report({ messageId: 'missing', data: { app: app.variable || 'app' }, location: app.location, fix: proxyFixFix(app) });
    }
  },
});

function proxyFixFix(app: FlaskApp): Fix | undefined {
  const wrap = insertAppLines(app, ['{app}.wsgi_app = ProxyFix({app}.wsgi_app, x_for=1, x_proto=1)']);
  if (!wrap) return undefined;

  const importEdit = importFrom(app.module, 'werkzeug.middleware.proxy_fix', 'ProxyFix');
  return { title: 'Wrap `wsgi_app` in `ProxyFix` for one proxy', safety: 'unsafe', edits: importEdit ? [importEdit, wrap] : [wrap] };
}

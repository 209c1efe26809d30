import { defineRule, type TextEdit } from '../../src/rule';
import { proxyFixCalls } from './proxyfix';

export default defineRule({
  meta: {
    id: 'flask-proxyfix-replaces-app',
    area: 'python',
    description: 'ProxyFix replaces the Flask object instead of its `wsgi_app`',
    severity: 'error',
    fixable: 'safe',
    messages: {
      replaced:
        '`{{target}} = {{call}}` replaces the Flask app with a plain WSGI middleware, so every later `{{target}}.route`, `{{target}}.config` or `{{target}}.register_blueprint` fails; wrap `{{target}}.wsgi_app` instead.',
    },
    docs: {
      whatItDoes: 'Reports an assignment of a `ProxyFix(...)` result to the name that holds the Flask app (`app = ProxyFix(app)`).',
      whyItMatters:
        'ProxyFix is WSGI middleware, not a Flask app. After `app = ProxyFix(app)` the name no longer has `route`, `config` or `test_client`: decorators below the line fail at import, and extensions that receive `app` later break. The documented form wraps only the WSGI callable.',
      examples: {
        bad: {
          'main.py':
            'from flask import Flask\nfrom werkzeug.middleware.proxy_fix import ProxyFix\n\napp = Flask(__name__)\napp = ProxyFix(app, x_for=1, x_proto=1)\n',
        },
        good: {
          'main.py':
            'from flask import Flask\nfrom werkzeug.middleware.proxy_fix import ProxyFix\n\napp = Flask(__name__)\napp.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)\n',
        },
      },
      fixSafety: 'Safe: the assignment is broken as written (the app loses its Flask methods), and the fix turns it into the documented form, `app.wsgi_app = ProxyFix(app.wsgi_app, ...)`, keeping the other arguments.',
      useInstead: '`app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)`.',
    },
  },
  check(model, context) {
    for (const call of proxyFixCalls(model)) {
      const assignment = call.node.parent?.type === 'assignment' ? call.node.parent : null;
      const target = assignment?.childForFieldName('left');
      if (!assignment || target?.type !== 'identifier') continue;

      const isAppName = model.python.apps.some((app) => app.module === call.module && app.variable === target.text);
      if (!isAppName) continue;

      const edits: TextEdit[] = [{ file: call.module.file.relPath, start: target.startIndex, end: target.endIndex, text: `${target.text}.wsgi_app` }];
      const wrapped = call.args[0];
      if (wrapped && wrapped.name === null && wrapped.node.text === target.text) {
        edits.push({ file: call.module.file.relPath, start: wrapped.node.startIndex, end: wrapped.node.endIndex, text: `${target.text}.wsgi_app` });
      }
      context.report({
        messageId: 'replaced',
        data: { target: target.text, call: call.node.text.replace(/\s+/g, ' ') },
        location: { file: call.module.file, start: assignment.startIndex, end: assignment.endIndex },
        fix: { title: `Wrap \`${target.text}.wsgi_app\` instead of the app`, safety: 'safe', edits },
      });
    }
  },
});

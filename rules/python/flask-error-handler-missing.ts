import { productionApps, productionCalls } from '../../src/model/flask-queries';
import { addOperationsPart } from '../../src/fix/generated-modules';
import type { FlaskApp, PythonCall, SystemModel } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';

const HANDLER_METHODS = new Set(['errorhandler', 'register_error_handler', 'app_errorhandler']);
/** Handlers that cover what an API must answer in JSON: not found, server errors, or every HTTP error. */
const COVERING = /^(404|500|HTTPException|Exception|InternalServerError|NotFound|(werkzeug\.exceptions\.)?(HTTPException|InternalServerError|NotFound))$/;

export default defineRule({
  meta: {
    id: 'flask-error-handler-missing',
    area: 'python',
    description: 'The app has no error handlers for 404, 500 or HTTPException',
    severity: 'warning',
    fixable: 'unsafe',
    messages: {
      missing: 'App `{{app}}` registers no error handler, so errors come back as Flask\'s HTML pages instead of JSON with the right status.',
      incomplete: 'App `{{app}}` handles only {{handled}}; add handlers for 404, 500 or `HTTPException` so every error comes back as JSON.',
    },
    docs: {
      whatItDoes:
        'Looks for `@app.errorhandler(...)`, `app.register_error_handler(...)` or a blueprint\'s `@bp.app_errorhandler(...)` covering 404, 500, `HTTPException` or `Exception`.',
      whyItMatters:
        'Without handlers, an API answers errors with HTML pages that clients cannot parse, and an unhandled exception in production returns a bare 500 with no body a client can act on. One handler for `HTTPException` and one for `Exception` make every error a JSON document with the right status.',
      examples: {
        bad: {
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
        },
        good: {
          'main.py':
            'from flask import Flask, jsonify\nfrom werkzeug.exceptions import HTTPException\n\napp = Flask(__name__)\n\n\n@app.errorhandler(HTTPException)\ndef handle_http_error(error):\n    return jsonify(error=error.name), error.code\n',
        },
      },
      fixSafety: 'Unsafe: an app that serves HTML pages gets JSON error pages instead. The fix adds two handlers on the generated operations blueprint (`app_errorhandler`): `HTTPException` answered as JSON with its own status, and any other exception logged and answered as a JSON 500. Handlers the app already has for specific codes still win, because Flask picks the most specific handler.',
      useInstead: 'Register a handler for `HTTPException` that returns `jsonify(error=e.name), e.code`, and one for `Exception` that logs and returns a JSON 500.',
    },
  },
  check(model, context) {
    const handlers = productionCalls(model).filter((call) => call.method !== null && HANDLER_METHODS.has(call.method) && isAppOrBlueprint(call));

    for (const app of productionApps(model)) {
      const own = handlers.filter((call) => call.receiverApp === app || call.callee.startsWith('flask.Blueprint.') || call.receiverApp === null);
      if (own.length === 0) {
        context.report({ messageId: 'missing', data: { app: app.variable || 'app' }, location: app.location, fix: handlersFix(model, app) });
        continue;
      }

      const handled = own.map((call) => call.args[0]?.node.text ?? '').filter(Boolean);
      if (handled.some((text) => COVERING.test(text.replace(/\s+/g, '')))) continue;

      context.report({
        messageId: 'incomplete',
        data: { app: app.variable || 'app', handled: handled.map((text) => `\`${text}\``).join(', ') },
        location: app.location,
        fix: handlersFix(model, app),
      });
    }
  },
});

function isAppOrBlueprint(call: PythonCall): boolean {
  return call.receiverApp !== null || call.callee.startsWith('flask.Blueprint.');
}

function handlersFix(model: SystemModel, app: FlaskApp): Fix | undefined {
  const edits = addOperationsPart(model, app, 'errors');
  return edits ? { title: 'Add JSON error handlers on the operations blueprint', safety: 'unsafe', ...edits } : undefined;
}

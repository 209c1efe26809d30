import { moduleStartedByCommand, productionCalls } from '../../src/model/flask-queries';
import type { PythonCall, SystemModel } from '../../src/model/types';
import { enclosingStatement } from '../../src/fix/python-edits';
import { defineRule, type Fix } from '../../src/rule';
import { isDevServerCall } from './dev-server-calls';

export default defineRule({
  meta: {
    id: 'flask-dev-server',
    area: 'python',
    description: 'The Werkzeug development server runs in production',
    severity: 'error',
    fixable: 'unsafe',
    spansFiles: true,
    messages: {
      atImport:
        '`{{call}}` runs when the module is imported, so under Gunicorn every worker starts the development server at import and never serves.',
      inFactory: '`{{call}}` runs inside the app factory `{{factory}}`, so the development server starts whenever Gunicorn builds the app.',
      startedByContainer:
        'The container starts `{{module}}` directly, so `{{call}}` serves production traffic with the single-process Werkzeug development server.',
    },
    docs: {
      whatItDoes:
        'Reports `app.run(...)` and `werkzeug.serving.run_simple(...)` where they run in production: at module level (outside `if __name__ == "__main__":`), inside the app factory, or in the module the container starts with `python main.py` or `python -m module`. A guarded `app.run` in a module that Gunicorn imports is harmless and stays silent.',
      whyItMatters:
        'The development server is single-process, has no worker management, timeouts or graceful shutdown, and is documented as unfit for production. Generated services that call `app.run()` failed every load test. At module level it is worse: Gunicorn imports the module in each worker, which then starts its own development server and never serves Gunicorn requests.',
      examples: {
        bad: {
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n\napp.run(host="0.0.0.0", port=8080)\n',
        },
        good: {
          'main.py':
            'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(port=8080)\n',
          'Dockerfile': 'FROM python:3.12-slim\nCMD ["gunicorn", "--config", "gunicorn.conf.py", "main:app"]\n',
        },
      },
      useInstead:
        'Expose a module-level WSGI object (`app = create_app()`) and start it with Gunicorn: `CMD ["gunicorn", "--config", "gunicorn.conf.py", "main:app"]`. Keep `app.run()` under `if __name__ == "__main__":` for local runs only.',
      fixSafety:
        'Unsafe: for a call at module level, the fix moves the statement under `if __name__ == "__main__":`, so `python main.py` still starts the development server on a developer machine but importing the module no longer does. Anything that relied on the import starting a server (a CMD running `python main.py` is fixed by `dockerfile-cmd-not-gunicorn`) changes behaviour.',
      knownLimitations:
        '`app.run()` inside a helper function is only reported when the helper is the app factory; a helper called at import from elsewhere is not followed.',
    },
  },
  check(model, context) {
    const target = model.docker.main?.target ?? null;
    const started = moduleStartedByCommand(model, target?.command ?? null, target?.workdir ?? null);

    for (const call of productionCalls(model)) {
      if (!isDevServerCall(call)) continue;

      const text = describeCall(call);
      if (call.scope === null && !call.underMainGuard) {
        context.report({ messageId: 'atImport', data: { call: text }, location: call.location, fix: guardFix(call) });
        continue;
      }

      const factory = call.receiverApp?.factory;
      if (factory && isWithin(call, factory.node.startIndex, factory.node.endIndex)) {
        context.report({ messageId: 'inFactory', data: { call: text, factory: factory.name }, location: call.location });
        continue;
      }

      if (started === call.module && (call.underMainGuard || isCalledFromMainGuard(model, call))) {
        context.report({ messageId: 'startedByContainer', data: { call: text, module: call.module.file.relPath }, location: call.location });
      }
    }
  },
});

/** Moves a module-level statement under `if __name__ == "__main__":`, indenting each of its lines. */
function guardFix(call: PythonCall): Fix | undefined {
  const statement = enclosingStatement(call.node);
  if (statement.parent?.type !== 'module') return undefined;

  const text = call.module.file.text.slice(statement.startIndex, statement.endIndex);
  const indented = text.replace(/(\r\n|\r|\n)/g, '$1    ');
  return {
    title: 'Move the call under `if __name__ == "__main__":`',
    safety: 'unsafe',
    edits: [{ file: call.module.file.relPath, start: statement.startIndex, end: statement.endIndex, text: `if __name__ == "__main__":\n    ${indented}` }],
  };
}

function describeCall(call: PythonCall): string {
  const text = call.node.text.replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isWithin(call: PythonCall, start: number, end: number): boolean {
  return call.node.startIndex >= start && call.node.endIndex <= end;
}

/** True when the call sits in a module-level function that the module's main guard calls (`def main(): app.run()`). */
function isCalledFromMainGuard(model: SystemModel, call: PythonCall): boolean {
  const scope = call.scope;
  if (!scope || scope.parent) return false;

  return model.python.calls.some(
    (candidate) => candidate.module === call.module && candidate.underMainGuard && candidate.target === scope,
  );
}

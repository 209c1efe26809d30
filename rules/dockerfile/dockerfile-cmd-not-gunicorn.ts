import { formatCommand, traceLaunch, type ServerKind } from '../../src/model/shell';
import { defineRule } from '../../src/rule';
import { gunicornCommandFix } from './command-fixes';
import { runtimeTarget } from './stage';

type MessageId = 'flaskRun' | 'pythonScript' | 'asgiServer' | 'otherServer';

const MESSAGE_BY_SERVER: Partial<Record<ServerKind, MessageId>> = {
  'flask-run': 'flaskRun',
  'python-script': 'pythonScript',
  'python-module': 'pythonScript',
  'asgi-server': 'asgiServer',
  'other-server': 'otherServer',
};

export default defineRule({
  meta: {
    id: 'dockerfile-cmd-not-gunicorn',
    area: 'dockerfile',
    description: 'Container command starts the app with something other than Gunicorn',
    severity: 'error',
    fixable: 'unsafe',
    spansFiles: true,
    messages: {
      flaskRun: 'Container runs `{{command}}`, the Flask development server, instead of Gunicorn.',
      pythonScript: 'Container runs `{{command}}`, which starts the app without Gunicorn.',
      asgiServer: 'Container runs `{{command}}`, an ASGI server, for a WSGI Flask app instead of Gunicorn.',
      otherServer: 'Container runs `{{command}}` instead of Gunicorn.',
    },
    docs: {
      whatItDoes:
        'Follows the final stage\'s command (ENTRYPOINT and CMD combined as Docker combines them) through `sh -c` strings, wrappers such as `tini` and `gosu`, and entrypoint scripts of the repository, and reports when the program it reaches is `python app.py`, `python -m app`, `flask run`, `python -m flask run`, an ASGI server such as `uvicorn`, or another server such as `waitress-serve`.',
      whyItMatters:
        'The Flask development server handles one request at a time, has no worker management and is not hardened; under load it queues and drops requests. Gunicorn runs several workers, restarts crashed ones and shuts down gracefully on SIGTERM.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "app.py"]\n',
          'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0")\n',
        },
        good: {
          Dockerfile:
            'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["/app/entrypoint.sh"]\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]\n',
          'entrypoint.sh': '#!/bin/sh\nset -e\nflask db upgrade\nexec "$@"\n',
        },
      },
      useInstead:
        'Run Gunicorn in exec form: `CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]`, or `python -m gunicorn ...`. An entrypoint script should end with `exec "$@"` or `exec gunicorn ...`. A Python file that embeds Gunicorn through `gunicorn.app.base` counts as Gunicorn.',
      fixSafety:
        'Unsafe: the fix rewrites the CMD to `["gunicorn", "--config", "gunicorn.conf.py", "<module>:<app>"]`, with the module-level WSGI object of the one Flask app (or a call of its factory) relative to WORKDIR, and the system\'s config file when it has one. A command that read `$PORT` becomes `["sh", "-c", "exec gunicorn ... --bind 0.0.0.0:${PORT:-8000} ..."]`, and commands before the server in a shell string are kept. The server, its port defaults and its arguments change, so the container behaves differently. No fix is offered when the server is started by ENTRYPOINT or a script, when a `cd` moves the working folder, or when the app or the folder it is imported from is not known.',
      knownLimitations:
        'A command the rule cannot follow (a script that is not in the repository, a program it does not know, a command held in a variable) is not reported.',
    },
  },
  check(model, context) {
    const target = runtimeTarget(model);
    if (!target) return;

    const trace = traceLaunch(target, model.files);
    const messageId = trace ? MESSAGE_BY_SERVER[trace.server] : undefined;
    if (!trace || !messageId) return;

    context.report({
      messageId,
      data: { command: formatCommand(trace.words.map((word) => word.value)) },
      location: trace.location,
      fix: gunicornCommandFix(model, target),
    });
  },
});

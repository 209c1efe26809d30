import { formatCommand, traceLaunch } from '../../src/model/shell';
import { defineRule } from '../../src/rule';
import { insertExecFix } from './command-fixes';
import { runtimeTarget } from './stage';

export default defineRule({
  meta: {
    id: 'dockerfile-shell-without-exec',
    area: 'dockerfile',
    description: 'An `sh -c` command or entrypoint script starts the server without `exec`',
    severity: 'warning',
    fixable: 'unsafe',
    spansFiles: true,
    messages: {
      shellCommand: '`{{launcher}}` runs `{{command}}` without `exec`, so the shell stays PID 1 and the SIGTERM of `docker stop` never reaches the server.',
      script: '`{{launcher}}` ends by running `{{command}}` without `exec`, so the script\'s shell stays PID 1 and the SIGTERM of `docker stop` never reaches the server.',
    },
    docs: {
      whatItDoes:
        'Follows the final stage\'s command into exec-form `sh -c` strings (`CMD ["sh", "-c", "..."]`) and entrypoint scripts of the repository, and reports one whose last command starts the server, or runs `"$@"`, without `exec`.',
      whyItMatters:
        'Without `exec` the shell forks the server and waits for it. The shell is PID 1, receives the SIGTERM of `docker stop` or Kubernetes, and does not forward it, so Gunicorn never shuts down gracefully and is killed with SIGKILL when the grace period ends.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["/app/entrypoint.sh"]\nCMD ["gunicorn", "app:app"]\n',
          'entrypoint.sh': '#!/bin/sh\nset -e\nflask db upgrade\n"$@"\n',
        },
        good: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["/app/entrypoint.sh"]\nCMD ["gunicorn", "app:app"]\n',
          'entrypoint.sh': '#!/bin/sh\nset -e\nflask db upgrade\nexec "$@"\n',
        },
      },
      useInstead: 'Start the last command with `exec`: `exec gunicorn -c gunicorn.conf.py app:app` or `exec "$@"`.',
      fixSafety:
        'Unsafe: in an exec-form `sh -c` string, the fix inserts `exec ` before the last command, so the server replaces the shell as PID 1 and receives SIGTERM itself; anything the shell did after the server exited no longer runs. Entrypoint scripts are the user\'s own code and get no fix, and neither does a last command in a pipeline, in the background or in a subshell.',
      knownLimitations:
        'Only the last command of a script is judged, trailing `exit` commands skipped; a server started in the background and waited for is not recognised. Scripts that are not in the repository are not read.',
    },
  },
  check(model, context) {
    const target = runtimeTarget(model);
    if (!target) return;

    const trace = traceLaunch(target, model.files);
    if (!trace || trace.server === 'unknown') return;

    for (const step of trace.steps) {
      if (step.execs || step.kind === 'shell-form') continue;

      context.report({
        messageId: step.kind === 'script' ? 'script' : 'shellCommand',
        data: { launcher: step.launcher, command: formatCommand(step.program) },
        location: step.location,
        fix: insertExecFix(model, target, step),
      });
    }
  },
});

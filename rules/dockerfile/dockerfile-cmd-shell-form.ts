import { formatCommand, traceLaunch, type LaunchTrace, type ServerKind } from '../../src/model/shell';
import type { CommandSpec, EffectiveStage, SystemModel } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';
import { execFormFix, gunicornCommandFix } from './command-fixes';
import { runtimeTarget } from './stage';

/** Servers that the fix replaces with Gunicorn rather than keeping in exec form. */
const REPLACED_SERVERS = new Set<ServerKind>(['flask-run', 'python-script', 'python-module', 'asgi-server', 'other-server']);

export default defineRule({
  meta: {
    id: 'dockerfile-cmd-shell-form',
    area: 'dockerfile',
    description: 'Container command is written in shell form, so a shell may stay PID 1 and swallow SIGTERM',
    severity: 'warning',
    fixable: 'unsafe',
    messages: {
      shellForm:
        '`{{keyword}}` uses shell form, so `{{shell}}` starts `{{command}}` and may stay PID 1, where the SIGTERM of `docker stop` never reaches the server.',
    },
    docs: {
      whatItDoes:
        'Reports a shell-form `CMD` or `ENTRYPOINT` (`CMD gunicorn app:app`) that starts the container\'s program, unless its last command begins with `exec`. A shell-form CMD passed through an entrypoint script\'s `exec "$@"` is reported too.',
      whyItMatters:
        'Docker runs shell form as `/bin/sh -c "<text>"`. When the shell stays PID 1, `docker stop` and Kubernetes send SIGTERM to the shell, which does not forward it; Gunicorn never drains its workers and is killed with SIGKILL when the grace period ends, cutting off requests in flight.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD gunicorn --bind 0.0.0.0:$PORT app:app\n',
        },
        good: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD exec gunicorn --bind 0.0.0.0:$PORT app:app\n',
        },
      },
      useInstead:
        'Use exec form, `CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]`, and read the port from the config file or `GUNICORN_CMD_ARGS`. When shell expansion is needed, start the text with `exec` so the server replaces the shell.',
      fixSafety:
        'Unsafe: a command of plain words becomes exec form with the same words (`CMD gunicorn -c gunicorn.conf.py app:app` becomes `CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]`); one that needs a shell (`$PORT`, `&&`, redirections) becomes `["sh", "-c", "..."]` with `exec` before its last command. When the shell form starts the Flask development server or a Python script, the fix is the one of `dockerfile-cmd-not-gunicorn` and runs Gunicorn instead. The server then runs as PID 1 and receives signals itself, and a shell-form ENTRYPOINT is not rewritten while a CMD is in effect, because exec form would pass the CMD to it as arguments.',
      knownLimitations:
        'Some shells (dash 0.5.11 and later, bash) replace themselves with a lone simple command, so `CMD gunicorn app:app` can end up as PID 1 anyway. The rule still reports, because that depends on the shell and its version in the image. A shell-form text that looks like a broken JSON array is left to `dockerfile-cmd-invalid-json`.',
    },
  },
  check(model, context) {
    const target = runtimeTarget(model);
    if (!target) return;

    const trace = traceLaunch(target, model.files);
    const step = trace?.steps.find((candidate) => candidate.kind === 'shell-form' && !candidate.execs);
    const instruction = step?.instruction;
    if (!trace || !step || !instruction || instruction.invalidJson) return;

    context.report({
      messageId: 'shellForm',
      data: {
        keyword: instruction === target.entrypoint ? 'ENTRYPOINT' : 'CMD',
        shell: step.launcher,
        command: formatCommand(step.program),
      },
      location: step.location,
      fix: shellFormFix(model, target, trace, instruction, step === trace.steps[trace.steps.length - 1]),
    });
  },
});

/** Runs Gunicorn when the shell form starts another server directly; otherwise writes the same command in exec form. */
function shellFormFix(model: SystemModel, target: EffectiveStage, trace: LaunchTrace, instruction: CommandSpec, startsServer: boolean): Fix | undefined {
  if (startsServer && REPLACED_SERVERS.has(trace.server)) return instruction === target.cmd ? gunicornCommandFix(model, target) : undefined;
  return execFormFix(model, target, instruction);
}

import type { GunicornSetting, SystemModel } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';
import { removeFlag } from './flag-edits';
import { replaceConfigSetting, settingFix } from './setting-fixes';
import { resolveEnv } from './setting-values';

export default defineRule({
  meta: {
    id: 'gunicorn-daemon-enabled',
    area: 'gunicorn',
    description: 'Gunicorn detaches into the background, so the container stops at once',
    severity: 'error',
    fixable: 'safe',
    messages: {
      enabled: '`daemon` is on: Gunicorn detaches from the process that started it, which then exits, and the container stops with it.',
    },
    docs: {
      whatItDoes:
        'Reports `-D`, `--daemon`, `daemon = True` and an environment lookup whose value or fallback is `"true"`, from the config file, GUNICORN_CMD_ARGS or the command line.',
      whyItMatters:
        'With `daemon` on, the Gunicorn master forks into the background and the process the container started exits with status 0. A container lives as long as its main process, so it stops right after it starts, and a restart policy restarts it in a loop; Kubernetes reports `CrashLoopBackOff` or `Completed`. Process managers such as systemd or supervisord also expect the server to stay in the foreground.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]\n',
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\ndaemon = True\n',
        },
        good: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]\n',
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\n',
        },
      },
      useInstead: 'Leave `daemon` off (its default) and let the container runtime, systemd or supervisord keep Gunicorn in the foreground.',
      fixSafety:
        'Safe: the fix writes `daemon = False` in the config file, or removes `-D` or `--daemon` from the Dockerfile command line or GUNICORN_CMD_ARGS. Gunicorn then stays in the foreground, the only way it can serve as a container\'s main process.',
      knownLimitations: 'A `daemon` value computed by a comparison or a helper function is not judged.',
    },
  },
  check(model, context) {
    const setting = model.gunicorn.settings.get('daemon');
    if (!model.gunicorn.used || !setting?.location || setting.source === 'default') return;

    const value = resolveEnv(setting.value, model);
    if (value.kind !== 'literal' || !isTrue(value.value)) return;

    context.report({ messageId: 'enabled', location: setting.location, fix: daemonFix(model, setting) });
  },
});

function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

/** Turns `daemon` off: `False` as the config-file value, or the flag removed from the Dockerfile. */
function daemonFix(model: SystemModel, setting: GunicornSetting): Fix | undefined {
  if (setting.source === 'config') return settingFix('Set `daemon = False`', 'safe', replaceConfigSetting(model, setting, 'False'));

  const edit = removeFlag(model, setting);
  return settingFix('Remove the daemon flag', 'safe', edit && [edit]);
}

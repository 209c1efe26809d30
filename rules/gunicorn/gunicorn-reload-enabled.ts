import type { GunicornSetting, SystemModel } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';
import { removeFlag } from './flag-edits';
import { replaceConfigSetting, settingFix } from './setting-fixes';
import { resolveEnv } from './setting-values';

export default defineRule({
  meta: {
    id: 'gunicorn-reload-enabled',
    area: 'gunicorn',
    description: 'Gunicorn restarts workers on code changes, a development setting',
    severity: 'error',
    fixable: 'safe',
    messages: {
      enabled: '`reload` is on, a development setting that watches the code and restarts workers when it changes.',
    },
    docs: {
      whatItDoes:
        'Reports `--reload`, `reload = True` and an environment lookup whose value or fallback is `"true"` (`reload = os.environ.get("RELOAD", "true")`), from the config file, GUNICORN_CMD_ARGS or the command line.',
      whyItMatters:
        'The reloader polls or watches every imported file, costs CPU in each worker, restarts workers whenever a watched file changes, and cannot work with `preload_app`. In production the code does not change; a deploy replaces the container.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "--reload", "-c", "gunicorn.conf.py", "main:app"]\n',
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\n',
        },
        good: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]\n',
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\n',
        },
      },
      useInstead: 'Remove `--reload` and `reload = True`; in development, pass `--reload` from a compose override or the shell instead of the image.',
      fixSafety:
        'Safe: the fix writes `reload = False` in the config file, or removes `--reload` from the Dockerfile command line or GUNICORN_CMD_ARGS. Workers then stop restarting when files change, which a container in production never needs.',
      knownLimitations: 'A `reload` value computed by a comparison or a helper function (`reload = os.environ.get("ENV") == "dev"`) is not judged.',
    },
  },
  check(model, context) {
    const setting = model.gunicorn.settings.get('reload');
    if (!model.gunicorn.used || !setting?.location || setting.source === 'default') return;

    const value = resolveEnv(setting.value, model);
    if (value.kind !== 'literal') return;
    if (value.value !== true && !(typeof value.value === 'string' && value.value.trim().toLowerCase() === 'true')) return;

    context.report({ messageId: 'enabled', location: setting.location, fix: reloadFix(model, setting) });
  },
});

/** Turns reload off: `False` as the config-file value, or the `--reload` flag removed from the Dockerfile. */
function reloadFix(model: SystemModel, setting: GunicornSetting): Fix | undefined {
  if (setting.source === 'config') return settingFix('Set `reload = False`', 'safe', replaceConfigSetting(model, setting, 'False'));

  const edit = removeFlag(model, setting);
  return settingFix('Remove `--reload`', 'safe', edit && [edit]);
}

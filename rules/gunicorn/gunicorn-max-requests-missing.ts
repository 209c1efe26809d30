import { defineRule } from '../../src/rule';
import { appendSettings, replaceSettingValue, settingFix } from './setting-fixes';
import { missingSettingLocation, numberOf, resolveEnv, writtenSetting } from './setting-values';

const MAX_REQUESTS = 1000;
const JITTER = 100;

export default defineRule({
  meta: {
    id: 'gunicorn-max-requests-missing',
    area: 'gunicorn',
    description: 'Gunicorn never recycles its workers because `max_requests` is unset or 0',
    severity: 'warning',
    fixable: 'safe',
    messages: {
      unset: '`max_requests` is not set, so Gunicorn never restarts a worker and any memory it leaks stays leaked.',
      zero: '`max_requests` is `0`, which turns off worker recycling, so any memory a worker leaks stays leaked.',
    },
    docs: {
      whatItDoes:
        'Reads `max_requests` (config file, GUNICORN_CMD_ARGS or `--max-requests`), resolving environment lookups, and reports when it is not set or is 0, the default, which means workers are never restarted.',
      whyItMatters:
        'A long-running worker accumulates what leaks in the app and its libraries (caches, fragmented memory, connections). Restarting each worker after a number of requests bounds that growth without downtime, because the other workers keep serving while the master starts a replacement.',
      examples: {
        bad: {
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nworkers = 3\n',
        },
        good: {
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nworkers = 3\nmax_requests = 1000\nmax_requests_jitter = 100\n',
        },
      },
      useInstead: 'Set `max_requests = 1000` (or a number suited to the traffic) together with `max_requests_jitter = 100`.',
      fixSafety:
        'Safe: the fix adds `max_requests = 1000` to the config file, with `max_requests_jitter = 100` unless a jitter is set, or replaces a `0` in the config file or the `--max-requests` flag of the Dockerfile with 1000. Each worker then restarts after about 1000 requests while the others keep serving, so no request is dropped.',
      knownLimitations: 'A value that cannot be evaluated (computed by a helper function) is not judged.',
    },
  },
  check(model, context) {
    const setting = model.gunicorn.settings.get('max_requests');
    if (!model.gunicorn.used || !setting) return;

    if (setting.source === 'default') {
      const location = missingSettingLocation(model);
      if (!location) return;

      const lines = [`max_requests = ${MAX_REQUESTS}`];
      if (!writtenSetting(model, 'max_requests_jitter')) lines.push(`max_requests_jitter = ${JITTER}`);
      context.report({ messageId: 'unset', location, fix: settingFix(`Set \`max_requests = ${MAX_REQUESTS}\``, 'safe', appendSettings(model, lines)) });
      return;
    }

    if (numberOf(resolveEnv(setting.value, model)) !== 0 || !setting.location) return;
    const edits = replaceSettingValue(model, setting, String(MAX_REQUESTS), String(MAX_REQUESTS));
    context.report({ messageId: 'zero', location: setting.location, fix: settingFix(`Set \`max_requests = ${MAX_REQUESTS}\``, 'safe', edits) });
  },
});

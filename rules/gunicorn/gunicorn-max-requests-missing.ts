import { defineRule } from '../../src/rule';
import { missingSettingLocation, numberOf, resolveEnv } from './setting-values';

export default defineRule({
  meta: {
    id: 'gunicorn-max-requests-missing',
    area: 'gunicorn',
    description: 'Gunicorn never recycles its workers because `max_requests` is unset or 0',
    severity: 'warning',
    fixable: 'none',
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
      knownLimitations: 'A value that cannot be evaluated (computed by a helper function) is not judged.',
    },
  },
  check(model, context) {
    const setting = model.gunicorn.settings.get('max_requests');
    if (!model.gunicorn.used || !setting) return;

    if (setting.source === 'default') {
      const location = missingSettingLocation(model);
      if (location) context.report({ messageId: 'unset', location });
      return;
    }

    if (numberOf(resolveEnv(setting.value, model)) !== 0 || !setting.location) return;
    context.report({ messageId: 'zero', location: setting.location });
  },
});

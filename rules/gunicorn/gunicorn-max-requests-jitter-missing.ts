import { defineRule } from '../../src/rule';
import { missingSettingLocation, numberOf, resolveEnv } from './setting-values';

export default defineRule({
  meta: {
    id: 'gunicorn-max-requests-jitter-missing',
    area: 'gunicorn',
    description: '`max_requests` is set without a `max_requests_jitter`',
    severity: 'warning',
    fixable: 'none',
    messages: {
      unset: '`max_requests` is set without `max_requests_jitter`, so workers that started together restart together.',
      zero: '`max_requests_jitter` is `0`, so workers that started together restart together.',
    },
    docs: {
      whatItDoes:
        'When `max_requests` is set to a number other than 0, reports a `max_requests_jitter` that is not set or is 0. Settings come from the config file, GUNICORN_CMD_ARGS and the command line.',
      whyItMatters:
        'Workers start together and share the load evenly, so they reach `max_requests` at about the same time and restart together, and the service has little or no capacity while they boot. The jitter adds a random 0 to N requests to each worker\'s limit, which spreads the restarts out.',
      examples: {
        bad: {
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nmax_requests = 1000\n',
        },
        good: {
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nmax_requests = 1000\nmax_requests_jitter = 100\n',
        },
      },
      useInstead: 'Set `max_requests_jitter` to about a tenth of `max_requests`.',
    },
  },
  check(model, context) {
    const maxRequests = model.gunicorn.settings.get('max_requests');
    const jitter = model.gunicorn.settings.get('max_requests_jitter');
    if (!model.gunicorn.used || !maxRequests || !jitter || maxRequests.source === 'default') return;
    if (numberOf(resolveEnv(maxRequests.value, model)) === 0) return;

    if (jitter.source === 'default') {
      const location = missingSettingLocation(model);
      if (location) context.report({ messageId: 'unset', location });
      return;
    }

    if (numberOf(resolveEnv(jitter.value, model)) !== 0 || !jitter.location) return;
    context.report({ messageId: 'zero', location: jitter.location });
  },
});

import type { GunicornSetting, SystemModel } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';
import { appendSettings, replaceSettingValue, settingFix } from './setting-fixes';
import { missingSettingLocation, numberOf, resolveEnv } from './setting-values';

export default defineRule({
  meta: {
    id: 'gunicorn-max-requests-jitter-missing',
    area: 'gunicorn',
    description: '`max_requests` is set without a `max_requests_jitter`',
    severity: 'warning',
    fixable: 'safe',
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
      fixSafety:
        'Safe: the fix sets `max_requests_jitter` to a tenth of `max_requests` (at least 1), adding the line to the config file or replacing a `0` in the config file or in the `--max-requests-jitter` flag of the Dockerfile. Each worker then restarts at a random point up to that many requests later, and no request is dropped. No fix is offered when `max_requests` cannot be evaluated.',
    },
  },
  check(model, context) {
    const maxRequests = model.gunicorn.settings.get('max_requests');
    const jitter = model.gunicorn.settings.get('max_requests_jitter');
    if (!model.gunicorn.used || !maxRequests || !jitter || maxRequests.source === 'default') return;

    const limit = numberOf(resolveEnv(maxRequests.value, model));
    if (limit === 0) return;

    if (jitter.source === 'default') {
      const location = missingSettingLocation(model);
      if (location) context.report({ messageId: 'unset', location, fix: jitterFix(model, jitter, limit) });
      return;
    }

    if (numberOf(resolveEnv(jitter.value, model)) !== 0 || !jitter.location) return;
    context.report({ messageId: 'zero', location: jitter.location, fix: jitterFix(model, jitter, limit) });
  },
});

/** Sets the jitter to a tenth of `max_requests`, at least 1: a new config-file line when unset, else the written value. */
function jitterFix(model: SystemModel, jitter: GunicornSetting, maxRequests: number | null): Fix | undefined {
  if (maxRequests === null) return undefined;

  const value = String(Math.max(1, Math.floor(maxRequests / 10)));
  const edits = jitter.source === 'default' ? appendSettings(model, [`max_requests_jitter = ${value}`]) : replaceSettingValue(model, jitter, value, value);
  return settingFix(`Set \`max_requests_jitter = ${value}\``, 'safe', edits);
}

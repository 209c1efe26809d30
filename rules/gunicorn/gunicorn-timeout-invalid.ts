import { defineRule, type Fix } from '../../src/rule';
import { replaceSettingValue, settingFix } from './setting-fixes';
import { numberOf, resolveEnv } from './setting-values';

/** Above this many seconds a hung sync worker blocks its slot longer than clients and proxies wait. */
const DEFAULT_MAX_SECONDS = 600;
/** Gunicorn's default timeout, which the fix writes unless the `maxSeconds` option is lower. */
const DEFAULT_TIMEOUT_SECONDS = 30;

export default defineRule({
  meta: {
    id: 'gunicorn-timeout-invalid',
    area: 'gunicorn',
    description: 'The Gunicorn worker timeout is disabled, invalid or far too long',
    severity: 'warning',
    fixable: 'unsafe',
    messages: {
      disabled: '`timeout` is `0`, which turns the worker timeout off, so a hung worker is never killed and restarted.',
      tooLong: '`timeout` is {{seconds}} s, above {{max}} s, so a hung worker blocks its slot that long before Gunicorn restarts it.',
      invalid: '`timeout` is `{{value}}`, which is not a whole number of seconds, so Gunicorn fails to start.',
    },
    docs: {
      whatItDoes:
        'Reads `timeout` (config file, GUNICORN_CMD_ARGS or `-t`/`--timeout`), resolving environment lookups, and reports 0 (no timeout), a value above a maximum (600 s unless the `maxSeconds` option sets another), and a value that is not a non-negative whole number.',
      whyItMatters:
        'The timeout is how Gunicorn finds a stuck worker: a sync worker that does not answer the master within `timeout` seconds is killed and replaced. Without it, a request stuck on a dead database connection occupies the worker forever, and a few of them take the service down. Common proxies give up after 60 s by default (nginx `proxy_read_timeout`, the AWS load balancer idle timeout).',
      examples: {
        bad: {
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\ntimeout = 0\n',
        },
        good: {
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\ntimeout = 30\n',
        },
      },
      useInstead: 'Keep the default of 30 s or set a value a little above the slowest legitimate request; move long jobs to a task queue.',
      fixSafety:
        'Unsafe: the fix sets `timeout` to 30, Gunicorn\'s default (or to `maxSeconds` when that is lower), in the config file or in the `-t`/`--timeout` flag of the Dockerfile. A request that legitimately takes longer than 30 s then has its worker killed.',
      options: '`maxSeconds` (number, default 600): the longest timeout that is not reported.',
    },
    optionsSchema: {
      maxSeconds: { type: 'integer', minimum: 1, description: 'The longest timeout in seconds that is not reported (default 600).' },
    },
  },
  check(model, context) {
    const setting = model.gunicorn.settings.get('timeout');
    if (!model.gunicorn.used || !setting?.location || setting.source === 'default') return;

    const value = resolveEnv(setting.value, model);
    if (value.kind !== 'literal' || typeof value.value === 'boolean') return;

    const max = typeof context.options.maxSeconds === 'number' ? context.options.maxSeconds : DEFAULT_MAX_SECONDS;
    const replacement = String(Math.max(1, Math.min(DEFAULT_TIMEOUT_SECONDS, Math.floor(max))));
    const fix = (): Fix | undefined => settingFix(`Set \`timeout = ${replacement}\``, 'unsafe', replaceSettingValue(model, setting, replacement, replacement));

    const seconds = numberOf(value);
    if (seconds === null || seconds < 0 || !Number.isInteger(seconds)) {
      context.report({ messageId: 'invalid', data: { value: String(value.value) }, location: setting.location, fix: fix(), severity: 'error' });
      return;
    }
    if (seconds === 0) {
      context.report({ messageId: 'disabled', location: setting.location, fix: fix() });
      return;
    }

    if (seconds <= max) return;
    context.report({ messageId: 'tooLong', data: { seconds, max }, location: setting.location, fix: fix() });
  },
});

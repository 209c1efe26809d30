import type { GunicornSetting, SystemModel } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';
import { DOCKER_STOP_SECONDS, gracefulTimeoutWithin, gracePeriods, shortestGracePeriod } from './grace-periods';
import { appendSettings, replaceSettingValue, settingFix } from './setting-fixes';
import { missingSettingLocation, numberOf, resolveEnv } from './setting-values';

export default defineRule({
  meta: {
    id: 'gunicorn-graceful-timeout-too-long',
    area: 'gunicorn',
    description: 'Gunicorn\'s `graceful_timeout` is longer than the time the container gets to stop',
    severity: 'warning',
    fixable: 'unsafe',
    spansFiles: true,
    messages: {
      longerThanGrace:
        '`graceful_timeout` is {{seconds}} s, longer than the {{grace}} s stop grace period of {{source}}, so workers still finishing requests are killed.',
      undeclared:
        '`graceful_timeout` is {{seconds}} s, longer than Docker\'s default stop timeout of 10 s, and the system declares no stop grace period.',
    },
    docs: {
      whatItDoes:
        'Compares Gunicorn\'s `graceful_timeout` (default 30 s) with the stop grace period the system declares: `stop_grace_period` of a compose service that is built here or runs Gunicorn (Compose\'s default is 10 s), and `terminationGracePeriodSeconds` of a Kubernetes workload (default 30 s). The shortest one counts. When the system declares neither, a `graceful_timeout` set above Docker\'s 10 s default is reported as info only, because the orchestrator is unknown; the 30 s default alone is not reported then, since it matches Kubernetes\' default.',
      whyItMatters:
        'On SIGTERM, Gunicorn stops accepting connections and gives workers up to `graceful_timeout` to finish their requests. The orchestrator sends SIGKILL when its grace period ends, so a `graceful_timeout` longer than that period promises a drain that never completes: in-flight requests are cut off.',
      examples: {
        bad: {
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\ngraceful_timeout = 120\n',
        },
        good: {
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\ngraceful_timeout = 8\n',
        },
      },
      useInstead:
        'Keep `graceful_timeout` a few seconds below the grace period, or raise the grace period (`stop_grace_period: 40s` in compose, `terminationGracePeriodSeconds: 40` in Kubernetes).',
      fixSafety:
        'Unsafe: the fix sets `graceful_timeout` a margin below the shortest grace period (a sixth of it, at least 2 s: 25 s under Kubernetes\' 30 s, 8 s under Docker\'s 10 s), in the config file, where the line is added when only the default applies, or in the `--graceful-timeout` flag of the Dockerfile. Workers that need longer to finish their requests on shutdown are then stopped sooner.',
      knownLimitations:
        'Grace periods set outside the system (`docker stop -t`, Helm values, platform settings) are not seen. Kubernetes manifests are matched to the service by kind only, not by image.',
    },
  },
  check(model, context) {
    const setting = model.gunicorn.settings.get('graceful_timeout');
    if (!model.gunicorn.used || !setting) return;

    const seconds = numberOf(resolveEnv(setting.value, model));
    const location = setting.source === 'default' ? missingSettingLocation(model) : setting.location;
    if (seconds === null || !location) return;

    const periods = gracePeriods(model);
    if (periods.length === 0) {
      if (setting.source === 'default' || seconds <= DOCKER_STOP_SECONDS) return;
      context.report({ messageId: 'undeclared', data: { seconds }, location, severity: 'info', fix: shortenFix(model, setting) });
      return;
    }

    const shortest = shortestGracePeriod(model);
    if (seconds <= shortest.seconds) return;
    context.report({ messageId: 'longerThanGrace', data: { seconds, grace: shortest.seconds, source: shortest.source }, location, fix: shortenFix(model, setting) });
  },
});

/** Sets `graceful_timeout` below the shortest grace period: in the config file, where it is added when unset, or in the flag. */
function shortenFix(model: SystemModel, setting: GunicornSetting): Fix | undefined {
  const value = String(gracefulTimeoutWithin(shortestGracePeriod(model)));
  const edits = setting.source === 'default' ? appendSettings(model, [`graceful_timeout = ${value}`]) : replaceSettingValue(model, setting, value, value);
  return settingFix(`Set \`graceful_timeout = ${value}\``, 'unsafe', edits);
}

import { defineRule } from '../../src/rule';
import { DOCKER_STOP_SECONDS, gracePeriods } from './grace-periods';
import { missingSettingLocation, numberOf, resolveEnv } from './setting-values';

export default defineRule({
  meta: {
    id: 'gunicorn-graceful-timeout-too-long',
    area: 'gunicorn',
    description: 'Gunicorn\'s `graceful_timeout` is longer than the time the container gets to stop',
    severity: 'warning',
    fixable: 'none',
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
      context.report({ messageId: 'undeclared', data: { seconds }, location, severity: 'info' });
      return;
    }

    const shortest = periods.reduce((best, period) => (period.seconds < best.seconds ? period : best));
    if (seconds <= shortest.seconds) return;
    context.report({ messageId: 'longerThanGrace', data: { seconds, grace: shortest.seconds, source: shortest.source }, location });
  },
});

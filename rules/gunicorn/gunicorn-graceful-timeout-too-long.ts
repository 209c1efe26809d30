import type { SystemModel, YamlDocument } from '../../src/model/types';
import { defineRule } from '../../src/rule';
import { missingSettingLocation, numberOf, resolveEnv } from './setting-values';

/** `docker stop` and Docker Compose send SIGKILL this many seconds after SIGTERM unless configured otherwise. */
const DOCKER_STOP_SECONDS = 10;
/** Kubernetes' default `terminationGracePeriodSeconds`. */
const KUBERNETES_GRACE_SECONDS = 30;
const WORKLOAD_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);

/** A stop grace period the system declares, and where. */
interface GracePeriod {
  seconds: number;
  /** Words for the message: "compose service `web` in `docker-compose.yml`". */
  source: string;
}

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

function gracePeriods(model: SystemModel): GracePeriod[] {
  return model.yaml.documents.flatMap((document) => {
    if (document.role === 'compose') return composeGracePeriods(document);
    if (document.role === 'kubernetes') return kubernetesGracePeriods(document);
    return [];
  });
}

function composeGracePeriods(document: YamlDocument): GracePeriod[] {
  const services = isRecord(document.data) && isRecord(document.data.services) ? document.data.services : {};
  const periods: GracePeriod[] = [];

  for (const [name, service] of Object.entries(services)) {
    if (!isRecord(service) || !runsThisService(service)) continue;

    const declared = service.stop_grace_period;
    const seconds = declared === undefined ? DOCKER_STOP_SECONDS : parseDuration(declared);
    if (seconds !== null) periods.push({ seconds, source: `compose service \`${name}\` in \`${document.file.relPath}\`` });
  }
  return periods;
}

/** Tells whether a compose service builds the system's image or runs Gunicorn, unlike a database or cache service. */
function runsThisService(service: Record<string, unknown>): boolean {
  if (service.build !== undefined) return true;
  return [service.command, service.entrypoint].some((value) => JSON.stringify(value ?? '').includes('gunicorn'));
}

function kubernetesGracePeriods(document: YamlDocument): GracePeriod[] {
  const data = document.data;
  if (!isRecord(data) || typeof data.kind !== 'string' || !WORKLOAD_KINDS.has(data.kind)) return [];

  const podSpec = podSpecOf(data);
  if (!podSpec) return [];

  const declared = podSpec.terminationGracePeriodSeconds ?? KUBERNETES_GRACE_SECONDS;
  if (typeof declared !== 'number') return [];
  return [{ seconds: declared, source: `${data.kind} in \`${document.file.relPath}\`` }];
}

function podSpecOf(workload: Record<string, unknown>): Record<string, unknown> | null {
  const spec = workload.spec;
  if (!isRecord(spec)) return null;
  if (workload.kind === 'Pod') return spec;

  const template = workload.kind === 'CronJob' ? childRecord(childRecord(spec, 'jobTemplate'), 'spec') : spec;
  return childRecord(childRecord(template, 'template'), 'spec');
}

function childRecord(value: Record<string, unknown> | null, key: string): Record<string, unknown> | null {
  const child = value?.[key];
  return isRecord(child) ? child : null;
}

/** Reads a compose duration (`1m30s`, `45s`, `500ms`, or a number of seconds) as seconds; null when invalid. */
export function parseDuration(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return null;

  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001, µs: 0.000001 };
  const text = value.trim();
  const pattern = /(\d+(?:\.\d+)?)(h|ms|us|µs|m|s)/g;
  let seconds = 0;
  let consumed = 0;

  for (const match of text.matchAll(pattern)) {
    if (match.index !== consumed) return null;
    seconds += Number(match[1]) * units[match[2]];
    consumed += match[0].length;
  }
  return consumed === text.length && consumed > 0 ? seconds : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

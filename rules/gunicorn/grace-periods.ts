import type { SystemModel, YamlDocument } from '../../src/model/types';

/** `docker stop` and Docker Compose send SIGKILL this many seconds after SIGTERM unless configured otherwise. */
export const DOCKER_STOP_SECONDS = 10;
/** Kubernetes' default `terminationGracePeriodSeconds`. */
const KUBERNETES_GRACE_SECONDS = 30;
const WORKLOAD_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);

/** A stop grace period the system declares, and where. */
export interface GracePeriod {
  seconds: number;
  /** Words for the message: "compose service `web` in `docker-compose.yml`". */
  source: string;
}

/**
 * Lists the stop grace periods the system declares: one per compose service that builds the image
 * or runs Gunicorn (Compose's default when it sets none), one per Kubernetes workload (Kubernetes'
 * default when it sets none).
 */
export function gracePeriods(model: SystemModel): GracePeriod[] {
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
export function runsThisService(service: Record<string, unknown>): boolean {
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

/**
 * Returns the shortest stop grace period the system declares. When it declares none, that is
 * Docker's 10 s stop timeout, because a container platform gives no longer than that by default.
 */
export function shortestGracePeriod(model: SystemModel): GracePeriod {
  const periods = gracePeriods(model);
  if (periods.length === 0) return { seconds: DOCKER_STOP_SECONDS, source: 'Docker\'s default stop timeout' };
  return periods.reduce((best, period) => (period.seconds < best.seconds ? period : best));
}

/**
 * Returns a `graceful_timeout` that ends before the grace period does: a margin of a sixth of the
 * period, at least 2 s, leaves time for the master to exit (25 s under 30 s, 8 s under 10 s).
 */
export function gracefulTimeoutWithin(period: GracePeriod): number {
  const margin = Math.max(2, Math.ceil(period.seconds / 6));
  const seconds = Math.floor(period.seconds - margin);
  if (seconds >= 1) return seconds;
  return Math.min(1, Math.floor(period.seconds));
}

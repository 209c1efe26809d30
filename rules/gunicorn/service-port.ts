import type { SystemModel } from '../../src/model/types';
import { runsThisService } from './grace-periods';
import { numberOf, resolveEnv, stringOf } from './setting-values';

/** Gunicorn's port when `bind` gives none. */
export const DEFAULT_PORT = 8000;

/**
 * Returns the port the service already uses, so a written `bind` keeps it. The first of these
 * that gives a port wins: the `bind` that Gunicorn is given (flag, GUNICORN_CMD_ARGS or config
 * file), the target stage's `EXPOSE`, the port of the HEALTHCHECK URL, the container port of a
 * compose service that builds the image or runs Gunicorn, and the `port` of `app.run(...)`.
 * Without any, it is Gunicorn's 8000.
 */
export function servicePort(model: SystemModel): number {
  const target = model.docker.main?.target ?? null;
  const candidates: Array<() => number | null> = [
    () => bindPort(model),
    () => target?.expose.find((entry) => entry.port !== null)?.port ?? null,
    () => urlPort(target?.healthcheck?.command?.argv.join(' ') ?? ''),
    () => composePort(model),
    () => appRunPort(model),
  ];

  for (const candidate of candidates) {
    const port = candidate();
    if (port !== null && isPort(port)) return port;
  }
  return DEFAULT_PORT;
}

/** Returns the port of the first address of the `bind` setting the system writes, or null. */
function bindPort(model: SystemModel): number | null {
  const bind = model.gunicorn.settings.get('bind');
  if (!bind || bind.source === 'default') return null;

  const resolved = resolveEnv(bind.value, model);
  const addresses = resolved.kind === 'list' ? resolved.items : [resolved];
  for (const address of addresses.map(stringOf)) {
    const port = address === null ? null : addressPort(address);
    if (port !== null) return port;
  }
  return null;
}

/** Returns the port of a `HOST:PORT` or `[IPv6]:PORT` address; null for Unix sockets and addresses without one. */
export function addressPort(address: string): number | null {
  const trimmed = address.trim().replace(/^tcp:\/\//, '');
  if (trimmed.startsWith('unix:') || trimmed.startsWith('fd://')) return null;

  const match = trimmed.startsWith('[') ? /^\[[^\]]*\]:(\d+)$/.exec(trimmed) : /^[^:]*:(\d+)$/.exec(trimmed);
  return match ? Number(match[1]) : null;
}

/** Returns the explicit port of the first `http://host:port` URL in a command. */
function urlPort(command: string): number | null {
  const match = /\bhttps?:\/\/(?:\[[^\]]*\]|[^/:\s'"]+):(\d+)/.exec(command);
  return match ? Number(match[1]) : null;
}

/** Returns the container port of the first `ports` entry of a compose service that builds the image or runs Gunicorn. */
function composePort(model: SystemModel): number | null {
  for (const document of model.yaml.documents) {
    if (document.role !== 'compose' || !isRecord(document.data) || !isRecord(document.data.services)) continue;

    for (const service of Object.values(document.data.services)) {
      if (!isRecord(service) || !runsThisService(service) || !Array.isArray(service.ports)) continue;
      for (const entry of service.ports) {
        const port = containerPort(entry);
        if (port !== null) return port;
      }
    }
  }
  return null;
}

/**
 * Reads the container side of a compose port: `8000`, `"8080:8000"`, `"127.0.0.1:8080:8000/tcp"`,
 * the first port of a range `"8000-8001"`, or the long syntax `{ target: 8000 }`.
 */
function containerPort(entry: unknown): number | null {
  if (isRecord(entry)) return containerPort(entry.target);
  if (typeof entry === 'number') return Number.isInteger(entry) ? entry : null;
  if (typeof entry !== 'string') return null;

  const container = entry.split('/')[0].split(':').pop() ?? '';
  const match = /^(\d+)(-\d+)?$/.exec(container.trim());
  return match ? Number(match[1]) : null;
}

/** Returns the `port` argument (keyword or second positional) of an `app.run(...)` call of a Flask app. */
function appRunPort(model: SystemModel): number | null {
  for (const call of model.python.calls) {
    if (call.method !== 'run' || !call.receiverApp) continue;

    const argument = call.args.find((arg) => arg.name === 'port') ?? call.args.filter((arg) => arg.name === null)[1];
    const port = argument ? numberOf(resolveEnv(argument.value, model)) : null;
    if (port !== null) return port;
  }
  return null;
}

function isPort(value: number): boolean {
  return Number.isInteger(value) && value > 0 && value < 65536;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { addOperationsPart } from '../../src/fix/generated-modules';
import { renderExecForm } from '../../src/fix/dockerfile-edits';
import { moduleStartedByCommand, productionApps, routesOf } from '../../src/model/flask-queries';
import { traceLaunch, type ServerKind } from '../../src/model/shell';
import type { EffectiveStage, SystemModel } from '../../src/model/types';
import { baseImage } from './stage';

/** The options of a HEALTHCHECK the fixes add: Docker's interval and retries, a shorter timeout, and time to boot. */
export const PROBE_OPTIONS = '--interval=30s --timeout=5s --start-period=10s --retries=3';

/** The longest a probe request waits, in seconds; shorter than the 5 s HEALTHCHECK timeout above. */
const MAX_REQUEST_TIMEOUT = 4;

/** Liveness paths, by the last segment of a route. */
const LIVENESS_ROUTE = /(^|\/)(health|healthz|livez|liveness)$/;

/** Servers that answer HTTP requests, so a probe of the app's route can succeed. */
const HTTP_SERVERS = new Set<ServerKind>(['gunicorn', 'flask-run', 'asgi-server', 'other-server']);

/** Path characters that need no escaping in a Python string literal, a JSON string or a URL. */
const PLAIN_PATH = /^\/[A-Za-z0-9._~/-]*$/;

/**
 * Renders a HEALTHCHECK command in exec form that requests `http://127.0.0.1:<port><path>` with
 * Python's urllib and exits 0 only for status 200. urllib raises on error statuses and refused
 * connections, which also exits 1.
 */
export function renderProbe(python: string, port: number, path: string, timeoutSeconds: number): string {
  const url = `http://127.0.0.1:${port}${path}`;
  const code = `import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('${url}', timeout=${timeoutSeconds}).status == 200 else 1)`;
  return renderExecForm([python, '-c', code]);
}

/** Returns the Python program of the image for a probe: `python` in the official python images, null for others, where it may be missing. */
export function probePython(target: EffectiveStage): string | null {
  const family = baseImage(target.stage)?.facts?.family ?? '';
  return /^python (slim|full|alpine)$/.test(family) ? 'python' : null;
}

/**
 * True when the container serves the system's Flask app over HTTP: it runs a known server, or
 * starts the app's own module as a script. A worker container (Celery, a batch script) gets no
 * probe, because it would never answer one.
 */
export function servesApp(model: SystemModel, target: EffectiveStage): boolean {
  const apps = productionApps(model);
  const trace = traceLaunch(target, model.files);
  if (apps.length === 0 || !trace) return false;
  if (HTTP_SERVERS.has(trace.server)) return true;
  if (trace.server !== 'python-script' && trace.server !== 'python-module') return false;

  const started = moduleStartedByCommand(model, trace.words.map((word) => word.value), target.workdir);
  return apps.some((app) => app.module === started);
}

/**
 * Returns the app's liveness path: `/health` when it serves that, else another GET route whose
 * last segment is `health`, `healthz`, `livez` or `liveness` (shortest first), else `/health` when
 * the fix of `flask-health-route-missing` can add it, and null when it cannot (the app's module
 * does not parse, or the operations module cannot be placed), so no probe points at a missing route.
 */
export function livenessPath(model: SystemModel): string | null {
  const paths = productionApps(model)
    .flatMap((app) => routesOf(model, app))
    .filter((route) => (route.methods.length === 0 || route.methods.includes('GET')) && PLAIN_PATH.test(route.path) && LIVENESS_ROUTE.test(route.path))
    .map((route) => route.path)
    .sort((a, b) => a.length - b.length || (a < b ? -1 : 1));

  if (paths.includes('/health')) return '/health';
  if (paths.length > 0) return paths[0];

  const canAddRoute = productionApps(model).some(
    (app) => !model.python.problems.some((problem) => problem.location.file === app.module.file) && addOperationsPart(model, app, 'health') !== null,
  );
  return canAddRoute ? '/health' : null;
}

/** True for a path that can go into the probe's Python string as it is. */
export function isPlainPath(path: string): boolean {
  return PLAIN_PATH.test(path);
}

/**
 * Returns the urllib timeout for a HEALTHCHECK `--timeout` value (`3s`, `1m`, `500ms`; Docker's
 * default is 30s): a second less than it, between 1 and 4 seconds.
 */
export function requestTimeout(option: string | undefined): number {
  const seconds = option === undefined ? 30 : durationSeconds(option);
  if (seconds === null) return MAX_REQUEST_TIMEOUT;
  return Math.max(1, Math.min(MAX_REQUEST_TIMEOUT, Math.floor(seconds) - 1));
}

/** Reads a Go duration such as `1m30s` or `500ms`; null when it is not one. */
function durationSeconds(text: string): number | null {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001, µs: 0.000001, ns: 0.000000001 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) return null;
  return parts.reduce((total, part) => total + Number(part[1]) * units[part[2]], 0);
}

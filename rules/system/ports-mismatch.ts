import { runtimeEnvironment } from '../../src/model/environment';
import { composeServices, declaredProbes, isRecord, kubernetesContainers, locationAt } from '../../src/model/orchestration';
import type { SystemModel } from '../../src/model/types';
import { defineRule } from '../../src/rule';
import type { Location } from '../../src/source';
import { resolveEnv, stringOf } from '../gunicorn/setting-values';

/** Gunicorn's port when nothing sets `bind` and `PORT` is unset. */
const GUNICORN_DEFAULT_PORT = 8000;

const HEALTHCHECK_URL_PORT = /https?:\/\/[^/\s'":]+:(\d+)/g;

interface ServerPort {
  port: number;
  /** The source of the port, for messages: "Gunicorn binds" or "`EXPOSE` declares". */
  source: string;
}

export default defineRule({
  meta: {
    id: 'ports-mismatch',
    area: 'system',
    description: 'A declared port differs from the one Gunicorn listens on',
    severity: 'error',
    fixable: 'none',
    spansFiles: true,
    messages: {
      expose: '`EXPOSE {{ports}}` does not include port {{port}}, which {{source}}.',
      healthcheck: 'HEALTHCHECK connects to port {{declared}}, but {{source}} {{port}}, so the probe is refused.',
      compose: 'Compose service `{{service}}` forwards to container port {{declared}}, but {{source}} {{port}}, so published traffic is refused.',
      containerPort: 'Container {{container}} declares `containerPort: {{declared}}`, but {{source}} {{port}}.',
      probe: 'The {{owner}} connects to port {{declared}}, but {{source}} {{port}}, so the probe is refused.',
      socketOnly: '{{prober}} connects to port {{declared}}, but Gunicorn, the container\'s only server, listens only on the socket `{{socket}}`, so the probe is refused.',
    },
    docs: {
      whatItDoes:
        'Finds the port the server listens on (Gunicorn\'s `bind`, with environment fallbacks resolved against the image and compose environment, or Gunicorn\'s default 8000, or else the single `EXPOSE` port) and checks every other place that names it: `EXPOSE`, the HEALTHCHECK URL, compose `ports` (the container side), Kubernetes `containerPort` and the numeric ports of `httpGet` probes. When the image runs Gunicorn directly and Gunicorn binds only Unix sockets (`unix:/run/gunicorn.sock`), nothing in the container listens on TCP, and every HEALTHCHECK URL or probe with a port is reported.',
      whyItMatters:
        'Each of these files is usually edited alone. When the bind moves from 5000 to 8000 and the probe still says 5000, the container is "unhealthy" forever, published ports lead nowhere, and Kubernetes restarts pods that work. No single-file linter can see it.',
      examples: {
        bad: {
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\n',
          Dockerfile:
            'FROM python:3.12-slim\nEXPOSE 5000\nHEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen(\'http://127.0.0.1:5000/health\')"\nCMD ["gunicorn", "--config", "gunicorn.conf.py", "main:app"]\n',
        },
        good: {
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\n',
          Dockerfile:
            'FROM python:3.12-slim\nEXPOSE 8000\nHEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen(\'http://127.0.0.1:8000/health\')"\nCMD ["gunicorn", "--config", "gunicorn.conf.py", "main:app"]\n',
        },
      },
      useInstead: 'Take the port from one place (`PORT` in the environment, read by the Gunicorn config) and use the same number in `EXPOSE`, probes and port mappings.',
      knownLimitations:
        'Named Kubernetes ports (`port: http`) and ports built from variables are not compared. When Gunicorn binds several addresses, the first one is the reference.',
    },
  },
  check(model, context) {
    const socket = socketOnlyBind(model);
    if (socket) {
      reportSocketProbes(model, (prober, declared, location) => context.report({ messageId: 'socketOnly', data: { prober, declared, socket }, location }));
      return;
    }

    const server = serverPort(model);
    if (!server) return;

    const { port, source } = server;
    const report = (messageId: 'healthcheck' | 'compose' | 'containerPort' | 'probe', declared: number, location: Location, extra: Record<string, string> = {}) => {
      if (declared === port) return;
      context.report({ messageId, data: { declared, port, source, ...extra }, location });
    };

    const target = model.docker.main?.target;
    const exposed = (target?.expose ?? []).filter((entry) => entry.port !== null);
    if (exposed.length > 0 && !exposed.some((entry) => entry.port === port) && !source.startsWith('`EXPOSE`')) {
      const ports = exposed.map((entry) => entry.raw).join(' ');
      context.report({ messageId: 'expose', data: { ports, port, source }, location: exposed[0].location });
    }

    const healthcheck = target?.healthcheck;
    if (healthcheck?.command && !healthcheck.none) {
      for (const match of healthcheck.command.raw.matchAll(HEALTHCHECK_URL_PORT)) report('healthcheck', Number(match[1]), healthcheck.location);
    }

    for (const service of composeServices(model)) {
      if (!('build' in service.data) || !Array.isArray(service.data.ports)) continue;
      service.data.ports.forEach((entry, index) => {
        const declared = containerSide(entry);
        if (declared !== null) report('compose', declared, locationAt(service.document, [...service.path, 'ports', index]), { service: service.name });
      });
    }

    for (const container of kubernetesContainers(model)) {
      const ports = Array.isArray(container.data.ports) ? container.data.ports : [];
      ports.forEach((entry, index) => {
        if (!isRecord(entry) || typeof entry.containerPort !== 'number') return;
        report('containerPort', entry.containerPort, locationAt(container.document, [...container.path, 'ports', index, 'containerPort']), { container: container.name });
      });
    }

    for (const probe of declaredProbes(model)) {
      if (probe.port !== null) report('probe', probe.port, probe.portLocation, { owner: probe.owner });
    }
  },
});

/**
 * Returns the socket Gunicorn binds when it binds only Unix sockets and is the command the image
 * runs. Then nothing in the container listens on a TCP port. Returns null otherwise, and also for
 * a command that runs a script or a process manager, which may start a proxy in front of the socket.
 */
function socketOnlyBind(model: SystemModel): string | null {
  const bind = model.gunicorn.settings.get('bind');
  if (!model.gunicorn.used || !bind || bind.source === 'default' || !runsGunicornDirectly(model.docker.main?.target?.command ?? null)) return null;

  const resolved = resolveEnv(bind.value, model);
  const items = resolved.kind === 'list' ? resolved.items : [resolved];
  const addresses = items.map((item) => stringOf(item));
  if (addresses.length === 0 || addresses.some((address) => address === null || !address.trim().startsWith('unix:'))) return null;
  return addresses[0]!.trim();
}

/** True when the command is Gunicorn itself: `gunicorn ...`, `python -m gunicorn ...`, or either after `exec` in `sh -c`. */
function runsGunicornDirectly(command: string[] | null): boolean {
  if (!command || command.length === 0) return false;

  let words = command;
  if (words.length >= 3 && /(^|\/)(ba)?sh$/.test(words[0]) && words[1] === '-c') words = words[2].trim().split(/\s+/);
  if (words[0] === 'exec') words = words.slice(1);
  if (/(^|\/)gunicorn$/.test(words[0] ?? '')) return true;
  return /(^|\/)python[\d.]*$/.test(words[0] ?? '') && words[1] === '-m' && words[2] === 'gunicorn';
}

/** Calls `report` for each TCP probe of the container: the HEALTHCHECK's URLs and the compose and Kubernetes probes with a port. */
function reportSocketProbes(model: SystemModel, report: (prober: string, declared: number, location: Location) => void): void {
  const healthcheck = model.docker.main?.target?.healthcheck;
  if (healthcheck?.command && !healthcheck.none) {
    for (const match of healthcheck.command.raw.matchAll(HEALTHCHECK_URL_PORT)) report('HEALTHCHECK', Number(match[1]), healthcheck.location);
  }
  for (const probe of declaredProbes(model)) {
    if (probe.port !== null) report(`The ${probe.owner}`, probe.port, probe.portLocation);
  }
}

/** Finds the port the server listens on inside the container, and how it was found. */
function serverPort(model: SystemModel): ServerPort | null {
  if (model.gunicorn.used) {
    const bind = model.gunicorn.settings.get('bind');
    if (bind && bind.source !== 'default') {
      const resolved = resolveEnv(bind.value, model);
      const first = resolved.kind === 'list' ? resolved.items[0] : resolved;
      const address = first ? stringOf(first) : null;
      const port = address ? portOf(address) : null;
      return port === null ? null : { port, source: 'Gunicorn binds' };
    }

    const fromEnvironment = runtimeEnvironment(model).find((entry) => entry.name === 'PORT');
    if (fromEnvironment) {
      const port = fromEnvironment.value !== null && /^\d+$/.test(fromEnvironment.value) ? Number(fromEnvironment.value) : null;
      return port === null ? null : { port, source: 'Gunicorn binds (from `PORT`)' };
    }
    return { port: GUNICORN_DEFAULT_PORT, source: 'Gunicorn binds by default' };
  }

  const exposed = (model.docker.main?.target?.expose ?? []).filter((entry) => entry.port !== null);
  if (exposed.length !== 1) return null;
  return { port: exposed[0].port!, source: '`EXPOSE` declares' };
}

/** Returns the port of a `host:port` or `[v6]:port` address, or null for sockets and addresses without one. */
export function portOf(address: string): number | null {
  const trimmed = address.trim().replace(/^tcp:\/\//, '');
  if (trimmed.startsWith('unix:') || trimmed.startsWith('fd://')) return null;

  const match = /:(\d+)$/.exec(trimmed);
  return match ? Number(match[1]) : null;
}

/** Returns the container side of a compose port entry: `"8080:8000"`, `"8000"`, `"127.0.0.1:8080:8000/tcp"` or `{ target: 8000 }`. */
export function containerSide(entry: unknown): number | null {
  if (isRecord(entry)) return typeof entry.target === 'number' ? entry.target : null;
  if (typeof entry === 'number') return entry;
  if (typeof entry !== 'string') return null;

  const withoutProtocol = entry.replace(/\/(tcp|udp|sctp)$/, '');
  const last = withoutProtocol.split(':').pop() ?? '';
  return /^\d+$/.test(last) ? Number(last) : null;
}

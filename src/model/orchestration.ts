import type { Location } from '../source';
import type { SystemModel, YamlDocument } from './types';

type YamlPath = Array<string | number>;

/** A compose service, with the path of its mapping in the document. */
export interface ComposeService {
  name: string;
  document: YamlDocument;
  path: YamlPath;
  data: Record<string, unknown>;
}

/** A container of a Kubernetes workload or pod, with the path of its mapping in the document. */
export interface KubernetesContainer {
  name: string;
  document: YamlDocument;
  path: YamlPath;
  data: Record<string, unknown>;
  /** The pod spec the container belongs to, for its `securityContext`. */
  podSpec: Record<string, unknown>;
  podSpecPath: YamlPath;
}

/** An HTTP probe an orchestrator sends, with the place it is declared. */
export interface DeclaredProbe {
  origin: 'compose' | 'kubernetes';
  /** The URL path, null when the probe gives none (a TCP or exec probe). */
  path: string | null;
  port: number | null;
  /** The span of the path, or of the whole probe when it has no path. */
  location: Location;
  /** The span of the port. */
  portLocation: Location;
  /** The declaring service or container, for messages: `compose service \`web\`` or `livenessProbe of container api of Deployment orders`. */
  owner: string;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function composeServices(model: SystemModel): ComposeService[] {
  const services: ComposeService[] = [];
  for (const document of model.yaml.documents) {
    if (document.role !== 'compose' || !isRecord(document.data) || !isRecord(document.data.services)) continue;
    for (const [name, data] of Object.entries(document.data.services)) {
      if (isRecord(data)) services.push({ name, document, path: ['services', name], data });
    }
  }
  return services;
}

const POD_SPEC_PATHS: Record<string, YamlPath> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export function kubernetesContainers(model: SystemModel): KubernetesContainer[] {
  const containers: KubernetesContainer[] = [];
  for (const document of model.yaml.documents) {
    if (document.role !== 'kubernetes' || !isRecord(document.data)) continue;

    const kind = String(document.data.kind);
    const podSpecPath = POD_SPEC_PATHS[kind];
    const podSpec = podSpecPath ? valueAt(document.data, podSpecPath) : undefined;
    if (!podSpecPath || !isRecord(podSpec) || !Array.isArray(podSpec.containers)) continue;

    podSpec.containers.forEach((container, index) => {
      if (!isRecord(container)) return;
      const workload = isRecord(document.data) && isRecord(document.data.metadata) ? String(document.data.metadata.name ?? kind) : kind;
      containers.push({
        name: `${String(container.name ?? index)} of ${kind} ${workload}`,
        document,
        path: [...podSpecPath, 'containers', index],
        data: container,
        podSpec,
        podSpecPath,
      });
    });
  }
  return containers;
}

export function valueAt(data: unknown, path: YamlPath): unknown {
  let current = data;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[key];
    } else {
      if (!isRecord(current)) return undefined;
      current = current[key];
    }
  }
  return current;
}

/** Returns the location of the entry at a path: its value, or its key when the value has no location of its own. */
export function locationAt(document: YamlDocument, path: YamlPath): Location {
  const entry = document.entries.find((candidate) => samePath(candidate.path, path));
  if (entry) return entry.valueLocation;

  // Fall back to the nearest enclosing entry, then to the start of the file.
  for (let length = path.length - 1; length > 0; length--) {
    const parent = document.entries.find((candidate) => samePath(candidate.path, path.slice(0, length)));
    if (parent) return parent.keyLocation ?? parent.valueLocation;
  }
  return { file: document.file, start: 0, end: 0 };
}

function samePath(a: YamlPath, b: YamlPath): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index]);
}

const URL_IN_TEXT = /https?:\/\/[^/\s'"\\]+?(?::(\d+))?(\/[^\s'"?#)\\]*)?(?=[\s'"?#)\\]|$)/;

/** Lists the HTTP probes declared in compose healthchecks and Kubernetes liveness, readiness and startup probes. */
export function declaredProbes(model: SystemModel): DeclaredProbe[] {
  const probes: DeclaredProbe[] = [];

  for (const service of composeServices(model)) {
    const test = isRecord(service.data.healthcheck) ? service.data.healthcheck.test : undefined;
    let text = '';
    if (Array.isArray(test)) text = test.map(String).join(' ');
    else if (typeof test === 'string') text = test;
    const match = URL_IN_TEXT.exec(text);
    if (!match) continue;
    probes.push({
      origin: 'compose',
      path: match[2] ?? '/',
      port: match[1] ? Number(match[1]) : null,
      location: locationAt(service.document, [...service.path, 'healthcheck', 'test']),
      portLocation: locationAt(service.document, [...service.path, 'healthcheck', 'test']),
      owner: `compose service \`${service.name}\``,
    });
  }

  for (const container of kubernetesContainers(model)) {
    for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const probe = container.data[kind];
      const httpGet = isRecord(probe) && isRecord(probe.httpGet) ? probe.httpGet : null;
      if (!httpGet) continue;
      const pathValue = typeof httpGet.path === 'string' ? httpGet.path : '/';
      probes.push({
        origin: 'kubernetes',
        path: pathValue,
        port: typeof httpGet.port === 'number' ? httpGet.port : null,
        location: locationAt(container.document, [...container.path, kind, 'httpGet', typeof httpGet.path === 'string' ? 'path' : 'port']),
        portLocation: locationAt(container.document, [...container.path, kind, 'httpGet', 'port']),
        owner: `${kind} of container ${container.name}`,
      });
    }
  }
  return probes;
}

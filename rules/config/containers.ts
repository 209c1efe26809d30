import { composeServices, isRecord, kubernetesContainers, locationAt } from '../../src/model/orchestration';
import type { SystemModel } from '../../src/model/types';
import type { Location } from '../../src/source';

/** A security setting of one container as compose or Kubernetes writes it, with where it is written. */
export interface ContainerSetting {
  /** The container's name in messages: compose service `web`, Kubernetes container `api of Deployment web`. */
  owner: string;
  value: unknown;
  location: Location;
}

const DEVELOPMENT_COMPOSE_WORD = /^(dev|devel|develop|development|local|test|tests|testing|ci|debug|override)$/;

/**
 * True for compose files that only run on a developer machine or in tests:
 * `docker-compose.override.yml`, `compose.dev.yaml`, `docker-compose-local.yml`.
 */
export function isDevelopmentCompose(relPath: string): boolean {
  const name = relPath.toLowerCase().split('/').pop()!.replace(/\.ya?ml$/, '');
  return name.split(/[-_.]+/).some((word) => DEVELOPMENT_COMPOSE_WORD.test(word));
}

/** Returns each production compose service's value for `key`, where the service sets it. */
export function composeSettings(model: SystemModel, key: string): ContainerSetting[] {
  return composeServices(model)
    .filter((service) => !isDevelopmentCompose(service.document.file.relPath) && key in service.data)
    .map((service) => ({
      owner: `compose service \`${service.name}\``,
      value: service.data[key],
      location: locationAt(service.document, [...service.path, key]),
    }));
}

/**
 * Returns each Kubernetes container's effective `securityContext` value for `key`: the
 * container's own, else the pod's when `podLevel` is set (Kubernetes lets the container's value
 * win). Containers that set it nowhere are left out.
 */
export function kubernetesSecuritySettings(model: SystemModel, key: string, podLevel: boolean): ContainerSetting[] {
  const settings: ContainerSetting[] = [];
  for (const container of kubernetesContainers(model)) {
    const own = securityContext(container.data);
    const pod = podLevel ? securityContext(container.podSpec) : {};
    const where: Array<string | number> | null = key in own ? [...container.path, 'securityContext', key] : key in pod ? [...container.podSpecPath, 'securityContext', key] : null;
    if (!where) continue;

    settings.push({ owner: `Kubernetes container \`${container.name}\``, value: key in own ? own[key] : pod[key], location: locationAt(container.document, where) });
  }
  return settings;
}

function securityContext(data: Record<string, unknown>): Record<string, unknown> {
  return isRecord(data.securityContext) ? data.securityContext : {};
}

/** True when a compose `user` value names root: `root`, `0`, `root:root`, `0:0`. */
export function isRootUser(value: unknown): boolean {
  if (typeof value === 'number') return value === 0;
  if (typeof value !== 'string') return false;
  const user = value.trim().split(':')[0];
  return user === 'root' || user === '0';
}

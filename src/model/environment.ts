import type { Location } from '../source';
import type { SystemModel } from './types';

/** An environment variable the container runs with, from the Dockerfile or a compose service. */
export interface EnvironmentSetting {
  name: string;
  /** The value, null when it cannot be resolved (a `${VAR}` with no default). */
  value: string | null;
  location: Location;
  /** Where the value is written: the scalar of a compose mapping entry, or the whole `NAME=value` item of a compose list. */
  valueLocation: Location;
  origin: 'dockerfile' | 'compose';
}

/** Lists the environment variables of the target image and of every compose service. */
export function runtimeEnvironment(model: SystemModel): EnvironmentSetting[] {
  const settings: EnvironmentSetting[] = [];
  const target = model.docker.main?.target;

  for (const env of target?.env.values() ?? []) {
    if (env.keyword !== 'ENV') continue;
    settings.push({ name: env.name, value: env.value, location: env.location, valueLocation: env.location, origin: 'dockerfile' });
  }

  for (const document of model.yaml.documents) {
    if (document.role !== 'compose') continue;
    for (const entry of document.entries) {
      const at = entry.path.indexOf('environment');
      if (at !== 2 || entry.path[0] !== 'services' || entry.path.length !== 4) continue;

      const key = entry.path[3];
      if (typeof key === 'string') {
        const value = entry.value === null || entry.value === undefined ? null : String(entry.value);
        settings.push({ name: key, value, location: entry.keyLocation ?? entry.valueLocation, valueLocation: entry.valueLocation, origin: 'compose' });
      } else if (typeof entry.value === 'string') {
        const equals = entry.value.indexOf('=');
        const name = equals < 0 ? entry.value : entry.value.slice(0, equals);
        const value = equals < 0 ? null : entry.value.slice(equals + 1);
        settings.push({ name, value, location: entry.valueLocation, valueLocation: entry.valueLocation, origin: 'compose' });
      }
    }
  }
  return settings;
}

import { runtimeEnvironment } from '../../src/model/environment';
import type { GunicornSetting, PyValue, SystemModel } from '../../src/model/types';
import { lineLocation, type Location } from '../../src/source';

/**
 * Returns where a finding about an unwritten setting goes. That is the first line of the config
 * file, else the command that starts Gunicorn, and null when neither exists.
 */
export function missingSettingLocation(model: SystemModel): Location | null {
  const { configFile, invocation } = model.gunicorn;
  if (configFile) return lineLocation(configFile, 1);
  return invocation?.location ?? null;
}

/** Returns the setting when the system writes it (config file, GUNICORN_CMD_ARGS or a flag), else null. */
export function writtenSetting(model: SystemModel, name: string): GunicornSetting | null {
  const setting = model.gunicorn.settings.get(name);
  return setting && setting.source !== 'default' ? setting : null;
}

/**
 * Resolves an environment lookup to the value the container runs with: the Dockerfile's ENV or a
 * compose service's `environment`, else the lookup's fallback. Other values are returned as they are.
 */
export function resolveEnv(value: PyValue, model: SystemModel): PyValue {
  if (value.kind === 'list') return { kind: 'list', items: value.items.map((item) => resolveEnv(item, model)) };
  if (value.kind !== 'env') return value;

  const set = value.name ? runtimeEnvironment(model).find((entry) => entry.name === value.name) : undefined;
  if (set) return set.value === null ? { kind: 'unknown', text: `$${value.name}` } : { kind: 'literal', value: set.value };
  return value.fallback ? resolveEnv(value.fallback, model) : { kind: 'literal', value: null };
}

/** True when the container environment sets the variable, in the Dockerfile or a compose service. */
export function environmentSets(model: SystemModel, name: string): boolean {
  return runtimeEnvironment(model).some((entry) => entry.name === name);
}

/** Reads a number from a literal number or a string of digits, as Gunicorn's integer settings accept. */
export function numberOf(value: PyValue): number | null {
  if (value.kind !== 'literal') return null;
  if (typeof value.value === 'number') return value.value;
  if (typeof value.value === 'string' && /^\s*-?\d+\s*$/.test(value.value)) return Number(value.value);
  return null;
}

/** Returns the text of a literal string, and null for anything else. */
export function stringOf(value: PyValue): string | null {
  return value.kind === 'literal' && typeof value.value === 'string' ? value.value : null;
}

/** True when Gunicorn runs in a container: the system has a Dockerfile or a compose file. */
export function runsInContainer(model: SystemModel): boolean {
  return model.files.some((file) => file.kind === 'dockerfile' || file.kind === 'compose');
}

import type { YamlDocument, YamlEntry } from '../../src/model/types';

/** A whole-value environment reference as configuration loaders expand it: `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`. */
const ENV_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=?+])(.*))?\}$/s;

export interface EnvReference {
  variable: string;
  /** The literal used when the variable is unset, or null when there is none (`${VAR}`, `${VAR:?message}`). */
  fallback: string | null;
}

/** Reads `${VAR}` and its fallback forms; null when the value is not one reference. */
export function parseEnvReference(value: string): EnvReference | null {
  const match = ENV_REFERENCE.exec(value.trim());
  if (!match) return null;

  const [, variable, operator, rest] = match;
  const fallback = operator === '-' || operator === ':-' || operator === '=' || operator === ':=' ? rest : null;
  return { variable, fallback };
}

/** Returns the configuration documents of the system: YAML files under `config/` or named like `*config*.yaml`. */
export function configDocuments(documents: YamlDocument[]): YamlDocument[] {
  return documents.filter((document) => document.role === 'config');
}

/** Returns the dotted path of an entry as a reader writes it: `database.password`, `servers[0].token`. */
export function entryPath(entry: YamlEntry): string {
  let text = '';
  for (const part of entry.path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text ? `.${part}` : part;
  }
  return text;
}

/** Returns the name of the entry's key, or null for sequence items. */
export function entryKey(entry: YamlEntry): string | null {
  const last = entry.path[entry.path.length - 1];
  return typeof last === 'string' ? last : null;
}

/** Returns the entry's value as written in the file, such as `"1"` or `yes`. */
export function writtenValue(entry: YamlEntry): string {
  const { file, start, end } = entry.valueLocation;
  return file.text.slice(start, end);
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { decodeBytes } from './decode';
import type { YamlEntry } from './model/types';
import { loadYamlFile } from './parsers/yaml';
import type { Severity } from './rule';
import { createSourceFile, positionAt, type SourceFile } from './source';

/** The names the configuration file may have, looked up in this order in each folder. */
export const CONFIG_FILE_NAMES = ['.prodcheck.yaml', '.prodcheck.yml'];

const SEVERITIES = ['error', 'warning', 'info'] as const;
const RULE_SETTINGS = [...SEVERITIES, 'off'] as const;
const TOP_LEVEL_KEYS = ['fail-on', 'target-stage', 'rules', 'include', 'exclude', 'per-file-ignores'] as const;
const RULE_OBJECT_KEYS = ['severity', 'options'] as const;

export type RuleSetting = Severity | 'off';

/** A configuration file, read and checked. Patterns are gitignore patterns relative to the file's folder. */
export interface ProdcheckConfig {
  /** The file it was read from, null for the defaults. */
  file: string | null;
  failOn: Severity | null;
  targetStage: string | null;
  severities: Map<string, RuleSetting>;
  ruleOptions: Map<string, Record<string, unknown>>;
  include: string[];
  exclude: string[];
  perFileIgnores: Array<{ pattern: string; rules: string[] | 'all' }>;
}

/** A mistake in the configuration file, with where it is and what is allowed instead. */
export interface ConfigError {
  file: string;
  line: number;
  column: number;
  message: string;
}

export function defaultConfig(): ProdcheckConfig {
  return { file: null, failOn: null, targetStage: null, severities: new Map(), ruleOptions: new Map(), include: [], exclude: [], perFileIgnores: [] };
}

/** Finds the configuration file for a folder: in the folder itself, else in the nearest folder above it. */
export function findConfigFile(folder: string): string | null {
  for (let current = path.resolve(folder); ; current = path.dirname(current)) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(current, name);
      if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    }
    if (path.dirname(current) === current) return null;
  }
}

/** Reads and checks a configuration file. Unknown keys and invalid values are errors naming the key, the line and the allowed values. */
export function loadConfigFile(file: string, ruleIds: readonly string[]): { config: ProdcheckConfig; errors: ConfigError[] } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const reason = (error as { code?: string }).code === 'ENOENT' ? 'no such file' : String((error as Error).message);
    return { config: defaultConfig(), errors: [{ file, line: 1, column: 1, message: `The configuration file cannot be read: ${reason}.` }] };
  }

  const decoded = decodeBytes(bytes);
  if (!decoded.ok) return { config: defaultConfig(), errors: [{ file, line: 1, column: 1, message: `The configuration file ${decoded.reason}.` }] };
  return parseConfig(createSourceFile(file, 'yaml', decoded.value.text), ruleIds);
}

/** Checks configuration text; exported for tests. */
export function parseConfig(source: SourceFile, ruleIds: readonly string[]): { config: ProdcheckConfig; errors: ConfigError[] } {
  const config = defaultConfig();
  config.file = source.relPath;
  const errors: ConfigError[] = [];
  const loaded = loadYamlFile(source);

  for (const problem of loaded.problems) {
    const position = positionAt(source, problem.location.start);
    errors.push({ file: source.relPath, line: position.line, column: position.column, message: problem.message });
  }
  if (errors.length > 0 || loaded.documents.length === 0) return { config, errors };
  if (loaded.documents.length > 1) errors.push(errorAt(source, null, 'The configuration file holds more than one YAML document; keep one.'));

  const document = loaded.documents[0];
  const entryAt = (keyPath: Array<string | number>): YamlEntry | null =>
    document.entries.find((entry) => entry.path.length === keyPath.length && entry.path.every((part, index) => part === keyPath[index])) ?? null;
  const fail = (keyPath: Array<string | number>, message: string, at: 'key' | 'value' = 'value') => {
    const entry = entryAt(keyPath);
    errors.push(errorAt(source, entry ? (at === 'key' ? (entry.keyLocation?.start ?? entry.valueLocation.start) : entry.valueLocation.start) : null, message));
  };

  const data = document.data;
  if (data === null || data === undefined) return { config, errors };
  if (!isRecord(data)) {
    errors.push(errorAt(source, null, 'The configuration file must be a mapping of settings, such as `fail-on: warning`.'));
    return { config, errors };
  }

  for (const [key, value] of Object.entries(data)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
      fail([key], `Unknown setting \`${key}\`${suggest(key, TOP_LEVEL_KEYS)}; the settings are ${list(TOP_LEVEL_KEYS)}.`, 'key');
      continue;
    }

    switch (key) {
      case 'fail-on':
        if (typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value)) config.failOn = value as Severity;
        else fail([key], `Invalid \`fail-on\` value ${show(value)}; use one of ${list(SEVERITIES)}.`);
        break;
      case 'target-stage':
        if (typeof value === 'string' && value.trim() !== '') config.targetStage = value.trim();
        else fail([key], `Invalid \`target-stage\` value ${show(value)}; give the name of a Dockerfile stage, as in \`FROM python:3.12-slim AS production\`.`);
        break;
      case 'include':
      case 'exclude': {
        const patterns = stringList(value);
        if (patterns) config[key].push(...patterns);
        else fail([key], `Invalid \`${key}\` value ${show(value)}; give a list of gitignore patterns, such as \`["legacy/", "*.bak.py"]\`.`);
        break;
      }
      case 'rules':
        readRules(value, ruleIds, config, fail);
        break;
      case 'per-file-ignores':
        readPerFileIgnores(value, ruleIds, config, fail);
        break;
    }
  }
  return { config, errors };
}

type Fail = (keyPath: Array<string | number>, message: string, at?: 'key' | 'value') => void;

function readRules(value: unknown, ruleIds: readonly string[], config: ProdcheckConfig, fail: Fail): void {
  if (!isRecord(value)) {
    fail(['rules'], 'Invalid `rules` value; give a mapping of rule ids to a severity (`error`, `warning`, `info`, `off`) or to `{ severity, options }`.');
    return;
  }

  for (const [id, setting] of Object.entries(value)) {
    if (!ruleIds.includes(id)) {
      fail(['rules', id], `Unknown rule \`${id}\`${suggest(id, ruleIds)}; \`prodcheck rules\` lists the rule ids.`, 'key');
      continue;
    }
    if (typeof setting === 'string') {
      if ((RULE_SETTINGS as readonly string[]).includes(setting)) config.severities.set(id, setting as RuleSetting);
      else fail(['rules', id], `Invalid setting ${show(setting)} for rule \`${id}\`; use one of ${list(RULE_SETTINGS)}.`);
      continue;
    }
    if (!isRecord(setting)) {
      fail(['rules', id], `Invalid setting ${show(setting)} for rule \`${id}\`; use one of ${list(RULE_SETTINGS)}, or \`{ severity, options }\`.`);
      continue;
    }

    for (const [key, item] of Object.entries(setting)) {
      if (!(RULE_OBJECT_KEYS as readonly string[]).includes(key)) {
        fail(['rules', id, key], `Unknown key \`${key}\` for rule \`${id}\`; use ${list(RULE_OBJECT_KEYS)}.`, 'key');
      } else if (key === 'severity') {
        if (typeof item === 'string' && (RULE_SETTINGS as readonly string[]).includes(item)) config.severities.set(id, item as RuleSetting);
        else fail(['rules', id, key], `Invalid severity ${show(item)} for rule \`${id}\`; use one of ${list(RULE_SETTINGS)}.`);
      } else if (isRecord(item)) {
        config.ruleOptions.set(id, { ...item });
      } else {
        fail(['rules', id, key], `Invalid options for rule \`${id}\`; give a mapping, as the rule's page describes.`);
      }
    }
  }
}

function readPerFileIgnores(value: unknown, ruleIds: readonly string[], config: ProdcheckConfig, fail: Fail): void {
  if (!isRecord(value)) {
    fail(['per-file-ignores'], 'Invalid `per-file-ignores` value; give a mapping of gitignore patterns to lists of rule ids, or to `all`.');
    return;
  }

  for (const [pattern, rules] of Object.entries(value)) {
    if (rules === 'all') {
      config.perFileIgnores.push({ pattern, rules: 'all' });
      continue;
    }
    const ids = stringList(rules);
    if (!ids) {
      fail(['per-file-ignores', pattern], `Invalid rule list for \`${pattern}\`; give a list of rule ids, or \`all\`.`);
      continue;
    }
    const unknown = ids.filter((id) => !ruleIds.includes(id));
    if (unknown.length > 0) {
      fail(['per-file-ignores', pattern], `Unknown rule \`${unknown[0]}\`${suggest(unknown[0], ruleIds)} in \`per-file-ignores\`; \`prodcheck rules\` lists the rule ids.`);
      continue;
    }
    config.perFileIgnores.push({ pattern, rules: ids });
  }
}

/** Decides which files and findings a configuration keeps. Paths are relative to the configuration file's folder. */
export class ConfigFilter {
  private readonly included: Ignore | null;
  private readonly excluded: Ignore;
  private readonly ignores: Array<{ matcher: Ignore; rules: string[] | 'all' }>;

  constructor(config: ProdcheckConfig) {
    this.included = config.include.length > 0 ? ignore().add(config.include) : null;
    this.excluded = ignore().add(config.exclude);
    this.ignores = config.perFileIgnores.map((entry) => ({ matcher: ignore().add(entry.pattern), rules: entry.rules }));
  }

  /** True when the file is checked: it matches an `include` pattern (when there are any) and no `exclude` pattern. */
  includesFile(relPath: string): boolean {
    if (!isMatchable(relPath)) return true;
    if (this.excluded.ignores(relPath)) return false;
    return this.included === null || this.included.ignores(relPath);
  }

  /** True when `per-file-ignores` silences the rule for the file. */
  ignoresFinding(relPath: string, ruleId: string): boolean {
    if (!isMatchable(relPath)) return false;
    return this.ignores.some((entry) => (entry.rules === 'all' || entry.rules.includes(ruleId)) && entry.matcher.ignores(relPath));
  }
}

/** The `ignore` package only matches relative paths without `..`. */
function isMatchable(relPath: string): boolean {
  return relPath !== '' && !relPath.startsWith('/') && !relPath.split('/').includes('..');
}

function errorAt(source: SourceFile, offset: number | null, message: string): ConfigError {
  const position = offset === null ? { line: 1, column: 1 } : positionAt(source, offset);
  return { file: source.relPath, line: position.line, column: position.column, message };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function stringList(value: unknown): string[] | null {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return null;
  return value as string[];
}

function show(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}

function list(values: readonly string[]): string {
  return values.map((value) => `\`${value}\``).join(', ');
}

/** Suggests the nearest known name for a misspelt one, by edit distance. */
function suggest(name: string, known: readonly string[]): string {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(name.length / 4)) + 1;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best ? ` (did you mean \`${best}\`?)` : '';
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = saved;
    }
  }
  return previous[b.length];
}

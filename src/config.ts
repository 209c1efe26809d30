import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { decodeBytes } from './decode';
import type { YamlEntry } from './model/types';
import { loadYamlFile } from './parsers/yaml';
import type { Rule, RuleOptionSchema, Severity } from './rule';
import { createSourceFile, positionAt, type SourceFile } from './source';

/** The names the configuration file may have, looked up in this order in each folder. */
export const CONFIG_FILE_NAMES = ['.prodcheck.yaml', '.prodcheck.yml'];

const SEVERITIES = ['error', 'warning', 'info'] as const;
const RULE_SETTINGS = [...SEVERITIES, 'off'] as const;
const TOP_LEVEL_KEYS = ['fail-on', 'target-stage', 'require-reason', 'rules', 'include', 'exclude', 'per-file-ignores'] as const;
const RULE_OBJECT_KEYS = ['severity', 'options'] as const;

export type RuleSetting = Severity | 'off';

/** A configuration file, read and checked. Patterns are gitignore patterns relative to the file's folder. */
export interface ProdcheckConfig {
  /** The file it was read from, null for the defaults. */
  file: string | null;
  failOn: Severity | null;
  targetStage: string | null;
  /** The position of the `target-stage` value, for messages about it, or null when it is not set. */
  targetStageAt: { line: number; column: number } | null;
  /** Whether a suppression comment must give a reason after `--`; null when the file does not set it. */
  requireReason: boolean | null;
  severities: Map<string, RuleSetting>;
  ruleOptions: Map<string, Record<string, unknown>>;
  include: string[];
  exclude: string[];
  perFileIgnores: PerFileIgnore[];
}

/** A `per-file-ignores` entry: a gitignore pattern and the rules it turns off for matching files. */
export interface PerFileIgnore {
  pattern: string;
  rules: string[] | 'all';
}

/** A mistake in the configuration file, with where it is and what is allowed instead. */
export interface ConfigError {
  file: string;
  line: number;
  column: number;
  message: string;
}

/**
 * The parts of a configuration that change which files are read and what is reported for them,
 * as plain data: checks on worker threads receive it, and the cache key hashes it.
 */
export interface ConfigSettings {
  /** Absolute folder that `include`, `exclude` and `per-file-ignores` patterns are relative to. */
  patternRoot: string;
  severities: Record<string, RuleSetting>;
  ruleOptions: Record<string, Record<string, unknown>>;
  include: string[];
  exclude: string[];
  perFileIgnores: PerFileIgnore[];
  requireReason: boolean;
}

export function defaultConfig(): ProdcheckConfig {
  return {
    file: null,
    failOn: null,
    targetStage: null,
    targetStageAt: null,
    requireReason: null,
    severities: new Map(),
    ruleOptions: new Map(),
    include: [],
    exclude: [],
    perFileIgnores: [],
  };
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
export function loadConfigFile(file: string, rules: readonly Rule[]): { config: ProdcheckConfig; errors: ConfigError[] } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : String((error as Error).message);
    return { config: defaultConfig(), errors: [{ file, line: 1, column: 1, message: `The configuration file cannot be read: ${reason}.` }] };
  }

  const decoded = decodeBytes(bytes);
  if (!decoded.ok) return { config: defaultConfig(), errors: [{ file, line: 1, column: 1, message: `The configuration file ${decoded.reason}.` }] };
  return parseConfig(createSourceFile(file, 'yaml', decoded.value.text), rules);
}

type Fail = (keyPath: Array<string | number>, message: string, at?: 'key' | 'value') => void;

/** Checks configuration text; exported for tests. */
export function parseConfig(source: SourceFile, rules: readonly Rule[]): { config: ProdcheckConfig; errors: ConfigError[] } {
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
  const fail: Fail = (keyPath, message, at = 'value') => {
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
        if (typeof value === 'string' && value.trim() !== '') {
          config.targetStage = value.trim();
          const entry = entryAt([key]);
          config.targetStageAt = entry ? positionAt(source, entry.valueLocation.start) : { line: 1, column: 1 };
        }
        else fail([key], `Invalid \`target-stage\` value ${show(value)}; give the name of a Dockerfile stage, as in \`FROM python:3.12-slim AS production\`.`);
        break;
      case 'require-reason':
        if (typeof value === 'boolean') config.requireReason = value;
        else fail([key], `Invalid \`require-reason\` value ${show(value)}. Use \`true\` or \`false\`.`);
        break;
      case 'include':
      case 'exclude':
        readPatterns(key, value, config, fail);
        break;
      case 'rules':
        readRules(value, rules, config, fail);
        break;
      case 'per-file-ignores':
        readPerFileIgnores(value, rules, config, fail);
        break;
    }
  }
  return { config, errors };
}

function readPatterns(key: 'include' | 'exclude', value: unknown, config: ProdcheckConfig, fail: Fail): void {
  const patterns = stringList(value);
  if (!patterns) {
    fail([key], `Invalid \`${key}\` value ${show(value)}; give a list of gitignore patterns, such as \`["legacy/", "*.bak.py"]\`.`);
    return;
  }

  patterns.forEach((pattern, index) => {
    const problem = patternProblem(pattern);
    if (problem) fail(typeof value === 'string' ? [key] : [key, index], `Invalid pattern ${show(pattern)} in \`${key}\`: ${problem}`);
    else config[key].push(pattern);
  });
}

function readRules(value: unknown, rules: readonly Rule[], config: ProdcheckConfig, fail: Fail): void {
  if (!isRecord(value)) {
    fail(['rules'], 'Invalid `rules` value; give a mapping of rule ids to a severity (`error`, `warning`, `info`, `off`) or to `{ severity, options }`.');
    return;
  }

  const ruleIds = rules.map((rule) => rule.meta.id);
  for (const [id, setting] of Object.entries(value)) {
    const rule = rules.find((candidate) => candidate.meta.id === id);
    if (!rule) {
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
      } else {
        readRuleOptions(rule, item, config, fail);
      }
    }
  }
}

/** Checks a rule's `options` against the option schemas the rule declares, and keeps them when they all match. */
function readRuleOptions(rule: Rule, value: unknown, config: ProdcheckConfig, fail: Fail): void {
  const id = rule.meta.id;
  const schemas = rule.meta.optionsSchema ?? {};
  const names = Object.keys(schemas);
  const keyPath = ['rules', id, 'options'];
  if (names.length === 0) {
    fail(keyPath, `Rule \`${id}\` has no options. Remove \`options\`, or set only \`severity\`.`, 'key');
    return;
  }
  if (!isRecord(value)) {
    fail(keyPath, `Invalid \`options\` value ${show(value)} for rule \`${id}\`. Give a mapping of option names to values; the options are ${list(names)}.`);
    return;
  }

  let valid = true;
  for (const [name, item] of Object.entries(value)) {
    const schema = schemas[name];
    if (!schema) {
      fail([...keyPath, name], `Unknown option \`${name}\`${suggest(name, names)} for rule \`${id}\`. Its options are ${list(names)}.`, 'key');
      valid = false;
      continue;
    }

    for (const problem of schemaProblems(schema, item, [...keyPath, name])) {
      const option = problem.keyPath.slice(keyPath.length).join('.');
      fail(problem.keyPath, `Invalid value ${showOptionValue(problem.value)} for option \`${option}\` of rule \`${id}\`: ${problem.message}`, problem.at);
      valid = false;
    }
  }
  if (valid) config.ruleOptions.set(id, { ...value });
}

interface SchemaProblem {
  keyPath: Array<string | number>;
  value: unknown;
  message: string;
  at: 'key' | 'value';
}

/** Returns how a value fails a rule option's schema, one problem per wrong value; empty when it matches. */
export function schemaProblems(schema: RuleOptionSchema, value: unknown, keyPath: Array<string | number> = []): SchemaProblem[] {
  const problem = (message: string, at: 'key' | 'value' = 'value', where = keyPath, shown: unknown = value): SchemaProblem[] => [{ keyPath: where, value: shown, message, at }];

  switch (schema.type) {
    case 'boolean':
      return typeof value === 'boolean' ? [] : problem('it must be `true` or `false`.');
    case 'integer':
    case 'number': {
      const fits =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (schema.type === 'number' || Number.isInteger(value)) &&
        (schema.minimum === undefined || value >= schema.minimum) &&
        (schema.maximum === undefined || value <= schema.maximum);
      if (fits) return [];
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return problem(`it must be ${describeNumber(schema)}, not a string; write it without quotes.`);
      return problem(`it must be ${describeNumber(schema)}.`);
    }
    case 'string':
      if (typeof value === 'number' || typeof value === 'boolean') return problem(`it must be a string, and YAML reads an unquoted \`${String(value)}\` as a ${typeof value}; put the value in quotes.`);
      if (typeof value !== 'string') return problem('it must be a string.');
      if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return problem(`it must match \`${schema.pattern}\`${schema.description ? ` (${schema.description.replace(/\.$/, '')})` : ''}.`);
      return [];
    case 'object': {
      if (!isRecord(value)) return problem('it must be a mapping.');

      const problems: SchemaProblem[] = [];
      for (const [key, item] of Object.entries(value)) {
        const keyPattern = schema.propertyNames?.pattern;
        if (keyPattern !== undefined && !new RegExp(keyPattern, 'u').test(key)) {
          problems.push(...problem(`the key must match \`${keyPattern}\`.`, 'key', [...keyPath, key], key));
          continue;
        }
        if (schema.additionalProperties) problems.push(...schemaProblems(schema.additionalProperties, item, [...keyPath, key]));
      }
      return problems;
    }
  }
}

function describeNumber(schema: RuleOptionSchema): string {
  const kind = schema.type === 'integer' ? 'a whole number' : 'a number';
  if (schema.minimum !== undefined && schema.maximum !== undefined) return `${kind} from ${schema.minimum} to ${schema.maximum}`;
  if (schema.minimum !== undefined) return `${kind} of ${schema.minimum} or more`;
  if (schema.maximum !== undefined) return `${kind} of ${schema.maximum} or less`;
  return kind;
}

function readPerFileIgnores(value: unknown, rules: readonly Rule[], config: ProdcheckConfig, fail: Fail): void {
  if (!isRecord(value)) {
    fail(['per-file-ignores'], 'Invalid `per-file-ignores` value; give a mapping of gitignore patterns to lists of rule ids, or to `all`.');
    return;
  }

  const ruleIds = rules.map((rule) => rule.meta.id);
  for (const [pattern, setting] of Object.entries(value)) {
    const problem = patternProblem(pattern);
    if (problem) {
      fail(['per-file-ignores', pattern], `Invalid pattern ${show(pattern)} in \`per-file-ignores\`: ${problem}`, 'key');
      continue;
    }
    if (setting === 'all') {
      config.perFileIgnores.push({ pattern, rules: 'all' });
      continue;
    }

    const ids = stringList(setting);
    if (!ids || ids.length === 0) {
      fail(['per-file-ignores', pattern], `Invalid rule list for \`${pattern}\`; give a list of rule ids, or \`all\`.`);
      continue;
    }
    const unknown = ids.findIndex((id) => !ruleIds.includes(id));
    if (unknown >= 0) {
      const where = typeof setting === 'string' ? ['per-file-ignores', pattern] : ['per-file-ignores', pattern, unknown];
      fail(where, `Unknown rule \`${ids[unknown]}\`${suggest(ids[unknown], ruleIds)} in \`per-file-ignores\`; \`prodcheck rules\` lists the rule ids.`);
      continue;
    }
    config.perFileIgnores.push({ pattern, rules: ids });
  }
}

/**
 * Returns why a gitignore pattern cannot work, or null when it can. The `ignore` package accepts
 * any text and quietly matches nothing for these, so a typo would silently check or skip files.
 */
export function patternProblem(pattern: string): string | null {
  const body = pattern.startsWith('!') ? pattern.slice(1) : pattern;
  if (body.trim() === '') return 'the pattern is empty.';
  if (body.startsWith('#')) return 'gitignore reads a pattern that starts with `#` as a comment. Write `\\#` for a literal `#`.';
  if (/(^|\/)\.\.(\/|$)/.test(body)) return 'a pattern cannot lead out of the folder of the configuration file with `..`.';
  if (/(^|[^\\])(\\\\)*\\$/.test(body)) return 'the pattern ends in a lone backslash, which escapes nothing.';

  for (let index = 0; index < body.length; index++) {
    if (body[index] === '\\') {
      index++;
      continue;
    }
    if (body[index] !== '[') continue;

    const close = body.indexOf(']', index + 2);
    if (close < 0) return `the \`[\` at character ${index + 1} has no closing \`]\`.`;
    const set = body.slice(index + 1, close).replace(/^[!^]/, '');
    for (const range of set.matchAll(/(.)-(.)/gu)) {
      if (range[1] > range[2]) return `the range \`${range[0]}\` runs backwards. Write \`${range[2]}-${range[1]}\`.`;
    }
    index = close;
  }
  return null;
}

/** Decides which files and findings a configuration keeps. Paths are relative to the pattern root, the configuration file's folder. */
export class ConfigFilter {
  private readonly included: Ignore | null;
  private readonly excluded: Ignore;
  private readonly ignores: Array<{ matcher: Ignore; rules: string[] | 'all' }>;

  constructor(
    config: Pick<ProdcheckConfig, 'include' | 'exclude' | 'perFileIgnores'>,
    /** The absolute folder the patterns are relative to; needed only by the methods that take absolute paths. */
    readonly patternRoot: string = '',
  ) {
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

  /** True when no finding in the file is reported: `include` and `exclude` leave it out, or `per-file-ignores` silences the rule for it. */
  ignoresFinding(relPath: string, ruleId: string): boolean {
    if (!isMatchable(relPath)) return false;
    if (!this.includesFile(relPath)) return true;
    return this.ignores.some((entry) => (entry.rules === 'all' || entry.rules.includes(ruleId)) && entry.matcher.ignores(relPath));
  }

  /** Returns an absolute path relative to the pattern root with `/` separators; files outside it give a path with `..`, which no pattern matches. */
  relativePath(absolute: string): string {
    return path.relative(this.patternRoot, absolute).split(path.sep).join('/');
  }
}

/** The `ignore` package only matches relative paths without `..`. */
function isMatchable(relPath: string): boolean {
  return relPath !== '' && !relPath.startsWith('/') && !relPath.split('/').includes('..');
}

/**
 * Returns the settings a run passes to each system. Patterns are relative to the configuration
 * file's folder when the checked folder lies inside it, and to the checked folder otherwise (a
 * file named with `--config` from elsewhere).
 */
export function configSettings(config: ProdcheckConfig, checkedFolder: string, requireReason: boolean): ConfigSettings {
  const configFolder = config.file === null ? checkedFolder : path.dirname(path.resolve(config.file));
  const relative = path.relative(configFolder, checkedFolder);
  const inside = relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  return {
    patternRoot: inside ? configFolder : checkedFolder,
    severities: Object.fromEntries(config.severities),
    ruleOptions: Object.fromEntries(config.ruleOptions),
    include: config.include,
    exclude: config.exclude,
    perFileIgnores: config.perFileIgnores,
    requireReason,
  };
}

/**
 * Returns whether `include` and `exclude` keep a file of the checked folder, given relative to it.
 * A file they leave out is still read for the facts other files need (its Gunicorn settings, the
 * packages it declares), but no finding in it is reported.
 */
export function keptFiles(folder: string, settings: ConfigSettings): (relPath: string) => boolean {
  if (settings.include.length === 0 && settings.exclude.length === 0) return () => true;

  const filter = new ConfigFilter(settings, settings.patternRoot);
  return (relPath) => filter.includesFile(filter.relativePath(path.join(folder, relPath)));
}

/** Names where the configuration file sets `target-stage`, as `FILE:LINE:COLUMN` from the working folder; null when it does not. */
export function targetStageOrigin(config: ProdcheckConfig, cwd: string): string | null {
  if (config.file === null || config.targetStageAt === null) return null;
  return `${displayPath(cwd, config.file)}:${config.targetStageAt.line}:${config.targetStageAt.column}`;
}

/**
 * Finds each system's configuration: the file `--config` names for every system, else the
 * nearest `.prodcheck.yaml` at or above the system's folder, so a service's own file applies
 * whichever targets a run names. Each file is read once.
 */
export class SystemConfigurations {
  private readonly byFile = new Map<string, { settings: ConfigSettings } | { errors: string[] }>();

  constructor(
    /** The configuration found for the run, and its settings. */
    private readonly run: { file: string | null; settings: ConfigSettings },
    private readonly options: { configOption: string | undefined; cwd: string; rules: readonly Rule[]; requireReason: boolean | undefined },
  ) {}

  /** Returns the settings for the system at `root`, or the located errors of its configuration file. */
  settingsFor(root: string): { settings: ConfigSettings } | { errors: string[] } {
    if (this.options.configOption !== undefined) return { settings: this.run.settings };

    const file = findConfigFile(root);
    if (file === this.run.file) return { settings: this.run.settings };
    if (file === null) return { settings: configSettings(defaultConfig(), root, this.options.requireReason ?? false) };

    let read = this.byFile.get(file);
    if (!read) {
      const { config, errors } = loadConfigFile(file, this.options.rules);
      read =
        errors.length > 0
          ? { errors: errors.map((error) => `${displayPath(this.options.cwd, error.file)}:${error.line}:${error.column}: ${error.message}`) }
          : { settings: configSettings(config, root, this.options.requireReason ?? config.requireReason ?? false) };
      this.byFile.set(file, read);
    }
    return read;
  }
}

/**
 * Finds and reads the configuration of a run: the file named with `--config` (relative to `cwd`),
 * else the nearest `.prodcheck.yaml` at or above the checked folder. Returns the defaults when there
 * is none, and the errors as `FILE:LINE:COLUMN: message` lines, with FILE relative to `cwd`.
 */
export function loadRunConfig(folder: string, cwd: string, configOption: string | undefined, rules: readonly Rule[]): { config: ProdcheckConfig } | { errors: string[] } {
  const file = configOption === undefined ? findConfigFile(folder) : path.resolve(cwd, configOption);
  if (file === null) return { config: defaultConfig() };

  const { config, errors } = loadConfigFile(file, rules);
  if (errors.length === 0) return { config };
  return { errors: errors.map((error) => `${displayPath(cwd, error.file)}:${error.line}:${error.column}: ${error.message}`) };
}

function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  const shown = relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  return shown.split(path.sep).join('/');
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

/** Shows an option value as YAML would read it back: strings in quotes, so `"100"` and `100` differ. */
function showOptionValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  return `\`${JSON.stringify(value)}\``;
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

/**
 * Returns the folder where a run starts looking for its configuration file, which patterns also
 * fall back to. It is the target folder, or the folder of a target file. With several targets it
 * is the deepest folder that contains them all.
 */
export function configSearchFolder(absoluteTargets: readonly string[]): string {
  const folders = absoluteTargets.map((target) => {
    try {
      return fs.statSync(target).isDirectory() ? target : path.dirname(target);
    } catch {
      return path.dirname(target);
    }
  });

  let common = folders[0];
  for (const folder of folders.slice(1)) {
    while (!(folder === common || folder.startsWith(common.endsWith(path.sep) ? common : `${common}${path.sep}`))) common = path.dirname(common);
  }
  return common;
}

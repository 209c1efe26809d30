import productionPins from '../../data/production-pins.json';
import { createLogger } from '../log';
import { isDevelopmentPath } from '../model/requirements';
import type { Requirement, SystemModel } from '../model/types';
import { compareVersions, normalizeName } from '../parsers/requirements';
import type { TextEdit } from '../rule';
import type { SourceFile } from '../source';

const log = createLogger('fix:requirements');

// ---------------------------------------------------------------------------------------------
// Default versions

/** Exact versions that fixes write, by normalised distribution name. */
export interface PinTable {
  /** Returns the version to pin a distribution to, or null when the table has none. */
  version(name: string): string | null;
  /** Returns the distribution's name as its project spells it, or `name` itself when the table has no entry. */
  spelling(name: string): string;
}

interface PinEntry {
  spelling: string;
  version: string;
}

const DEFAULT_PINS = pinEntries(productionPins.pins, 'data/production-pins.json');

/**
 * Returns the default versions of `data/production-pins.json`, overridden by the rule's `pins`
 * option (a map of distribution name to version). Option entries whose value is not a valid
 * PEP 440 version are ignored.
 */
export function pinTable(options: Record<string, unknown>): PinTable {
  const configured = options.pins;
  const entries = new Map(DEFAULT_PINS);
  if (configured !== null && typeof configured === 'object' && !Array.isArray(configured)) {
    for (const [name, entry] of pinEntries(configured as Record<string, unknown>, 'the `pins` option')) {
      // The table's spelling is the project's own; the option's key only spells names the table lacks.
      entries.set(name, { spelling: entries.get(name)?.spelling ?? entry.spelling, version: entry.version });
    }
  }

  return {
    version: (name) => entries.get(normalizeName(name))?.version ?? null,
    spelling: (name) => entries.get(normalizeName(name))?.spelling ?? name,
  };
}

function pinEntries(pins: Record<string, unknown>, source: string): Map<string, PinEntry> {
  const entries = new Map<string, PinEntry>();
  for (const [name, version] of Object.entries(pins)) {
    if (typeof version !== 'string' || !isExactVersion(version)) {
      log('ignored pin %s=%o from %s: not a version', name, version, source);
      continue;
    }
    entries.set(normalizeName(name), { spelling: name, version });
  }
  return entries;
}

function isExactVersion(version: string): boolean {
  return /^\d/.test(version) && compareVersions(version, version) === 0;
}

// ---------------------------------------------------------------------------------------------
// Where a new requirement goes

export type DeclarationTarget =
  | { kind: 'file'; file: SourceFile; requirements: Requirement[] }
  | { kind: 'create'; relPath: string }
  | { kind: 'none'; reason: string };

/** The file a fix creates when the system declares no dependencies at all. */
export const NEW_REQUIREMENTS_FILE = 'requirements.txt';

/**
 * Chooses where a new production requirement goes: the top-level production requirements file,
 * or, when that file only includes others (`-r base.txt`), the first production file that
 * declares requirements. A system without requirements files and without `pyproject.toml`
 * dependencies gets a new `requirements.txt`. Nothing is offered for `pyproject.toml` or
 * `setup.py` dependencies or for development-only files. Nothing is offered in hash-checking
 * mode either (any production requirement with `--hash`, or `--require-hashes`), because pip
 * then rejects every requirement without a hash, and no hash of the new one is known.
 */
export function declarationTarget(model: SystemModel): DeclarationTarget {
  const declared = model.requirements;
  if (declared.source === 'none') {
    if (model.files.some((file) => /(^|\/)setup\.py$/.test(file.relPath))) return { kind: 'none', reason: 'dependencies are declared in setup.py' };
    return { kind: 'create', relPath: NEW_REQUIREMENTS_FILE };
  }
  if (declared.source === 'pyproject') return { kind: 'none', reason: 'dependencies are declared in pyproject.toml' };

  const files = declared.files.filter((file) => file.kind === 'requirements' && !isDevelopmentPath(file.relPath));
  if (files.length === 0) return { kind: 'none', reason: 'only development requirements files exist' };

  const production = declared.requirements.filter((requirement) => !requirement.development);
  if (production.some((requirement) => requirement.hashes.length > 0) || files.some(requiresHashes)) {
    return { kind: 'none', reason: 'the requirements are installed in hash-checking mode' };
  }

  const holders = files.filter((file) => production.some((requirement) => !requirement.constraint && requirement.location.file.relPath === file.relPath));
  const file = holders.includes(files[0]) ? files[0] : (holders[0] ?? files[0]);
  return { kind: 'file', file, requirements: requirementsOf(file, declared.requirements) };
}

/** True when a line of the file is the `--require-hashes` option. */
function requiresHashes(file: SourceFile): boolean {
  return /^[ \t]*--require-hashes\b/m.test(file.text);
}

/** Returns the requirements written in the file, once each, in file order. */
function requirementsOf(file: SourceFile, requirements: readonly Requirement[]): Requirement[] {
  const byStart = new Map<number, Requirement>();
  for (const requirement of requirements) {
    if (requirement.location.file.relPath === file.relPath && !byStart.has(requirement.location.start)) byStart.set(requirement.location.start, requirement);
  }
  return [...byStart.values()].sort((a, b) => a.location.start - b.location.start);
}

// ---------------------------------------------------------------------------------------------
// Adding a requirement

/** How the names of a requirements file are spelled, so an added line matches the others. */
export type NameStyle = 'as-published' | 'lowercase' | 'hyphens' | 'underscores';

/**
 * Reads the spelling convention of the names a file declares: as the projects publish them when
 * any name has a capital letter (`Flask`, `PyYAML`), otherwise lowercase, with `_` or `-` between
 * words when the file uses only that separator. A file without names gets PEP 503 normal names.
 */
export function nameStyle(rawNames: readonly string[]): NameStyle {
  if (rawNames.length === 0) return 'hyphens';
  if (rawNames.some((name) => /[A-Z]/.test(name))) return 'as-published';

  const underscores = rawNames.some((name) => name.includes('_'));
  const hyphens = rawNames.some((name) => name.includes('-'));
  if (underscores && !hyphens) return 'underscores';
  if (hyphens && !underscores) return 'hyphens';
  return 'lowercase';
}

/** Spells a published distribution name in a file's style. */
export function spellName(published: string, style: NameStyle): string {
  switch (style) {
    case 'as-published':
      return published;
    case 'lowercase':
      return published.toLowerCase();
    case 'hyphens':
      return normalizeName(published);
    case 'underscores':
      return normalizeName(published).replace(/-/g, '_');
  }
}

/**
 * Returns the edit that adds `name==version` on a line of its own: in alphabetical order when the
 * file's requirements are sorted, otherwise at the end of the file. `name` is the published
 * spelling and is written in the file's own style. Returns null when the last line of the file
 * continues with `\`, because the new line would join it.
 */
export function addRequirementEdit(file: SourceFile, declared: readonly Requirement[], name: string, version: string): TextEdit | null {
  const line = `${spellName(name, nameStyle(declared.map((requirement) => requirement.rawName)))}==${version}\n`;
  const normalized = normalizeName(name);

  const next = isSorted(declared) ? declared.find((requirement) => requirement.name > normalized) : undefined;
  if (next) {
    const offset = logicalLineStart(file.text, lineStart(file.text, next.location.start));
    return { file: file.relPath, start: offset, end: offset, text: line };
  }

  const text = file.text;
  const lastLine = text.slice(lineStart(text, text.length)) || previousLine(text, text.length);
  if (continues(lastLine)) return null;

  const needsBreak = text.length > 0 && !/[\r\n]$/.test(text);
  return { file: file.relPath, start: text.length, end: text.length, text: `${needsBreak ? '\n' : ''}${line}` };
}

/** Returns the content of a new requirements file that pins each distribution, sorted by normalised name. */
export function newRequirementsContent(pins: ReadonlyArray<{ name: string; version: string }>): string {
  const lines = new Map<string, string>();
  for (const pin of pins) {
    const normalized = normalizeName(pin.name);
    if (!lines.has(normalized)) lines.set(normalized, `${normalized}==${pin.version}\n`);
  }
  return [...lines.keys()].sort().map((normalized) => lines.get(normalized)).join('');
}

/** True when the requirements appear in alphabetical order of their normalised names. */
function isSorted(requirements: readonly Requirement[]): boolean {
  return requirements.every((requirement, index) => index === 0 || requirements[index - 1].name <= requirement.name);
}

function lineStart(text: string, offset: number): number {
  let index = offset;
  while (index > 0 && text[index - 1] !== '\n' && text[index - 1] !== '\r') index--;
  return index;
}

/** Returns the offset where the line before the line starting at `start` ends, before its line break. */
function previousLineEnd(text: string, start: number): number {
  return text[start - 1] === '\n' && text[start - 2] === '\r' ? start - 2 : start - 1;
}

/** Returns the text of the line before the line that starts at `start`, or '' for the first line. */
function previousLine(text: string, start: number): string {
  if (start === 0) return '';
  const end = previousLineEnd(text, start);
  return text.slice(lineStart(text, end), end);
}

/** A line that pip joins with the next one: it ends with `\` and is not a comment line. */
function continues(line: string): boolean {
  return line.endsWith('\\') && !/^\s*#/.test(line);
}

/** Moves back from a line start over the lines that continue into it with `\`. */
function logicalLineStart(text: string, start: number): number {
  let offset = start;
  while (offset > 0 && continues(previousLine(text, offset))) offset = lineStart(text, previousLineEnd(text, offset));
  return offset;
}

// ---------------------------------------------------------------------------------------------
// Changing a version specifier

/**
 * Returns the edit that replaces a requirement's version specifier with `specifier`, or inserts it
 * after the name and extras when there is none. Extras, markers, options and comments stay as
 * they are. Returns null for URL and `-e` requirements, for files other than requirements files,
 * and when the specifier is not written in one piece on the requirement's line (a `\` continuation
 * inside it).
 */
export function replaceSpecifierEdit(requirement: Requirement, specifier: string): TextEdit | null {
  const file = requirement.location.file;
  if (file.kind !== 'requirements' || requirement.url !== null || requirement.editable) return null;

  const text = file.text;
  const { start, end } = requirement.location;
  if (text.slice(start, end) !== requirement.rawName) return null;

  let afterName = end;
  let index = skipBlanks(text, end);
  if (text[index] === '[') {
    const close = text.indexOf(']', index);
    if (close === -1 || /[\r\n]/.test(text.slice(index, close))) return null;
    afterName = close + 1;
    index = skipBlanks(text, afterName);
  }

  if (requirement.specifier === '') return { file: file.relPath, start: afterName, end: afterName, text: specifier };

  if (text[index] === '(') index = skipBlanks(text, index + 1);
  if (!text.startsWith(requirement.specifier, index)) return null;
  return { file: file.relPath, start: index, end: index + requirement.specifier.length, text: specifier };
}

function skipBlanks(text: string, offset: number): number {
  let index = offset;
  while (text[index] === ' ' || text[index] === '\t') index++;
  return index;
}

// ---------------------------------------------------------------------------------------------
// Version specifiers

/**
 * Tells whether a version satisfies every clause of a specifier such as `>=2.3,<4` or `~=3.0`.
 * Returns null when a clause cannot be read, so callers can back off instead of guessing.
 */
export function specifierAllows(specifier: string, version: string): boolean | null {
  if (specifier.trim() === '') return true;

  for (const clause of specifier.split(',')) {
    const match = /^\s*(===|==|!=|~=|<=|>=|<|>)\s*(\S+)\s*$/.exec(clause);
    if (!match) return null;

    const allowed = clauseAllows(match[1], match[2], version);
    if (allowed === null) return null;
    if (!allowed) return false;
  }
  return true;
}

function clauseAllows(operator: string, value: string, version: string): boolean | null {
  if (operator === '===') return value === version;

  if (value.endsWith('.*')) {
    const matches = matchesPrefix(value.slice(0, -2), version);
    if (matches === null || (operator !== '==' && operator !== '!=')) return null;
    return operator === '==' ? matches : !matches;
  }

  const comparison = compareVersions(version, value);
  if (comparison === null) return null;

  switch (operator) {
    case '==':
      return comparison === 0;
    case '!=':
      return comparison !== 0;
    case '<':
      return comparison < 0;
    case '<=':
      return comparison <= 0;
    case '>':
      return comparison > 0;
    case '>=':
      return comparison >= 0;
    case '~=': {
      // `~=2.3.1` means `>=2.3.1` and `==2.3.*`: the last release number may grow, the others not.
      const release = /^v?(\d+(?:\.\d+)+)/.exec(value);
      if (!release) return null;
      if (comparison < 0) return false;
      return matchesPrefix(release[1].split('.').slice(0, -1).join('.'), version);
    }
    default:
      return null;
  }
}

/** True when the version's release numbers start with the prefix's (`3.1` matches `3.1.3`). Returns null when either has an epoch. */
function matchesPrefix(prefix: string, version: string): boolean | null {
  const wanted = /^v?(\d+(?:\.\d+)*)$/.exec(prefix);
  const actual = /^v?(\d+(?:\.\d+)*)/.exec(version);
  if (!wanted || !actual || version.includes('!')) return null;

  const wantedParts = wanted[1].split('.').map(Number);
  const actualParts = actual[1].split('.').map(Number);
  return wantedParts.every((part, index) => part === (actualParts[index] ?? 0));
}

import type * as SmolToml from 'smol-toml' with { 'resolution-mode': 'import' };
import type { ParseProblem, Requirement } from '../model/types';
import { offsetAt, type Location, type SourceFile } from '../source';
import { normalizeName, parseRequirementText, urlReference } from './requirements';

export interface ParsedPyproject {
  /** True when the file declares runtime dependencies: `[project] dependencies` or `[tool.poetry.dependencies]`. */
  declaresDependencies: boolean;
  /** Runtime dependencies, then optional and group dependencies marked `development`. */
  requirements: Requirement[];
  problems: ParseProblem[];
}

// smol-toml ships CommonJS code under its `require` export, but its type declarations are for ECMAScript modules only.
const toml = require('smol-toml') as typeof SmolToml;

type Table = Record<string, unknown>;

/**
 * Reads the dependencies of a `pyproject.toml`: PEP 621 `[project]` dependencies (optional
 * dependencies and PEP 735 groups are not runtime) and Poetry's dependency tables. Locations
 * point at each dependency's name in the file.
 */
export function parsePyproject(file: SourceFile): ParsedPyproject {
  const result: ParsedPyproject = { declaresDependencies: false, requirements: [], problems: [] };

  let document: Table;
  try {
    document = toml.parse(file.text) as Table;
  } catch (error) {
    result.problems.push(tomlProblem(file, error));
    return result;
  }

  const sections = tableSections(file.text);
  const project = table(document, 'project');
  const poetry = table(table(document, 'tool'), 'poetry');

  const dependencies = project ? project['dependencies'] : undefined;
  if (Array.isArray(dependencies)) {
    result.declaresDependencies = true;
    readPep508List(file, dependencies, findSection(sections, 'project'), 'dependencies', false, result);
  }

  const optional = table(project, 'optional-dependencies');
  for (const group of ownKeys(optional)) {
    const list = optional![group];
    if (Array.isArray(list)) readPep508List(file, list, findSection(sections, 'project.optional-dependencies'), group, true, result);
  }

  const groups = table(document, 'dependency-groups');
  for (const group of ownKeys(groups)) {
    const list = groups![group];
    if (Array.isArray(list)) readPep508List(file, list, findSection(sections, 'dependency-groups'), group, true, result);
  }

  const poetryDependencies = table(poetry, 'dependencies');
  if (poetryDependencies) {
    result.declaresDependencies = true;
    readPoetryTable(file, poetryDependencies, findSection(sections, 'tool.poetry.dependencies'), false, result);
  }

  const poetryDevelopment = table(poetry, 'dev-dependencies');
  if (poetryDevelopment) readPoetryTable(file, poetryDevelopment, findSection(sections, 'tool.poetry.dev-dependencies'), true, result);

  const poetryGroups = table(poetry, 'group');
  for (const group of ownKeys(poetryGroups)) {
    const groupDependencies = table(table(poetryGroups, group), 'dependencies');
    if (!groupDependencies) continue;
    readPoetryTable(file, groupDependencies, findSection(sections, `tool.poetry.group.${group}.dependencies`), true, result);
  }

  return result;
}

function tomlProblem(file: SourceFile, error: unknown): ParseProblem {
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  const start = error instanceof toml.TomlError ? offsetAt(file, { line: error.line, column: error.column }) : 0;
  return { location: { file, start, end: Math.min(file.text.length, start + 1) }, message: `pyproject.toml is not valid TOML: ${message}` };
}

function table(parent: Table | null | undefined, key: string): Table | null {
  if (!parent || !Object.hasOwn(parent, key)) return null;
  const value = parent[key];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Table) : null;
}

function ownKeys(value: Table | null): string[] {
  return value ? Object.keys(value) : [];
}

// ---------------------------------------------------------------------------------------------
// PEP 508 lists

function readPep508List(
  file: SourceFile,
  list: unknown[],
  section: Section | null,
  key: string,
  development: boolean,
  result: ParsedPyproject,
): void {
  const keyLocation = findKey(file, section, key);
  let searchFrom = keyLocation?.end ?? section?.start ?? 0;

  for (const item of list) {
    if (typeof item !== 'string') continue;

    const literal = findStringLiteral(file.text, item, searchFrom, section?.end ?? file.text.length);
    if (literal) searchFrom = literal.end;
    const fallback: Location = keyLocation ?? { file, start: section?.start ?? 0, end: section?.start ?? 0 };

    const parsed = parseRequirementText(item);
    if (!parsed.ok) {
      const location = literal ? { file, start: literal.contentStart, end: literal.contentStart + item.length } : fallback;
      result.problems.push({ location, message: `Invalid dependency \`${item}\` in pyproject.toml: ${parsed.message}.` });
      continue;
    }

    const spec = parsed.value;
    if (!spec.name) continue;
    const location = literal
      ? { file, start: literal.contentStart + spec.nameStart, end: literal.contentStart + spec.nameEnd }
      : fallback;

    result.requirements.push({
      name: normalizeName(spec.name),
      rawName: spec.name,
      extras: spec.extras.map(normalizeName),
      specifier: spec.specifier,
      pinnedVersion: spec.pinnedVersion,
      hashes: [],
      marker: spec.marker,
      editable: false,
      url: spec.url,
      constraint: false,
      location,
      development,
    });
  }
}

/** Finds the next `"text"` or `'text'` literal; escaped strings are not matched and fall back to the key. */
function findStringLiteral(
  text: string,
  value: string,
  from: number,
  to: number,
): { contentStart: number; end: number } | null {
  let best: { contentStart: number; end: number } | null = null;
  for (const quote of ['"', "'"]) {
    const index = text.indexOf(`${quote}${value}${quote}`, from);
    if (index === -1 || index >= to) continue;
    if (!best || index + 1 < best.contentStart) best = { contentStart: index + 1, end: index + value.length + 2 };
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Poetry tables

function readPoetryTable(file: SourceFile, dependencies: Table, section: Section | null, development: boolean, result: ParsedPyproject): void {
  for (const name of Object.keys(dependencies)) {
    if (name.toLowerCase() === 'python') continue;

    const declaration = poetryDeclaration(dependencies[name]);
    if (!declaration) continue;

    const location = findKey(file, section, name) ?? { file, start: section?.start ?? 0, end: section?.start ?? 0 };
    result.requirements.push({
      name: normalizeName(name),
      rawName: name,
      extras: declaration.extras.map(normalizeName),
      specifier: declaration.specifier,
      pinnedVersion: declaration.pinnedVersion,
      hashes: [],
      marker: declaration.marker,
      editable: declaration.editable,
      url: declaration.url,
      constraint: false,
      location,
      development: development || declaration.optional,
    });
  }
}

interface PoetryDeclaration {
  specifier: string;
  pinnedVersion: string | null;
  extras: string[];
  marker: string | null;
  url: string | null;
  editable: boolean;
  optional: boolean;
}

/**
 * Reads one Poetry dependency: a version constraint string, or a table with `version`, `git`
 * plus `rev`/`tag`/`branch`, `url` or `path`. A multiple-constraints list is read from its first entry.
 */
function poetryDeclaration(value: unknown): PoetryDeclaration | null {
  if (Array.isArray(value)) return value.length > 0 ? poetryDeclaration(value[0]) : null;
  if (typeof value === 'string') return { ...poetryVersion(value), extras: [], marker: null, url: null, editable: false, optional: false };
  if (value === null || typeof value !== 'object') return null;

  const entry = value as Table;
  const version = typeof entry['version'] === 'string' ? poetryVersion(entry['version']) : { specifier: '', pinnedVersion: null };
  const extras = Array.isArray(entry['extras']) ? entry['extras'].filter((extra): extra is string => typeof extra === 'string') : [];
  const marker = typeof entry['markers'] === 'string' ? entry['markers'] : null;
  const optional = entry['optional'] === true;
  const editable = entry['develop'] === true;

  if (typeof entry['git'] === 'string') {
    const reference = ['rev', 'tag', 'branch'].map((key) => entry[key]).find((ref): ref is string => typeof ref === 'string');
    const url = `git+${entry['git']}${reference ? `@${reference}` : ''}`;
    return { specifier: '', pinnedVersion: urlReference(url).version, extras, marker, url, editable, optional };
  }
  if (typeof entry['url'] === 'string') {
    return { specifier: '', pinnedVersion: urlReference(entry['url']).version, extras, marker, url: entry['url'], editable, optional };
  }
  if (typeof entry['path'] === 'string') {
    return { specifier: '', pinnedVersion: null, extras, marker, url: null, editable, optional };
  }
  return { ...version, extras, marker, url: null, editable, optional };
}

/** Poetry reads a bare version (`2.3.3`) and `==`/`=` as an exact pin; `^`, `~`, `*` and ranges are not pins. */
function poetryVersion(constraint: string): { specifier: string; pinnedVersion: string | null } {
  const trimmed = constraint.trim();
  const exact = /^(?:===?|=)?\s*v?(\d+(?:\.\d+)*(?:[A-Za-z0-9.+-]*)?)$/.exec(trimmed);
  if (exact && !trimmed.includes('*')) return { specifier: trimmed, pinnedVersion: exact[1] };
  return { specifier: trimmed, pinnedVersion: null };
}

// ---------------------------------------------------------------------------------------------
// Where tables and keys are in the text

interface Section {
  /** The dotted table name, quotes removed: `tool.poetry.dependencies`. */
  name: string;
  /** Offset just after the header line. */
  start: number;
  /** Offset of the next header, or the end of the file. */
  end: number;
}

/** Lists the `[table]` headers of a TOML file with the span of their bodies; `[[array]]` headers end a table too. */
function tableSections(text: string): Section[] {
  const sections: Section[] = [];
  const header = /^[ \t]*(\[\[?)[ \t]*([^\]\r\n]+?)[ \t]*\]\]?[ \t]*(#.*)?$/gm;
  let openQuote: string | null = null;
  let lineStart = 0;

  for (const line of text.split(/(?<=\n)/)) {
    // Headers inside multi-line strings are not headers; toggle on each `"""` or `'''`.
    for (const quote of line.match(/"""|'''/g) ?? []) {
      if (openQuote === null) openQuote = quote;
      else if (openQuote === quote) openQuote = null;
    }

    header.lastIndex = 0;
    const match = openQuote === null ? header.exec(line.replace(/\r?\n$/, '')) : null;
    if (match) {
      if (sections.length > 0) sections[sections.length - 1].end = lineStart;
      const name = match[1] === '[[' ? '' : match[2].split('.').map((part) => part.trim().replace(/^["']|["']$/g, '')).join('.');
      sections.push({ name, start: lineStart + line.length, end: text.length });
    }
    lineStart += line.length;
  }
  return sections;
}

function findSection(sections: Section[], name: string): Section | null {
  return sections.find((section) => section.name === name) ?? null;
}

/** Finds `key =` at the start of a line of the section; bare or quoted keys. */
function findKey(file: SourceFile, section: Section | null, key: string): Location | null {
  if (!section) return null;

  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^[ \\t]*(["']?)(${escaped})\\1[ \\t]*=`, 'gm');
  const body = file.text.slice(section.start, section.end);
  const match = pattern.exec(body);
  if (!match) return null;

  const indent = /^[ \t]*/.exec(match[0])![0].length;
  const start = section.start + match.index + indent + match[1].length;
  return { file, start, end: start + key.length };
}

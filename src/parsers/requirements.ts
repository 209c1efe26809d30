import type { ParseProblem, Requirement } from '../model/types';
import type { Location, SourceFile } from '../source';

/** A `-r`/`--requirement` or `-c`/`--constraint` option, not yet resolved to a file. */
export interface RequirementsInclude {
  kind: 'requirement' | 'constraint';
  /** The path as written, relative to the including file's folder. */
  path: string;
  /** The span of the path. */
  location: Location;
}

export interface ParsedRequirementsFile {
  file: SourceFile;
  /** Requirements in file order, with `constraint` false; the model sets it for constraints files. */
  requirements: Requirement[];
  includes: RequirementsInclude[];
  problems: ParseProblem[];
}

/**
 * Parses one requirements file as pip reads it: lines ending in `\` are joined first (a comment
 * line ends the join), then comments are removed, then each logical line is a requirement or
 * options. Includes are returned, not followed, and invalid lines become problems.
 */
export function parseRequirementsFile(file: SourceFile): ParsedRequirementsFile {
  const result: ParsedRequirementsFile = { file, requirements: [], includes: [], problems: [] };

  for (const line of logicalLines(file)) {
    parseLogicalLine(line, result);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Logical lines

/** Maps a run of a logical line's text to the file offsets it came from. */
interface Segment {
  textStart: number;
  fileStart: number;
  length: number;
}

/** One line as pip reads it after joining continuations, with a map back to file offsets. */
export interface LogicalLine {
  file: SourceFile;
  text: string;
  segments: Segment[];
}

/** pip treats a line as a comment when `#` starts it or follows whitespace. */
const COMMENT_LINE = /^\s*#/;
const COMMENT = /(?:^|\s+)#/;

/**
 * Splits the file into physical lines and joins `\` continuations as pip's `join_lines` does:
 * backslashes are stripped from both ends of a continued line, and a comment line is never
 * continued but ends a continuation that runs into it.
 */
export function logicalLines(file: SourceFile): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let pending: LogicalLine | null = null;

  for (const { text, start } of physicalLines(file.text)) {
    const isComment = COMMENT_LINE.test(text);

    if (!text.endsWith('\\') || isComment) {
      const line: LogicalLine = pending ?? { file, text: '', segments: [] };
      // pip prefixes a comment line with a space so that the comment pattern still matches after joining.
      if (isComment) appendText(line, ' ', start, 0);
      appendText(line, text, start, text.length);
      lines.push(line);
      pending = null;
      continue;
    }

    const leading = /^\\*/.exec(text)![0].length;
    const trailing = /\\*$/.exec(text)![0].length;
    const kept = text.slice(leading, Math.max(leading, text.length - trailing));
    pending ??= { file, text: '', segments: [] };
    appendText(pending, kept, start + leading, kept.length);
  }

  if (pending) lines.push(pending);
  return lines;
}

function appendText(line: LogicalLine, text: string, fileStart: number, sourceLength: number): void {
  if (text.length === 0) return;
  line.segments.push({ textStart: line.text.length, fileStart, length: sourceLength });
  line.text += text;
}

function* physicalLines(text: string): Generator<{ text: string; start: number }> {
  const ending = /\r\n|\n|\r/g;
  let start = 0;
  let match: RegExpExecArray | null;

  while ((match = ending.exec(text)) !== null) {
    yield { text: text.slice(start, match.index), start };
    start = match.index + match[0].length;
  }
  if (start < text.length) yield { text: text.slice(start), start };
}

/** Returns the file offset of an index into the logical line's text. */
export function fileOffset(line: LogicalLine, index: number): number {
  let segment: Segment | undefined;
  for (const candidate of line.segments) {
    if (candidate.textStart > index) break;
    segment = candidate;
  }
  if (!segment) return line.segments[0]?.fileStart ?? 0;
  return segment.fileStart + Math.min(index - segment.textStart, segment.length);
}

function lineLocation(line: LogicalLine, start: number, end: number): Location {
  const fileStart = fileOffset(line, start);
  // The end maps from the last character inside the span, so a span never stretches over a joined line break.
  const fileEnd = end > start ? fileOffset(line, end - 1) + 1 : fileStart;
  return { file: line.file, start: fileStart, end: Math.max(fileStart, fileEnd) };
}

// ---------------------------------------------------------------------------------------------
// One logical line

interface Token {
  text: string;
  start: number;
  end: number;
}

function parseLogicalLine(line: LogicalLine, result: ParsedRequirementsFile): void {
  const commentAt = line.text.search(COMMENT);
  const uncommented = commentAt === -1 ? line.text : line.text.slice(0, commentAt);
  const contentStart = uncommented.length - uncommented.trimStart().length;
  const contentEnd = uncommented.trimEnd().length;
  if (contentEnd <= contentStart) return;

  // pip splits on single spaces: the requirement is every word before the first one starting with `-`.
  const optionsStart = firstOptionWord(line.text, contentStart, contentEnd);
  const argsEnd = trimEndIndex(line.text, contentStart, optionsStart);
  const options = parseOptions(line, optionsStart, contentEnd, result);
  if (!options) return;

  if (argsEnd > contentStart) {
    addRequirement(line, contentStart, argsEnd, false, options.hashes, result);
    return;
  }

  if (options.editable) {
    addRequirement(line, options.editable.start, options.editable.end, true, options.hashes, result);
    return;
  }

  for (const include of options.includes) result.includes.push(include);
}

function firstOptionWord(text: string, start: number, end: number): number {
  let wordStart = start;
  for (let index = start; index <= end; index++) {
    if (index === end || text[index] === ' ') {
      if (text[wordStart] === '-' && wordStart < index) return wordStart;
      wordStart = index + 1;
    }
  }
  return end;
}

function trimEndIndex(text: string, start: number, end: number): number {
  let index = end;
  while (index > start && /\s/.test(text[index - 1])) index--;
  return index;
}

interface LineOptions {
  includes: RequirementsInclude[];
  editable: Token | null;
  hashes: string[];
}

interface OptionSpec {
  long: string;
  short?: string;
  takesValue: boolean;
  role?: 'requirement' | 'constraint' | 'editable' | 'hash';
}

/**
 * The options pip accepts in a requirements file (pip 24). Only includes, `-e` and `--hash`
 * change what is declared; the others are accepted and ignored.
 */
const OPTIONS: readonly OptionSpec[] = [
  { long: 'requirement', short: 'r', takesValue: true, role: 'requirement' },
  { long: 'constraint', short: 'c', takesValue: true, role: 'constraint' },
  { long: 'editable', short: 'e', takesValue: true, role: 'editable' },
  { long: 'hash', takesValue: true, role: 'hash' },
  { long: 'index-url', short: 'i', takesValue: true },
  { long: 'extra-index-url', takesValue: true },
  { long: 'no-index', takesValue: false },
  { long: 'find-links', short: 'f', takesValue: true },
  { long: 'no-binary', takesValue: true },
  { long: 'only-binary', takesValue: true },
  { long: 'prefer-binary', takesValue: false },
  { long: 'require-hashes', takesValue: false },
  { long: 'pre', takesValue: false },
  { long: 'trusted-host', takesValue: true },
  { long: 'use-feature', takesValue: true },
  { long: 'config-settings', takesValue: true },
  { long: 'global-option', takesValue: true },
  // Removed in pip 23.1; older files still carry it and older pips accept it.
  { long: 'install-option', takesValue: true },
];

/** Parses the options part of a line with optparse's rules: `--long=value`, `--long value`, `-xvalue`, `-x value`, unique prefixes of long names. */
function parseOptions(line: LogicalLine, start: number, end: number, result: ParsedRequirementsFile): LineOptions | null {
  const options: LineOptions = { includes: [], editable: null, hashes: [] };
  const split = splitShellWords(line.text, start, end);
  if ('error' in split) {
    result.problems.push({ location: lineLocation(line, split.index, end), message: `Invalid requirements line: ${split.error}` });
    return null;
  }

  const words = split.words;
  for (let index = 0; index < words.length; index++) {
    const word = words[index];
    if (word.text === '--') break;
    if (!word.text.startsWith('-') || word.text === '-') continue;

    const parsed = parseOptionWord(word);
    if ('error' in parsed) {
      result.problems.push({ location: lineLocation(line, word.start, word.end), message: parsed.error });
      return null;
    }

    const { spec, inlineValue } = parsed;
    if (!spec.takesValue) continue;

    let value = inlineValue;
    if (!value) {
      const next = words[index + 1];
      if (!next) {
        result.problems.push({
          location: lineLocation(line, word.start, word.end),
          message: `Option \`${word.text}\` needs a value, but the line ends after it.`,
        });
        return null;
      }
      value = next;
      index++;
    }

    const problem = applyOption(spec, value, line, options);
    if (problem) {
      result.problems.push({ location: lineLocation(line, value.start, value.end), message: problem });
      return null;
    }
  }
  return options;
}

function parseOptionWord(word: Token): { spec: OptionSpec; inlineValue: Token | null } | { error: string } {
  if (word.text.startsWith('--')) {
    const equals = word.text.indexOf('=');
    const name = word.text.slice(2, equals === -1 ? undefined : equals);
    const exact = OPTIONS.find((option) => option.long === name);
    const prefixed = OPTIONS.filter((option) => option.long.startsWith(name));
    if (!exact && prefixed.length > 1 && name.length > 0) {
      const candidates = prefixed.map((option) => `\`--${option.long}\``).join(', ');
      return { error: `Option \`--${name}\` is ambiguous in a requirements file (${candidates}); pip stops on it.` };
    }
    const spec = exact ?? (prefixed.length === 1 && name.length > 0 ? prefixed[0] : null);
    if (!spec) return { error: `Unknown option \`--${name}\` in a requirements file; pip stops with "no such option".` };

    if (equals === -1) return { spec, inlineValue: null };
    if (!spec.takesValue) return { error: `Option \`--${spec.long}\` takes no value.` };
    return { spec, inlineValue: { text: word.text.slice(equals + 1), start: word.start + equals + 1, end: word.end } };
  }

  const letter = word.text[1];
  const spec = OPTIONS.find((option) => option.short === letter);
  if (!spec) return { error: `Unknown option \`-${letter}\` in a requirements file; pip stops with "no such option".` };

  const rest = word.text.slice(2);
  return { spec, inlineValue: rest ? { text: rest, start: word.start + 2, end: word.end } : null };
}

/** Records one option value; returns a problem message when the value is invalid. */
function applyOption(spec: OptionSpec, value: Token, line: LogicalLine, options: LineOptions): string | null {
  switch (spec.role) {
    case 'requirement':
    case 'constraint':
      // pip follows only the first include of a line.
      if (options.includes.length === 0) {
        options.includes.push({ kind: spec.role, path: value.text, location: lineLocation(line, value.start, value.end) });
      }
      return null;
    case 'editable':
      options.editable ??= value;
      return null;
    case 'hash':
      if (!/^[A-Za-z0-9_-]+:\S+$/.test(value.text)) {
        return `Invalid \`--hash\` value \`${value.text}\`: pip expects a hash name and a digest, such as \`sha256:<hex>\`.`;
      }
      options.hashes.push(value.text);
      return null;
    default:
      return null;
  }
}

/** Splits text into words the way Python's `shlex.split` does in POSIX mode: quotes group, backslashes escape. */
function splitShellWords(text: string, start: number, end: number): { words: Token[] } | { error: string; index: number } {
  const words: Token[] = [];
  let index = start;

  while (index < end) {
    while (index < end && /\s/.test(text[index])) index++;
    if (index >= end) break;

    const wordStart = index;
    let value = '';
    while (index < end && !/\s/.test(text[index])) {
      const char = text[index];
      if (char === "'" || char === '"') {
        const close = text.indexOf(char, index + 1);
        if (close === -1 || close >= end) return { error: 'a quote is not closed', index };
        value += char === '"' ? text.slice(index + 1, close).replace(/\\(["\\$`])/g, '$1') : text.slice(index + 1, close);
        index = close + 1;
      } else if (char === '\\' && index + 1 < end) {
        value += text[index + 1];
        index += 2;
      } else {
        value += char;
        index++;
      }
    }
    words.push({ text: value, start: wordStart, end: index });
  }
  return { words };
}

// ---------------------------------------------------------------------------------------------
// Requirement strings

function addRequirement(
  line: LogicalLine,
  start: number,
  end: number,
  editable: boolean,
  hashes: string[],
  result: ParsedRequirementsFile,
): void {
  const text = line.text.slice(start, end);
  const parsed = parseRequirementText(text, editable);

  if (!parsed.ok) {
    const problemStart = start + Math.min(parsed.index, text.length);
    result.problems.push({
      location: lineLocation(line, problemStart, Math.max(end, problemStart)),
      message: `Invalid requirement \`${text}\`: ${parsed.message}.`,
    });
    return;
  }

  // A local folder or archive without a recognisable name (`-e .`) declares no named package.
  const spec = parsed.value;
  if (!spec.name) return;

  result.requirements.push({
    name: normalizeName(spec.name),
    rawName: spec.name,
    extras: spec.extras.map(normalizeName),
    specifier: spec.specifier,
    pinnedVersion: spec.pinnedVersion,
    hashes: [...hashes],
    marker: spec.marker,
    editable,
    url: spec.url,
    constraint: false,
    location: lineLocation(line, start + spec.nameStart, start + spec.nameEnd),
  });
}

/** A requirement string read with PEP 508 rules, or a direct reference (URL, path, archive) read as pip reads it. */
export interface RequirementSpec {
  /** The name as written; empty when a URL or path names no package. */
  name: string;
  /** Offsets of the name in the text; the whole reference when the name is derived from it. */
  nameStart: number;
  nameEnd: number;
  extras: string[];
  specifier: string;
  pinnedVersion: string | null;
  url: string | null;
  marker: string | null;
}

export type RequirementParse = { ok: true; value: RequirementSpec } | { ok: false; message: string; index: number };

const VCS_SCHEMES = /^(git|hg|svn|bzr)\+[a-z]+:/i;
const URL_SCHEMES = /^(https?|file|ftp):/i;
const ARCHIVE = /\.(whl|zip|tar\.gz|tgz|tar|tar\.bz2|tbz|tar\.xz|txz|tlz|tar\.lz|tar\.lzma)$/i;

/**
 * Parses a requirement string: `name[extras] specifiers ; marker`, `name @ url ; marker`, or a bare
 * URL or path whose name comes from `#egg=`, a wheel or sdist file name, or the repository name.
 */
export function parseRequirementText(text: string, editable = false): RequirementParse {
  const trimmedStart = text.length - text.trimStart().length;
  const body = text.trimStart();

  if (isUrl(body) || (!looksLikePep508Reference(body) && looksLikePath(body)) || editable) {
    return parseDirectReference(text, trimmedStart, editable);
  }
  return parsePep508(text);
}

/** Tests a reference as pip's `is_url` does: a scheme pip supports, followed by `:`. */
function isUrl(text: string): boolean {
  return URL_SCHEMES.test(text) || VCS_SCHEMES.test(text);
}

function looksLikePath(text: string): boolean {
  const reference = text.split(/\s*;/)[0];
  return reference.startsWith('.') || reference.includes('/') || reference.includes('\\') || ARCHIVE.test(reference);
}

/** `name @ url`: a name, optional extras, then `@`. */
function looksLikePep508Reference(text: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@/.test(text);
}

function parseDirectReference(text: string, start: number, editable: boolean): RequirementParse {
  // pip splits markers off a URL only at "; " (with the space), because `;` may appear inside URLs.
  const separator = isUrl(text.slice(start)) ? text.indexOf('; ', start) : text.indexOf(';', start);
  const referenceEnd = separator === -1 ? text.trimEnd().length : text.slice(0, separator).trimEnd().length;
  const reference = text.slice(start, referenceEnd);
  const marker = separator === -1 ? null : text.slice(separator + 1).trim();

  if (marker !== null) {
    const markerProblem = validateMarker(marker);
    if (markerProblem) return { ok: false, message: markerProblem, index: separator + 1 };
  }
  if (reference.length === 0) return { ok: false, message: editable ? '`-e` needs a path or URL' : 'empty reference', index: start };

  const withoutExtras = /^(.*?)(\[[^\]]*\])?$/.exec(reference)!;
  const location = withoutExtras[1];
  const extras = withoutExtras[2] ? splitExtras(withoutExtras[2].slice(1, -1)) : [];
  const derived = nameFromReference(location);
  const url = isUrl(location) ? location : null;
  const nameStart = derived.offset === null ? start : start + derived.offset;
  const nameEnd = derived.offset === null ? start + location.length : nameStart + derived.name.length;

  return {
    ok: true,
    value: {
      name: derived.name,
      nameStart,
      nameEnd,
      extras: [...extras, ...derived.extras],
      specifier: '',
      pinnedVersion: derived.version,
      url,
      marker: marker || null,
    },
  };
}

interface DerivedName {
  name: string;
  /** Offset of the name inside the reference, or null when it is not written there literally. */
  offset: number | null;
  version: string | null;
  extras: string[];
}

/** Finds the package a URL or path installs: `#egg=name`, a wheel or sdist file name, or a VCS repository name. */
function nameFromReference(reference: string): DerivedName {
  const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?/.exec(reference);
  if (egg) {
    const extras = egg[2] ? splitExtras(egg[2].slice(1, -1)) : [];
    // `#egg=` and `&egg=` are five characters long.
    return { name: egg[1], offset: egg.index + 5, version: urlReference(reference).version, extras };
  }

  const path = reference.split(/[?#]/)[0];
  const fileName = path.slice(path.lastIndexOf('/') + 1);
  const fileOffset = path.lastIndexOf('/') + 1;

  const wheel = /^([A-Za-z0-9][A-Za-z0-9._]*)-([0-9][^-]*)(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/i.exec(fileName);
  if (wheel) return { name: wheel[1], offset: fileOffset, version: wheel[2], extras: [] };

  const sdist = /^([A-Za-z0-9][A-Za-z0-9._-]*?)-(\d[A-Za-z0-9.!+_]*)\.(zip|tar\.gz|tgz|tar|tar\.bz2|tar\.xz)$/i.exec(fileName);
  if (sdist) return { name: sdist[1], offset: fileOffset, version: sdist[2], extras: [] };

  if (VCS_SCHEMES.test(reference)) {
    const repository = /\/([A-Za-z0-9][A-Za-z0-9._-]*?)(\.git)?(@[^/#?]*)?$/.exec(path);
    if (repository) {
      const offset = path.lastIndexOf(`/${repository[1]}`) + 1;
      return { name: repository[1], offset, version: urlReference(reference).version, extras: [] };
    }
  }
  return { name: '', offset: null, version: null, extras: [] };
}

/**
 * Returns what a URL fixes: the commit of a VCS URL (`@<hex>`), or a version from an `@v1.2.3` tag or
 * an archive file name, or a hash fragment (`#sha256=`). A branch (`@main`) fixes nothing.
 */
export function urlReference(url: string): { commit: string | null; version: string | null; hash: boolean } {
  const hash = /[#&](sha1|sha224|sha256|sha384|sha512|md5)=[0-9a-f]+/i.test(url);
  const path = url.split(/[?#]/)[0];

  if (VCS_SCHEMES.test(url)) {
    const at = /@([^/@]+)$/.exec(path);
    const ref = at ? at[1] : null;
    if (ref && /^[0-9a-f]{7,40}$/i.test(ref)) return { commit: ref, version: null, hash };
    if (ref && /^v?\d+(\.\d+)+([-.]?[A-Za-z0-9]+)*$/.test(ref)) return { commit: null, version: ref.replace(/^v/, ''), hash };
    return { commit: null, version: null, hash };
  }

  const fileName = path.slice(path.lastIndexOf('/') + 1);
  const archived = /-(\d[A-Za-z0-9.!+_]*?)(-[^-]+-[^-]+-[^-]+)?\.(whl|zip|tar\.gz|tgz|tar|tar\.bz2|tar\.xz)$/i.exec(fileName);
  return { commit: null, version: archived ? archived[1] : null, hash };
}

const NAME = /[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/y;
const OPERATOR = /===|==|!=|~=|<=|>=|<|>/y;

/** Parses `name [extras] (specifiers | @ url) ; marker` as PEP 508 defines it. */
function parsePep508(text: string): RequirementParse {
  let index = skipSpaces(text, 0);

  NAME.lastIndex = index;
  const name = NAME.exec(text);
  if (!name) return { ok: false, message: 'expected a package name', index };
  const nameStart = index;
  const nameEnd = index + name[0].length;
  index = skipSpaces(text, nameEnd);

  let extras: string[] = [];
  if (text[index] === '[') {
    const close = text.indexOf(']', index);
    if (close === -1) return { ok: false, message: 'the extras list is not closed with `]`', index };
    const list = text.slice(index + 1, close);
    if (list.trim() && !/^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(,\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*)*$/.test(list)) {
      return { ok: false, message: `invalid extras \`[${list}]\``, index };
    }
    extras = splitExtras(list);
    index = skipSpaces(text, close + 1);
  }

  let url: string | null = null;
  let specifier = '';
  let pinnedVersion: string | null = null;

  if (text[index] === '@') {
    index = skipSpaces(text, index + 1);
    const urlEnd = /\s|$/.exec(text.slice(index))!.index + index;
    url = text.slice(index, urlEnd);
    if (!url) return { ok: false, message: 'expected a URL after `@`', index };
    pinnedVersion = urlReference(url).version;
    index = skipSpaces(text, urlEnd);
  } else if (text[index] !== ';' && index < text.length) {
    const parsed = parseSpecifiers(text, index);
    if (!parsed.ok) return parsed;
    specifier = parsed.specifier;
    pinnedVersion = parsed.pinnedVersion;
    index = skipSpaces(text, parsed.end);
  }

  let marker: string | null = null;
  if (text[index] === ';') {
    marker = text.slice(index + 1).trim();
    const problem = validateMarker(marker);
    if (problem) return { ok: false, message: problem, index: index + 1 };
    index = text.length;
  }

  if (index < text.length) return { ok: false, message: `unexpected \`${text.slice(index).trim()}\``, index };
  return { ok: true, value: { name: name[0], nameStart, nameEnd, extras, specifier, pinnedVersion, url, marker } };
}

function parseSpecifiers(
  text: string,
  start: number,
): { ok: true; specifier: string; pinnedVersion: string | null; end: number } | { ok: false; message: string; index: number } {
  let index = start;
  const parenthesized = text[index] === '(';
  if (parenthesized) index = skipSpaces(text, index + 1);

  const clausesStart = index;
  let clausesEnd = index;
  let pinnedVersion: string | null = null;

  while (true) {
    OPERATOR.lastIndex = index;
    const operator = OPERATOR.exec(text);
    if (!operator) {
      const found = text.slice(index).trim().split(/\s/)[0] || 'the end of the line';
      return { ok: false, message: `expected a version operator such as \`==\` or \`>=\`, found \`${found}\``, index };
    }
    index = skipSpaces(text, index + operator[0].length);

    const version = /^[^\s,;()]+/.exec(text.slice(index));
    if (!version) return { ok: false, message: `expected a version after \`${operator[0]}\``, index };
    const problem = versionProblem(operator[0], version[0]);
    if (problem) return { ok: false, message: problem, index };

    if (pinnedVersion === null && isExactPin(operator[0], version[0])) pinnedVersion = version[0];
    index += version[0].length;
    clausesEnd = index;
    index = skipSpaces(text, index);

    if (text[index] !== ',') break;
    index = skipSpaces(text, index + 1);
  }

  if (parenthesized) {
    if (text[index] !== ')') return { ok: false, message: 'the version specifier is not closed with `)`', index };
    index++;
  }
  return { ok: true, specifier: text.slice(clausesStart, clausesEnd), pinnedVersion, end: index };
}

/** PEP 440 versions, case-insensitive, with the normalisation pip accepts (`v` prefix, `-`/`_`/`.` separators). */
const VERSION =
  /^v?(\d+!)?\d+(\.\d+)*((a|b|c|rc|alpha|beta|pre|preview)[-_.]?\d*|[-_.](a|b|c|rc|alpha|beta|pre|preview)[-_.]?\d*)?(-\d+|[-_.]?(post|rev|r)[-_.]?\d*)?([-_.]?dev[-_.]?\d*)?(\+[a-z0-9]+([-_.][a-z0-9]+)*)?$/i;

function versionProblem(operator: string, version: string): string | null {
  if (operator === '===') return null;

  if (version.endsWith('.*')) {
    if (operator !== '==' && operator !== '!=') return `a \`.*\` wildcard works only with \`==\` and \`!=\`, not \`${operator}\``;
    if (!/^v?(\d+!)?\d+(\.\d+)*$/.test(version.slice(0, -2))) return `invalid version \`${version}\``;
    return null;
  }
  if (!VERSION.test(version)) return `invalid version \`${version}\``;
  if (operator === '~=' && !/^v?(\d+!)?\d+\.\d+/.test(version)) return `\`~=\` needs at least two release numbers, not \`${version}\``;
  return null;
}

function isExactPin(operator: string, version: string): boolean {
  return operator === '===' || (operator === '==' && !version.endsWith('.*'));
}

const MARKER_VARIABLES = new Set([
  'python_version',
  'python_full_version',
  'os_name',
  'sys_platform',
  'platform_release',
  'platform_system',
  'platform_version',
  'platform_machine',
  'platform_python_implementation',
  'implementation_name',
  'implementation_version',
  'extra',
  // Accepted by packaging for compatibility with older specifications.
  'os.name',
  'sys.platform',
  'platform.version',
  'platform.machine',
  'platform.python_implementation',
  'python_implementation',
]);

const MARKER_TOKEN = /\s*(\(|\)|'[^']*'|"[^"]*"|===|==|!=|<=|>=|~=|<|>|not\s+in\b|in\b|and\b|or\b|[A-Za-z_][A-Za-z0-9_.]*)/y;

/** Checks an environment marker against PEP 508's grammar; returns a problem or null. */
export function validateMarker(marker: string): string | null {
  if (!marker) return 'expected an environment marker after `;`';

  const tokens: string[] = [];
  let index = 0;
  while (index < marker.length) {
    if (/^\s*$/.test(marker.slice(index))) break;
    MARKER_TOKEN.lastIndex = index;
    const token = MARKER_TOKEN.exec(marker);
    if (!token) return `invalid environment marker \`${marker}\``;
    tokens.push(token[1].replace(/\s+/g, ' '));
    index = MARKER_TOKEN.lastIndex;
  }

  let position = 0;
  const isValue = (token: string | undefined): boolean =>
    token !== undefined && (/^['"]/.test(token) || MARKER_VARIABLES.has(token));
  const isComparison = (token: string | undefined): boolean =>
    token !== undefined && /^(===|==|!=|<=|>=|~=|<|>|in|not in)$/.test(token);

  const parseExpression = (): boolean => {
    if (!parseAnd()) return false;
    while (tokens[position] === 'or') {
      position++;
      if (!parseAnd()) return false;
    }
    return true;
  };
  const parseAnd = (): boolean => {
    if (!parseAtom()) return false;
    while (tokens[position] === 'and') {
      position++;
      if (!parseAtom()) return false;
    }
    return true;
  };
  const parseAtom = (): boolean => {
    if (tokens[position] === '(') {
      position++;
      if (!parseExpression() || tokens[position] !== ')') return false;
      position++;
      return true;
    }
    if (!isValue(tokens[position]) || !isComparison(tokens[position + 1]) || !isValue(tokens[position + 2])) return false;
    position += 3;
    return true;
  };

  if (!parseExpression() || position !== tokens.length) return `invalid environment marker \`${marker}\``;
  return null;
}

function skipSpaces(text: string, index: number): number {
  while (index < text.length && /\s/.test(text[index])) index++;
  return index;
}

function splitExtras(list: string): string[] {
  return list
    .split(',')
    .map((extra) => extra.trim())
    .filter((extra) => extra.length > 0);
}

// ---------------------------------------------------------------------------------------------
// Names and versions

/** Normalises a distribution name as PEP 503 does: runs of `-`, `_` and `.` become `-`, lower case. */
export function normalizeName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

interface ParsedVersion {
  epoch: number;
  release: number[];
  /** Orders dev < pre < final < post within one release: [phase, number]. */
  phase: [number, number];
  post: number;
}

const PRE_RELEASE_RANK: Record<string, number> = { a: 1, alpha: 1, b: 2, beta: 2, c: 3, rc: 3, pre: 3, preview: 3 };

function parseVersion(version: string): ParsedVersion | null {
  const match = /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d*))?(?:-(\d+)|[-_.]?(?:post|rev|r)[-_.]?(\d*))?(?:[-_.]?(dev)[-_.]?(\d*))?(?:\+.*)?$/i.exec(
    version.trim(),
  );
  if (!match) return null;

  const release = match[2].split('.').map(Number);
  let phase: [number, number] = [4, 0];
  if (match[3]) phase = [PRE_RELEASE_RANK[match[3].toLowerCase()], Number(match[4] || 0)];
  else if (match[7] && match[5] === undefined && match[6] === undefined) phase = [0, Number(match[8] || 0)];

  const postText = match[5] ?? match[6];
  return { epoch: Number(match[1] || 0), release, phase, post: postText === undefined ? -1 : Number(postText || 0) };
}

/**
 * Compares two PEP 440 versions: negative when `a` is older, 0 when equal, positive when newer.
 * Returns null when either is not a valid version.
 */
export function compareVersions(a: string, b: string): number | null {
  const left = parseVersion(a);
  const right = parseVersion(b);
  if (!left || !right) return null;

  if (left.epoch !== right.epoch) return left.epoch - right.epoch;
  const length = Math.max(left.release.length, right.release.length);
  for (let index = 0; index < length; index++) {
    const difference = (left.release[index] ?? 0) - (right.release[index] ?? 0);
    if (difference !== 0) return difference;
  }
  if (left.phase[0] !== right.phase[0]) return left.phase[0] - right.phase[0];
  if (left.phase[1] !== right.phase[1]) return left.phase[1] - right.phase[1];
  return left.post - right.post;
}

/**
 * Returns true when every version the specifier allows is older than `version`: an exact pin
 * below it, or an upper bound (`<`, `<=`, `~=`, `==x.*`) that stops below it.
 */
export function specifierAllowsOnlyOlder(specifier: string, version: string): boolean {
  for (const clause of specifier.split(',')) {
    const match = /^\s*(===|==|!=|~=|<=|>=|<|>)\s*(\S+)\s*$/.exec(clause);
    if (!match) continue;

    const [, operator, value] = match;
    const bound = upperBound(operator, value);
    if (!bound) continue;

    const comparison = compareVersions(bound.version, version);
    if (comparison === null) continue;
    if (comparison < 0 || (comparison === 0 && !bound.inclusive)) return true;
  }
  return false;
}

function upperBound(operator: string, value: string): { version: string; inclusive: boolean } | null {
  if (operator === '==' && value.endsWith('.*')) {
    const parts = value.slice(0, -2).split('.').map(Number);
    parts[parts.length - 1] += 1;
    return { version: parts.join('.'), inclusive: false };
  }
  if (operator === '==' || operator === '===' || operator === '<=') return { version: value, inclusive: true };
  if (operator === '<') return { version: value, inclusive: false };
  if (operator === '~=') {
    const release = /^v?(\d+(?:\.\d+)+)/.exec(value);
    if (!release) return null;
    const parts = release[1].split('.').map(Number).slice(0, -1);
    parts[parts.length - 1] += 1;
    return { version: parts.join('.'), inclusive: false };
  }
  return null;
}

import { DockerfileParser, type Dockerfile, type Heredoc, type Instruction } from 'dockerfile-ast';
import type { ParseProblem } from '../model/types';
import { lineStarts, offsetAt, type Location, type SourceFile } from '../source';

/**
 * Text read from a file, such as an instruction's arguments with line continuations joined,
 * with the file offset of each character so that any span of it can be located.
 */
export interface MappedText {
  file: SourceFile;
  text: string;
  /** `offsets[i]` is the file offset of `text[i]`; the extra last entry is the end offset. */
  offsets: number[];
}

export interface DockerfileFlag {
  /** The name without dashes: `from` for `--from=builder`. */
  name: string;
  value: string | null;
  location: Location;
}

export interface ParsedHeredoc {
  /** The delimiter word, without quotes: `EOF` for `<<'EOF'`. */
  name: string;
  body: string;
  /** The body lines, without the delimiter line. */
  location: Location;
  /** The `<<EOF` operator. */
  operatorLocation: Location;
  terminated: boolean;
}

export interface ParsedInstruction {
  /** Upper-case keyword. */
  keyword: string;
  /** The whole instruction, heredoc bodies included. */
  location: Location;
  keywordLocation: Location;
  /** Everything after the keyword, continuations joined, heredoc bodies excluded, trimmed. */
  text: MappedText;
  /** Leading `--name=value` options of FROM, RUN, COPY, ADD and HEALTHCHECK. */
  flags: DockerfileFlag[];
  /** `text` after the flags. */
  rest: MappedText;
  heredocs: ParsedHeredoc[];
  /** 1-based line of the keyword. */
  line: number;
}

export interface DockerfileComment {
  /** The text after `#`, trimmed. */
  text: string;
  /** 1-based line. */
  line: number;
  location: Location;
}

export interface ParsedDockerfile {
  file: SourceFile;
  /** `\` unless a valid `# escape=` directive sets `` ` ``. */
  escapeChar: string;
  directives: Array<{ name: string; value: string; location: Location }>;
  instructions: ParsedInstruction[];
  /** Comment lines outside heredoc bodies, parser directives excluded. */
  comments: DockerfileComment[];
  problems: ParseProblem[];
}

/** Keywords Docker accepts; any other word at the start of an instruction fails the build. */
export const DOCKERFILE_KEYWORDS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

const FLAG_KEYWORDS = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'HEALTHCHECK']);

/** Dockerfile frontends from this version on read heredocs; older ones read the body lines as instructions. */
const HEREDOC_SYNTAX_VERSION = [1, 4];
/** The `-labs` channel of the frontend read heredocs from this version on. */
const HEREDOC_LABS_SYNTAX_VERSION = [1, 3];

/**
 * Parses a Dockerfile with dockerfile-ast and converts its line/character ranges to offsets into
 * `file.text`. Arguments are re-joined the way BuildKit joins them: the escape character at the
 * end of a line continues it, and comment lines and blank lines inside a continuation are dropped.
 * Never throws; problems are returned with a location.
 */
export function parseDockerfile(file: SourceFile): ParsedDockerfile {
  const problems: ParseProblem[] = [];
  let ast: Dockerfile;
  try {
    ast = DockerfileParser.parse(file.text);
  } catch (error) {
    // NOTE: no input seen so far makes dockerfile-ast throw; this keeps a parser bug from ending the run.
    const message = `dockerfile-ast failed to parse the file (${error instanceof Error ? error.message : String(error)}), so it was not checked`;
    problems.push({ location: { file, start: 0, end: 0 }, message });
    return { file, escapeChar: '\\', directives: [], instructions: [], comments: [], problems };
  }

  const directives = ast.getDirectives().map((directive) => ({
    name: directive.getName().toLowerCase(),
    value: directive.getValue(),
    location: rangeLocation(file, directive.getRange()),
  }));
  const escapeChar = readEscapeChar(directives, problems);

  const instructions = ast.getInstructions().map((node) => convertInstruction(file, node, escapeChar));
  const comments = ast.getComments().map((comment) => {
    const location = rangeLocation(file, comment.getRange());
    return { text: comment.getContent(), line: comment.getRange().start.line + 1, location };
  });

  problems.push(...instructionProblems(file, instructions, directives));
  const loneCr = findLoneCarriageReturn(file.text);
  if (loneCr !== -1) {
    problems.push({
      location: { file, start: loneCr, end: loneCr + 1 },
      message:
        'Line ends with a lone carriage return (`\\r`); Docker splits lines only at `\\n`, so it reads this line and the next as one. Save the file with LF or CRLF line endings',
    });
  }

  return { file, escapeChar, directives, instructions, comments, problems };
}

function readEscapeChar(directives: ParsedDockerfile['directives'], problems: ParseProblem[]): string {
  const directive = directives.find((candidate) => candidate.name === 'escape');
  if (!directive) return '\\';
  if (directive.value === '\\' || directive.value === '`') return directive.value;

  problems.push({
    location: directive.location,
    message: `Invalid \`# escape=${directive.value}\` directive: Docker accepts only a backslash or a backtick and rejects the file`,
  });
  return '\\';
}

function convertInstruction(file: SourceFile, node: Instruction, escapeChar: string): ParsedInstruction {
  const keyword = node.getKeyword().toUpperCase();
  const location = rangeLocation(file, node.getRange());
  const keywordLocation = rangeLocation(file, node.getInstructionRange());
  const heredocs = readHeredocs(file, node);

  const headerEnd = heredocHeaderEnd(file, node) ?? location.end;
  const text = trimMapped(joinContinuationLines(file, keywordLocation.end, headerEnd, escapeChar));
  const { flags, rest } = FLAG_KEYWORDS.has(keyword) ? splitFlags(text) : { flags: [], rest: text };

  return {
    keyword,
    location,
    keywordLocation,
    text,
    flags,
    rest,
    heredocs,
    line: node.getRange().start.line + 1,
  };
}

function readHeredocs(file: SourceFile, node: Instruction): ParsedHeredoc[] {
  const withHeredocs = node as Instruction & { getHeredocs?: () => Heredoc[] };
  if (typeof withHeredocs.getHeredocs !== 'function') return [];

  return withHeredocs.getHeredocs().map((heredoc) => {
    const operatorLocation = rangeLocation(file, heredoc.getStartRange());
    const content = heredoc.getContentRange();
    const delimiter = heredoc.getDelimiterRange();
    const bodyLocation = content
      ? rangeLocation(file, content)
      : emptyLocationAt(file, delimiter ? offsetOf(file, delimiter.start) : operatorLocation.end);

    return {
      name: heredoc.getName(),
      body: file.text.slice(bodyLocation.start, bodyLocation.end),
      location: bodyLocation,
      operatorLocation,
      terminated: delimiter !== null,
    };
  });
}

/**
 * Returns the end of the instruction's own lines when it has heredocs: the end of the line
 * before the first body (or delimiter) line. Null when it has none.
 */
function heredocHeaderEnd(file: SourceFile, node: Instruction): number | null {
  const withHeredocs = node as Instruction & { getHeredocs?: () => Heredoc[] };
  if (typeof withHeredocs.getHeredocs !== 'function') return null;

  const first = withHeredocs.getHeredocs()[0];
  if (!first) return null;

  const bodyStart = first.getContentRange() ?? first.getDelimiterRange();
  if (!bodyStart) return null;

  const bodyLine = bodyStart.start.line;
  const starts = lineStarts(file);
  if (bodyLine < 1 || bodyLine >= starts.length) return null;
  return lineEndOffset(file, bodyLine - 1);
}

/**
 * Joins the physical lines of `[start, end)` as BuildKit does. An escape character followed only
 * by spaces or tabs at the end of a line continues the instruction. Inside a continuation, lines
 * that are blank or start with `#` are skipped, and the other lines keep their leading whitespace.
 */
export function joinContinuationLines(file: SourceFile, start: number, end: number, escapeChar: string): MappedText {
  const pieces: Array<{ from: number; to: number }> = [];
  let lineStart = start;
  let first = true;

  while (lineStart <= end) {
    const { contentEnd, nextStart } = scanLine(file.text, lineStart, end);
    const line = file.text.slice(lineStart, contentEnd);
    const skipped = !first && (line.trim() === '' || line.trimStart().startsWith('#'));

    if (!skipped) {
      const continuation = continuationStart(line, escapeChar);
      pieces.push({ from: lineStart, to: continuation === -1 ? contentEnd : lineStart + continuation });
      if (continuation === -1) break;
    }

    first = false;
    if (nextStart === null) break;
    lineStart = nextStart;
  }

  return concatPieces(file, pieces, end);
}

/** Returns the index in `line` of a trailing continuation escape, or -1. */
function continuationStart(line: string, escapeChar: string): number {
  let index = line.length;
  while (index > 0 && (line[index - 1] === ' ' || line[index - 1] === '\t')) index--;
  return index > 0 && line[index - 1] === escapeChar ? index - 1 : -1;
}

function scanLine(text: string, start: number, limit: number): { contentEnd: number; nextStart: number | null } {
  for (let i = start; i < limit; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) return { contentEnd: i, nextStart: i + 1 };
    if (code === 13) return { contentEnd: i, nextStart: text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1 };
  }
  return { contentEnd: limit, nextStart: null };
}

function concatPieces(file: SourceFile, pieces: Array<{ from: number; to: number }>, end: number): MappedText {
  let text = '';
  const offsets: number[] = [];

  for (const piece of pieces) {
    text += file.text.slice(piece.from, piece.to);
    for (let offset = piece.from; offset < piece.to; offset++) offsets.push(offset);
  }
  offsets.push(pieces.length ? pieces[pieces.length - 1].to : end);
  return { file, text, offsets };
}

/** Returns the part `[start, end)` of mapped text, keeping its offsets. */
export function sliceMapped(mapped: MappedText, start: number, end = mapped.text.length): MappedText {
  const from = Math.max(0, Math.min(start, mapped.text.length));
  const to = Math.max(from, Math.min(end, mapped.text.length));
  const offsets = mapped.offsets.slice(from, to);
  offsets.push(to > from ? mapped.offsets[to - 1] + 1 : mapped.offsets[from]);
  return { file: mapped.file, text: mapped.text.slice(from, to), offsets };
}

export function trimMapped(mapped: MappedText): MappedText {
  const start = mapped.text.length - mapped.text.trimStart().length;
  const end = mapped.text.trimEnd().length;
  return sliceMapped(mapped, start, Math.max(start, end));
}

/** Returns the file location of `[start, end)` of mapped text; a span across a continuation covers the lines between. */
export function mappedLocation(mapped: MappedText, start = 0, end = mapped.text.length): Location {
  const from = Math.max(0, Math.min(start, mapped.text.length));
  const to = Math.max(from, Math.min(end, mapped.text.length));
  const startOffset = mapped.offsets[from];
  const endOffset = to > from ? mapped.offsets[to - 1] + 1 : startOffset;
  return { file: mapped.file, start: startOffset, end: endOffset };
}

/** Mapped text for a contiguous span of a file, such as a heredoc body. */
export function mappedFromFile(file: SourceFile, start: number, end: number): MappedText {
  const offsets: number[] = [];
  for (let offset = start; offset <= end; offset++) offsets.push(offset);
  return { file, text: file.text.slice(start, end), offsets };
}

function splitFlags(text: MappedText): { flags: DockerfileFlag[]; rest: MappedText } {
  const flags: DockerfileFlag[] = [];
  let index = 0;

  while (index < text.text.length) {
    while (index < text.text.length && /\s/.test(text.text[index])) index++;
    if (!text.text.startsWith('--', index)) break;

    let end = index;
    while (end < text.text.length && !/\s/.test(text.text[end])) end++;
    const word = text.text.slice(index + 2, end);
    const equals = word.indexOf('=');
    flags.push({
      name: equals === -1 ? word : word.slice(0, equals),
      value: equals === -1 ? null : word.slice(equals + 1),
      location: mappedLocation(text, index, end),
    });
    index = end;
  }

  return { flags, rest: trimMapped(sliceMapped(text, index)) };
}

function instructionProblems(
  file: SourceFile,
  instructions: ParsedInstruction[],
  directives: ParsedDockerfile['directives'],
): ParseProblem[] {
  const problems: ParseProblem[] = [];

  for (const instruction of instructions) {
    if (!DOCKERFILE_KEYWORDS.has(instruction.keyword)) {
      problems.push({
        location: instruction.keywordLocation,
        message: `Unknown instruction \`${instruction.keyword}\`: Docker rejects the file. If this line continues the one above, end that line with the escape character`,
      });
    }

    for (const heredoc of instruction.heredocs) {
      if (heredoc.terminated) continue;
      problems.push({
        location: heredoc.operatorLocation,
        message: `Heredoc \`${heredoc.name}\` is never closed, so its body runs to the end of the file; add a line \`${heredoc.name}\` after the body`,
      });
    }
  }

  const syntax = directives.find((directive) => directive.name === 'syntax');
  const firstHeredoc = instructions.find((instruction) => instruction.heredocs.length > 0);
  if (syntax && firstHeredoc && syntaxPredatesHeredocs(syntax.value)) {
    problems.push({
      location: syntax.location,
      message: `\`# syntax=${syntax.value}\` selects a Dockerfile frontend older than 1.4, which does not read heredocs such as the one on line ${firstHeredoc.line}`,
    });
  }

  if (instructions.length === 0) {
    problems.push({
      location: { file, start: 0, end: Math.min(file.text.length, lineEndOffset(file, 0)) },
      message: 'Dockerfile has no instructions, so Docker cannot build it; it needs at least a `FROM` line',
    });
  }

  return problems;
}

/** True for `docker/dockerfile:1.3` and older pinned versions of the official frontend (`1.2-labs` and older in the labs channel). */
function syntaxPredatesHeredocs(value: string): boolean {
  const match = /^(?:docker\.io\/)?docker\/dockerfile(?:-upstream)?:(\d+)(?:\.(\d+))?(?:\.\d+)?(-labs)?/.exec(value.trim());
  if (!match) return false;

  const major = Number(match[1]);
  const minor = match[2] === undefined ? Number.POSITIVE_INFINITY : Number(match[2]);
  const [needMajor, needMinor] = match[3] ? HEREDOC_LABS_SYNTAX_VERSION : HEREDOC_SYNTAX_VERSION;
  return major < needMajor || (major === needMajor && minor < needMinor);
}

function findLoneCarriageReturn(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) !== 10) return i;
  }
  return -1;
}

interface LspPosition {
  line: number;
  character: number;
}

function offsetOf(file: SourceFile, position: LspPosition): number {
  return offsetAt(file, { line: position.line + 1, column: position.character + 1 });
}

export function rangeLocation(file: SourceFile, range: { start: LspPosition; end: LspPosition }): Location {
  const start = offsetOf(file, range.start);
  return { file, start, end: Math.max(start, offsetOf(file, range.end)) };
}

function emptyLocationAt(file: SourceFile, offset: number): Location {
  return { file, start: offset, end: offset };
}

/** Offset where the 0-based line ends, before its line break. */
function lineEndOffset(file: SourceFile, line: number): number {
  const starts = lineStarts(file);
  if (line + 1 >= starts.length) return file.text.length;

  let end = starts[line + 1];
  if (file.text.charCodeAt(end - 1) === 10) end--;
  if (file.text.charCodeAt(end - 1) === 13) end--;
  return end;
}

// ---------------------------------------------------------------------------------------------
// Words and variable expansion

/** A word of instruction arguments, quotes and escapes kept, with its span in the mapped text. */
export interface DockerWord {
  raw: string;
  start: number;
  end: number;
}

/**
 * Splits arguments into words at unquoted whitespace, as BuildKit does for ENV, ARG, LABEL,
 * EXPOSE and COPY. Quotes and escape characters stay in the words; `expandWord` removes them.
 */
export function splitDockerWords(text: string, escapeChar: string): DockerWord[] {
  const words: DockerWord[] = [];
  let index = 0;

  while (index < text.length) {
    while (index < text.length && /\s/.test(text[index])) index++;
    if (index >= text.length) break;

    const start = index;
    let quote: string | null = null;
    while (index < text.length) {
      const char = text[index];
      if (quote === null && /\s/.test(char)) break;
      if (char === escapeChar && quote !== "'" && index + 1 < text.length) {
        index += 2;
        continue;
      }
      if (quote === null && (char === '"' || char === "'")) quote = char;
      else if (char === quote) quote = null;
      index++;
    }
    words.push({ raw: text.slice(start, index), start, end: index });
  }
  return words;
}

/**
 * Value of a variable reference. `set` has a known value. `unset` is a name never declared, or an
 * ARG without a default. `unknown` is a value that itself could not be resolved.
 */
export type VariableState =
  | { kind: 'set'; value: string }
  | { kind: 'unset'; declared: boolean }
  | { kind: 'unknown' };

export type VariableLookup = (name: string) => VariableState;

export interface ExpandedWord {
  /** The word with quotes removed and variables replaced; null when a variable could not be resolved. */
  value: string | null;
  /** Names whose value is needed but unknown. */
  unresolved: string[];
}

/**
 * Expands a word the way Docker expands ENV, ARG, USER, WORKDIR, EXPOSE, COPY and FROM
 * arguments: single quotes keep text literal, double quotes are removed, the escape character
 * makes the next character literal, and `$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME-word}`,
 * `${NAME:+word}`, `${NAME+word}` and `${NAME:?message}` are replaced.
 *
 * A bare reference to a name that is unset gives an unknown value rather than the empty string
 * Docker would use, because the name may come from the base image's environment or from a
 * `--build-arg` that this check cannot see. The `-` and `+` forms treat such a name as unset,
 * which is what a build without `--build-arg` does.
 */
export function expandWord(word: string, escapeChar: string, lookup: VariableLookup): ExpandedWord {
  const unresolved: string[] = [];
  const value = new WordExpander(word, escapeChar, lookup, unresolved).expand('');
  return { value, unresolved: [...new Set(unresolved)] };
}

class WordExpander {
  private index = 0;

  constructor(
    private readonly text: string,
    private readonly escapeChar: string,
    private readonly lookup: VariableLookup,
    private readonly unresolved: string[],
  ) {}

  /** Expands up to (not including) an unquoted character of `stopAt`, or to the end. */
  expand(stopAt: string): string | null {
    let result: string | null = '';
    const append = (part: string | null): void => {
      result = result === null || part === null ? null : result + part;
    };

    while (this.index < this.text.length) {
      const char = this.text[this.index];
      if (stopAt.includes(char)) break;

      if (char === "'") append(this.singleQuoted());
      else if (char === '"') append(this.doubleQuoted());
      else if (char === this.escapeChar) append(this.escaped());
      else if (char === '$') append(this.dollar());
      else {
        append(char);
        this.index++;
      }
    }
    return result;
  }

  private singleQuoted(): string {
    const close = this.text.indexOf("'", this.index + 1);
    const end = close === -1 ? this.text.length : close;
    const literal = this.text.slice(this.index + 1, end);
    this.index = end + 1;
    return literal;
  }

  private doubleQuoted(): string | null {
    let result: string | null = '';
    this.index++;

    while (this.index < this.text.length && this.text[this.index] !== '"') {
      const char = this.text[this.index];
      let part: string | null;
      if (char === '$') {
        part = this.dollar();
      } else if (char === this.escapeChar && '"$'.concat(this.escapeChar).includes(this.text[this.index + 1] ?? '')) {
        part = this.text[this.index + 1];
        this.index += 2;
      } else {
        part = char;
        this.index++;
      }
      result = result === null || part === null ? null : result + part;
    }
    this.index++;
    return result;
  }

  private escaped(): string {
    const next = this.text[this.index + 1] ?? '';
    this.index += 2;
    return next;
  }

  private dollar(): string | null {
    const next = this.text[this.index + 1] ?? '';

    if (next === '{') return this.braced();

    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.index + 1))?.[0];
    if (!name) {
      this.index++;
      return '$';
    }
    this.index += 1 + name.length;
    return this.bare(name);
  }

  private bare(name: string): string | null {
    const state = this.lookup(name);
    if (state.kind === 'set') return state.value;

    this.unresolved.push(name);
    return null;
  }

  private braced(): string | null {
    const start = this.index;
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.index + 2))?.[0] ?? '';
    this.index += 2 + name.length;

    if (this.text[this.index] === '}') {
      this.index++;
      return this.bare(name);
    }

    const modifier = /^:?[-+?]/.exec(this.text.slice(this.index))?.[0];
    if (!name || !modifier) {
      this.skipToBrace();
      this.unresolved.push(name || this.text.slice(start, this.index));
      return null;
    }

    this.index += modifier.length;
    const word = this.expand('}');
    this.index++;
    return this.applyModifier(name, modifier, word);
  }

  private applyModifier(name: string, modifier: string, word: string | null): string | null {
    const state = this.lookup(name);
    const colon = modifier.startsWith(':');
    const operator = modifier[modifier.length - 1];

    if (state.kind === 'unknown') {
      this.unresolved.push(name);
      return null;
    }

    const isSet = state.kind === 'set' && (!colon || state.value !== '');
    if (operator === '-') return isSet ? (state as { value: string }).value : word;
    if (operator === '+') return isSet ? word : '';

    // `${NAME:?message}` fails the build when NAME is unset.
    if (isSet) return (state as { value: string }).value;
    this.unresolved.push(name);
    return null;
  }

  private skipToBrace(): void {
    let depth = 1;
    while (this.index < this.text.length && depth > 0) {
      if (this.text[this.index] === '{') depth++;
      if (this.text[this.index] === '}') depth--;
      this.index++;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Exec form and shell form

export type CommandArguments =
  | {
      form: 'exec';
      argv: string[];
      /** Span of each element in the text, quotes included. */
      spans: Array<{ start: number; end: number }>;
    }
  | {
      form: 'shell';
      text: string;
      /** Reason that text looking like a JSON array is not one; null when it does not look like one. */
      invalidJson: string | null;
    };

/**
 * Reads the arguments of CMD, ENTRYPOINT, RUN, SHELL or HEALTHCHECK CMD as Docker does. Text
 * that starts with `[` and parses as a JSON array of strings is exec form. Anything else is shell
 * form, including `['gunicorn']`, a trailing comma or an invalid escape.
 */
export function parseCommandArguments(text: string): CommandArguments {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('[')) return { form: 'shell', text, invalidJson: null };

  const parsed = parseJsonArray(text);
  if (parsed && parsed.every((item) => typeof item === 'string')) {
    return { form: 'exec', argv: parsed as string[], spans: jsonStringSpans(text) };
  }

  const invalidJson = looksLikeJsonArray(text) || parsed ? describeInvalidJson(text, parsed) : null;
  return { form: 'shell', text, invalidJson };
}

/**
 * True when the text is a JSON array with an element that is not a string, such as
 * `CMD ["gunicorn", 8000]`; Docker rejects such an instruction instead of running it.
 */
export function isNonStringJsonArray(text: string): boolean {
  const parsed = parseJsonArray(text);
  return parsed !== null && parsed.some((item) => typeof item !== 'string');
}

function parseJsonArray(text: string): unknown[] | null {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** `[ -f /app/x ] && ...` is a shell test, not a JSON attempt; quotes or commas right inside the bracket are. */
function looksLikeJsonArray(text: string): boolean {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) return false;

  const inner = trimmed.slice(1, -1).trim();
  return inner === '' || /^["'\u2018\u2019\u201C\u201D]/.test(inner) || /^[^\s[\]]+\s*,/.test(inner);
}

function describeInvalidJson(text: string, parsed: unknown[] | null): string {
  const inner = text.trim().slice(1, -1);

  if (parsed) {
    const bad = parsed.find((item) => typeof item !== 'string');
    return `has the element \`${JSON.stringify(bad)}\`, which is not a string`;
  }
  if (/[\u2018\u2019\u201C\u201D]/.test(inner)) return 'uses typographic quotes instead of `"`';
  if (/^\s*'|,\s*'|'\s*,/.test(inner)) return 'uses single quotes, and JSON strings need double quotes';
  if (/,\s*$/.test(inner)) return 'has a trailing comma';

  const escape = findInvalidEscape(inner);
  if (escape) return `has the invalid escape \`${escape}\` (write \`\\\\\` for a backslash)`;
  if (/"\s+"/.test(inner)) return 'is missing a comma between two elements';

  const unquoted = /(?:^|,)\s*([^\s",\]]+)\s*(?:,|$)/.exec(inner);
  if (unquoted) return `has the unquoted element \`${unquoted[1]}\``;
  return 'is not valid JSON';
}

function findInvalidEscape(inner: string): string | null {
  let inString = false;

  for (let i = 0; i < inner.length; i++) {
    const char = inner[i];
    if (char === '"') inString = !inString;
    if (!inString || char !== '\\') continue;

    const next = inner[i + 1] ?? '';
    if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(inner.slice(i + 2, i + 6))) {
      i += 5;
      continue;
    }
    if ('"\\/bfnrt'.includes(next) && next !== '') {
      i++;
      continue;
    }
    return `\\${next}`;
  }
  return null;
}

/** Spans of the string elements of text already known to be a JSON array of strings. */
function jsonStringSpans(text: string): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  let index = text.indexOf('[') + 1;

  while (index < text.length) {
    const open = text.indexOf('"', index);
    if (open === -1) break;

    let close = open + 1;
    while (close < text.length && text[close] !== '"') close += text[close] === '\\' ? 2 : 1;
    spans.push({ start: open, end: close + 1 });
    index = close + 1;
  }
  return spans;
}

import * as posix from 'node:path/posix';
import { mappedFromFile, mappedLocation, parseCommandArguments, sliceMapped, splitDockerWords, type MappedText } from '../parsers/dockerfile';
import type { FileKind, Location, SourceFile } from '../source';
import { commandDetails, instructionDetails, resolvePath } from './docker';
import type { CommandSpec, DockerInstructionInfo, EffectiveStage } from './types';

// ---------------------------------------------------------------------------------------------
// Words and commands

/** A shell word after quote removal and backslash escapes; `$VAR`, `${...}`, `$(...)` and backquotes stay as written. */
export interface ShellWord {
  value: string;
  /** Span of the word as written in the input text. */
  start: number;
  end: number;
}

/** One simple command of a script, such as `exec gunicorn app:app` in `cd /app && exec gunicorn app:app`. */
export interface ShellCommand {
  /** The words, without leading `NAME=value` assignments, redirections and reserved words such as `then`. */
  words: ShellWord[];
  assignments: ShellWord[];
  start: number;
  end: number;
  /** The operator that ends the command: `&&`, `||`, `;`, `;;`, `|`, `&`, `(`, `)`, a newline, or `` at the end of the text. */
  terminator: string;
}

type Token =
  | { kind: 'word'; value: string; start: number; end: number }
  | { kind: 'operator'; value: string; start: number; end: number }
  | { kind: 'redirect'; value: string; start: number; end: number };

const OPERATORS = ['&&', '||', ';;', ';', '|', '&', '(', ')'];
const REDIRECT = /(?:\d*(?:>>|>&|>\||<<<|<<-|<<|<&|<>|>|<)|&>>?)/y;
const LEADING_RESERVED = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time']);
const CLOSING_RESERVED = new Set(['fi', 'done', 'esac', '}']);
const HEADER_RESERVED = new Set(['for', 'case', 'select', 'function']);

/**
 * Splits a shell command line into words as a POSIX shell does before expansion. Operators such
 * as `&&` and redirection operators such as `2>&` come out as words of their own.
 */
export function splitShellWords(text: string): ShellWord[] {
  return tokenize(text).map(({ value, start, end }) => ({ value, start, end }));
}

/**
 * Splits a script into its simple commands, in order. Comments, heredoc bodies, redirections,
 * `case` patterns and the reserved words of `if`, `while`, `for` and `case` are dropped, so
 * `if [ -n "$X" ]; then exec gunicorn; fi` gives `[ -n $X ]` and `exec gunicorn`.
 */
export function parseShellCommands(text: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let current: Token[] = [];
  let caseDepth = 0;

  const finish = (terminator: string): void => {
    const command = buildCommand(current, terminator);
    current = [];
    if (!command) return;

    const first = command.words[0]?.value;
    if (first === 'case') caseDepth++;
    if (first === 'esac') caseDepth = Math.max(0, caseDepth - 1);
    if (isStructural(command, caseDepth)) return;
    commands.push(command);
  };

  for (const token of tokenize(text)) {
    if (token.kind === 'operator') finish(token.value);
    else current.push(token);
  }
  finish('');
  return commands;
}

function buildCommand(tokens: Token[], terminator: string): ShellCommand | null {
  const words: ShellWord[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'redirect') {
      i++;
      continue;
    }
    words.push({ value: token.value, start: token.start, end: token.end });
  }

  while (words.length > 0 && LEADING_RESERVED.has(words[0].value)) words.shift();

  const assignments: ShellWord[] = [];
  while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0].value)) assignments.push(words.shift()!);

  if (words.length === 0 && assignments.length === 0) return null;
  // Assignments come before the other words in the text, so the first and last words bound the command.
  const all = [...assignments, ...words];
  return { words, assignments, start: all[0].start, end: all[all.length - 1].end, terminator };
}

/** Commands that only shape control flow: `fi`, `done`, `for x in ...`, a `case` pattern, a function name. */
function isStructural(command: ShellCommand, caseDepth: number): boolean {
  const first = command.words[0]?.value;
  if (first !== undefined && (CLOSING_RESERVED.has(first) || HEADER_RESERVED.has(first))) return true;
  if (command.terminator === ')' && caseDepth > 0) return true;
  return command.terminator === '(';
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const heredocs: Array<{ delimiter: string; stripTabs: boolean }> = [];
  let heredocOperator: string | null = null;
  let index = 0;

  while (index < text.length) {
    const char = text[index];

    if (char === ' ' || char === '\t') {
      index++;
    } else if (char === '\\' && (text[index + 1] === '\n' || text[index + 1] === '\r')) {
      index = skipLineBreak(text, index + 1);
    } else if (char === '\n' || char === '\r') {
      tokens.push({ kind: 'operator', value: '\n', start: index, end: index + 1 });
      index = skipLineBreak(text, index);
      if (heredocs.length) index = skipHeredocBodies(text, index, heredocs.splice(0));
    } else if (char === '#') {
      while (index < text.length && text[index] !== '\n' && text[index] !== '\r') index++;
    } else {
      const operator = OPERATORS.find((candidate) => text.startsWith(candidate, index));
      REDIRECT.lastIndex = index;
      const redirect = operator && operator !== '&' ? null : REDIRECT.exec(text)?.[0];

      if (redirect) {
        tokens.push({ kind: 'redirect', value: redirect, start: index, end: index + redirect.length });
        heredocOperator = /<<-?$/.test(redirect) ? redirect : null;
        index += redirect.length;
      } else if (operator) {
        tokens.push({ kind: 'operator', value: operator, start: index, end: index + operator.length });
        index += operator.length;
      } else {
        const word = readWord(text, index);
        tokens.push({ kind: 'word', value: word.value, start: index, end: word.end });
        if (heredocOperator) heredocs.push({ delimiter: word.value, stripTabs: heredocOperator.endsWith('-') });
        heredocOperator = null;
        index = word.end;
      }
    }
  }
  return tokens;
}

function skipLineBreak(text: string, index: number): number {
  if (text[index] === '\r' && text[index + 1] === '\n') return index + 2;
  return index + 1;
}

/** Skips the bodies of heredocs opened on the line just ended, up to each delimiter line. */
function skipHeredocBodies(text: string, index: number, heredocs: Array<{ delimiter: string; stripTabs: boolean }>): number {
  for (const heredoc of heredocs) {
    while (index < text.length) {
      let lineEnd = index;
      while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
      const line = text.slice(index, lineEnd);
      index = lineEnd < text.length ? skipLineBreak(text, lineEnd) : lineEnd;
      if ((heredoc.stripTabs ? line.replace(/^\t+/, '') : line) === heredoc.delimiter) break;
    }
  }
  return index;
}

const WORD_END = new Set([' ', '\t', '\n', '\r', ';', '&', '|', '(', ')', '<', '>']);

function readWord(text: string, start: number): { value: string; end: number } {
  let value = '';
  let index = start;

  while (index < text.length && !WORD_END.has(text[index])) {
    const char = text[index];

    if (char === '\\') {
      const next = text[index + 1];
      if (next === '\n' || next === '\r') index = skipLineBreak(text, index + 1);
      else {
        value += next ?? '';
        index += 2;
      }
    } else if (char === "'") {
      const close = text.indexOf("'", index + 1);
      const end = close === -1 ? text.length : close;
      value += text.slice(index + 1, end);
      index = end + 1;
    } else if (char === '"') {
      const quoted = readDoubleQuoted(text, index);
      value += quoted.value;
      index = quoted.end;
    } else if (char === '$' && (text[index + 1] === '(' || text[index + 1] === '{')) {
      const end = skipBalanced(text, index + 1);
      value += text.slice(index, end);
      index = end;
    } else if (char === '`') {
      const close = text.indexOf('`', index + 1);
      const end = close === -1 ? text.length : close + 1;
      value += text.slice(index, end);
      index = end;
    } else {
      value += char;
      index++;
    }
  }
  return { value, end: index };
}

function readDoubleQuoted(text: string, start: number): { value: string; end: number } {
  let value = '';
  let index = start + 1;

  while (index < text.length && text[index] !== '"') {
    const char = text[index];
    if (char === '\\' && '$`"\\\n'.includes(text[index + 1] ?? 'x')) {
      if (text[index + 1] !== '\n') value += text[index + 1];
      index += 2;
    } else if (char === '$' && (text[index + 1] === '(' || text[index + 1] === '{')) {
      const end = skipBalanced(text, index + 1);
      value += text.slice(index, end);
      index = end;
    } else {
      value += char;
      index++;
    }
  }
  return { value, end: Math.min(index + 1, text.length) };
}

/** Returns the index after the bracket that closes the one at `open`, skipping quoted text. */
function skipBalanced(text: string, open: number): number {
  const closeChar = text[open] === '(' ? ')' : '}';
  const openChar = text[open];
  let depth = 0;
  let index = open;

  while (index < text.length) {
    const char = text[index];
    if (char === '\\') {
      index += 2;
      continue;
    }
    if (char === "'" || char === '"') {
      const close = text.indexOf(char, index + 1);
      index = close === -1 ? text.length : close + 1;
      continue;
    }
    if (char === openChar) depth++;
    if (char === closeChar) depth--;
    index++;
    if (depth === 0) break;
  }
  return index;
}

// ---------------------------------------------------------------------------------------------
// exec, wrappers and `sh -c`

interface WrapperSpec {
  /** Words after the options that belong to the wrapper, such as the user of `gosu app`. */
  operands: number;
  /** Options that take the next word as their value. */
  valueOptions?: string[];
  /** Every option takes a value (`opentelemetry-instrument --service_name x`). */
  optionsTakeValues?: boolean;
  /** A subcommand that must follow, such as `run` in `uv run`. */
  subcommand?: string;
  /** Leading `NAME=value` words are skipped (`env`). */
  assignments?: boolean;
}

/** Programs that start the command after them in the same process or as their only child. */
const WRAPPERS: Record<string, WrapperSpec> = {
  exec: { operands: 0, valueOptions: ['-a'] },
  env: { operands: 0, valueOptions: ['-u', '--unset', '-C', '--chdir'], assignments: true },
  tini: { operands: 0, valueOptions: ['-e', '-p'] },
  'tini-static': { operands: 0, valueOptions: ['-e', '-p'] },
  'dumb-init': { operands: 0, valueOptions: ['-r', '--rewrite'] },
  gosu: { operands: 1 },
  'su-exec': { operands: 1 },
  's6-setuidgid': { operands: 1 },
  runuser: { operands: 0, valueOptions: ['-u', '-g', '-G'] },
  setpriv: { operands: 0 },
  nohup: { operands: 0 },
  nice: { operands: 0, valueOptions: ['-n'] },
  'ddtrace-run': { operands: 0 },
  'opentelemetry-instrument': { operands: 0, optionsTakeValues: true },
  'newrelic-admin': { operands: 0, subcommand: 'run-program' },
  uv: { operands: 0, subcommand: 'run', valueOptions: ['--with', '--python', '-p', '--env-file', '--directory', '--project', '--extra', '--group', '--package'] },
  poetry: { operands: 0, subcommand: 'run' },
  pipenv: { operands: 0, subcommand: 'run' },
  pdm: { operands: 0, subcommand: 'run' },
  hatch: { operands: 0, subcommand: 'run' },
};

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh']);

export function programName(word: string): string {
  return posix.basename(word);
}

/**
 * Returns the index of the program that actually runs after `exec` and wrappers such as
 * `tini --`, `gosu app`, `env A=1` and `uv run`, and whether `exec` came first.
 */
export function skipWrappers(words: readonly string[]): { index: number; exec: boolean } {
  let index = 0;
  let exec = false;

  for (let guard = 0; guard < 8 && index < words.length; guard++) {
    const name = programName(words[index]);
    const spec = WRAPPERS[name];
    if (!spec) break;
    if (spec.subcommand && words[index + 1] !== spec.subcommand) break;

    if (name === 'exec' && index === 0) exec = true;
    index = skipWrapperArguments(words, index + (spec.subcommand ? 2 : 1), spec);
  }
  return { index, exec };
}

function skipWrapperArguments(words: readonly string[], start: number, spec: WrapperSpec): number {
  let index = start;

  while (index < words.length && words[index].startsWith('-') && words[index] !== '-') {
    const option = words[index];
    index++;
    if (option === '--') break;
    if (option.includes('=')) continue;
    if (spec.optionsTakeValues || spec.valueOptions?.includes(option)) index++;
  }
  if (spec.assignments) {
    while (index < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[index])) index++;
  }
  return index + spec.operands;
}

export type ShellInvocation =
  /** `sh -c 'script' [$0 [args...]]`. */
  | { kind: 'command'; scriptIndex: number }
  /** `sh script.sh [args...]`. */
  | { kind: 'file'; fileIndex: number };

/** Recognises `sh -c`, `bash -ec`, `/bin/sh -o pipefail -c` and `sh script.sh`; null for any other program. */
export function shellInvocation(words: readonly string[]): ShellInvocation | null {
  if (words.length === 0 || !SHELLS.has(programName(words[0]))) return null;

  let index = 1;
  let command = false;
  while (index < words.length && /^[-+]/.test(words[index])) {
    const option = words[index];
    index++;
    if (option === '--') break;
    if (option === '-o' || option === '+o') index++;
    else if (/^-[a-z]*c[a-z]*$/.test(option)) command = true;
  }

  if (index >= words.length) return null;
  return command ? { kind: 'command', scriptIndex: index } : { kind: 'file', fileIndex: index };
}

/** True for `$@`, `${@}`, `$*` and `${*}`, which expand to all of a script's arguments. */
export function isAllArguments(value: string): boolean {
  return /^\$(?:@|\*|\{@\}|\{\*\})$/.test(value);
}

// ---------------------------------------------------------------------------------------------
// Scripts

export interface ScriptSummary {
  /** The command that decides what keeps running: the last one, trailing `exit` commands skipped. */
  last: ShellCommand | null;
  /** The last command starts with `exec`, so its program replaces the shell. */
  exec: boolean;
  /** The last command's words after `exec` and wrappers such as `gosu app`. */
  program: ShellWord[];
  /** The program is `"$@"`: the script runs the arguments it was given. */
  runsArguments: boolean;
}

/** Reads what a script finally runs, such as `exec gunicorn ...` or `exec "$@"` at its end. */
export function summarizeScript(text: string): ScriptSummary {
  const commands = parseShellCommands(text);
  while (commands.length > 0 && commands[commands.length - 1].words[0]?.value === 'exit') commands.pop();

  const last = commands[commands.length - 1] ?? null;
  if (!last) return { last: null, exec: false, program: [], runsArguments: false };

  const { index, exec } = skipWrappers(last.words.map((word) => word.value));
  const program = last.words.slice(index);
  return { last, exec, program, runsArguments: program.length > 0 && isAllArguments(program[0].value) };
}

/** A script or Python file of the system that a container path refers to. */
export interface ContainerFile {
  /** The repository file, or the Dockerfile when a `COPY <<EOF` heredoc writes the file. */
  file: SourceFile;
  /** The file's text with offsets into `file`. */
  text: MappedText;
  containerPath: string;
}

/**
 * Finds the repository file that ends up at `containerPath` in the target stage's image.
 * COPY and ADD instructions of the stage and its parents are read from the last one back. For
 * each, the destination (resolved against the WORKDIR of the time) is stripped from the path and
 * the source put in its place, relative to the Dockerfile's folder or else the system root. A
 * heredoc written by `COPY <<EOF /path` counts as a file. When no COPY matches, a file of the
 * requested kinds with the same name is used if it is the only one.
 */
export function findContainerFile(
  containerPath: string,
  target: EffectiveStage,
  files: readonly SourceFile[],
  kinds: readonly FileKind[],
): ContainerFile | null {
  const absolute = resolvePath(target.workdir ?? '/', containerPath);
  const candidates = files.filter((file) => kinds.includes(file.kind));
  const contextFolders = [...new Set([posix.dirname(target.stage.fromLocation.file.relPath), '.'])];

  for (const instruction of [...target.instructions].reverse()) {
    if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') continue;

    const found = copiedFile(instruction, absolute, candidates, contextFolders);
    if (found) return found;
  }

  const sameName = candidates.filter((file) => posix.basename(file.relPath) === posix.basename(absolute));
  if (sameName.length !== 1) return null;
  return { file: sameName[0], text: mappedFromFile(sameName[0], 0, sameName[0].text.length), containerPath: absolute };
}

function copiedFile(
  instruction: DockerInstructionInfo,
  absolute: string,
  candidates: readonly SourceFile[],
  contextFolders: readonly string[],
): ContainerFile | null {
  const details = instructionDetails(instruction);
  if (!details || details.flags.some((flag) => flag.name === 'from')) return null;

  const parsed = parseCommandArguments(details.rest.text);
  const words =
    parsed.form === 'exec'
      ? parsed.argv
      : splitDockerWords(details.rest.text, details.escapeChar).map((word) => details.expand(word.raw).value ?? word.raw);
  if (words.length < 2) return null;

  const destinationWord = words[words.length - 1];
  const sources = words.slice(0, -1);
  const destination = resolvePath(details.workdir ?? '/', destinationWord);
  const intoFolder = destinationWord.endsWith('/') || sources.length > 1;

  for (const source of sources) {
    const heredoc = /^<<-?["']?([^"']+)["']?$/.exec(source);
    if (heredoc) {
      const body = instruction.heredocs.find((candidate) => candidate.name === heredoc[1]);
      const path = intoFolder ? posix.join(destination, heredoc[1]) : destination;
      if (body && path === absolute) {
        const text = mappedFromFile(body.location.file, body.location.start, body.location.end);
        return { file: body.location.file, text, containerPath: absolute };
      }
      continue;
    }

    for (const relative of sourceCandidates(source, destination, intoFolder, absolute)) {
      for (const folder of contextFolders) {
        const relPath = posix.normalize(posix.join(folder, relative));
        const file = candidates.find((candidate) => candidate.relPath === relPath);
        if (file) return { file, text: mappedFromFile(file, 0, file.text.length), containerPath: absolute };
      }
    }
  }
  return null;
}

/** Paths relative to the build context that `COPY source destination` would place at `absolute`. */
function sourceCandidates(source: string, destination: string, intoFolder: boolean, absolute: string): string[] {
  const candidates: string[] = [];
  const base = posix.basename(absolute);

  // A folder source (`.`, `src/`) copies its contents into the destination.
  if (absolute.startsWith(`${destination.replace(/\/$/, '')}/`)) {
    candidates.push(posix.join(source, absolute.slice(destination.replace(/\/$/, '').length + 1)));
  }
  if (intoFolder && posix.dirname(absolute) === destination && globMatches(posix.basename(source), base)) {
    candidates.push(posix.join(posix.dirname(source), base));
  }
  if (!intoFolder && destination === absolute) candidates.push(source);
  return candidates;
}

function globMatches(pattern: string, name: string): boolean {
  if (!/[*?[]/.test(pattern)) return pattern === name;
  const source = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${source}$`).test(name);
}

// ---------------------------------------------------------------------------------------------
// What the container runs

/** A word of the command the container runs, with where it is written. */
export interface LocatedWord {
  value: string;
  location: Location;
  /** The word's text with offsets, when its characters map one to one to the file. */
  text: MappedText | null;
  /** Set on the command string that a shell-form instruction hands to `/bin/sh -c`. */
  shellForm?: CommandSpec;
}

export type ServerKind =
  | 'gunicorn'
  | 'flask-run'
  | 'python-script'
  | 'python-module'
  | 'asgi-server'
  | 'other-server'
  | 'unknown';

export interface LaunchStep {
  /** `shell-form`: a shell-form CMD or ENTRYPOINT; `shell-c`: an exec-form `sh -c` string; `script`: an entrypoint script. */
  kind: 'shell-form' | 'shell-c' | 'script';
  /** The instruction's arguments, the `sh -c` string, or the script's last command. */
  location: Location;
  /** The last command starts with `exec`, so the next program replaces the shell as PID 1. */
  execs: boolean;
  /** The program the step runs last, after `exec` and wrappers. */
  program: string[];
  /** Name of the step's runner for messages: `/bin/sh -c`, `bash -c`, or the script's path in the repository. */
  launcher: string;
  /** The shell-form CMD or ENTRYPOINT, for `shell-form` steps. */
  instruction: CommandSpec | null;
  script: ContainerFile | null;
}

export interface LaunchTrace {
  /** The instruction whose words start the command: the ENTRYPOINT when it has any, else the CMD. */
  instruction: CommandSpec;
  steps: LaunchStep[];
  /** The program that finally runs, after shells, wrappers and entrypoint scripts; empty when unknown. */
  words: LocatedWord[];
  server: ServerKind;
  /** Span of the final program's words. */
  location: Location;
}

const MAX_LAUNCH_STEPS = 8;

/** Traces already computed, because several rules and the Gunicorn model ask for the same target. */
const traceCache = new WeakMap<EffectiveStage, { files: readonly SourceFile[]; trace: LaunchTrace | null }>();

/**
 * Follows the target stage's command through `sh -c` strings, wrappers and entrypoint scripts
 * found in the system, to the program that finally runs. Null when the stage has no command.
 */
export function traceLaunch(target: EffectiveStage, files: readonly SourceFile[]): LaunchTrace | null {
  const cached = traceCache.get(target);
  if (cached?.files === files) return cached.trace;

  const trace = computeTrace(target, files);
  traceCache.set(target, { files, trace });
  return trace;
}

function computeTrace(target: EffectiveStage, files: readonly SourceFile[]): LaunchTrace | null {
  const entrypoint = target.entrypoint && target.entrypoint.argv.length > 0 ? target.entrypoint : null;
  const instruction = entrypoint ?? target.cmd;
  if (!instruction || !target.command) return null;

  let words = commandWords(instruction);
  if (entrypoint?.form === 'exec' && target.cmd) words = [...words, ...commandWords(target.cmd)];

  const steps: LaunchStep[] = [];
  for (let round = 0; round < MAX_LAUNCH_STEPS; round++) {
    words = words.slice(skipWrappers(words.map((word) => word.value)).index);
    const next = followStep(words, target, files);
    if (!next) break;

    steps.push(next.step);
    words = next.words;
  }

  const location = words.length
    ? spanOf(words)
    : (steps[steps.length - 1]?.location ?? instruction.argumentsLocation);
  return { instruction, steps, words, server: classifyServer(words, target, files), location };
}

/** Runs one shell or script step of the launch; null when the words start a plain program. */
function followStep(
  words: LocatedWord[],
  target: EffectiveStage,
  files: readonly SourceFile[],
): { step: LaunchStep; words: LocatedWord[] } | null {
  const values = words.map((word) => word.value);
  const shell = shellInvocation(values);

  if (shell?.kind === 'command') {
    const scriptWord = words[shell.scriptIndex];
    const positional = words.slice(shell.scriptIndex + 2);
    const text = scriptWord.text ?? coarseText(scriptWord);
    const shellForm = scriptWord.shellForm;
    const launcher = values.slice(0, shell.scriptIndex).join(' ');
    const step = { kind: shellForm ? 'shell-form' : 'shell-c', launcher, instruction: shellForm ?? null, script: null } as const;
    return runScript(text, positional, step, shellForm ? shellForm.argumentsLocation : scriptWord.location);
  }

  const scriptIndex = shell?.kind === 'file' ? shell.fileIndex : 0;
  if (!looksLikeScriptPath(values[scriptIndex] ?? '')) return null;

  const script = findContainerFile(values[scriptIndex], target, files, ['shell']);
  if (!script) return null;
  const step = { kind: 'script', launcher: script.file === target.stage.fromLocation.file ? script.containerPath : script.file.relPath, instruction: null, script } as const;
  return runScript(script.text, words.slice(scriptIndex + 1), step, null);
}

/** Reads a shell step's script and returns the step with the words of the program it runs last. */
function runScript(
  text: MappedText,
  args: LocatedWord[],
  partial: Pick<LaunchStep, 'kind' | 'launcher' | 'instruction' | 'script'>,
  location: Location | null,
): { step: LaunchStep; words: LocatedWord[] } | null {
  const summary = summarizeScript(text.text);
  if (!summary.last) return null;

  const words = substituteArguments(summary.program, text, args);
  const step: LaunchStep = {
    ...partial,
    location: location ?? mappedLocation(text, summary.last.start, summary.last.end),
    execs: summary.exec,
    program: words.map((word) => word.value),
  };
  return { step, words };
}

/** Replaces `"$@"` with the script's arguments and `$1`...`$9` with one of them. */
function substituteArguments(program: ShellWord[], text: MappedText, args: LocatedWord[]): LocatedWord[] {
  const words: LocatedWord[] = [];

  for (const word of program) {
    const positional = /^\$\{?([1-9])\}?$/.exec(word.value);
    if (isAllArguments(word.value)) words.push(...args);
    else if (positional) words.push(...args.slice(Number(positional[1]) - 1, Number(positional[1])));
    else {
      const exact = word.end - word.start === word.value.length ? sliceMapped(text, word.start, word.end) : null;
      words.push({ value: word.value, location: mappedLocation(text, word.start, word.end), text: exact });
    }
  }
  return words;
}

/** Returns the words an instruction hands to Docker, each located: exec-form elements, or the shell and its command string. */
export function commandWords(spec: CommandSpec): LocatedWord[] {
  const details = commandDetails(spec);
  if (!details) return spec.argv.map((value) => ({ value, location: spec.argumentsLocation, text: null }));

  if (spec.form === 'shell') {
    const prefix = spec.argv.slice(0, -1).map((value) => ({ value, location: spec.argumentsLocation, text: null }));
    const script = spec.argv[spec.argv.length - 1];
    return [...prefix, { value: script, location: spec.argumentsLocation, text: details.text, shellForm: spec }];
  }

  return spec.argv.map((value, index) => {
    const span = details.elementSpans?.[index];
    if (!span) return { value, location: spec.argumentsLocation, text: null };

    return { value, location: mappedLocation(details.text, span.start, span.end), text: decodeJsonString(details.text, span.start, span.end) };
  });
}

const JSON_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * Decodes the JSON string literal at `[start, end)` (quotes included), keeping for each decoded
 * character the file offset of the character or escape sequence it comes from.
 */
function decodeJsonString(text: MappedText, start: number, end: number): MappedText {
  let value = '';
  const offsets: number[] = [];

  for (let index = start + 1; index < end - 1; ) {
    offsets.push(text.offsets[index]);
    if (text.text[index] !== '\\') {
      value += text.text[index];
      index++;
    } else if (text.text[index + 1] === 'u') {
      value += String.fromCharCode(parseInt(text.text.slice(index + 2, index + 6), 16));
      index += 6;
    } else {
      const escaped = text.text[index + 1];
      value += JSON_ESCAPES[escaped] ?? escaped;
      index += 2;
    }
  }
  offsets.push(text.offsets[end - 1]);
  return { file: text.file, text: value, offsets };
}

/** Mapped text whose every character points at the start of the word, for words whose source text is not known. */
function coarseText(word: LocatedWord): MappedText {
  const offsets = Array.from({ length: word.value.length + 1 }, () => word.location.start);
  offsets[word.value.length] = word.location.end;
  return { file: word.location.file, text: word.value, offsets };
}

/**
 * Returns the program word of each simple command an instruction runs, such as `curl` in
 * `HEALTHCHECK CMD curl -f http://localhost/ || exit 1`, looking one level into `sh -c` strings.
 */
export function commandPrograms(spec: CommandSpec): LocatedWord[] {
  const words = commandWords(spec);
  const values = words.map((word) => word.value);
  const start = skipWrappers(values).index;
  const shell = shellInvocation(values.slice(start));

  if (shell?.kind !== 'command') return words[start] ? [words[start]] : [];

  const scriptWord = words[start + shell.scriptIndex];
  const text = scriptWord.text ?? coarseText(scriptWord);
  return parseShellCommands(text.text).flatMap((command) => {
    const word = command.words[skipWrappers(command.words.map((candidate) => candidate.value)).index];
    if (!word) return [];
    return [{ value: word.value, location: mappedLocation(text, word.start, word.end), text: null }];
  });
}

function spanOf(words: LocatedWord[]): Location {
  const first = words[0].location;
  const end = words.reduce((max, word) => (word.location.file === first.file ? Math.max(max, word.location.end) : max), first.end);
  return { file: first.file, start: first.start, end };
}

function looksLikeScriptPath(value: string): boolean {
  if (!value || /\s|\$/.test(value)) return false;
  return value.includes('/') || value.endsWith('.sh') || /^(docker-)?entrypoint$/.test(value);
}

const ASGI_SERVERS = new Set(['uvicorn', 'hypercorn', 'daphne']);
const OTHER_SERVERS = new Set(['waitress-serve', 'uwsgi', 'granian', 'bjoern', 'cheroot', 'meinheld']);
const PYTHON = /^python(\d+(\.\d+)?)?$/;
/** Python options that take the next word as their value. */
const PYTHON_VALUE_OPTIONS = new Set(['-W', '-X', '--check-hash-based-pycs']);

/** Tells which server the final words start. */
export function classifyServer(words: LocatedWord[], target: EffectiveStage, files: readonly SourceFile[]): ServerKind {
  const values = words.map((word) => word.value);
  const program = values.length ? programName(values[0]) : '';

  if (program === 'gunicorn') return 'gunicorn';
  if (program === 'flask') return values.includes('run') ? 'flask-run' : 'unknown';
  if (ASGI_SERVERS.has(program)) return 'asgi-server';
  if (OTHER_SERVERS.has(program)) return 'other-server';
  if (PYTHON.test(program)) return classifyPython(values, target, files);
  if (program.endsWith('.py')) return pythonFileKind(values[0], target, files);
  return 'unknown';
}

function classifyPython(values: string[], target: EffectiveStage, files: readonly SourceFile[]): ServerKind {
  let index = 1;
  while (index < values.length && values[index].startsWith('-') && values[index] !== '-m' && values[index] !== '-c') {
    index += PYTHON_VALUE_OPTIONS.has(values[index]) ? 2 : 1;
  }

  const option = values[index];
  if (option === '-c' || option === undefined) return 'unknown';
  if (option !== '-m') return pythonFileKind(option, target, files);

  const module = values[index + 1] ?? '';
  if (module === 'gunicorn') return 'gunicorn';
  if (module === 'flask') return values.slice(index + 2).includes('run') ? 'flask-run' : 'unknown';
  if (ASGI_SERVERS.has(module)) return 'asgi-server';
  if (module === 'waitress') return 'other-server';
  return module ? 'python-module' : 'unknown';
}

/** Classifies a Python file run as a script; one that imports Gunicorn (`gunicorn.app.base.BaseApplication`) counts as Gunicorn. */
function pythonFileKind(path: string, target: EffectiveStage, files: readonly SourceFile[]): ServerKind {
  const found = findContainerFile(path, target, files, ['python']);
  if (found && /^\s*(?:from|import)\s+gunicorn\b/m.test(found.text.text)) return 'gunicorn';
  return 'python-script';
}

const MAX_SHOWN_COMMAND = 60;

/** Renders words as a short command line for messages, quoting words with spaces and cutting long ones. */
export function formatCommand(words: readonly string[]): string {
  const text = words.map((word) => (/[\s'"]/.test(word) || word === '' ? JSON.stringify(word) : word)).join(' ');
  return text.length > MAX_SHOWN_COMMAND ? `${text.slice(0, MAX_SHOWN_COMMAND - 3)}...` : text;
}

import * as path from 'node:path';
import { load as loadYaml } from 'js-yaml';
import type Parser from 'tree-sitter';
import {
  GUNICORN_LONG_FLAGS,
  GUNICORN_SETTINGS,
  gunicornSetting,
  gunicornSettingByFlag,
  type GunicornSettingInfo,
} from '../../data/gunicorn-settings';
import { createLogger } from '../log';
import { dottedName, evaluate, nodeLocation, parsePython, pythonQuery } from '../parsers/python';
import type { Location, SourceFile } from '../source';
import type { SystemInput } from '../system';
import {
  parseShellCommands,
  programName,
  shellInvocation,
  skipWrappers,
  splitShellWords,
  summarizeScript,
  traceLaunch,
  type LaunchTrace,
  type LocatedWord,
} from './shell';
import type {
  DockerModel,
  EffectiveStage,
  GunicornInvocation,
  GunicornModel,
  GunicornSetting,
  GunicornSettingSource,
  ParseProblem,
  PythonModel,
  PyValue,
} from './types';

const log = createLogger('gunicorn');
const posix = path.posix;

/**
 * Reads Gunicorn's settings from the command line, GUNICORN_CMD_ARGS and the config file.
 *
 * The command comes from the target stage of the main Dockerfile (ENTRYPOINT and CMD as Docker
 * combines them, through `sh -c` and entrypoint scripts of the system), or else from a compose
 * `command`. Settings follow Gunicorn's precedence: defaults, then the config file, then
 * GUNICORN_CMD_ARGS (source `env`), then command-line flags. The config file is read statically
 * and never run.
 */
export function buildGunicornModel(input: SystemInput, docker: DockerModel, python: PythonModel): GunicornModel {
  const env = dockerEnvironment(docker);
  const fromCompose = findComposeInvocation(input);
  const fromDocker = findDockerInvocation(input, docker);
  const found = fromDocker.found ?? fromCompose;
  const problems: ParseProblem[] = [];

  const cli = found ? parseGunicornArgs(found.args, 'command-line', env) : null;
  const cmdArgs = env.values.get('GUNICORN_CMD_ARGS');
  const fromEnv = cmdArgs ? parseGunicornArgs(cmdArgsWords(cmdArgs), 'env', env) : null;

  const paths = found?.paths ?? ContainerPaths.identity();
  const cwd = found?.cwd ?? '/';
  const configSetting = cli?.settings.get('config') ?? fromEnv?.settings.get('config') ?? null;
  const configFile = selectConfigFile(input, python, paths, cwd, configSetting, found !== null);
  const config = configFile ? readConfigFile(configFile, env) : null;
  if (config) problems.push(...config.problems);

  const settings = defaultSettings(env);
  for (const layer of [config?.settings, fromEnv?.settings, cli?.settings]) {
    for (const [name, setting] of layer ?? []) settings.set(name, setting);
  }

  const invocation = found && cli ? buildInvocation(found, cli, settings, configSetting, paths, cwd) : null;
  const used = invocation !== null || fromDocker.embedded || fromCompose !== null || input.files.some((file) => file.kind === 'gunicorn-config');

  log('used=%s invocation=%s config=%s', used, invocation?.argv.join(' ') ?? 'none', configFile?.relPath ?? 'none');
  return {
    used,
    invocation,
    configFile,
    settings,
    unknownNames: config?.unknownNames ?? [],
    problems,
  };
}

// ---------------------------------------------------------------------------------------------
// The environment of the image

/** Environment variables of the target image: a value, null when set to something unresolved. */
interface Environment {
  values: Map<string, { value: string | null; raw: string; location: Location }>;
  /** Returns the value of a variable, null when it is set but unresolved, undefined when unset. */
  lookup(name: string): string | null | undefined;
}

function dockerEnvironment(docker: DockerModel): Environment {
  const values = new Map<string, { value: string | null; raw: string; location: Location }>();
  for (const [name, env] of docker.main?.target?.env ?? []) {
    if (env.keyword === 'ENV') values.set(name, { value: env.value, raw: env.raw, location: env.location });
  }

  return {
    values,
    lookup: (name) => {
      const entry = values.get(name);
      return entry === undefined ? undefined : entry.value;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Command words with locations

/** A piece of a word, and whether a shell expands `$` in it. */
interface WordPart {
  text: string;
  expands: boolean;
}

/** One word of a command line and where it is written. */
interface CommandWord {
  text: string;
  /** The word's span, or the whole instruction when the word cannot be found in it. */
  location: Location;
  /** The parts of a word a shell reads, for `$VAR` expansion; null when no shell is involved. */
  parts: WordPart[] | null;
}

/**
 * Returns the parts of a word that went through a shell, all of them expanding.
 * NOTE: the shell splitter keeps `$` references but not their quoting, so `'$PORT'` in single
 * quotes is treated as an expansion too.
 */
function shellParts(text: string): WordPart[] {
  return [{ text, expands: true }];
}

/**
 * Locates each word in `region` in order: the next occurrence after the previous word, as a
 * whole token. Words that cannot be found get the whole region.
 */
function locateWords(region: Location, words: Array<{ text: string; raw?: string; parts: WordPart[] | null }>): CommandWord[] {
  const text = region.file.text.slice(region.start, region.end);
  let cursor = 0;

  return words.map((word) => {
    for (const needle of [word.raw, word.text, JSON.stringify(word.text).slice(1, -1)]) {
      if (!needle) continue;
      const at = findToken(text, needle, cursor);
      if (at < 0) continue;

      cursor = at + needle.length;
      return { text: word.text, parts: word.parts, location: { file: region.file, start: region.start + at, end: region.start + cursor } };
    }
    return { text: word.text, parts: word.parts, location: region };
  });
}

function findToken(text: string, needle: string, from: number): number {
  let at = text.indexOf(needle, from);
  while (at >= 0) {
    const before = at === 0 ? ' ' : text[at - 1];
    const after = at + needle.length >= text.length ? ' ' : text[at + needle.length];
    if (/[\s"'[,=;&|(]/.test(before) && /[\s"',\];&|)]/.test(after)) return at;
    at = text.indexOf(needle, at + 1);
  }
  return -1;
}

function cmdArgsWords(entry: { value: string | null; raw: string; location: Location }): CommandWord[] {
  // Gunicorn splits GUNICORN_CMD_ARGS with Python's `shlex.split`: quotes count, `$` does not expand.
  const text = entry.value ?? entry.raw;
  const words = splitShellWords(text).map((word) => ({ text: word.value, raw: text.slice(word.start, word.end), parts: null }));
  return locateWords(entry.location, words);
}

// ---------------------------------------------------------------------------------------------
// Finding the Gunicorn command

const PYTHON_PROGRAM = /^python(\d+(\.\d+)*)?$/;

/** Finds Gunicorn's program word and its first argument in a command, after wrappers such as `exec` and `tini --`. */
function gunicornArgsIndex(values: readonly string[]): { programIndex: number; argsIndex: number } | null {
  const programIndex = skipWrappers(values).index;
  const program = programName(values[programIndex] ?? '');
  if (program === 'gunicorn') return { programIndex, argsIndex: programIndex + 1 };
  if (!PYTHON_PROGRAM.test(program)) return null;

  // `python -u -m gunicorn ...`: interpreter options come before `-m`.
  let i = programIndex + 1;
  while (i < values.length && values[i].startsWith('-')) {
    const option = values[i];
    if (option === '-m') return values[i + 1] === 'gunicorn' ? { programIndex, argsIndex: i + 2 } : null;
    if (option === '-mgunicorn') return { programIndex, argsIndex: i + 1 };
    if (option === '-c' || option.startsWith('-m')) return null;
    i += option === '-X' || option === '-W' ? 2 : 1;
  }
  return null;
}

/** A command that runs Gunicorn: its words, where it is written, and the working directory it starts in. */
interface FoundInvocation {
  /** Words from the program (`gunicorn`, `python`) to the end of the command. */
  argv: CommandWord[];
  args: CommandWord[];
  location: Location;
  /** The working directory as a container path. */
  cwd: string;
  paths: ContainerPaths;
}

/**
 * Follows the target stage's command to the program that finally runs (through `sh -c`,
 * wrappers and entrypoint scripts of the system) and returns it when it is Gunicorn.
 * `embedded` is set when the image runs Gunicorn from a Python file of its own.
 */
function findDockerInvocation(input: SystemInput, docker: DockerModel): { found: FoundInvocation | null; embedded: boolean } {
  const target = docker.main?.target;
  const trace = target ? traceLaunch(target, input.files) : null;
  if (!target || !trace || trace.server !== 'gunicorn') return { found: null, embedded: false };

  const index = gunicornArgsIndex(trace.words.map((word) => word.value));
  if (!index) return { found: null, embedded: true };

  const words = trace.words.map((word) => commandWord(word, trace));
  const program = words[index.programIndex];
  const location = instructionAt(target, program) ?? trace.location;
  const paths = ContainerPaths.fromStage(input, target);
  const workdir = target.workdir ? posix.resolve('/', target.workdir) : '/';

  return {
    found: {
      argv: words.slice(index.programIndex),
      args: words.slice(index.argsIndex),
      location,
      cwd: followCd(trace, workdir),
      paths,
    },
    embedded: false,
  };
}

/** Converts a traced word. Words written in shell text (shell form, `sh -c`, a script) get `$` expansion. */
function commandWord(word: LocatedWord, trace: LaunchTrace): CommandWord {
  const fromShell = trace.steps.some((step) => contains(step.location, word.location));
  return { text: word.value, location: word.location, parts: fromShell ? shellParts(word.value) : null };
}

function contains(outer: Location, inner: Location): boolean {
  return outer.file === inner.file && inner.start >= outer.start && inner.end <= outer.end;
}

/** Returns the ENTRYPOINT or CMD instruction that a Dockerfile word is written in, or null for words of a script. */
function instructionAt(target: EffectiveStage, word: CommandWord | undefined): Location | null {
  for (const spec of [target.cmd, target.entrypoint]) {
    if (spec && word && contains(spec.location, word.location)) return spec.location;
  }
  return null;
}

/** Applies the `cd DIR` commands that `sh -c` strings and scripts run before starting the server. */
function followCd(trace: LaunchTrace, workdir: string): string {
  let cwd = workdir;

  for (const step of trace.steps) {
    const written = step.script ? step.script.text.text : step.location.file.text.slice(step.location.start, step.location.end);
    const commands = parseShellCommands(unquoteJson(written));
    for (const command of commands.slice(0, -1)) {
      const [program, folder] = command.words.map((word) => word.value);
      if (program === 'cd' && folder && !folder.includes('$')) cwd = posix.resolve(cwd, folder);
    }
  }
  return cwd;
}

/** Returns the string inside a JSON string literal, such as an exec-form `sh -c` argument, and other text unchanged. */
function unquoteJson(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"') || text.length < 2) return text;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'string' ? value : text;
  } catch {
    return text;
  }
}

/** Finds a compose service whose `command` runs Gunicorn, directly or in `sh -c`. */
function findComposeInvocation(input: SystemInput): FoundInvocation | null {
  for (const file of input.files) {
    if (file.kind !== 'compose') continue;

    for (const service of composeCommands(file)) {
      const words = composeProgramWords(service.words, service.search);
      const index = gunicornArgsIndex(words.map((word) => word.text));
      if (!index) continue;

      return {
        argv: words.slice(index.programIndex),
        args: words.slice(index.argsIndex),
        location: service.location,
        cwd: '/',
        paths: ContainerPaths.identity(),
      };
    }
  }
  return null;
}

/** Returns the words of the program a compose command runs, following one `sh -c` string to its last command. */
function composeProgramWords(words: CommandWord[], region: Location): CommandWord[] {
  const values = words.map((word) => word.text);
  const skipped = skipWrappers(values).index;
  const shell = shellInvocation(values.slice(skipped));
  if (shell?.kind !== 'command') return words;

  const script = words[skipped + shell.scriptIndex];
  const summary = summarizeScript(script.text);
  const program = summary.last?.words.slice(skipWrappers(summary.last.words.map((word) => word.value)).index) ?? [];
  return locateWords(region, program.map((word) => ({ text: word.value, raw: script.text.slice(word.start, word.end), parts: shellParts(word.value) })));
}

function composeCommands(file: SourceFile): Array<{ words: CommandWord[]; location: Location; search: Location }> {
  let data: unknown;
  try {
    data = loadYaml(file.text);
  } catch {
    // The YAML model reports compose files that do not parse.
    return [];
  }

  const services = isRecord(data) && isRecord(data.services) ? data.services : {};
  const result: Array<{ words: CommandWord[]; location: Location; search: Location }> = [];

  for (const [name, service] of Object.entries(services)) {
    if (!isRecord(service)) continue;
    const command = service.command;
    const region = commandRegion(file, name);
    if (!region) continue;

    if (typeof command === 'string') {
      // Compose splits a string command like a shell and substitutes `${VAR}` from its environment.
      const words = splitShellWords(command).map((word) => ({ text: word.value, raw: command.slice(word.start, word.end), parts: shellParts(word.value) }));
      result.push({ words: locateWords(region.search, words), location: region.key, search: region.search });
    } else if (Array.isArray(command) && command.every((item) => typeof item === 'string' || typeof item === 'number')) {
      const words = command.map((item) => ({ text: String(item), parts: null }));
      result.push({ words: locateWords(region.search, words), location: region.key, search: region.search });
    }
  }
  return result;
}

/** Finds the `command:` line of a compose service, and the text after it to search for its words. */
function commandRegion(file: SourceFile, service: string): { key: Location; search: Location } | null {
  const escaped = service.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const serviceKey = new RegExp(`^[ \\t]*["']?${escaped}["']?[ \\t]*:`, 'm').exec(file.text);
  if (!serviceKey) return null;

  const commandKey = /^[ \t]*command[ \t]*:.*$/m;
  const match = commandKey.exec(file.text.slice(serviceKey.index));
  if (!match) return null;

  const lineStart = serviceKey.index + match.index;
  const start = lineStart + match[0].length - match[0].trimStart().length;
  return { key: { file, start, end: lineStart + match[0].length }, search: { file, start, end: file.text.length } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function findSystemFile(input: SystemInput, relPath: string, kind: SourceFile['kind']): SourceFile | null {
  const existing = input.files.find((file) => file.relPath === relPath);
  if (existing) return existing;
  if (relPath === '' || relPath.endsWith('/')) return null;

  const loaded = input.load(relPath, kind);
  return 'text' in loaded ? loaded : null;
}

// ---------------------------------------------------------------------------------------------
// Container paths

interface PathMapping {
  /** An absolute path in the image. */
  container: string;
  /** The file or folder of the system it comes from, relative to the root; '' is the root. */
  system: string;
  directory: boolean;
}

/** Maps paths of the image to files of the system through the target stage's COPY and ADD. */
class ContainerPaths {
  private constructor(
    private readonly mappings: PathMapping[],
    /** The image folder taken as the system root when no COPY covers a path. */
    private readonly fallbackRoot: string,
  ) {}

  /** Paths of a system that runs outside a container: `/` is the system root. */
  static identity(): ContainerPaths {
    return new ContainerPaths([{ container: '/', system: '', directory: true }], '/');
  }

  static fromStage(input: SystemInput, target: EffectiveStage): ContainerPaths {
    const mappings: PathMapping[] = [];
    let workdir = '/';

    for (const instruction of target.instructions) {
      if (instruction.keyword === 'WORKDIR') {
        const folder = instruction.text.trim();
        if (!folder.includes('$')) workdir = posix.resolve(workdir, stripQuotes(folder));
      } else if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
        mappings.push(...copyMappings(input, instruction.text, workdir));
      }
    }

    // The folder the whole system is copied to is its root in the image: `COPY . /app` makes `/app`
    // the root. Without such a COPY the working directory is taken as the root.
    const rootCopy = [...mappings].reverse().find((mapping) => mapping.directory && mapping.system === '');
    const fallbackRoot = rootCopy?.container ?? (target.workdir ? posix.resolve('/', target.workdir) : '/');
    return new ContainerPaths(mappings, fallbackRoot);
  }

  /** Returns the system path of an image path ('' for the root), or null when none maps to it. */
  toSystem(containerPath: string): string | null {
    const absolute = posix.resolve('/', containerPath);

    for (let i = this.mappings.length - 1; i >= 0; i--) {
      const mapping = this.mappings[i];
      if (mapping.directory) {
        const rest = relativeInside(mapping.container, absolute);
        if (rest !== null) return joinSystem(mapping.system, rest);
      } else if (mapping.container === absolute) {
        return mapping.system;
      }
    }

    const rest = relativeInside(this.fallbackRoot, absolute);
    return rest === null ? null : joinSystem('', rest);
  }
}

function copyMappings(input: SystemInput, text: string, workdir: string): PathMapping[] {
  const args = copyArguments(text);
  if (args === null || args.length < 2) return [];

  const destination = args[args.length - 1];
  const sources = args.slice(0, -1);
  const destinationPath = posix.resolve(workdir, destination);
  const intoFolder = destination.endsWith('/') || destination === '.' || destination === '..' || sources.length > 1;

  return sources.map((source) => {
    const clean = normalizeSystemPath(source);
    const isFolder = clean === '' || source.endsWith('/') || /[*?[]/.test(clean) || isSystemFolder(input, clean);
    if (isFolder) {
      // A glob such as `*.py` copies matching files of its folder into the destination folder.
      const folder = /[*?[]/.test(clean) ? normalizeSystemPath(posix.dirname(clean)) : clean;
      return { container: destinationPath, system: folder, directory: true };
    }

    const container = intoFolder ? posix.join(destinationPath, posix.basename(clean)) : destinationPath;
    return { container, system: clean, directory: false };
  });
}

/** Returns the source and destination arguments of COPY or ADD, or null for `COPY --from=stage`. */
function copyArguments(text: string): string[] | null {
  const trimmed = text.trim();
  let args: string[];

  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      args = Array.isArray(parsed) ? parsed.map(String) : [];
    } catch {
      args = [];
    }
  } else {
    args = splitShellWords(trimmed).map((word) => word.value);
  }

  // Options come before the paths; `--from` copies from another stage or image, not from the system.
  const paths: string[] = [];
  for (const arg of args) {
    if (arg.startsWith('--from')) return null;
    if (arg.startsWith('--') && paths.length === 0) continue;
    paths.push(arg);
  }
  return paths;
}

function stripQuotes(text: string): string {
  return text.replace(/^(["'])(.*)\1$/, '$2');
}

function isSystemFolder(input: SystemInput, relPath: string): boolean {
  return input.files.some((file) => file.relPath.startsWith(`${relPath}/`));
}

/** Normalizes a path relative to the system root: `./src/` gives `src`, `.` gives ''. */
function normalizeSystemPath(relPath: string): string {
  const normalized = posix.normalize(relPath).replace(/^\.\/?/, '').replace(/\/+$/, '');
  return normalized === '.' ? '' : normalized;
}

function relativeInside(folder: string, absolute: string): string | null {
  if (absolute === folder) return '';
  const prefix = folder.endsWith('/') ? folder : `${folder}/`;
  return absolute.startsWith(prefix) ? absolute.slice(prefix.length) : null;
}

function joinSystem(base: string, rest: string): string | null {
  const joined = normalizeSystemPath(posix.join(base || '.', rest || '.'));
  return joined.startsWith('..') ? null : joined;
}

// ---------------------------------------------------------------------------------------------
// Gunicorn's command-line flags

interface ParsedArgs {
  settings: Map<string, GunicornSetting>;
  target: CommandWord | null;
}

/**
 * Parses Gunicorn's arguments as its argparse parser does: `--flag value`, `--flag=value`,
 * unambiguous long-flag prefixes, short flags with attached values (`-w4`) and clusters of
 * short flags that take no value (`-Dw 4`). The first positional word is the WSGI target.
 */
function parseGunicornArgs(words: CommandWord[], source: GunicornSettingSource, env: Environment): ParsedArgs {
  const settings = new Map<string, GunicornSetting>();
  let target: CommandWord | null = null;
  let i = 0;

  const set = (info: GunicornSettingInfo, flagWord: CommandWord, valueWord: CommandWord | null, value: PyValue): void => {
    let location = spanBetween(flagWord.location, valueWord?.location ?? null);
    let merged = value;

    // A repeated flag such as `-b` adds to the list, and the setting spans every occurrence.
    const previous = settings.get(info.name);
    if (info.repeatable) {
      const earlier = previous?.value.kind === 'list' ? previous.value.items : [];
      merged = { kind: 'list', items: [...earlier, value] };
      if (previous?.location) location = spanBetween(previous.location, location);
    }
    settings.set(info.name, { name: info.name, value: merged, source, location, node: null });
  };

  while (i < words.length) {
    const word = words[i];
    const text = word.text;

    if (text === '--') {
      target ??= words[i + 1] ?? null;
      break;
    }

    if (text.startsWith('--') && text.length > 2) {
      const equals = text.indexOf('=');
      const name = equals < 0 ? text : text.slice(0, equals);
      const info = longFlag(name);
      i++;
      if (!info) continue;

      if (!info.takesValue) {
        set(info, word, null, { kind: 'literal', value: info.flagValue ?? true });
      } else if (equals >= 0) {
        set(info, word, null, wordValue(info, text.slice(equals + 1), slicePartsAfter(word.parts, equals + 1), env));
      } else if (i < words.length) {
        const valueWord = words[i++];
        set(info, word, valueWord, wordValue(info, valueWord.text, valueWord.parts, env));
      }
      continue;
    }

    if (text.startsWith('-') && text.length > 1 && !/^-\d/.test(text)) {
      i++;
      for (let j = 1; j < text.length; j++) {
        const info = gunicornSettingByFlag(`-${text[j]}`);
        if (!info) break;
        if (!info.takesValue) {
          set(info, word, null, { kind: 'literal', value: info.flagValue ?? true });
          continue;
        }

        const offset = text[j + 1] === '=' ? j + 2 : j + 1;
        if (offset < text.length) {
          set(info, word, null, wordValue(info, text.slice(offset), slicePartsAfter(word.parts, offset), env));
        } else if (i < words.length) {
          const valueWord = words[i++];
          set(info, word, valueWord, wordValue(info, valueWord.text, valueWord.parts, env));
        }
        break;
      }
      continue;
    }

    target ??= word;
    i++;
  }

  return { settings, target };
}

/** Finds a long flag by its spelling or, as argparse allows, by an unambiguous prefix of it. */
function longFlag(name: string): GunicornSettingInfo | undefined {
  const exact = gunicornSettingByFlag(name);
  if (exact) return exact;

  const candidates = GUNICORN_LONG_FLAGS.filter((flagName) => flagName.startsWith(name));
  const settings = new Set(candidates.map((flagName) => gunicornSettingByFlag(flagName)));
  return settings.size === 1 ? [...settings][0] : undefined;
}

function spanBetween(first: Location, second: Location | null): Location {
  if (!second || second.file !== first.file || second.end < first.start) return first;
  return { file: first.file, start: Math.min(first.start, second.start), end: Math.max(first.end, second.end) };
}

function slicePartsAfter(parts: WordPart[] | null, offset: number): WordPart[] | null {
  if (!parts) return null;

  const result: WordPart[] = [];
  let position = 0;
  for (const part of parts) {
    const end = position + part.text.length;
    if (end > offset) result.push({ text: part.text.slice(Math.max(0, offset - position)), expands: part.expands });
    position = end;
  }
  return result;
}

/** Reads the value of a flag's argument, typed as the setting reads it, with shell expansions resolved. */
function wordValue(info: GunicornSettingInfo, text: string, parts: WordPart[] | null, env: Environment): PyValue {
  const value = parts ? expandShellWord(parts, env) : ({ kind: 'literal', value: text } as PyValue);
  return info.type === 'int' ? toInteger(value) : value;
}

const WHOLE_EXPANSION = /^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=])([^}]*))?\})$/;
const EXPANSION = /\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=])([^}]*))?\}|\([^)]*\)|\{[^}]*\})|`[^`]*`/g;

/**
 * Resolves `$VAR`, `${VAR}` and `${VAR:-default}` in a shell word. A word that is one expansion
 * gives an `env` value. A word that mixes text and expansions gives the text with each variable
 * replaced by the image's value or the default. It is unknown when a variable has neither.
 */
function expandShellWord(parts: WordPart[], env: Environment): PyValue {
  const text = parts.map((part) => part.text).join('');
  const expanding = parts.filter((part) => part.expands).map((part) => part.text).join('');
  if (parts.length === 1 && parts[0].expands) {
    const whole = WHOLE_EXPANSION.exec(text);
    if (whole) {
      const fallback = whole[4] ?? null;
      return { kind: 'env', name: whole[1] ?? whole[2], fallback: fallback === null ? null : { kind: 'literal', value: fallback } };
    }
  }
  if (!expanding.includes('$') && !expanding.includes('`')) return { kind: 'literal', value: text };

  let unknown = false;
  const expanded = parts
    .map((part) => {
      if (!part.expands) return part.text;
      return part.text.replace(EXPANSION, (match, plain?: string, braced?: string, operator?: string, fallback?: string) => {
        const name = plain ?? braced;
        const value = name ? env.lookup(name) : null;
        if (typeof value === 'string' && !(operator?.startsWith(':') && value === '')) return value;
        if (name && operator !== undefined && fallback !== undefined) return fallback;
        unknown = true;
        return match;
      });
    })
    .join('');
  return unknown ? { kind: 'unknown', text } : { kind: 'literal', value: expanded };
}

function toInteger(value: PyValue): PyValue {
  if (value.kind === 'env') return { ...value, fallback: value.fallback ? toInteger(value.fallback) : null };
  if (value.kind !== 'literal' || typeof value.value !== 'string') return value;

  const number = parsePythonInt(value.value);
  return number === null ? value : { kind: 'literal', value: number };
}

/** Parses an integer as Python's `int(text, 0)` does (`0x1f`, `0o17`, `1_000`); null when it is not one. */
function parsePythonInt(text: string): number | null {
  const clean = text.trim().replace(/_/g, '').toLowerCase();
  if (/^[+-]?\d+$/.test(clean)) return Number(clean);
  if (/^0x[0-9a-f]+$/.test(clean)) return parseInt(clean.slice(2), 16);
  if (/^0o[0-7]+$/.test(clean)) return parseInt(clean.slice(2), 8);
  if (/^0b[01]+$/.test(clean)) return parseInt(clean.slice(2), 2);
  return null;
}

// ---------------------------------------------------------------------------------------------
// The invocation

function buildInvocation(
  found: FoundInvocation,
  cli: ParsedArgs,
  settings: Map<string, GunicornSetting>,
  configSetting: GunicornSetting | null,
  paths: ContainerPaths,
  cwd: string,
): GunicornInvocation {
  const wsgiApp = settings.get('wsgi_app');
  const wsgiTarget = wsgiApp && wsgiApp.source !== 'default' ? literalText(wsgiApp.value) : null;
  const target = cli.target?.text ?? wsgiTarget;
  const targetLocation = cli.target?.location ?? (wsgiTarget ? wsgiApp?.location : null) ?? found.location;

  const chdirValue = settings.get('chdir');
  const chdirText = chdirValue && chdirValue.source !== 'default' ? literalText(chdirValue.value) : null;
  const importFolder = chdirValue && chdirValue.source !== 'default' && chdirText === null ? null : posix.resolve(cwd, chdirText ?? '.');

  return {
    argv: found.argv.map((word) => word.text),
    target,
    targetLocation,
    configPath: configSetting ? literalText(configSetting.value) ?? describeValue(configSetting.value) : null,
    flags: cli.settings,
    chdir: importFolder === null ? null : paths.toSystem(importFolder),
    location: found.location,
  };
}

function literalText(value: PyValue): string | null {
  return value.kind === 'literal' && typeof value.value === 'string' ? value.value : null;
}

function describeValue(value: PyValue): string {
  if (value.kind === 'unknown') return value.text;
  if (value.kind === 'env') return `$${value.name ?? ''}`;
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------
// Defaults

function defaultSettings(env: Environment): Map<string, GunicornSetting> {
  const settings = new Map<string, GunicornSetting>();

  for (const info of GUNICORN_SETTINGS) {
    let value = defaultValue(info.default);
    if (info.defaultEnv) value = { kind: 'env', name: info.defaultEnv, fallback: value };

    // Gunicorn binds `0.0.0.0:$PORT` by default when PORT is in its environment.
    const port = info.name === 'bind' ? env.lookup('PORT') : undefined;
    if (port !== undefined) value = { kind: 'list', items: [{ kind: 'literal', value: `0.0.0.0:${port ?? '$PORT'}` }] };

    settings.set(info.name, { name: info.name, value, source: 'default', location: null, node: null });
  }
  return settings;
}

function defaultValue(value: GunicornSettingInfo['default']): PyValue {
  if (Array.isArray(value)) return { kind: 'list', items: value.map((item) => ({ kind: 'literal', value: item })) };
  if (value !== null && typeof value === 'object') {
    return {
      kind: 'dict',
      entries: Object.entries(value).map(([key, item]) => ({ key: { kind: 'literal', value: key }, value: { kind: 'literal', value: item } })),
    };
  }
  return { kind: 'literal', value };
}

// ---------------------------------------------------------------------------------------------
// The config file

/**
 * Picks the config file Gunicorn loads: the `-c` path (relative to the working directory,
 * `file:` and `python:module` forms too), else `gunicorn.conf.py` in the working directory.
 * Without a known command, a discovered Gunicorn config file is taken, root files first.
 */
function selectConfigFile(
  input: SystemInput,
  python: PythonModel,
  paths: ContainerPaths,
  cwd: string,
  configSetting: GunicornSetting | null,
  commandKnown: boolean,
): SourceFile | null {
  if (configSetting) {
    const written = literalText(configSetting.value);
    if (written === null) return null;

    if (written.startsWith('python:')) {
      const moduleName = written.slice('python:'.length);
      const module = python.moduleByName(moduleName);
      if (module) return module.file;
      const relPath = paths.toSystem(posix.resolve(cwd, `${moduleName.replace(/\./g, '/')}.py`));
      return relPath === null ? null : findSystemFile(input, relPath, 'python');
    }

    const filePath = written.startsWith('file:') ? written.slice('file:'.length) : written;
    const relPath = paths.toSystem(posix.resolve(cwd, filePath));
    return relPath === null ? null : findSystemFile(input, relPath, 'gunicorn-config');
  }

  if (commandKnown) {
    const relPath = paths.toSystem(posix.resolve(cwd, 'gunicorn.conf.py'));
    return relPath === null ? null : findSystemFile(input, relPath, 'gunicorn-config');
  }

  const candidates = input.files.filter((file) => file.kind === 'gunicorn-config');
  candidates.sort((a, b) => configRank(a) - configRank(b) || compareText(a.relPath, b.relPath));
  return candidates[0] ?? null;
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function configRank(file: SourceFile): number {
  const depth = file.relPath.split('/').length - 1;
  return depth * 2 + (posix.basename(file.relPath) === 'gunicorn.conf.py' ? 0 : 1);
}

interface ConfigScan {
  settings: Map<string, GunicornSetting>;
  unknownNames: GunicornModel['unknownNames'];
  problems: ParseProblem[];
}

/** A module-level statement of the config file, and whether it runs only under a condition. */
interface ConfigStatement {
  node: Parser.SyntaxNode;
  conditional: boolean;
}

/** A name bound at module level: an assignment's value, or null for other bindings. */
interface Binding {
  /** The offset where the binding statement ends: reads after it see the new value. */
  end: number;
  value: Parser.SyntaxNode | null;
  conditional: boolean;
}

interface ConfigScope {
  file: SourceFile;
  bindings: Map<string, Binding[]>;
  /** Local names of imports and the dotted names they stand for (`mp` for `multiprocessing`). */
  imports: Map<string, string>;
  env: Environment;
  /** Values of bindings already evaluated, so a chain of names is evaluated once per name. */
  evaluated: Map<Binding, PyValue>;
}

const COMPOUND_STATEMENTS = new Set(['if_statement', 'try_statement', 'with_statement', 'for_statement', 'while_statement', 'match_statement']);

/** Reads the module-level assignments, hooks and names of a Gunicorn config file. */
function readConfigFile(file: SourceFile, env: Environment): ConfigScan {
  const parsed = parsePython(file);
  const root = parsed.tree.rootNode;
  const statements = moduleStatements(root);
  const scope: ConfigScope = { file, bindings: new Map(), imports: new Map(), env, evaluated: new Map() };
  const settings = new Map<string, GunicornSetting>();
  const candidates: Array<{ name: string; location: Location; hook: boolean }> = [];
  const definitions = new Set<number>();

  for (const { node, conditional } of statements) {
    if (node.type === 'import_statement' || node.type === 'import_from_statement') {
      recordImports(node, scope);
      continue;
    }

    const definition = node.type === 'decorated_definition' ? node.childForFieldName('definition') : node;
    if (definition && (definition.type === 'function_definition' || definition.type === 'class_definition')) {
      const nameNode = definition.childForFieldName('name');
      if (!nameNode) continue;
      definitions.add(nameNode.startIndex);
      bind(scope, nameNode.text, { end: node.endIndex, value: null, conditional });

      const info = gunicornSetting(nameNode.text);
      if (info && definition.type === 'function_definition') {
        settings.set(info.name, {
          name: info.name,
          value: { kind: 'name', name: nameNode.text },
          source: 'config',
          location: nodeLocation(file, nameNode),
          node: definition,
        });
      } else if (definition.type === 'function_definition') {
        candidates.push({ name: nameNode.text, location: nodeLocation(file, nameNode), hook: true });
      }
      continue;
    }

    if (node.type !== 'expression_statement') continue;
    const statement = node.firstNamedChild;
    if (!statement) continue;

    if (statement.type === 'augmented_assignment') {
      const target = statement.childForFieldName('left');
      const info = target?.type === 'identifier' ? gunicornSetting(target.text) : undefined;
      if (target?.type === 'identifier') definitions.add(target.startIndex);
      if (info) {
        const value = statement.childForFieldName('right');
        settings.set(info.name, { name: info.name, value: { kind: 'unknown', text: statement.text }, source: 'config', location: nodeLocation(file, statement), node: value });
      }
      continue;
    }
    if (statement.type !== 'assignment') continue;

    for (const { target, value } of assignmentPairs(statement)) {
      definitions.add(target.startIndex);
      bind(scope, target.text, { end: statement.endIndex, value, conditional });

      const info = gunicornSetting(target.text);
      if (info) {
        const evaluated = conditional || !value ? ({ kind: 'unknown', text: value?.text ?? target.text } as PyValue) : evaluateConfigValue(value, scope, 0);
        settings.set(info.name, {
          name: info.name,
          value: info.type === 'int' ? toInteger(evaluated) : evaluated,
          source: 'config',
          location: nodeLocation(file, statement),
          node: value,
        });
      } else {
        candidates.push({ name: target.text, location: nodeLocation(file, target), hook: false });
      }
    }
  }

  const referenced = referencedNames(root, definitions);
  const unknownNames = unknownNamesOf(candidates, referenced);
  return { settings, unknownNames, problems: parsed.problems };
}

/** Lists the module-level statements in order, including those inside module-level `if`, `try` and `with` blocks. */
function moduleStatements(root: Parser.SyntaxNode): ConfigStatement[] {
  const result: ConfigStatement[] = [];

  const visit = (node: Parser.SyntaxNode, conditional: boolean): void => {
    for (const child of node.namedChildren) {
      if (child.type === 'comment') continue;

      if (COMPOUND_STATEMENTS.has(child.type)) {
        // A `with` body always runs; the bodies of `if`, `try` and loops may not.
        visit(child, conditional || child.type !== 'with_statement');
      } else if (child.type === 'block' || /_clause$/.test(child.type)) {
        visit(child, conditional);
      } else if (node.type === 'module' || node.type === 'block') {
        result.push({ node: child, conditional });
      }
    }
  };

  visit(root, false);
  return result;
}

function recordImports(node: Parser.SyntaxNode, scope: ConfigScope): void {
  const moduleName = node.type === 'import_from_statement' ? node.childForFieldName('module_name')?.text ?? null : null;

  for (const child of node.namedChildren) {
    if (child.type !== 'dotted_name' && child.type !== 'aliased_import') continue;
    if (moduleName !== null && child.startIndex === node.childForFieldName('module_name')?.startIndex) continue;

    const aliased = child.type === 'aliased_import';
    const name = aliased ? child.childForFieldName('name')?.text ?? '' : child.text;
    let local = aliased ? child.childForFieldName('alias')?.text ?? name : name;
    let dotted = name;

    if (moduleName !== null) {
      // `from os import environ as env` binds `env` to `os.environ`.
      dotted = `${moduleName}.${name}`;
    } else if (!aliased) {
      // `import os.path` binds `os`, which stands for the module `os`.
      local = name.split('.')[0];
      dotted = local;
    }

    scope.imports.set(local, dotted);
    bind(scope, local, { end: node.endIndex, value: null, conditional: false });
  }
}

function bind(scope: ConfigScope, name: string, binding: Binding): void {
  const list = scope.bindings.get(name);
  if (list) list.push(binding);
  else scope.bindings.set(name, [binding]);
}

/** Returns the name and value pairs of an assignment: `a = b = 1`, `a, b = 1, 2`, `a: int = 1`. */
function assignmentPairs(assignment: Parser.SyntaxNode): Array<{ target: Parser.SyntaxNode; value: Parser.SyntaxNode | null }> {
  const targets: Parser.SyntaxNode[] = [];
  let current: Parser.SyntaxNode | null = assignment;

  while (current && current.type === 'assignment') {
    const left = current.childForFieldName('left');
    if (left) targets.push(left);
    current = current.childForFieldName('right');
  }
  // An annotation without a value (`workers: int`) binds nothing.
  if (!current) return [];

  const pairs: Array<{ target: Parser.SyntaxNode; value: Parser.SyntaxNode | null }> = [];
  for (const target of targets) {
    if (target.type === 'identifier') {
      pairs.push({ target, value: current });
      continue;
    }
    if (!['pattern_list', 'tuple_pattern', 'list_pattern'].includes(target.type)) continue;

    const names = target.namedChildren.filter((child) => child.type !== 'comment');
    const values = ['expression_list', 'tuple', 'list'].includes(current.type) ? current.namedChildren.filter((child) => child.type !== 'comment') : [];
    names.forEach((name, index) => {
      if (name.type === 'identifier') pairs.push({ target: name, value: values.length === names.length ? values[index] : null });
    });
  }
  return pairs;
}

/** Collects the names read anywhere in the file, other than where they are bound at module level. */
function referencedNames(root: Parser.SyntaxNode, definitions: Set<number>): Set<string> {
  const names = new Set<string>();

  for (const { node } of pythonQuery('(identifier) @name').captures(root)) {
    if (definitions.has(node.startIndex)) continue;

    const parent = node.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.startIndex === node.startIndex) continue;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.startIndex === node.startIndex) continue;
    names.add(node.text);
  }
  return names;
}

/**
 * Lists the names that Gunicorn ignores. These are module-level assignments that are not
 * settings and that the rest of the file does not read (a helper such as `PORT` is read). Also
 * listed are functions that nothing reads and whose name is near a server hook (`def post_forks`).
 * Private `_names` are skipped.
 */
function unknownNamesOf(
  candidates: Array<{ name: string; location: Location; hook: boolean }>,
  referenced: Set<string>,
): GunicornModel['unknownNames'] {
  const result: GunicornModel['unknownNames'] = [];
  const seen = new Set<string>();

  for (const candidate of candidates) {
    if (candidate.name.startsWith('_') || referenced.has(candidate.name) || seen.has(candidate.name)) continue;
    if (gunicornSetting(candidate.name)) continue;

    const suggestion = nearestSetting(candidate.name, candidate.hook);
    if (candidate.hook && suggestion === null) continue;

    seen.add(candidate.name);
    result.push({ name: candidate.name, location: candidate.location, suggestion });
  }
  return result;
}

const HOOK_SETTING_NAMES = GUNICORN_SETTINGS.filter((info) => info.type === 'hook').map((info) => info.name);
const ALL_SETTING_NAMES = GUNICORN_SETTINGS.map((info) => info.name);

/**
 * Returns the setting a misspelt name most likely means. That is a flag written as a name
 * (`preload` for `--preload`), a different case (`BIND`), or else the closest setting within an
 * edit distance of 1 for names of up to 5 characters and 2 for longer names.
 */
export function nearestSetting(name: string, hooksOnly = false): string | null {
  const candidates = hooksOnly ? HOOK_SETTING_NAMES : ALL_SETTING_NAMES;
  const lower = name.toLowerCase();
  if (candidates.includes(lower)) return lower;

  if (!hooksOnly) {
    const byFlag = gunicornSettingByFlag(`--${lower.replace(/_/g, '-')}`) ?? gunicornSettingByFlag(`--${lower}`);
    if (byFlag) return byFlag.name;
  }

  const limit = lower.length <= 5 ? 1 : 2;
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate, limit);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Computes the Damerau-Levenshtein distance (a swap of adjacent letters is one edit), cut off above `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;

  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[i].push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2][j - 2] + 1);
      rows[i].push(best);
    }
  }
  return rows[a.length][b.length];
}

// ---------------------------------------------------------------------------------------------
// Evaluating config values

/** Nesting depth of expressions and names that evaluation follows; it bounds recursion on crafted files. */
const MAX_EVALUATION_DEPTH = 100;
const ENV_GETTERS = new Set(['os.environ.get', 'os.getenv', 'os.environ.setdefault']);

/**
 * Evaluates a config value statically: literals, f-strings, concatenation, arithmetic, `int()`,
 * `str()`, `min()`/`max()`, `.format()`, module-level names and environment lookups. A bare
 * lookup (`int(os.environ.get("WEB_CONCURRENCY", 3))`) stays an `env` value with its fallback.
 * Inside a larger expression a variable takes the image's ENV value, else its fallback.
 * `cpu_count()` and anything else unknown give `unknown`.
 */
function evaluateConfigValue(node: Parser.SyntaxNode, scope: ConfigScope, depth: number): PyValue {
  if (depth > MAX_EVALUATION_DEPTH) return unknown(node);

  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((child) => child.type !== 'comment');
      return inner ? evaluateConfigValue(inner, scope, depth + 1) : unknown(node);
    }
    case 'identifier':
      return evaluateName(node, scope, depth);
    case 'string':
      return evaluateStringNode(node, scope, depth);
    case 'concatenated_string':
      return concatenate(node.namedChildren.map((part) => evaluateConfigValue(part, scope, depth + 1)), scope, node);
    case 'binary_operator':
      return evaluateBinary(node, scope, depth);
    case 'call':
      return evaluateCallNode(node, scope, depth);
    case 'boolean_operator': {
      const left = evaluateField(node, 'left', scope, depth);
      const right = node.childForFieldName('right');
      if (node.childForFieldName('operator')?.text !== 'or' || !right) return unknown(node);
      if (left.kind === 'env' && left.fallback === null) return { ...left, fallback: evaluateConfigValue(right, scope, depth + 1) };

      const truth = concreteValue(left, scope.env);
      if (truth === undefined) return unknown(node);
      return truth ? left : evaluateConfigValue(right, scope, depth + 1);
    }
    case 'subscript': {
      const object = resolveDotted(dottedName(node.childForFieldName('value')), scope);
      if (object !== 'os.environ') return unknown(node);
      const key = evaluateField(node, 'subscript', scope, depth);
      return { kind: 'env', name: key.kind === 'literal' && typeof key.value === 'string' ? key.value : null, fallback: null };
    }
    case 'list':
    case 'tuple':
    case 'set':
      return { kind: 'list', items: node.namedChildren.filter((child) => child.type !== 'comment').map((child) => evaluateConfigValue(child, scope, depth + 1)) };
    case 'dictionary':
      return {
        kind: 'dict',
        entries: node.namedChildren
          .filter((child) => child.type === 'pair')
          .map((pair) => ({
            key: evaluateField(pair, 'key', scope, depth),
            value: evaluateField(pair, 'value', scope, depth),
          })),
      };
    case 'unary_operator': {
      const operand = concreteValue(evaluateField(node, 'argument', scope, depth), scope.env);
      const operator = node.childForFieldName('operator')?.text;
      if (operator === '-' && typeof operand === 'number') return { kind: 'literal', value: -operand };
      if (operator === '+' && typeof operand === 'number') return { kind: 'literal', value: operand };
      return unknown(node);
    }
    default:
      return evaluate(node, scope.file);
  }
}

/** Evaluates a field of a node, such as the `left` operand; unknown when a broken tree lacks it. */
function evaluateField(node: Parser.SyntaxNode, field: string, scope: ConfigScope, depth: number): PyValue {
  const child = node.childForFieldName(field);
  return child ? evaluateConfigValue(child, scope, depth + 1) : unknown(node);
}

function unknown(node: Parser.SyntaxNode): PyValue {
  return { kind: 'unknown', text: node.text };
}

/** Follows a module-level name to the last value bound to it before it is read. */
function evaluateName(node: Parser.SyntaxNode, scope: ConfigScope, depth: number): PyValue {
  const bindings = scope.bindings.get(node.text) ?? [];
  const binding = [...bindings].reverse().find((candidate) => candidate.end <= node.startIndex);
  if (!binding) return { kind: 'name', name: node.text };
  if (!binding.value || binding.conditional) return unknown(node);

  const cached = scope.evaluated.get(binding);
  if (cached) return cached;
  const value = evaluateConfigValue(binding.value, scope, depth + 1);
  scope.evaluated.set(binding, value);
  return value;
}

/** Resolves the first part of a dotted name through the file's imports: `mp.cpu_count` gives `multiprocessing.cpu_count`. */
function resolveDotted(name: string | null, scope: ConfigScope): string | null {
  if (!name) return null;
  const [head, ...rest] = name.split('.');
  const imported = scope.imports.get(head);
  return imported ? [imported, ...rest].join('.') : name;
}

function evaluateStringNode(node: Parser.SyntaxNode, scope: ConfigScope, depth: number): PyValue {
  const interpolations = node.namedChildren.filter((child) => child.type === 'interpolation');
  if (interpolations.length === 0) return evaluate(node, scope.file);

  let text = '';
  for (const child of node.namedChildren) {
    if (child.type === 'string_content') {
      text += unescapeFString(child.text);
    } else if (child.type === 'interpolation') {
      if (child.childForFieldName('format_specifier') || child.childForFieldName('type_conversion')) return unknown(node);
      const expression = child.childForFieldName('expression');
      const value = expression ? concreteValue(evaluateConfigValue(expression, scope, depth + 1), scope.env) : undefined;
      if (value === undefined) return unknown(node);
      text += pythonStr(value);
    }
  }
  return { kind: 'literal', value: text };
}

function unescapeFString(text: string): string {
  const escapes: Record<string, string> = { n: '\n', t: '\t', '\\': '\\', "'": "'", '"': '"' };
  return text
    .replace(/\{\{/g, '{')
    .replace(/\}\}/g, '}')
    .replace(/\\(.)/g, (match, char: string) => escapes[char] ?? match);
}

function concatenate(values: PyValue[], scope: ConfigScope, node: Parser.SyntaxNode): PyValue {
  let text = '';
  for (const value of values) {
    const concrete = concreteValue(value, scope.env);
    if (typeof concrete !== 'string') return unknown(node);
    text += concrete;
  }
  return { kind: 'literal', value: text };
}

function evaluateBinary(node: Parser.SyntaxNode, scope: ConfigScope, depth: number): PyValue {
  const operator = node.childForFieldName('operator')?.text ?? '';
  const left = concreteValue(evaluateField(node, 'left', scope, depth), scope.env);
  const rightValue = evaluateField(node, 'right', scope, depth);

  if (operator === '%' && typeof left === 'string') return formatPercent(left, rightValue, scope, node);

  const right = concreteValue(rightValue, scope.env);
  if (left === undefined || right === undefined) return unknown(node);
  if (operator === '+' && typeof left === 'string' && typeof right === 'string') return { kind: 'literal', value: left + right };

  const a = numeric(left);
  const b = numeric(right);
  if (a === null || b === null) return unknown(node);

  switch (operator) {
    case '+':
      return { kind: 'literal', value: a + b };
    case '-':
      return { kind: 'literal', value: a - b };
    case '*':
      return { kind: 'literal', value: a * b };
    case '/':
      return b === 0 ? unknown(node) : { kind: 'literal', value: a / b };
    case '//':
      return b === 0 ? unknown(node) : { kind: 'literal', value: Math.floor(a / b) };
    case '%':
      return b === 0 ? unknown(node) : { kind: 'literal', value: a - b * Math.floor(a / b) };
    case '**':
      return { kind: 'literal', value: a ** b };
    default:
      return unknown(node);
  }
}

/** Applies `"%s:%d" % (host, port)` for the `%s`, `%d` and `%i` conversions. */
function formatPercent(template: string, args: PyValue, scope: ConfigScope, node: Parser.SyntaxNode): PyValue {
  const values = args.kind === 'list' ? args.items : [args];
  const concrete = values.map((value) => concreteValue(value, scope.env));
  if (concrete.some((value) => value === undefined)) return unknown(node);

  let index = 0;
  let failed = false;
  const text = template.replace(/%([sdi%])/g, (match, conversion: string) => {
    if (conversion === '%') return '%';
    const value = concrete[index++];
    if (value === undefined) failed = true;
    return conversion === 's' ? pythonStr(value ?? null) : String(numeric(value ?? null) ?? match);
  });
  return failed ? unknown(node) : { kind: 'literal', value: text };
}

function evaluateCallNode(node: Parser.SyntaxNode, scope: ConfigScope, depth: number): PyValue {
  const functionNode = node.childForFieldName('function');
  const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((child) => child.type !== 'comment');
  const positional = args.filter((arg) => arg.type !== 'keyword_argument' && arg.type !== 'list_splat' && arg.type !== 'dictionary_splat');
  const keyword = (name: string): Parser.SyntaxNode | null =>
    args.find((arg) => arg.type === 'keyword_argument' && arg.childForFieldName('name')?.text === name)?.childForFieldName('value') ?? null;

  if (functionNode?.type === 'attribute' && functionNode.childForFieldName('attribute')?.text === 'format') {
    const template = evaluateField(functionNode, 'object', scope, depth);
    return formatBraces(template, positional, scope, depth, node);
  }

  const callee = resolveDotted(dottedName(functionNode), scope);
  if (callee && ENV_GETTERS.has(callee)) {
    const name = positional[0] ? concreteValue(evaluateConfigValue(positional[0], scope, depth + 1), scope.env) : undefined;
    const fallbackNode = positional[1] ?? keyword('default');
    return {
      kind: 'env',
      name: typeof name === 'string' ? name : null,
      fallback: fallbackNode ? evaluateConfigValue(fallbackNode, scope, depth + 1) : null,
    };
  }

  const first = positional[0] ? evaluateConfigValue(positional[0], scope, depth + 1) : null;
  switch (callee) {
    case 'int':
      return first ? convert(first, scope, pythonInt, node) : { kind: 'literal', value: 0 };
    case 'float':
      return first ? convert(first, scope, pythonFloat, node) : unknown(node);
    case 'str':
      return first ? convert(first, scope, (value) => pythonStr(value), node) : { kind: 'literal', value: '' };
    case 'min':
    case 'max': {
      const values = positional.map((arg) => numeric(concreteValue(evaluateConfigValue(arg, scope, depth + 1), scope.env) ?? null));
      if (values.length < 2 || values.some((value) => value === null)) return unknown(node);
      return { kind: 'literal', value: callee === 'min' ? Math.min(...(values as number[])) : Math.max(...(values as number[])) };
    }
    default:
      return unknown(node);
  }
}

/** Converts a value as Python's `int()` does; null when Python raises. */
function pythonInt(value: string | number | boolean | null): number | null {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return parsePythonInt(value);
  return null;
}

/** Converts a value as Python's `float()` does; null when Python raises. */
function pythonFloat(value: string | number | boolean | null): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'string' || value.trim() === '') return null;

  const number = Number(value);
  return Number.isNaN(number) ? null : number;
}

/** Applies a conversion such as `int()` to a value, and to the fallback of an environment lookup. */
function convert(value: PyValue, scope: ConfigScope, apply: (value: string | number | boolean | null) => string | number | null, node: Parser.SyntaxNode): PyValue {
  if (value.kind === 'env') return { ...value, fallback: value.fallback ? convert(value.fallback, scope, apply, node) : null };

  const concrete = concreteValue(value, scope.env);
  if (concrete === undefined) return unknown(node);
  const converted = apply(concrete);
  return converted === null ? unknown(node) : { kind: 'literal', value: converted };
}

function formatBraces(template: PyValue, args: Parser.SyntaxNode[], scope: ConfigScope, depth: number, node: Parser.SyntaxNode): PyValue {
  const text = concreteValue(template, scope.env);
  if (typeof text !== 'string') return unknown(node);

  const values = args.map((arg) => concreteValue(evaluateConfigValue(arg, scope, depth + 1), scope.env));
  let index = 0;
  let failed = false;
  const result = text.replace(/\{(\d*)\}/g, (_match, position: string) => {
    const value = values[position === '' ? index++ : Number(position)];
    if (value === undefined) failed = true;
    return pythonStr(value ?? null);
  });
  return failed || /\{[^}]*\}/.test(result.replace(/\{\{|\}\}/g, '')) ? unknown(node) : { kind: 'literal', value: result };
}

/**
 * Returns the plain value of an evaluated expression. An environment lookup becomes the image's
 * ENV value, or else its fallback. The result is undefined when the value is not known.
 */
function concreteValue(value: PyValue, env: Environment): string | number | boolean | null | undefined {
  if (value.kind === 'literal') return value.value;
  if (value.kind !== 'env') return undefined;

  const fromImage = value.name ? env.lookup(value.name) : undefined;
  if (typeof fromImage === 'string') return fromImage;
  if (fromImage === null) return undefined;
  return value.fallback ? concreteValue(value.fallback, env) : undefined;
}

/** Returns a number, reading a string of digits as one because environment values are strings. */
function numeric(value: string | number | boolean | null): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return parsePythonInt(value) ?? (/^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : null);
  return null;
}

/** Formats a value as Python's `str()` does. */
function pythonStr(value: string | number | boolean | null): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

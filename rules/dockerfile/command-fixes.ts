import type Parser from 'tree-sitter';
import { renderExecForm, spanHasComment, systemFolderOf } from '../../src/fix/dockerfile-edits';
import { commandDetails } from '../../src/model/docker';
import { productionApps, productionCalls } from '../../src/model/flask-queries';
import { commandWords, parseShellCommands, skipWrappers, traceLaunch, type LaunchStep, type ShellCommand } from '../../src/model/shell';
import type { CommandSpec, EffectiveStage, FlaskApp, PythonFunction, PythonModule, SystemModel } from '../../src/model/types';
import type { Fix } from '../../src/rule';
import type { Location } from '../../src/source';
import { servicePort } from '../gunicorn/service-port';

/** The config file name Gunicorn loads from its working folder, which the Gunicorn config fix creates when missing. */
const DEFAULT_CONFIG = 'gunicorn.conf.py';
const DEFAULT_SHELL = ['/bin/sh', '-c'];

/** Parameter node types that need no argument. */
const OPTIONAL_PARAMETERS = new Set(['default_parameter', 'typed_default_parameter', 'list_splat_pattern', 'dictionary_splat_pattern', 'keyword_separator', 'positional_separator']);

/** Characters that make a shell-form command more than a list of words, so its exec form needs `sh -c`. */
const SHELL_SYNTAX = /[*?[\]~<>|&;(){}#\n\r]/;
/** Expansions, which the shell performs inside double quotes too. */
const EXPANSION = /[$`]/;

/** A port variable used in a command, such as `$PORT` or `${PORT:-8000}`, with its written default. */
const PORT_VARIABLE = /\$\{?([A-Za-z_]*PORT)\b(?::?-(\d+))?/;

/**
 * Builds the fix that makes the target stage's CMD start Gunicorn on the system's app, keeping
 * `$PORT` working through `sh -c` when the old command used it. Undefined when the command that
 * runs is not written in that CMD, when a `cd` moves the working folder, or when the app or the
 * folder it is imported from cannot be found.
 */
export function gunicornCommandFix(model: SystemModel, target: EffectiveStage): Fix | undefined {
  const cmd = target.cmd;
  const trace = traceLaunch(target, model.files);
  if (!cmd || !trace || cmd.location.file !== model.docker.main?.file || rewritesComment(cmd)) return undefined;
  if (trace.words.length === 0 || !trace.words.every((word) => contains(cmd.location, word.location))) return undefined;

  const folder = systemFolderOf(target, model.files, target.workdir ?? '/');
  const wsgi = folder === null ? null : wsgiTarget(model, folder);
  if (folder === null || !wsgi) return undefined;

  const args = ['--config', configPath(model, folder), wsgi];
  const last = trace.steps[trace.steps.length - 1];
  const argv = last && last.kind !== 'script' ? shellRewrite(model, target, cmd, last, args) : execRewrite(cmd, trace.words[0].location, args);
  if (!argv) return undefined;

  return {
    title: `Run Gunicorn on \`${wsgi}\` in exec form`,
    safety: 'unsafe',
    edits: [{ file: cmd.location.file.relPath, start: cmd.argumentsLocation.start, end: cmd.argumentsLocation.end, text: renderExecForm(argv) }],
  };
}

/**
 * Builds the fix that writes a shell-form CMD or ENTRYPOINT in exec form: the same words when
 * they are plain words, or `sh -c` with `exec` before the last command when the text needs a
 * shell (`$PORT`, `&&`, redirections). Undefined for a shell-form ENTRYPOINT while a CMD is in
 * effect, which exec form would append as arguments.
 */
export function execFormFix(model: SystemModel, target: EffectiveStage, spec: CommandSpec): Fix | undefined {
  const details = commandDetails(spec);
  if (!details || spec.form !== 'shell' || spec.location.file !== model.docker.main?.file || rewritesComment(spec)) return undefined;
  if (spec === target.entrypoint && target.cmd) return undefined;

  const text = details.text.text;
  const commands = parseShellCommands(text);
  const plain = commands.length === 1 && commands[0].assignments.length === 0 && !EXPANSION.test(text) && !SHELL_SYNTAX.test(unquoted(text));

  let argv: string[];
  if (plain) {
    argv = commands[0].words.map((word) => word.value);
  } else {
    const last = lastCommand(commands);
    if (!last || last.words.length === 0) return undefined;
    const execs = last.words[0].value === 'exec';
    argv = [...shellPrefix(spec), execs ? text : `${text.slice(0, last.words[0].start)}exec ${text.slice(last.words[0].start)}`];
  }

  return {
    title: plain ? 'Write the command in exec form' : 'Run the command through `sh -c` with `exec`',
    safety: 'unsafe',
    edits: [{ file: spec.location.file.relPath, start: spec.argumentsLocation.start, end: spec.argumentsLocation.end, text: renderExecForm(argv) }],
  };
}

/** Builds the fix that inserts `exec` before the last command of an exec-form `sh -c` string. */
export function insertExecFix(model: SystemModel, target: EffectiveStage, step: LaunchStep): Fix | undefined {
  if (step.kind !== 'shell-c') return undefined;

  const script = [target.entrypoint, target.cmd]
    .flatMap((spec) => (spec && spec.location.file === model.docker.main?.file ? commandWords(spec) : []))
    .find((word) => word.text && sameLocation(word.location, step.location))?.text;
  const last = script ? lastCommand(parseShellCommands(script.text)) : null;
  if (!script || !last || last.words.length === 0 || last.words[0].value === 'exec') return undefined;

  const offset = script.offsets[last.words[0].start];
  return {
    title: `Start \`${step.program[0] ?? 'the server'}\` with \`exec\``,
    safety: 'unsafe',
    edits: [{ file: script.file.relPath, start: offset, end: offset, text: 'exec ' }],
  };
}

/** Replaces the program of an exec-form CMD, keeping the wrappers before it (`tini --`). */
function execRewrite(cmd: CommandSpec, programLocation: Location, args: string[]): string[] | null {
  const words = commandWords(cmd);
  const index = words.findIndex((word) => sameLocation(word.location, programLocation));
  if (cmd.form !== 'exec' || index === -1) return null;
  return [...cmd.argv.slice(0, index), 'gunicorn', ...args];
}

/**
 * Replaces the last command of a shell-form CMD or of its `sh -c` string with `exec gunicorn ...`,
 * keeping the commands before it. Plain exec form when nothing else is left and no variable is needed.
 */
function shellRewrite(model: SystemModel, target: EffectiveStage, cmd: CommandSpec, step: LaunchStep, args: string[]): string[] | null {
  const found = shellScript(cmd, step);
  if (!found) return null;

  const { script, prefix, suffix } = found;
  const commands = parseShellCommands(script);
  const last = lastCommand(commands);
  if (!last || commands.slice(0, -1).some((command) => ['cd', 'pushd'].includes(command.words[0]?.value ?? ''))) return null;

  const programIndex = skipWrappers(last.words.map((word) => word.value)).index;
  const program = last.words[programIndex];
  if (!program) return null;

  const alone = commands.length === 1 && last.assignments.length === 0 && programIndex === (last.words[0].value === 'exec' ? 1 : 0);
  const port = PORT_VARIABLE.exec(script.slice(program.start, last.end));
  if (alone && !port && script.slice(last.end).trim() === '') return ['gunicorn', ...args];

  // The bind address is left unquoted so that the shell expands the port variable.
  const bind = port ? ['--bind', `0.0.0.0:\${${port[1]}:-${port[2] ?? defaultPort(model, target, port[1])}}`] : [];
  const command = ['gunicorn', ...args.slice(0, -1).map(shellQuote), ...bind, shellQuote(args[args.length - 1])].join(' ');
  const execWord = last.words[0].value === 'exec' ? '' : 'exec ';
  const rewritten = `${script.slice(0, last.words[0].start)}${execWord}${script.slice(last.words[0].start, program.start)}${command}${script.slice(last.end)}`;
  return [...prefix, rewritten, ...suffix];
}

/** Returns the script text a shell step of the CMD runs, with the words before and after it in the new exec form. */
function shellScript(cmd: CommandSpec, step: LaunchStep): { script: string; prefix: string[]; suffix: string[] } | null {
  if (step.kind === 'shell-form') {
    const details = commandDetails(cmd);
    if (step.instruction !== cmd || !details) return null;
    return { script: details.text.text, prefix: shellPrefix(cmd), suffix: [] };
  }

  const words = commandWords(cmd);
  const index = words.findIndex((word) => sameLocation(word.location, step.location));
  if (cmd.form !== 'exec' || index === -1) return null;
  return { script: cmd.argv[index], prefix: cmd.argv.slice(0, index), suffix: cmd.argv.slice(index + 1) };
}

/** Removes quoted strings, whose special characters the shell takes literally. Unbalanced quotes are kept. */
function unquoted(text: string): string {
  return text.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, '');
}

/** Returns the shell of a shell-form instruction, written `sh -c` for Docker's default `/bin/sh -c`. */
function shellPrefix(spec: CommandSpec): string[] {
  const shell = spec.argv.slice(0, -1);
  return shell.length === DEFAULT_SHELL.length && shell.every((word, index) => word === DEFAULT_SHELL[index]) ? ['sh', '-c'] : shell;
}

/**
 * Returns the command that decides what keeps running, or null when `exec` cannot go before it:
 * in a pipeline, in the background, or in a subshell.
 */
function lastCommand(commands: ShellCommand[]): ShellCommand | null {
  const trimmed = [...commands];
  while (trimmed.length > 0 && trimmed[trimmed.length - 1].words[0]?.value === 'exit') trimmed.pop();

  const last = trimmed[trimmed.length - 1];
  const previous = trimmed[trimmed.length - 2];
  if (!last || ['|', '&', ')', '('].includes(last.terminator) || previous?.terminator === '|') return null;
  return last;
}

/** Returns the default for `${PORT:-...}`: the variable's value in the image, else the port the service uses. */
function defaultPort(model: SystemModel, target: EffectiveStage, variable: string): number {
  const value = target.env.get(variable)?.value;
  return value && /^\d+$/.test(value) ? Number(value) : servicePort(model);
}

/** Quotes a word for `sh` when it has characters the shell would read: `'app:create_app()'`. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/**
 * Returns the Gunicorn target of the system's one production app, relative to the system folder
 * that Gunicorn imports from: a module-level WSGI object (`main:app`, `wsgi:app` for
 * `app = create_app()`), else a call of its factory (`app:create_app()`). Null when there is not
 * exactly one app, or its module lies outside the folder.
 */
export function wsgiTarget(model: SystemModel, folder: string): string | null {
  const apps = productionApps(model);
  if (apps.length !== 1) return null;

  const app = apps[0];
  if (!app.factory) return app.module.topLevelNames.has(app.variable) ? targetText(app.module, app.variable, folder) : null;

  for (const object of moduleLevelObjects(model, app)) {
    const text = targetText(object.module, object.name, folder);
    if (text) return text;
  }
  return callableWithoutArguments(app.factory) ? targetText(app.factory.module, `${app.factory.name}()`, folder) : null;
}

/** Returns the module-level `name = factory()` assignments of the app's factory, `wsgi` modules first. */
function moduleLevelObjects(model: SystemModel, app: FlaskApp): Array<{ module: PythonModule; name: string }> {
  const objects: Array<{ module: PythonModule; name: string }> = [];

  for (const call of productionCalls(model)) {
    if (call.target !== app.factory || call.scope !== null || call.underMainGuard) continue;

    const name = assignedName(call.node);
    if (name) objects.push({ module: call.module, name });
  }
  return objects.sort((a, b) => Number(isWsgiModule(b.module)) - Number(isWsgiModule(a.module)));
}

/** Returns `x` for a call in a module-level statement `x = call()`, null for any other place. */
function assignedName(call: Parser.SyntaxNode): string | null {
  const assignment = call.parent;
  const left = assignment?.childForFieldName('left');
  if (assignment?.type !== 'assignment' || assignment.childForFieldName('right')?.id !== call.id || left?.type !== 'identifier') return null;
  return assignment.parent?.type === 'expression_statement' && assignment.parent.parent?.type === 'module' ? left.text : null;
}

function isWsgiModule(module: PythonModule): boolean {
  return module.name.split('.').pop() === 'wsgi';
}

/** True for a top-level, synchronous function whose parameters all have defaults. */
function callableWithoutArguments(fn: PythonFunction): boolean {
  if (fn.parent || fn.className || fn.isAsync) return false;
  return (fn.node.childForFieldName('parameters')?.namedChildren ?? []).every((parameter) => OPTIONAL_PARAMETERS.has(parameter.type));
}

/** Returns `module:attribute` with the module's dotted name relative to `folder`; null when the module is outside it. */
function targetText(module: PythonModule, attribute: string, folder: string): string | null {
  const prefix = folder ? `${folder}/` : '';
  if (!module.file.relPath.startsWith(prefix)) return null;

  const path = module.file.relPath.slice(prefix.length).replace(/\.py$/, '').replace(/(^|\/)__init__$/, '');
  const parts = path.split('/');
  if (!path || !parts.every((part) => /^[A-Za-z_]\w*$/.test(part))) return null;
  return `${parts.join('.')}:${attribute}`;
}

/** Returns the path of the system's Gunicorn config file relative to `folder`, or `gunicorn.conf.py` when it has none there. */
function configPath(model: SystemModel, folder: string): string {
  const config = model.gunicorn.configFile ?? model.files.find((file) => file.kind === 'gunicorn-config') ?? null;
  const prefix = folder ? `${folder}/` : '';
  return config && config.relPath.startsWith(prefix) ? config.relPath.slice(prefix.length) : DEFAULT_CONFIG;
}

/** True when a comment line sits between the continuation lines of the instruction's arguments, which a rewrite would drop. */
function rewritesComment(spec: CommandSpec): boolean {
  return spanHasComment(spec.location.file, spec.argumentsLocation.start, spec.argumentsLocation.end);
}

function contains(outer: Location, inner: Location): boolean {
  return outer.file === inner.file && inner.start >= outer.start && inner.end <= outer.end;
}

function sameLocation(a: Location, b: Location): boolean {
  return a.file === b.file && a.start === b.start && a.end === b.end;
}

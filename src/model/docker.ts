import * as posix from 'node:path/posix';
import { createLogger } from '../log';
import {
  expandWord,
  mappedLocation,
  parseCommandArguments,
  parseDockerfile,
  sliceMapped,
  splitDockerWords,
  trimMapped,
  type DockerfileComment,
  type DockerfileFlag,
  type ExpandedWord,
  type MappedText,
  type ParsedInstruction,
  type VariableLookup,
  type VariableState,
} from '../parsers/dockerfile';
import type { Location, SourceFile } from '../source';
import type {
  CommandSpec,
  DockerfileModel,
  DockerInstructionInfo,
  DockerModel,
  DockerStage,
  EffectiveStage,
  EnvValue,
  HealthcheckSpec,
  ParseProblem,
  YamlModel,
} from './types';

const log = createLogger('docker');

/** Docker runs shell-form commands with this unless a SHELL instruction sets another. */
const DEFAULT_SHELL = ['/bin/sh', '-c'];

/** Build arguments that BuildKit fills in itself, so a stage that declares one gets a value prodcheck cannot know. */
const AUTOMATIC_ARGS = new Set([
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
  'TARGETSTAGE',
]);

export interface DockerModelOptions {
  /** The stage to judge in the main Dockerfile, by name; wins over a compose `build.target`. */
  target?: string;
  /** Loaded YAML documents; a compose service that builds the main Dockerfile with `build.target` names its target. */
  yaml?: YamlModel;
}

/** Details of an instruction that the shared model types do not carry. */
export interface InstructionDetails {
  flags: DockerfileFlag[];
  /** The arguments after the flags, with file offsets. */
  rest: MappedText;
  /** Absolute WORKDIR in effect when the instruction runs; null when none is set or it cannot be resolved. */
  workdir: string | null;
  /** Expands a word with the ARG and ENV values in scope just before the instruction. */
  expand(word: string): ExpandedWord;
  escapeChar: string;
}

export interface CommandDetails {
  /** The arguments as written, with file offsets. */
  text: MappedText;
  /** For exec form, the span of each element of `argv` in `text`, quotes included. */
  elementSpans: Array<{ start: number; end: number }> | null;
}

/** An ARG declared before the first FROM. Its default is visible to FROM lines, and to a stage only if the stage declares it again. */
export interface GlobalArg {
  name: string;
  value: string | null;
  raw: string;
  location: Location;
}

/** A `COPY --from` or `ADD --from` of a stage: an earlier stage, or an image when `stage` is null. */
export interface CopySource {
  stage: DockerStage | null;
  reference: string;
  location: Location;
  instruction: DockerInstructionInfo;
}

interface DockerfileDetails {
  globalArgs: GlobalArg[];
  comments: DockerfileComment[];
}

const instructionDetailsMap = new WeakMap<DockerInstructionInfo, InstructionDetails>();
const commandDetailsMap = new WeakMap<CommandSpec, CommandDetails>();
const copySourcesMap = new WeakMap<DockerStage, CopySource[]>();
const dockerfileDetailsMap = new WeakMap<DockerfileModel, DockerfileDetails>();

export function instructionDetails(instruction: DockerInstructionInfo): InstructionDetails | undefined {
  return instructionDetailsMap.get(instruction);
}

export function commandDetails(command: CommandSpec): CommandDetails | undefined {
  return commandDetailsMap.get(command);
}

/** Returns the stages and images that a stage copies files from with `--from`, in instruction order. */
export function copySources(stage: DockerStage): CopySource[] {
  return copySourcesMap.get(stage) ?? [];
}

export function globalArgs(dockerfile: DockerfileModel): GlobalArg[] {
  return dockerfileDetailsMap.get(dockerfile)?.globalArgs ?? [];
}

/** Comment lines of the Dockerfile outside heredoc bodies, parser directives excluded. */
export function dockerfileComments(dockerfile: DockerfileModel): DockerfileComment[] {
  return dockerfileDetailsMap.get(dockerfile)?.comments ?? [];
}

/** Returns the stage and the earlier stages it is built FROM, root first. */
export function stageChain(stage: DockerStage): DockerStage[] {
  const chain: DockerStage[] = [];
  for (let current: DockerStage | null = stage; current; current = current.parent) chain.unshift(current);
  return chain;
}

/** Returns the first stage of the chain, whose `FROM` names an image rather than a stage. */
export function rootStage(stage: DockerStage): DockerStage {
  return stageChain(stage)[0];
}

/** Parses every Dockerfile of the system and resolves the target stage. */
export function buildDockerModel(files: SourceFile[], options: DockerModelOptions = {}): DockerModel {
  const problems: ParseProblem[] = [];
  const built: DockerfileBuilder[] = [];

  for (const file of files) {
    if (file.kind !== 'dockerfile') continue;

    const builder = new DockerfileBuilder(file);
    builder.build();
    built.push(builder);
    problems.push(...builder.problems);
  }

  const dockerfiles = built.map((builder) => builder.model);
  const mainIndex = chooseMain(dockerfiles);
  const mainTarget = mainIndex === -1 ? undefined : (options.target ?? composeBuildTarget(options.yaml, dockerfiles[mainIndex].file.relPath));
  built.forEach((builder, index) => {
    const target = index === mainIndex ? mainTarget : undefined;
    const problem = builder.resolveTarget(target);
    if (problem) problems.push(problem);
  });

  log('built %d Dockerfiles, %d problems', dockerfiles.length, problems.length);
  return { dockerfiles, main: mainIndex === -1 ? null : dockerfiles[mainIndex], problems };
}

/**
 * Returns the `build.target` of a compose service that builds the Dockerfile at `relPath`:
 * `build.context` (default `.`) is relative to the compose file and `build.dockerfile` (default
 * `Dockerfile`) to the context.
 */
export function composeBuildTarget(yaml: YamlModel | undefined, relPath: string): string | undefined {
  for (const document of yaml?.documents ?? []) {
    const services = document.role === 'compose' && isRecord(document.data) && isRecord(document.data.services) ? Object.values(document.data.services) : [];

    for (const service of services) {
      const build = isRecord(service) && isRecord(service.build) ? service.build : null;
      if (!build || typeof build.target !== 'string') continue;

      const context = typeof build.context === 'string' ? build.context : '.';
      const dockerfile = typeof build.dockerfile === 'string' ? build.dockerfile : 'Dockerfile';
      if (posix.join(posix.dirname(document.file.relPath), context, dockerfile) === relPath) return build.target;
    }
  }
  return undefined;
}

/** True for a plain object loaded from YAML or JSON, as opposed to an array, a scalar or null. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `Dockerfile` at the system root, else `Containerfile` (any case) there, else the first found. */
function chooseMain(dockerfiles: DockerfileModel[]): number {
  const exact = dockerfiles.findIndex((dockerfile) => dockerfile.file.relPath === 'Dockerfile');
  if (exact !== -1) return exact;

  const atRoot = dockerfiles.findIndex((dockerfile) => /^(dockerfile|containerfile)$/i.test(dockerfile.file.relPath));
  if (atRoot !== -1) return atRoot;
  return dockerfiles.length ? 0 : -1;
}

/** ARG and ENV values of one stage while its instructions are read. */
interface StageScope {
  stage: DockerStage;
  env: Map<string, VariableState>;
  args: Map<string, VariableState>;
  shell: string[];
  workdir: string | null;
}

class DockerfileBuilder {
  readonly problems: ParseProblem[] = [];
  readonly model: DockerfileModel;
  private readonly globalScope = new Map<string, VariableState>();
  private readonly globals: GlobalArg[] = [];
  private readonly finalScopes = new Map<DockerStage, StageScope>();
  private readonly escapeChar: string;
  private readonly parsed: ReturnType<typeof parseDockerfile>;
  private scope: StageScope | null = null;

  constructor(file: SourceFile) {
    this.parsed = parseDockerfile(file);
    this.escapeChar = this.parsed.escapeChar;
    this.problems.push(...this.parsed.problems);
    this.model = { file, stages: [], target: null, escapeChar: this.escapeChar };
    dockerfileDetailsMap.set(this.model, { globalArgs: this.globals, comments: this.parsed.comments });
  }

  build(): void {
    for (const instruction of this.parsed.instructions) {
      if (instruction.keyword === 'FROM') this.startStage(instruction);
      else if (this.scope) this.dispatch(instruction, this.scope);
      else if (instruction.keyword === 'ARG') this.addGlobalArgs(instruction);
      else this.reportBeforeFrom(instruction);
    }

    if (this.scope) this.finalScopes.set(this.scope.stage, this.scope);
    if (this.parsed.instructions.length > 0 && this.model.stages.length === 0) {
      this.problems.push({
        location: this.parsed.instructions[0].keywordLocation,
        message: 'Dockerfile has no `FROM` instruction, so Docker cannot build it',
      });
    }
  }

  /** Sets the target stage and its effective settings; returns a problem when the named target does not exist. */
  resolveTarget(name: string | undefined): ParseProblem | null {
    const stages = this.model.stages;
    if (stages.length === 0) return null;

    const requested = name?.toLowerCase();
    const stage = requested ? stages.find((candidate) => candidate.name === requested) : stages[stages.length - 1];
    if (!stage) {
      const names = stages.map((candidate) => candidate.name).filter((candidate): candidate is string => candidate !== null);
      const known = names.length ? `the named stages are ${names.map((candidate) => `\`${candidate}\``).join(', ')}` : 'no stage has a name';
      return {
        location: stages[0].fromLocation,
        message: `Target stage \`${name}\` is not defined in this Dockerfile (${known}), so Docker cannot build it`,
      };
    }

    this.model.target = effectiveStage(stage, this.finalScopes.get(stage)?.workdir ?? null);
    return null;
  }

  private addGlobalArgs(instruction: ParsedInstruction): void {
    const lookup: VariableLookup = (name) => this.globalScope.get(name) ?? { kind: 'unset', declared: false };

    for (const declaration of this.readArgs(instruction)) {
      const state = declaration.value === null ? unsetArg(declaration.name) : toState(expandWord(declaration.value, this.escapeChar, lookup));
      this.globalScope.set(declaration.name, state);
      this.globals.push({
        name: declaration.name,
        value: state.kind === 'set' ? state.value : null,
        raw: declaration.value ?? '',
        location: declaration.location,
      });
    }
  }

  private reportBeforeFrom(instruction: ParsedInstruction): void {
    this.problems.push({
      location: instruction.keywordLocation,
      message: `\`${instruction.keyword}\` comes before the first \`FROM\`; only \`ARG\` may precede it, so Docker rejects the file`,
    });
  }

  private startStage(instruction: ParsedInstruction): void {
    if (this.scope) this.finalScopes.set(this.scope.stage, this.scope);

    const words = splitDockerWords(instruction.rest.text, this.escapeChar);
    const image = words[0]?.raw ?? '';
    const name = words.length >= 3 && words[1].raw.toLowerCase() === 'as' ? words[2].raw.toLowerCase() : null;
    this.checkFromSyntax(instruction, words.length, name);

    const globalLookup: VariableLookup = (variable) => this.globalScope.get(variable) ?? { kind: 'unset', declared: false };
    const resolvedImage = image ? expandWord(image, this.escapeChar, globalLookup).value : null;
    const parent = resolvedImage ? this.findStage(resolvedImage) : null;

    const stage: DockerStage = {
      index: this.model.stages.length,
      name,
      image,
      resolvedImage,
      parent,
      fromLocation: instruction.location,
      instructions: [],
      user: null,
      cmd: null,
      entrypoint: null,
      healthcheck: null,
      env: [],
      workdir: null,
      expose: [],
    };
    this.model.stages.push(stage);

    const inherited = parent ? this.finalScopes.get(parent) : undefined;
    this.scope = {
      stage,
      env: new Map(inherited?.env ?? []),
      args: new Map(),
      shell: inherited?.shell ?? DEFAULT_SHELL,
      workdir: inherited?.workdir ?? null,
    };
  }

  private checkFromSyntax(instruction: ParsedInstruction, wordCount: number, name: string | null): void {
    if (wordCount === 0) {
      this.problems.push({ location: instruction.keywordLocation, message: '`FROM` has no image, so Docker rejects the file' });
      return;
    }
    if (wordCount !== 1 && !(wordCount === 3 && name)) {
      this.problems.push({
        location: mappedLocation(instruction.rest),
        message: '`FROM` takes an image and an optional `AS name`; Docker rejects any other words',
      });
      return;
    }
    if (name && this.model.stages.some((stage) => stage.name === name)) {
      this.problems.push({
        location: mappedLocation(instruction.rest),
        message: `Stage name \`${name}\` is used twice; Docker rejects duplicate stage names`,
      });
    }
  }

  /** Finds an earlier stage by name; FROM and `--from` cannot refer to a later stage. */
  private findStage(reference: string): DockerStage | null {
    const lower = reference.toLowerCase();
    return this.model.stages.find((stage) => stage.name === lower) ?? null;
  }

  private dispatch(parsed: ParsedInstruction, scope: StageScope): void {
    const info: DockerInstructionInfo = {
      keyword: parsed.keyword,
      text: parsed.text.text,
      location: parsed.location,
      heredocs: parsed.heredocs.map((heredoc) => ({ name: heredoc.name, body: heredoc.body, location: heredoc.location })),
    };
    // The scope keeps changing as later instructions are read, so the details keep a copy.
    const lookup = scopeLookup({ ...scope, env: new Map(scope.env), args: new Map(scope.args) });
    instructionDetailsMap.set(info, {
      flags: parsed.flags,
      rest: parsed.rest,
      workdir: scope.workdir,
      expand: (word) => expandWord(word, this.escapeChar, lookup),
      escapeChar: this.escapeChar,
    });
    scope.stage.instructions.push(info);

    switch (parsed.keyword) {
      case 'ARG':
        return this.dispatchArg(parsed, scope);
      case 'ENV':
        return this.dispatchEnv(parsed, scope);
      case 'USER':
        return this.dispatchUser(parsed, scope);
      case 'WORKDIR':
        return this.dispatchWorkdir(parsed, scope);
      case 'EXPOSE':
        return this.dispatchExpose(parsed, scope);
      case 'CMD':
      case 'ENTRYPOINT':
        return this.dispatchCommand(parsed, scope);
      case 'HEALTHCHECK':
        return this.dispatchHealthcheck(parsed, scope);
      case 'SHELL':
        return this.dispatchShell(parsed, scope);
      case 'COPY':
      case 'ADD':
        return this.recordCopySource(parsed, info, scope);
    }
  }

  private dispatchArg(parsed: ParsedInstruction, scope: StageScope): void {
    const lookup = scopeLookup(scope);
    const declarations = this.readArgs(parsed);

    for (const declaration of declarations) {
      let state: VariableState;
      if (declaration.value !== null) state = toState(expandWord(declaration.value, this.escapeChar, lookup));
      else state = this.globalScope.get(declaration.name) ?? unsetArg(declaration.name);

      scope.args.set(declaration.name, state);
      scope.stage.env.push({
        name: declaration.name,
        value: state.kind === 'set' ? state.value : null,
        raw: declaration.value ?? '',
        location: declaration.location,
        stage: scope.stage,
        keyword: 'ARG',
      });
    }
  }

  /** Reads `ARG name[=default] ...`; a name without `=` has no default. */
  private readArgs(parsed: ParsedInstruction): Array<{ name: string; value: string | null; location: Location }> {
    const words = splitDockerWords(parsed.rest.text, this.escapeChar);
    if (words.length === 0) {
      this.problems.push({ location: parsed.keywordLocation, message: '`ARG` has no name, so Docker rejects the file' });
    }

    return words.map((word) => {
      const equals = word.raw.indexOf('=');
      return {
        name: equals === -1 ? word.raw : word.raw.slice(0, equals),
        value: equals === -1 ? null : word.raw.slice(equals + 1),
        location: mappedLocation(parsed.rest, word.start, word.end),
      };
    });
  }

  private dispatchEnv(parsed: ParsedInstruction, scope: StageScope): void {
    const pairs = this.readEnvPairs(parsed);
    const lookup = scopeLookup(scope);
    const expanded = pairs.map((pair) => ({ pair, result: expandWord(pair.raw, this.escapeChar, lookup) }));

    // All values of one ENV are expanded with the values from before the instruction.
    for (const { pair, result } of expanded) {
      scope.env.set(pair.name, toState(result));
      const entry: EnvValue = {
        name: pair.name,
        value: result.value,
        raw: pair.raw,
        location: pair.location,
        stage: scope.stage,
        keyword: 'ENV',
      };
      scope.stage.env.push(entry);
    }
  }

  /** Reads `ENV a=1 b="x y"` and the legacy `ENV name value with spaces`. */
  private readEnvPairs(parsed: ParsedInstruction): Array<{ name: string; raw: string; location: Location }> {
    const rest = parsed.rest;
    const words = splitDockerWords(rest.text, this.escapeChar);

    if (words.length === 0) {
      this.problems.push({ location: parsed.keywordLocation, message: '`ENV` has no name, so Docker rejects the file' });
      return [];
    }

    if (!words[0].raw.includes('=')) {
      const valueStart = words[1]?.start ?? rest.text.length;
      if (words.length < 2) {
        this.problems.push({ location: mappedLocation(rest), message: `\`ENV ${words[0].raw}\` has no value, so Docker rejects the file` });
      }
      return [{ name: words[0].raw, raw: rest.text.slice(valueStart), location: mappedLocation(rest) }];
    }

    const pairs: Array<{ name: string; raw: string; location: Location }> = [];
    for (const word of words) {
      const equals = word.raw.indexOf('=');
      const location = mappedLocation(rest, word.start, word.end);
      if (equals <= 0) {
        this.problems.push({ location, message: `\`${word.raw}\` in \`ENV\` is not of the form \`name=value\`, so Docker rejects the file` });
        continue;
      }
      pairs.push({ name: word.raw.slice(0, equals), raw: word.raw.slice(equals + 1), location });
    }
    return pairs;
  }

  private dispatchUser(parsed: ParsedInstruction, scope: StageScope): void {
    if (!parsed.rest.text) {
      this.problems.push({ location: parsed.keywordLocation, message: '`USER` has no user name or UID, so Docker rejects the file' });
      return;
    }

    const resolved = expandWord(parsed.rest.text, this.escapeChar, scopeLookup(scope)).value;
    scope.stage.user = { raw: parsed.rest.text, resolved, location: mappedLocation(parsed.rest) };
  }

  private dispatchWorkdir(parsed: ParsedInstruction, scope: StageScope): void {
    if (!parsed.rest.text) {
      this.problems.push({ location: parsed.keywordLocation, message: '`WORKDIR` has no path, so Docker rejects the file' });
      return;
    }

    const expanded = expandWord(parsed.rest.text, this.escapeChar, scopeLookup(scope)).value;
    const path = expanded === null ? null : resolvePath(scope.workdir ?? '/', expanded);

    scope.workdir = path;
    scope.stage.workdir = { path: path ?? parsed.rest.text, location: mappedLocation(parsed.rest) };
  }

  private dispatchExpose(parsed: ParsedInstruction, scope: StageScope): void {
    const lookup = scopeLookup(scope);

    for (const word of splitDockerWords(parsed.rest.text, this.escapeChar)) {
      const value = expandWord(word.raw, this.escapeChar, lookup).value;
      const match = value === null ? null : /^(\d+)(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/i.exec(value);
      scope.stage.expose.push({
        port: match ? Number(match[1]) : null,
        raw: word.raw,
        location: mappedLocation(parsed.rest, word.start, word.end),
      });
    }
  }

  private dispatchCommand(parsed: ParsedInstruction, scope: StageScope): void {
    const spec = this.readCommand(parsed, parsed.rest, scope);
    if (!spec) return;

    if (parsed.keyword === 'CMD') scope.stage.cmd = spec;
    else scope.stage.entrypoint = spec;
  }

  private readCommand(parsed: ParsedInstruction, text: MappedText, scope: StageScope): CommandSpec | null {
    if (!text.text) {
      this.problems.push({ location: parsed.keywordLocation, message: `\`${parsed.keyword}\` has no command, so Docker rejects the file` });
      return null;
    }

    const parsedArguments = parseCommandArguments(text.text);
    const spec: CommandSpec = {
      form: parsedArguments.form,
      argv: parsedArguments.form === 'exec' ? parsedArguments.argv : [...scope.shell, parsedArguments.text],
      raw: text.text,
      location: parsed.location,
      argumentsLocation: mappedLocation(text),
      invalidJson: parsedArguments.form === 'shell' ? parsedArguments.invalidJson : null,
      stage: scope.stage,
    };
    commandDetailsMap.set(spec, { text, elementSpans: parsedArguments.form === 'exec' ? parsedArguments.spans : null });
    return spec;
  }

  private dispatchHealthcheck(parsed: ParsedInstruction, scope: StageScope): void {
    const words = splitDockerWords(parsed.rest.text, this.escapeChar);
    const kind = words[0]?.raw.toUpperCase();
    const options: Record<string, string> = {};
    for (const flag of parsed.flags) options[flag.name] = flag.value ?? '';

    if (kind !== 'NONE' && kind !== 'CMD') {
      this.problems.push({
        location: parsed.keywordLocation,
        message: '`HEALTHCHECK` must be followed by `CMD <command>` or `NONE`, so Docker rejects the file',
      });
      return;
    }

    const commandText = kind === 'CMD' ? trimMapped(sliceMapped(parsed.rest, words[0].end)) : null;
    const command = commandText ? this.readCommand(parsed, commandText, scope) : null;
    if (kind === 'CMD' && !command) return;

    const healthcheck: HealthcheckSpec = { none: kind === 'NONE', command, options, location: parsed.location, stage: scope.stage };
    scope.stage.healthcheck = healthcheck;
  }

  private dispatchShell(parsed: ParsedInstruction, scope: StageScope): void {
    const parsedArguments = parseCommandArguments(parsed.rest.text);
    if (parsedArguments.form !== 'exec' || parsedArguments.argv.length === 0) {
      this.problems.push({
        location: mappedLocation(parsed.rest),
        message: '`SHELL` must be a JSON array of strings such as `["/bin/bash", "-c"]`, so Docker rejects the file',
      });
      return;
    }
    scope.shell = parsedArguments.argv;
  }

  private recordCopySource(parsed: ParsedInstruction, info: DockerInstructionInfo, scope: StageScope): void {
    const from = parsed.flags.find((flag) => flag.name === 'from');
    if (!from?.value) return;

    const reference = expandWord(from.value, this.escapeChar, scopeLookup(scope)).value ?? from.value;
    const byIndex = /^\d+$/.test(reference) ? this.model.stages[Number(reference)] : undefined;
    const stage = byIndex && byIndex !== scope.stage ? byIndex : this.findStage(reference);

    const sources = copySourcesMap.get(scope.stage) ?? [];
    sources.push({ stage: stage && stage !== scope.stage ? stage : null, reference, location: from.location, instruction: info });
    copySourcesMap.set(scope.stage, sources);
  }
}

function scopeLookup(scope: StageScope): VariableLookup {
  // ENV wins over an ARG of the same name, whichever comes first.
  return (name) => scope.env.get(name) ?? scope.args.get(name) ?? { kind: 'unset', declared: false };
}

function toState(expanded: ExpandedWord): VariableState {
  return expanded.value === null ? { kind: 'unknown' } : { kind: 'set', value: expanded.value };
}

function unsetArg(name: string): VariableState {
  return AUTOMATIC_ARGS.has(name) ? { kind: 'unknown' } : { kind: 'unset', declared: true };
}

/** Resolves a WORKDIR against the previous one, as Docker does for relative paths. */
export function resolvePath(base: string, path: string): string {
  const joined = path.startsWith('/') ? path : `${base.replace(/\/+$/, '')}/${path}`;
  const parts: string[] = [];

  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/**
 * Computes what the target stage runs with, inheriting from the stages it is built FROM.
 *
 * CMD follows BuildKit: an ENTRYPOINT clears the CMD inherited from a parent stage (or the base
 * image) unless the same stage also sets CMD, before or after the ENTRYPOINT. A CMD written
 * earlier in the same stage survives a later ENTRYPOINT.
 */
function effectiveStage(stage: DockerStage, workdir: string | null): EffectiveStage {
  const effective: EffectiveStage = {
    stage,
    user: null,
    cmd: null,
    entrypoint: null,
    command: null,
    healthcheck: null,
    env: new Map(),
    workdir,
    expose: [],
    instructions: [],
  };

  for (const link of stageChain(stage)) {
    effective.user = link.user ?? effective.user;
    if (link.cmd) effective.cmd = link.cmd;
    else if (link.entrypoint) effective.cmd = null;
    effective.entrypoint = link.entrypoint ?? effective.entrypoint;
    effective.healthcheck = link.healthcheck ?? effective.healthcheck;

    for (const entry of link.env) {
      if (entry.keyword === 'ENV') effective.env.set(entry.name, entry);
    }
    effective.expose.push(...link.expose);
    effective.instructions.push(...link.instructions);
  }

  effective.command = combineCommand(effective.entrypoint, effective.cmd);
  return effective;
}

/**
 * Combines ENTRYPOINT and CMD as Docker does: an exec-form ENTRYPOINT gets the CMD words as its
 * arguments. Docker also appends them to a shell-form ENTRYPOINT, but there they only become
 * `$0`, `$1`, ... of `/bin/sh -c` and the shell ignores them, so they are left out here.
 */
export function combineCommand(entrypoint: CommandSpec | null, cmd: CommandSpec | null): string[] | null {
  if (entrypoint && entrypoint.argv.length > 0) {
    if (entrypoint.form === 'shell') return entrypoint.argv;
    return [...entrypoint.argv, ...(cmd?.argv ?? [])];
  }
  if (cmd && cmd.argv.length > 0) return cmd.argv;
  return null;
}

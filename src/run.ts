import * as fs from 'node:fs';
import * as path from 'node:path';
import { BaselineMatcher, readBaseline } from './baseline';
import { cacheFingerprint, DEFAULT_CACHE_FOLDER } from './cache';
import { configSearchFolder, configSettings, keptFiles, loadRunConfig, SystemConfigurations, targetStageOrigin, type ConfigSettings } from './config';
import { classifyPath, compareText, describeError, isInside, listTree, readListedFile, type ListedFile, type TreeListing } from './discovery';
import type { FixOutcome } from './fix/loop';
import type { WriteResult } from './fix/write';
import { createLogger } from './log';
import { checkInOrder, defaultWorkerCount, yieldToEventLoop } from './parallel';
import type { Colors } from './report/colors';
import type { OutputFormat } from './report/destinations';
import { findRepositoryRoot } from './report/links';
import { explainRule } from './explain';
import type { Fix, Rule, Severity } from './rule';
import { moduleCreatesFlaskApp, planOwning, planSystems, type SystemPlan } from './roots';
import { RunReport, type ReportOutcome } from './run-report';
import type { SystemJob, SystemOutcome } from './system-check';
import { findMissingTargetStage } from './target-stage';

const log = createLogger('run');

// The rules, the model and the fixer are loaded on first use: when worker threads check the
// systems, the main thread only lists files and writes output, and starts the workers sooner.
/* eslint-disable @typescript-eslint/no-require-imports */
const loadRules = (): readonly Rule[] => (require('../rules') as typeof import('../rules')).allRules;
const loadSystemCheck = () => require('./system-check') as typeof import('./system-check');
const loadFixer = () => ({
  ...(require('./fix/loop') as typeof import('./fix/loop')),
  ...(require('./fix/write') as typeof import('./fix/write')),
  ...(require('diff') as typeof import('diff')),
});
/* eslint-enable @typescript-eslint/no-require-imports */

export { OUTPUT_FORMATS, parseDestinations, type OutputFormat } from './report/destinations';

export { defaultWorkerCount } from './parallel';

/** The walk of the checked folder stops after this many files; each system is further limited to `MAX_FILES`. */
export const MAX_LISTED_FILES = 1_000_000;

export interface RunOptions {
  /** A folder or file to check, as the user wrote it; `targets` names several. */
  target?: string;
  /**
   * Folders and files to check, as the user wrote them, after `target`; the working folder when
   * neither is set. A named file is checked with the whole system it belongs to, but only its
   * own findings are reported and fixed.
   */
  targets?: readonly string[];
  cwd: string;
  /** The format written to standard output (or `output.stdout`); null when every report goes to a file. */
  format: OutputFormat | null;
  /** Reports written to files, with paths relative to `cwd`, once every system is checked. */
  outputFiles?: ReadonlyArray<{ format: OutputFormat; file: string }>;
  /** The lowest severity that makes the exit code 1; `fail-on` of the configuration file, else `error`, when unset. */
  failOn?: Severity;
  colors: Colors;
  /** Report errors only; warnings and infos are left out of every report but still decide the exit code. */
  quiet?: boolean;
  /** Exit 1 when more unsuppressed warnings than this are found. */
  maxWarnings?: number;
  /** Exit 0 where the exit code would be 1; a usage or internal error still exits 2. */
  exitZero?: boolean;
  /** Write the number of findings of each rule after the report. */
  statistics?: boolean;
  /** The file that the `github` format appends its Markdown summary to; the CLI passes `$GITHUB_STEP_SUMMARY`. */
  githubStepSummary?: string;
  /** Called after each system is reported, with the number reported so far and the number of systems. */
  progress?: (checked: number, total: number) => void;
  /** The Dockerfile stage whose image runs; the last stage when unset. */
  dockerTarget?: string;
  /** The fixes to apply: none, safe ones, or safe and unsafe ones. */
  fix?: 'none' | 'safe' | 'unsafe';
  /** Print the fixes as a unified diff instead of writing them. */
  diff?: boolean;
  /** The number of worker threads that check systems; 1 checks them on the main thread. Default: `defaultWorkerCount()`. */
  jobs?: number;
  /** Reuse the findings of systems whose files did not change since the last run with the cache on. */
  cache?: boolean;
  /** The cache folder; `.prodcheck-cache` in the checked folder when unset. */
  cacheLocation?: string;
  /** The configuration file, relative to `cwd`; the nearest `.prodcheck.yaml` at or above the checked folder when unset. */
  configFile?: string;
  /** Report suppression comments that give no reason; `require-reason` of the configuration file, else false, when unset. */
  requireReason?: boolean;
  /** A baseline file, relative to `cwd`: the findings it lists are suppressed. */
  baseline?: string;
  /** Write every current finding to `baseline`, and suppress them all. */
  updateBaseline?: boolean;
  /** Receives the output as it is produced, system by system; without it, the output is returned in the result. */
  output?: OutputSink;
}

export interface OutputSink {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface RunResult {
  exitCode: 0 | 1 | 2;
  /** The output not yet passed to `RunOptions.output`; all of it when no sink is given. */
  stdout: string;
  stderr: string;
}

/** The systems that the targets name, each once, in path order. */
interface Target {
  systems: TargetSystem[];
  /** Folder targets, as the user wrote them, that hold no file prodcheck reads. */
  emptyFolders: string[];
}

/** One system to check and the findings of it that are shown. */
interface TargetSystem {
  /** Absolute path of the listed folder: the plan's folder is relative to it, and the system reads no file outside it. */
  boundary: string;
  plan: SystemPlan;
  /** The settings of the system's configuration file, set once the targets are resolved. */
  settings?: ConfigSettings;
  /**
   * Absolute paths of the named files whose findings are shown and fixed. Null when a folder
   * target takes in the system, so that all its findings are shown.
   */
  onlyFiles: Set<string> | null;
}

/** A listed folder split into systems. */
interface ListedFolder {
  listing: TreeListing;
  plans: SystemPlan[];
  /** The paths of `listing`'s files and skipped entries, relative to the folder. */
  listed: Set<string>;
}

/**
 * A point where a run waits for its driver: `pause` between two systems, `check` to check systems
 * and pass each outcome to `emit` in order. The same steps run synchronously in `run` and with
 * worker threads in `runAsync`.
 */
type RunStep = { kind: 'pause' } | { kind: 'check'; jobs: SystemJob[]; emit: (outcome: SystemOutcome) => void };

/**
 * Checks the target and formats the result, on the calling thread and without returning to the
 * event loop. Never throws: internal errors end with exit code 2 and a message.
 */
export function run(options: RunOptions): RunResult {
  const output = new RunOutput(options);
  try {
    const steps = runSteps(options, output.sink);
    let step = steps.next();
    while (!step.done) {
      if (step.value.kind === 'check') {
        const { checkJob } = loadSystemCheck();
        for (const job of step.value.jobs) step.value.emit(checkJob(job));
      }
      step = steps.next();
    }
    return output.result(step.value);
  } catch (error) {
    return output.failed(error);
  }
}

/**
 * Checks the target and formats the result like `run`, but checks many systems on worker threads
 * (`RunOptions.jobs`) and lets the event loop run between systems, which frees the memory of
 * parsed trees. The command line uses this one.
 */
export async function runAsync(options: RunOptions): Promise<RunResult> {
  const output = new RunOutput(options);
  try {
    const steps = runSteps(options, output.sink);
    let step = steps.next();
    while (!step.done) {
      if (step.value.kind === 'check') await checkInOrder(step.value.jobs, options.jobs ?? defaultWorkerCount(), step.value.emit);
      else await yieldToEventLoop();
      step = steps.next();
    }
    return output.result(step.value);
  } catch (error) {
    return output.failed(error);
  }
}

/** The destination of a run's output: the caller's sink, or strings returned in the result. */
class RunOutput {
  private stdout = '';
  private stderr = '';
  readonly sink: OutputSink;

  constructor(private readonly options: RunOptions) {
    this.sink = options.output ?? {
      stdout: (text) => (this.stdout += text),
      stderr: (text) => (this.stderr += text),
    };
  }

  result(exitCode: ExitCode): RunResult {
    const code = this.options.exitZero && exitCode === 1 ? 0 : exitCode;
    return { exitCode: code, stdout: this.stdout, stderr: this.stderr };
  }

  failed(error: unknown): RunResult {
    log('internal error: %O', error);
    const message = error instanceof Error ? error.message : String(error);
    const checked = targetNames(this.options).join('`, `');
    this.sink.stderr(`prodcheck: internal error while checking \`${checked}\`: ${message}\nRun with DEBUG=prodcheck:* to see where it happened, and report it with that output.\n`);
    return this.result(2);
  }
}

type ExitCode = 0 | 1 | 2;

/** Run options with the configuration file applied: command-line options win over the file, and the file over the defaults. */
interface ConfiguredOptions extends RunOptions {
  failOn: Severity;
  /** The configuration of each system, found from its folder. */
  configurations: SystemConfigurations;
  /** The name messages give the setting that chose the Dockerfile stage: the option, or its place in the configuration file. */
  dockerTargetSource: string;
  settings: ConfigSettings;
  /** The matcher of findings against `--baseline`, or null without one. */
  baselineMatcher: BaselineMatcher | null;
}

function* runSteps(requested: RunOptions, sink: OutputSink): Generator<RunStep, ExitCode> {
  const names = targetNames(requested);
  const options = configureRun(requested, names);
  if ('errors' in options) {
    for (const line of options.errors) sink.stderr(`${line}\n`);
    return 2;
  }

  let target: Target;
  try {
    target = resolveTargets(names, options.cwd);
  } catch (error) {
    if (error instanceof TargetError) return usageError(sink, error.message);
    throw error;
  }
  const configurationErrors = configureSystems(target, options);
  if (configurationErrors.length > 0) {
    for (const line of configurationErrors) sink.stderr(`${line}\n`);
    return 2;
  }

  const missingStage = options.dockerTarget === undefined ? null : findMissingTargetStage(stageSystems(target, options.cwd), options.dockerTarget, options.dockerTargetSource);
  if (missingStage) return usageError(sink, missingStage);

  for (const name of target.emptyFolders) {
    sink.stderr(`prodcheck: no files to check under \`${name}\` (looked for Python modules, Dockerfiles, requirements, Gunicorn config and YAML).\n`);
  }

  const fixMode = options.fix ?? 'none';
  let notes = '';
  if (fixMode !== 'none' || options.diff) {
    const fixed = { patch: '', notes: '' };
    yield* fixSystems(target, options, fixMode === 'unsafe', fixed);
    if (options.diff) {
      sink.stdout(fixed.patch);
      sink.stderr(fixed.notes);
      if (!fixed.patch) sink.stderr(`prodcheck: nothing to fix: no finding has a ${fixMode === 'unsafe' ? '' : 'safe '}fix that applies, so the diff is empty.\n`);
      return fixed.patch ? 1 : 0;
    }

    notes += fixed.notes;
    try {
      target = resolveTargets(names, options.cwd);
    } catch (error) {
      if (error instanceof TargetError) return usageError(sink, `after fixing, ${error.message}`);
      throw error;
    }
    configureSystems(target, options);
  }

  const report = yield* reportSystems(target, options, sink);
  notes += describeAvailableFixes(report.safeFixes, report.unsafeFixes, fixMode);
  if (options.format === 'stylish') sink.stdout(notes);
  else sink.stderr(notes);

  return report.exitCode;
}

/** Returns the targets the user named, or the working folder when there are none. */
function targetNames(options: RunOptions): string[] {
  const names = [...(options.target === undefined ? [] : [options.target]), ...(options.targets ?? [])];
  return names.length > 0 ? names : ['.'];
}

/** A target that cannot be checked: a usage error, reported with exit code 2. */
class TargetError extends Error {}

/**
 * Finds the systems the targets name. A folder target is listed and split into systems, all of
 * whose findings are shown. A file target is checked with the system it belongs to, found by
 * listing its boundary folder (see `boundaryFolder`) and splitting it into systems the same way,
 * so the file and the folder runs agree. Named files that prodcheck does not read are ignored:
 * a README, or a file that `.gitignore` or the configuration excludes or that lies in a skipped
 * folder such as `.github`.
 */
function resolveTargets(names: readonly string[], cwd: string): Target {
  const folders = new Map<string, ListedFolder>();
  const systems = new Map<string, TargetSystem>();
  const emptyFolders: string[] = [];

  const listFolder = (name: string, folder: string): ListedFolder => {
    let listed = folders.get(folder);
    if (listed) return listed;
    try {
      listed = findSystems(folder);
    } catch (error) {
      throw new TargetError(`\`${name}\` cannot be listed: ${describeError(error)}.`);
    }
    folders.set(folder, listed);
    return listed;
  };

  for (const name of names) {
    const absolute = path.resolve(cwd, name);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (error) {
      throw new TargetError(`\`${name}\` cannot be read: ${describeError(error)}. Pass the folder of the system to check, or files of it.`);
    }

    if (stat.isDirectory()) {
      const folder = listFolder(name, absolute);
      if (folder.listing.files.length === 0 && folder.listing.skipped.length === 0) emptyFolders.push(name);
      for (const plan of folder.plans) addSystem(systems, absolute, plan, null);
      continue;
    }

    const kind = classifyPath(absolute.split(path.sep).join('/'));
    if (kind === null) continue;

    const boundary = boundaryFolder(path.dirname(absolute), cwd);
    const folder = listFolder(name, boundary);
    const relPath = path.relative(boundary, absolute).split(path.sep).join('/');
    if (!folder.listed.has(relPath)) {
      log('`%s` is not checked: the listing of %s leaves it out', name, boundary);
      continue;
    }

    // A requirements file outside every system is read by the systems that include it
    // (`-r ../requirements-common.txt`), and only checking them shows which those are.
    const owner = planOwning(folder.plans, relPath);
    let owners: SystemPlan[] = [];
    if (owner !== null) owners = [owner];
    else if (kind === 'requirements') owners = folder.plans;
    for (const plan of owners) addSystem(systems, boundary, plan, absolute);
  }

  const sorted = [...systems.entries()].sort(([a], [b]) => compareText(a, b)).map(([, system]) => system);
  return { systems: sorted, emptyFolders };
}

/** Adds a system once, by its absolute folder; `file` is a named file of it, or null when a folder target takes it in whole. */
function addSystem(systems: Map<string, TargetSystem>, boundary: string, plan: SystemPlan, file: string | null): void {
  const root = path.join(boundary, plan.folder);
  const known = systems.get(root);
  if (!known) {
    systems.set(root, { boundary, plan, onlyFiles: file === null ? null : new Set([file]) });
    return;
  }

  if (file === null) known.onlyFiles = null;
  else known.onlyFiles?.add(file);
}

/**
 * Returns the folder that is listed to find the system of a file in `folder`. That is the
 * nearest folder at or above it that is the root of a Git repository (it contains `.git`) or is
 * the working folder, so the search never climbs above either. A file outside both is checked
 * with its own folder.
 *
 * NOTE: outside a Git repository, a file named from a working folder far above it (`/`, a home
 * folder) makes prodcheck list all of that folder, up to `MAX_LISTED_FILES` files.
 */
function boundaryFolder(folder: string, cwd: string): string {
  const candidates = [findRepositoryRoot(folder, folder), path.resolve(cwd)].filter((candidate) => isInside(candidate, folder));
  return candidates.reduce((nearest, candidate) => (candidate.length > nearest.length ? candidate : nearest));
}

/** Lists a folder and splits it into systems. */
function findSystems(folder: string): ListedFolder {
  const listing = listTree(folder, MAX_LISTED_FILES);
  const createsFlaskApp = (file: ListedFile): boolean => {
    const read = readListedFile(folder, file);
    return 'text' in read && moduleCreatesFlaskApp(read);
  };

  const plans = planSystems(listing, createsFlaskApp);
  const listed = new Set([...listing.files, ...listing.skipped].map((entry) => entry.relPath));
  return { listing, plans, listed };
}

/**
 * Gives each system of the target the settings of its configuration file, and leaves out the
 * systems none of whose files `include` and `exclude` keep (such as a service under an excluded
 * `legacy/` folder). The other systems keep all their files, because facts in a left-out file
 * (the Gunicorn config, a requirements file) still hold for the rest. Returns the located errors
 * of the configuration files that cannot be used.
 */
function configureSystems(target: Target, options: ConfiguredOptions): string[] {
  const errors = new Set<string>();
  target.systems = target.systems.filter((system) => {
    const root = path.join(system.boundary, system.plan.folder);
    const found = options.configurations.settingsFor(root);
    if ('errors' in found) {
      for (const line of found.errors) errors.add(line);
      return false;
    }

    system.settings = found.settings;
    if (found.settings.include.length === 0 && found.settings.exclude.length === 0) return true;
    const kept = keptFiles(root, found.settings);
    return [...system.plan.files, ...system.plan.skipped].some((entry) => kept(entry.relPath));
  });

  if (errors.size === 0) return [];
  const count = errors.size === 1 ? 'an error' : `${errors.size} errors`;
  return [...errors, `prodcheck: the configuration files have ${count}, so nothing was checked.`];
}

/** Checks every system, writing each one's findings as soon as it and all systems before it are done. */
function* reportSystems(target: Target, options: ConfiguredOptions, sink: OutputSink): Generator<RunStep, ReportOutcome> {
  // Only SARIF writes a fix's edits; the cache keeps them for later runs that may ask for SARIF.
  const formats = [options.format, ...(options.outputFiles ?? []).map((output) => output.format)];
  const fixSafetyOnly = !options.cache && !formats.includes('sarif');
  const jobs: SystemJob[] = target.systems.map(({ boundary, plan, settings = options.settings }, index) => ({
    index,
    root: path.join(boundary, plan.folder),
    boundary,
    files: plan.files,
    skipped: plan.skipped,
    dockerTarget: options.dockerTarget,
    settings,
    cache: options.cache ? { folder: cacheFolder(boundary, options), fingerprint: cacheFingerprintOf(options, settings) } : undefined,
    fixSafetyOnly,
  }));

  const report = new RunReport(options, sink, loadRules, jobs.length);
  let cachedSystems = 0;

  const emit = (outcome: SystemOutcome): void => {
    const { boundary, plan, onlyFiles } = target.systems[outcome.index];
    const root = path.join(boundary, plan.folder);
    if (options.baselineMatcher) outcome.findings = options.baselineMatcher.mark(root, outcome.findings, onlyFiles);
    const findings = onlyFiles === null ? outcome.findings : outcome.findings.filter((finding) => onlyFiles.has(path.resolve(root, finding.file)));
    if (outcome.cached) cachedSystems++;

    report.addSystem({ displayRoot: displayPath(options.cwd, root), root, boundary, files: plan.files, skipped: plan.skipped, onlyFiles }, findings);
  };

  yield { kind: 'check', jobs, emit };
  log('systems checked: %d, from the cache: %d', jobs.length, cachedSystems);
  const baselineEnd = options.baselineMatcher?.finish() ?? { note: '' };
  const outcome = report.finish();
  if ('error' in baselineEnd) {
    sink.stderr(baselineEnd.error);
    return { ...outcome, exitCode: 2 };
  }
  sink.stderr(baselineEnd.note);
  return outcome;
}

/** Returns the cache folder of the systems listed from `boundary`: `--cache-location`, or `.prodcheck-cache` in the listed folder. */
function cacheFolder(boundary: string, options: RunOptions): string {
  return options.cacheLocation ? path.resolve(options.cwd, options.cacheLocation) : path.join(boundary, DEFAULT_CACHE_FOLDER);
}

function cacheFingerprintOf(options: ConfiguredOptions, systemSettings: ConfigSettings): string {
  const { patternRoot, ...settings } = systemSettings;
  return cacheFingerprint(
    loadRules().map((rule) => rule.meta.id),
    { dockerTarget: options.dockerTarget ?? null, settings, patternRoot: patternRoot.split(path.sep).join('/') },
  );
}

/**
 * Applies the configuration file to the options and reads the baseline. Returns the lines to
 * print instead when the configuration file or the baseline is invalid, a usage error.
 */
function configureRun(options: RunOptions, names: readonly string[]): ConfiguredOptions | { errors: string[] } {
  const folder = configSearchFolder(names.map((name) => path.resolve(options.cwd, name)));
  const loaded = loadRunConfig(folder, options.cwd, options.configFile, loadRules());
  if ('errors' in loaded) {
    const count = loaded.errors.length === 1 ? 'an error' : `${loaded.errors.length} errors`;
    return { errors: [...loaded.errors, `prodcheck: the configuration file has ${count}, so nothing was checked.`] };
  }

  let baselineMatcher: BaselineMatcher | null = null;
  if (options.updateBaseline && options.baseline === undefined) return { errors: ['prodcheck: --update-baseline needs --baseline FILE, the file to write.'] };
  if (options.baseline !== undefined) {
    const file = path.resolve(options.cwd, options.baseline);
    const exists = fs.existsSync(file);
    const read = options.updateBaseline && !exists ? { entries: [] } : readBaseline(file, options.baseline);
    if ('error' in read) return { errors: [`prodcheck: ${read.error}`] };
    baselineMatcher = new BaselineMatcher(file, options.baseline, read.entries, options.updateBaseline ?? false);
  }

  const { config } = loaded;
  const settings = configSettings(config, folder, options.requireReason ?? config.requireReason ?? false);
  const configurations = new SystemConfigurations(
    { file: config.file, settings },
    { configOption: options.configFile, cwd: options.cwd, rules: loadRules(), requireReason: options.requireReason },
  );
  return {
    ...options,
    configurations,
    failOn: options.failOn ?? config.failOn ?? 'error',
    dockerTarget: options.dockerTarget ?? config.targetStage ?? undefined,
    dockerTargetSource: options.dockerTarget === undefined && config.targetStage !== null ? `${targetStageOrigin(config, options.cwd)}: \`target-stage\`` : '--target-stage',
    settings,
    baselineMatcher,
  };
}

/**
 * Fixes each system in turn: with `--diff`, collects the patches; otherwise writes the fixed
 * files. Adds the patches and the notes on what was (or would be) fixed to `fixed`. A system
 * checked for named files gets only the fixes whose finding and edited or created files are all
 * named files. The notes list the fixes left out.
 */
function* fixSystems(target: Target, options: ConfiguredOptions, unsafe: boolean, fixed: { patch: string; notes: string }): Generator<RunStep, void> {
  const { fixSystem, writeChanges } = loadFixer();
  const { readSystem, configuredCheckOptions } = loadSystemCheck();
  const several = target.systems.length > 1;

  for (const { boundary, plan, onlyFiles, settings = options.settings } of target.systems) {
    const root = path.join(boundary, plan.folder);
    const displayRoot = displayPath(options.cwd, root);
    const input = readSystem(root, boundary, plan.files, plan.skipped);
    const withheld = new Map<string, WithheldFix>();
    const outcome = fixSystem(input, {
      ...configuredCheckOptions(root, settings),
      editableFiles: onlyFiles === null ? undefined : (relPath) => onlyFiles.has(path.resolve(root, relPath)),
      rules: onlyFiles === null ? loadRules() : rulesFixingOnly(loadRules(), root, onlyFiles, withheld),
      dockerTarget: options.dockerTarget,
      unsafe,
      existsOnDisk: (relPath) => fs.existsSync(path.join(root, relPath)),
    });

    if (options.diff) {
      fixed.patch += formatDiff(outcome, diffPrefix(options.cwd, boundary, root));
      fixed.notes += describeFixes(outcome, null, several ? displayRoot : null);
    } else {
      const written = writeChanges(root, outcome.changes);
      fixed.notes += describeFixes(outcome, written, several ? displayRoot : null);
    }
    fixed.notes += describeWithheldFixes(outcome, withheld, unsafe, options, displayRoot);
    yield { kind: 'pause' };
  }
}

/** A fix left out of a run on named files because it edits or creates other files of the system. */
interface WithheldFix {
  safety: Fix['safety'];
  /** The files the fix would edit or create that were not named, relative to the system's folder. */
  otherFiles: string[];
}

/**
 * Wraps the rules of a system checked for named files (`allowed`, absolute paths) so that a
 * finding keeps its fix only when the finding is in a named file and the fix edits and creates
 * named files only. A fix taken from a finding in a named file is recorded in `withheld`, keyed
 * by `withheldKey`.
 */
function rulesFixingOnly(rules: readonly Rule[], root: string, allowed: ReadonlySet<string>, withheld: Map<string, WithheldFix>): Rule[] {
  const isAllowed = (relPath: string): boolean => allowed.has(path.resolve(root, relPath));
  return rules.map((rule) => ({
    meta: rule.meta,
    check: (model, context) =>
      rule.check(model, {
        options: context.options,
        report: (descriptor) => {
          const fix = descriptor.fix;
          const file = descriptor.location.file.relPath;
          if (!fix) return context.report(descriptor);

          const touched = [...fix.edits.map((edit) => edit.file), ...(fix.newFiles ?? []).map((created) => created.file)];
          const otherFiles = [...new Set(touched.filter((relPath) => !isAllowed(relPath)))];
          if (isAllowed(file) && otherFiles.length === 0) return context.report(descriptor);

          if (isAllowed(file)) withheld.set(withheldKey(rule.meta.id, file, descriptor.location.start), { safety: fix.safety, otherFiles });
          context.report({ ...descriptor, fix: undefined });
        },
      }),
  }));
}

function withheldKey(ruleId: string, file: string, start: number): string {
  return `${ruleId}\u0000${file}\u0000${start}`;
}

/** Lists the fixes that were left out because they reach files that were not named, and how to apply them. */
function describeWithheldFixes(outcome: FixOutcome, withheld: ReadonlyMap<string, WithheldFix>, unsafe: boolean, options: RunOptions, displayRoot: string): string {
  const otherFiles = new Set<string>();
  let count = 0;
  for (const finding of outcome.remaining) {
    const fix = withheld.get(withheldKey(finding.ruleId, finding.file, finding.start));
    if (!fix || (fix.safety === 'unsafe' && !unsafe)) continue;
    count++;
    for (const relPath of fix.otherFiles) otherFiles.add(relPath);
  }
  if (count === 0) return '';

  const command = ['prodcheck', options.diff ? '--diff' : '--fix', ...(unsafe ? ['--unsafe-fixes'] : []), displayRoot].join(' ');
  const files = [...otherFiles].sort(compareText).map((relPath) => `\`${relPath}\``).join(', ');
  const subject = count === 1 ? '1 fix was' : `${count} fixes were`;
  const pronoun = count === 1 ? 'it' : 'them';
  const next = options.diff ? `see ${pronoun}` : `apply ${pronoun}`;
  return `\`${displayRoot}\`: ${subject} left out because ${count === 1 ? 'it changes' : 'they change'} files that were not named (${files}); run \`${command}\` to ${next} on the whole system.\n`;
}

/**
 * Formats a system's changes as a unified diff whose paths (`a/PREFIX/file`, `b/PREFIX/file`)
 * apply with `patch -p1` from the working folder. `prefix` is the system's folder, as `diffPrefix`
 * returns it.
 */
function formatDiff(outcome: FixOutcome, prefix: string): string {
  const diffPath = (relPath: string): string => path.posix.normalize(prefix === '' ? relPath : `${prefix}/${relPath}`);
  return outcome.changes
    .map((change) => {
      const before = change.original ? change.original.text : '';
      const oldName = change.original ? `a/${diffPath(change.relPath)}` : '/dev/null';
      return loadFixer().createTwoFilesPatch(oldName, `b/${diffPath(change.relPath)}`, before, change.fixed.text, '', '', { context: 3 });
    })
    .map((patch) => patch.replace(/^=+\n/, ''))
    .join('');
}

/**
 * Returns the folder that a system's diff paths start with: the system root relative to the working
 * folder, or, for a target outside the working folder, relative to the listed folder, so the diff
 * applies with `patch -p1` in that folder. Returns '' for the folder itself.
 */
function diffPrefix(cwd: string, boundary: string, root: string): string {
  const fromCwd = path.relative(cwd, root);
  const outside = fromCwd === '..' || fromCwd.startsWith(`..${path.sep}`) || path.isAbsolute(fromCwd);
  return (outside ? path.relative(boundary, root) : fromCwd).split(path.sep).join('/');
}

/** Returns the systems of the target with their Dockerfiles, for checking `--target-stage`. */
function stageSystems(target: Target, cwd: string) {
  return target.systems.map(({ boundary, plan }) => {
    const root = path.join(boundary, plan.folder);
    return { root, displayRoot: displayPath(cwd, root), files: plan.files };
  });
}

/** Describes what was fixed in one system; `displayRoot` is given when there are several systems, so each line names its system. */
function describeFixes(outcome: FixOutcome, written: WriteResult | null, displayRoot: string | null): string {
  const lines: string[] = [];
  const files = written ? written.written.length : outcome.changes.length;
  const verb = written ? 'Fixed' : 'Would fix';
  if (outcome.applied.length > 0) {
    lines.push(`${verb} ${plural(outcome.applied.length, 'problem')} in ${plural(files, 'file')}.`);
  }
  for (const failure of written?.failed ?? []) lines.push(`Did not write \`${failure.relPath}\`: ${failure.reason}; the file is unchanged.`);
  for (const failure of outcome.failed) lines.push(`Fix for ${failure.finding.ruleId} at ${failure.finding.file}:${failure.finding.line} not applied: ${failure.reason}.`);
  if (outcome.oscillated) lines.push('Stopped fixing because two fixes kept undoing each other; the remaining findings need a manual change.');
  if (lines.length === 0) return '';

  const prefix = displayRoot === null ? '' : `\`${displayRoot}\`: `;
  return lines.map((line) => `${prefix}${line}\n`).join('');
}

function describeAvailableFixes(safe: number, unsafe: number, mode: 'none' | 'safe' | 'unsafe'): string {
  const lines: string[] = [];
  if (mode === 'none' && safe > 0) lines.push(`${plural(safe, 'problem')} can be fixed with \`--fix\`.`);
  if (mode !== 'unsafe' && unsafe > 0) lines.push(`${plural(unsafe, 'problem')} ${unsafe === 1 ? 'has an' : 'have'} unsafe fix${unsafe === 1 ? '' : 'es'}; review them with \`--diff --unsafe-fixes\` and apply them with \`--fix --unsafe-fixes\`.`);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function usageError(sink: OutputSink, message: string): ExitCode {
  sink.stderr(`prodcheck: ${message}\n`);
  return 2;
}

function displayPath(cwd: string, absolute: string): string {
  const relative = path.relative(cwd, absolute);
  if (relative === '') return '.';
  if (relative.startsWith('..') || path.isAbsolute(relative)) return absolute.split(path.sep).join('/');
  return relative.split(path.sep).join('/');
}

/**
 * Formats the rule list for `prodcheck rules`: id, default severity, fix safety and description,
 * or with `json`, an array of objects with those fields, the area and the path of the rule's page.
 */
export function formatRuleList(colors: Colors, format: 'stylish' | 'json' = 'stylish'): string {
  const allRules = loadRules();
  if (format === 'json') {
    const entries = allRules.map(({ meta }) => ({
      id: meta.id,
      area: meta.area,
      severity: meta.severity,
      fixable: meta.fixable,
      spansFiles: meta.spansFiles ?? false,
      description: meta.description,
      docs: `docs/rules/${meta.id}.md`,
    }));
    return `${JSON.stringify(entries, null, 2)}\n`;
  }

  const idWidth = Math.max(...allRules.map((rule) => rule.meta.id.length));
  const lines = allRules.map((rule) => {
    const severity = rule.meta.severity.padEnd(7);
    const fixable = rule.meta.fixable === 'none' ? '      ' : rule.meta.fixable.padEnd(6);
    return `${rule.meta.id.padEnd(idWidth)}  ${colors.dim(severity)}  ${colors.dim(fixable)}  ${rule.meta.description}`;
  });
  return `${lines.join('\n')}\n`;
}

/** Returns the page of a rule for `--explain`, or a usage message that suggests the nearest rule id. */
export function explainRuleId(id: string): { page: string } | { error: string } {
  return explainRule(id, loadRules());
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheFingerprint, DEFAULT_CACHE_FOLDER } from './cache';
import { describeError, listTree, readListedFile, type ListedFile, type TreeListing } from './discovery';
import type { FixOutcome } from './fix/loop';
import type { WriteResult } from './fix/write';
import { createLogger } from './log';
import { checkInOrder, defaultWorkerCount, yieldToEventLoop } from './parallel';
import type { Colors } from './report/colors';
import { formatJsonEnd, formatJsonStart, formatJsonSystem } from './report/json';
import { addCounts, formatStylishSummary, formatStylishSystem, type ReportedFinding, type ReportedSystem } from './report/stylish';
import type { SeverityCounts } from './report/summary';
import { SEVERITY_RANK, type Rule, type Severity } from './rule';
import { moduleCreatesFlaskApp, planSystems, type SystemPlan } from './roots';
import type { SystemJob, SystemOutcome } from './system-check';
import { toolVersion } from './version';

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

export type OutputFormat = 'stylish' | 'json';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['stylish', 'json'];

export { defaultWorkerCount } from './parallel';

/** The walk of the checked folder stops after this many files; each system is further limited to `MAX_FILES`. */
export const MAX_LISTED_FILES = 1_000_000;

export interface RunOptions {
  /** The folder (or one file of it) to check, as the user wrote it. */
  target: string;
  cwd: string;
  format: OutputFormat;
  /** The lowest severity that makes the exit code 1. */
  failOn: Severity;
  colors: Colors;
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

/** The checked folder, its systems and how their paths are shown. */
interface Target {
  /** Absolute path of the checked folder: the target, or the folder of a target file. */
  folder: string;
  /** The file the user named, relative to `folder`; only its findings are shown. */
  onlyFile: string | null;
  listing: TreeListing;
  plans: SystemPlan[];
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
    return { exitCode, stdout: this.stdout, stderr: this.stderr };
  }

  failed(error: unknown): RunResult {
    log('internal error: %O', error);
    const message = error instanceof Error ? error.message : String(error);
    this.sink.stderr(`prodcheck: internal error while checking \`${this.options.target}\`: ${message}\nRun with DEBUG=prodcheck:* to see where it happened, and report it with that output.\n`);
    return this.result(2);
  }
}

type ExitCode = 0 | 1 | 2;

function* runSteps(options: RunOptions, sink: OutputSink): Generator<RunStep, ExitCode> {
  const absolute = path.resolve(options.cwd, options.target);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch (error) {
    return usageError(sink, `\`${options.target}\` cannot be read: ${describeError(error)}. Pass the folder of the system to check.`);
  }

  const folder = stat.isDirectory() ? absolute : path.dirname(absolute);
  const onlyFile = stat.isDirectory() ? null : path.basename(absolute);
  let target: Target;
  try {
    target = findSystems(folder, onlyFile);
  } catch (error) {
    return usageError(sink, `\`${options.target}\` cannot be listed: ${describeError(error)}.`);
  }

  if (target.listing.files.length === 0 && target.listing.skipped.length === 0) {
    sink.stderr(`prodcheck: no files to check under \`${options.target}\` (looked for Python modules, Dockerfiles, requirements, Gunicorn config and YAML).\n`);
  }

  const fixMode = options.fix ?? 'none';
  let notes = '';
  if (fixMode !== 'none' || options.diff) {
    const fixed = { patch: '', notes: '' };
    yield* fixSystems(target, options, fixMode === 'unsafe', fixed);
    if (options.diff) {
      sink.stdout(fixed.patch);
      sink.stderr(fixed.notes);
      return fixed.patch ? 1 : 0;
    }

    notes += fixed.notes;
    target = findSystems(folder, onlyFile);
  }

  const report = yield* reportSystems(target, options, sink);
  notes += describeAvailableFixes(report.safeFixes, report.unsafeFixes, fixMode);
  if (options.format === 'json') sink.stderr(notes);
  else sink.stdout(notes);

  return report.failing ? 1 : 0;
}

/** Lists the checked folder and splits it into systems; a target file is checked with the system of its folder. */
function findSystems(folder: string, onlyFile: string | null): Target {
  const listing = listTree(folder, MAX_LISTED_FILES);
  const createsFlaskApp = (file: ListedFile): boolean => {
    const read = readListedFile(folder, file);
    return 'text' in read && moduleCreatesFlaskApp(read);
  };

  let plans = planSystems(listing, createsFlaskApp);
  if (onlyFile !== null) {
    const own = plans.find((plan) => plan.folder === '');
    plans = [own ?? { folder: '', files: listing.files, skipped: listing.skipped }];
  }
  return { folder, onlyFile, listing, plans };
}

interface Report {
  failing: boolean;
  safeFixes: number;
  unsafeFixes: number;
}

/** Checks every system, writing each one's findings as soon as it and all systems before it are done. */
function* reportSystems(target: Target, options: RunOptions, sink: OutputSink): Generator<RunStep, Report> {
  const report: Report = { failing: false, safeFixes: 0, unsafeFixes: 0 };
  const counts: SeverityCounts = { errors: 0, warnings: 0, infos: 0 };
  const cache = options.cache ? cacheSettings(target, options) : undefined;
  const jobs: SystemJob[] = target.plans.map((plan, index) => ({
    index,
    root: path.join(target.folder, plan.folder),
    boundary: target.folder,
    files: plan.files,
    skipped: plan.skipped,
    dockerTarget: options.dockerTarget,
    cache,
  }));

  if (options.format === 'json') sink.stdout(formatJsonStart(toolVersion()));
  let cachedSystems = 0;

  const emit = (outcome: SystemOutcome): void => {
    const plan = target.plans[outcome.index];
    const findings = target.onlyFile === null ? outcome.findings : outcome.findings.filter((finding) => finding.file === target.onlyFile);
    const system: ReportedSystem = { displayRoot: displayPath(options.cwd, path.join(target.folder, plan.folder)), findings };
    if (outcome.cached) cachedSystems++;

    addCounts(counts, findings);
    report.failing ||= findings.some((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[options.failOn]);
    report.safeFixes += countFixes(findings, 'safe');
    report.unsafeFixes += countFixes(findings, 'unsafe');
    sink.stdout(options.format === 'json' ? formatJsonSystem(system, outcome.index === 0) : formatStylishSystem(system, options.colors));
  };

  yield { kind: 'check', jobs, emit };
  log('systems checked: %d, from the cache: %d', jobs.length, cachedSystems);

  sink.stdout(options.format === 'json' ? formatJsonEnd(counts, jobs.length > 0) : formatStylishSummary(counts, options.colors));
  return report;
}

function cacheSettings(target: Target, options: RunOptions): SystemJob['cache'] {
  const folder = options.cacheLocation ? path.resolve(options.cwd, options.cacheLocation) : path.join(target.folder, DEFAULT_CACHE_FOLDER);
  const fingerprint = cacheFingerprint(
    loadRules().map((rule) => rule.meta.id),
    { dockerTarget: options.dockerTarget ?? null },
  );
  return { folder, fingerprint };
}

/**
 * Fixes each system in turn: with `--diff`, collects the patches; otherwise writes the fixed
 * files. Adds the patches and the notes on what was (or would be) fixed to `fixed`.
 */
function* fixSystems(target: Target, options: RunOptions, unsafe: boolean, fixed: { patch: string; notes: string }): Generator<RunStep, void> {
  const { fixSystem, writeChanges } = loadFixer();
  const { readSystem } = loadSystemCheck();
  const several = target.plans.length > 1;

  for (const plan of target.plans) {
    const root = path.join(target.folder, plan.folder);
    const displayRoot = displayPath(options.cwd, root);
    const input = readSystem(root, target.folder, plan.files, plan.skipped);
    const outcome = fixSystem(input, {
      rules: loadRules(),
      dockerTarget: options.dockerTarget,
      unsafe,
      existsOnDisk: (relPath) => fs.existsSync(path.join(root, relPath)),
    });

    if (options.diff) {
      fixed.patch += formatDiff(outcome, displayRoot);
      fixed.notes += describeFixes(outcome, null, several ? displayRoot : null);
    } else {
      const written = writeChanges(root, outcome.changes);
      fixed.notes += describeFixes(outcome, written, several ? displayRoot : null);
    }
    yield { kind: 'pause' };
  }
}

function formatDiff(outcome: FixOutcome, displayRoot: string): string {
  const prefix = displayRoot === '.' ? '' : `${displayRoot}/`;
  return outcome.changes
    .map((change) => {
      const before = change.original ? change.original.text : '';
      const oldName = change.original ? `a/${prefix}${change.relPath}` : '/dev/null';
      return loadFixer().createTwoFilesPatch(oldName, `b/${prefix}${change.relPath}`, before, change.fixed.text, '', '', { context: 3 });
    })
    .map((patch) => patch.replace(/^=+\n/, ''))
    .join('');
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

function countFixes(findings: readonly ReportedFinding[], safety: 'safe' | 'unsafe'): number {
  return findings.filter((finding) => finding.fix?.safety === safety).length;
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

/** Formats the rule list for `prodcheck rules`: id, default severity, fix safety and description. */
export function formatRuleList(colors: Colors): string {
  const allRules = loadRules();
  const idWidth = Math.max(...allRules.map((rule) => rule.meta.id.length));
  const lines = allRules.map((rule) => {
    const severity = rule.meta.severity.padEnd(7);
    const fixable = rule.meta.fixable === 'none' ? '      ' : rule.meta.fixable.padEnd(6);
    return `${rule.meta.id.padEnd(idWidth)}  ${colors.dim(severity)}  ${colors.dim(fixable)}  ${rule.meta.description}`;
  });
  return `${lines.join('\n')}\n`;
}

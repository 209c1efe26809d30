import * as path from 'node:path';
import { allRules } from '../rules';
import { FindingsCache, fileState, inputState, type Dependency } from './cache';
import { ConfigFilter, type ConfigSettings } from './config';
import { isInside, readListedFile, readSystemFile, type ListedFile, type SkippedFile } from './discovery';
import { checkSystem, sortFindings, type CheckOptions } from './engine';
import { hashLine } from './report/fingerprint';
import type { ReportedFinding } from './report/stylish';
import type { Finding } from './rule';
import { lineText, type SourceFile } from './source';
import type { FileLoader, SystemInput } from './system';

/** One system to check, as plain data, so it can be posted to a worker thread. */
export interface SystemJob {
  /** The position of the system in the output. */
  index: number;
  /** Absolute path of the system's folder. */
  root: string;
  /** Absolute path of the checked folder; a system reads files above its root only inside it. */
  boundary: string;
  files: ListedFile[];
  skipped: SkippedFile[];
  dockerTarget?: string;
  /** The settings of the configuration file and `--require-reason`; the defaults when unset. */
  settings?: ConfigSettings;
  /** The cache folder and fingerprint, when `--cache` is on. */
  cache?: { folder: string; fingerprint: string };
  /**
   * When true, each finding's fix is reported by its safety only, without its title, edits and new
   * files. Every format but SARIF reads only the safety, and posting the edits and generated files
   * to the main thread costs time. Leave it unset when the findings go to the cache, which later
   * runs with SARIF may read.
   */
  fixSafetyOnly?: boolean;
}

export interface SystemOutcome {
  index: number;
  findings: ReportedFinding[];
  /** True when the findings came from the cache, with no parsing and no rules run. */
  cached: boolean;
}

/** Reads a system's files and builds the input the engine checks. */
export function readSystem(root: string, boundary: string, files: readonly ListedFile[], skipped: readonly SkippedFile[]): SystemInput {
  const input: SystemInput = { root, files: [], skipped: [...skipped], load: createLoader(root, boundary) };
  for (const listed of files) {
    const read = readListedFile(root, listed);
    if ('text' in read) input.files.push(read);
    else input.skipped.push(read);
  }
  return input;
}

/**
 * Returns the loader for files a system names by path (`-r`, `-c`, a Gunicorn `-c` file).
 * Paths may lead above the system's folder but not out of `boundary`, the checked folder. A file
 * that `exclude` matches is read too: no finding in it is reported, but what it declares counts.
 */
export function createLoader(root: string, boundary: string): FileLoader {
  return (relPath, kind) => {
    if (path.isAbsolute(relPath) || !isInside(boundary, path.join(root, relPath))) {
      const place = boundary === root ? 'system folder' : 'checked folder';
      return { relPath, reason: `is outside the ${place}, so it was not read` };
    }
    return readSystemFile(root, relPath, kind, boundary);
  };
}

/** Returns the engine options that the configuration settings give a system rooted at `root`. */
export function configuredCheckOptions(root: string, settings: ConfigSettings | undefined): CheckOptions {
  if (!settings) return {};

  const filters = settings.perFileIgnores.length > 0 || settings.include.length > 0 || settings.exclude.length > 0;
  const filter = filters ? new ConfigFilter(settings, settings.patternRoot) : null;
  return {
    severities: new Map(Object.entries(settings.severities)),
    ruleOptions: new Map(Object.entries(settings.ruleOptions)),
    ignoresFinding: filter ? (relPath, ruleId) => filter.ignoresFinding(filter.relativePath(path.join(root, relPath)), ruleId) : undefined,
    requireReason: settings.requireReason,
  };
}

/** Reads and checks one system, or takes its findings from the cache when none of its files changed. */
export function checkJob(job: SystemJob): SystemOutcome {
  const input = readSystem(job.root, job.boundary, job.files, job.skipped);
  const cache = job.cache ? new FindingsCache(job.cache.folder, job.cache.fingerprint) : null;
  if (!cache) return { index: job.index, findings: checkInput(input, job), cached: false };

  const inputs = inputState(input.files, input.skipped);
  const stored = cache.lookup(job.root, inputs, (relPath) => loadState(input.load, relPath));
  if (stored) return { index: job.index, findings: stored, cached: true };

  const dependencies: Dependency[] = [];
  const load = input.load;
  input.load = (relPath, kind) => {
    const loaded = load(relPath, kind);
    dependencies.push({ relPath, state: 'text' in loaded ? fileState(loaded) : `skipped: ${loaded.reason}` });
    return loaded;
  };

  const findings = checkInput(input, job);
  cache.store(job.root, inputs, dependencies, findings);
  return { index: job.index, findings, cached: false };
}

/**
 * Checks a system and returns its findings in position order: those to report, and those a
 * suppression comment silences, marked with the comment's reason. Each gets the hash of its
 * source line, so the baseline can be matched on the main thread from plain data.
 */
function checkInput(input: SystemInput, job: SystemJob): ReportedFinding[] {
  const texts = new Map(input.files.map((file) => [file.relPath, file]));
  const load = input.load;
  const recorded: SystemInput = {
    ...input,
    load: (relPath, kind) => {
      const loaded = load(relPath, kind);
      if ('text' in loaded && !texts.has(loaded.relPath)) texts.set(loaded.relPath, loaded);
      return loaded;
    },
  };

  const result = checkSystem(recorded, { ...configuredCheckOptions(job.root, job.settings), rules: allRules, dockerTarget: job.dockerTarget });
  const suppressed = new Map<Finding, string | null>(result.suppressed.map((entry) => [entry.finding, entry.justification]));
  const ordered = sortFindings([...result.findings, ...suppressed.keys()]);

  return ordered.map((finding) => {
    const reported: ReportedFinding = job.fixSafetyOnly ? withFixSafetyOnly(finding) : reportedFinding(finding);
    const file = texts.get(finding.file);
    reported.lineHash = hashLine(file ? lineText(file, finding.line) : '');
    if (suppressed.has(finding)) {
      const justification = suppressed.get(finding);
      reported.suppression = justification ? { kind: 'inSource', justification } : { kind: 'inSource' };
    }
    return reported;
  });
}

function loadState(load: FileLoader, relPath: string): string {
  // The kind does not change what is read, only how the file is classified afterwards.
  const loaded: SourceFile | SkippedFile = load(relPath, 'requirements');
  return 'text' in loaded ? fileState(loaded) : `skipped: ${loaded.reason}`;
}

/**
 * Copies a finding into a plain object whose fix keeps only its safety, the part that every format
 * but SARIF reads. SARIF writes a fix only when its title and edits are there (`isFullFix`).
 */
function withFixSafetyOnly(finding: Finding): ReportedFinding {
  const { fix, ...rest } = finding;
  if (!fix) return rest;
  // NOTE: `ReportedFinding` types the title and edits as present, but its readers other than SARIF
  // (JSON, stylish, the CI formats, the fix counts) read only the safety.
  return { ...rest, fix: { safety: fix.safety } as ReportedFinding['fix'] };
}

/**
 * Copies a finding and its fix (title, safety, edits and new files) into plain objects, so it can be
 * posted between threads and stored in the cache. SARIF writes the fix's edits.
 */
export function reportedFinding(finding: Finding): ReportedFinding {
  const { fix, ...rest } = finding;
  if (!fix) return rest;

  const edits = fix.edits.map((edit) => ({ file: edit.file, start: edit.start, end: edit.end, text: edit.text }));
  const newFiles = fix.newFiles?.map((created) => ({ file: created.file, content: created.content }));
  return { ...rest, fix: { title: fix.title, safety: fix.safety, edits, ...(newFiles ? { newFiles } : {}) } };
}

import * as path from 'node:path';
import { allRules } from '../rules';
import { FindingsCache, fileState, inputState, type Dependency } from './cache';
import { isInside, readListedFile, readSystemFile, type ListedFile, type SkippedFile } from './discovery';
import { checkSystem } from './engine';
import type { ReportedFinding } from './report/stylish';
import type { Finding } from './rule';
import type { SourceFile } from './source';
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
  /** The cache folder and fingerprint, when `--cache` is on. */
  cache?: { folder: string; fingerprint: string };
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
 * Paths may lead above the system's folder but not out of `boundary`, the checked folder.
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

/** Reads and checks one system, or takes its findings from the cache when none of its files changed. */
export function checkJob(job: SystemJob): SystemOutcome {
  const input = readSystem(job.root, job.boundary, job.files, job.skipped);
  const cache = job.cache ? new FindingsCache(job.cache.folder, job.cache.fingerprint) : null;
  if (!cache) return { index: job.index, findings: checkInput(input, job.dockerTarget).map(reportedFinding), cached: false };

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

  const findings = checkInput(input, job.dockerTarget).map(reportedFinding);
  cache.store(job.root, inputs, dependencies, findings);
  return { index: job.index, findings, cached: false };
}

function checkInput(input: SystemInput, dockerTarget: string | undefined): Finding[] {
  return checkSystem(input, { rules: allRules, dockerTarget }).findings;
}

function loadState(load: FileLoader, relPath: string): string {
  // The kind does not change what is read, only how the file is classified afterwards.
  const loaded: SourceFile | SkippedFile = load(relPath, 'requirements');
  return 'text' in loaded ? fileState(loaded) : `skipped: ${loaded.reason}`;
}

/** Drops a finding's fix down to its safety, the only part the output needs, so it can be posted and stored. */
export function reportedFinding(finding: Finding): ReportedFinding {
  const { fix, ...rest } = finding;
  return fix ? { ...rest, fix: { safety: fix.safety } } : rest;
}

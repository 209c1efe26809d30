import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareText, describeError, type SkippedFile } from './discovery';
import { createLogger } from './log';
import type { ReportedFinding } from './report/stylish';
import type { SourceFile } from './source';
import { toolVersion } from './version';

const log = createLogger('cache');

/** The cache folder's name when `--cache-location` is not given; it sits in the checked folder. */
export const DEFAULT_CACHE_FOLDER = '.prodcheck-cache';

/** The version of the entry layout. Entries of another version are ignored, so it goes up when the layout changes. */
const ENTRY_FORMAT = 2;

/**
 * The state of a system's inputs: every file read, with a hash of its decoded text, and every
 * file that could not be read, with the reason. Two states are equal when the strings are.
 */
export type InputState = string;

/** A file read through the system's loader (an include or a `-c` config), with its state when it was read. */
export interface Dependency {
  relPath: string;
  state: string;
}

interface CacheEntry {
  format: number;
  fingerprint: string;
  root: string;
  inputs: InputState;
  dependencies: Dependency[];
  findings: ReportedFinding[];
}

/**
 * Stored findings of systems, one JSON file per system, keyed by the system's folder and the
 * fingerprint of what decides the findings: prodcheck's version and build, the rules and the
 * options. An entry is used only when every file of the system, and every file it read
 * through includes, has the same content as when the entry was written.
 */
export class FindingsCache {
  constructor(
    readonly folder: string,
    readonly fingerprint: string,
  ) {}

  /** Returns the stored findings of the system, or null when there are none or an input changed. */
  lookup(root: string, inputs: InputState, currentState: (relPath: string) => string): ReportedFinding[] | null {
    const entry = this.read(root);
    if (!entry) return null;

    if (entry.format !== ENTRY_FORMAT || entry.fingerprint !== this.fingerprint || entry.root !== root) return null;
    if (entry.inputs !== inputs) return null;
    if (entry.dependencies.some((dependency) => currentState(dependency.relPath) !== dependency.state)) return null;
    return entry.findings;
  }

  /** Stores the findings of a system. A cache that cannot be written is logged and otherwise ignored. */
  store(root: string, inputs: InputState, dependencies: Dependency[], findings: ReportedFinding[]): void {
    const entry: CacheEntry = { format: ENTRY_FORMAT, fingerprint: this.fingerprint, root, inputs, dependencies, findings };
    const file = this.entryPath(root);
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;

    try {
      fs.mkdirSync(this.folder, { recursive: true });
      fs.writeFileSync(temporary, JSON.stringify(entry));
      fs.renameSync(temporary, file);
    } catch (error) {
      log('cannot write the cache entry %s: %s', file, describeError(error));
      fs.rmSync(temporary, { force: true });
    }
  }

  private read(root: string): CacheEntry | null {
    const file = this.entryPath(root);
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as CacheEntry;
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') log('ignoring the unreadable cache entry %s: %s', file, describeError(error));
      return null;
    }
  }

  private entryPath(root: string): string {
    return path.join(this.folder, `${hashText(`${this.fingerprint}\u0000${root}`).slice(0, 32)}.json`);
  }
}

/**
 * Returns the fingerprint of what decides a system's findings besides its files: prodcheck's
 * version, a hash of its compiled code (so a rebuilt prodcheck with an unchanged version number
 * still invalidates the cache), the rules in effect and the options. The options include the
 * configuration settings: severities, rule options, patterns and `require-reason`. Mapping keys
 * are sorted first, so the order in which a configuration file lists them does not matter.
 */
export function cacheFingerprint(ruleIds: readonly string[], options: Record<string, unknown>): string {
  const hash = createHash('sha256');
  hash.update(`prodcheck ${toolVersion()}\u0000${ENTRY_FORMAT}\u0000`);
  hash.update(buildHash());
  hash.update(`\u0000${ruleIds.join(',')}\u0000${JSON.stringify(sortKeys(options))}`);
  return hash.digest('hex');
}

/** Returns a copy of a JSON value with the keys of every object in sorted order. Arrays keep their order. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;

  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => compareText(a, b));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
}

/** Describes the files read for a system: each path, kind and hash of content, then each skipped path with its reason. */
export function inputState(files: readonly SourceFile[], skipped: readonly SkippedFile[]): InputState {
  const lines = files.map((file) => `${file.relPath}\u0000${file.kind}\u0000${fileState(file)}`);
  lines.sort(compareText);

  const reasons = skipped.map((entry) => `${entry.relPath}\u0000${entry.reason}`);
  reasons.sort(compareText);
  return [...lines, '', ...reasons].join('\n');
}

/** Returns the state of a file read: a hash of its content, encoding and byte order mark. */
export function fileState(file: SourceFile): string {
  return hashText(`${file.encoding}\u0000${file.bom ? 1 : 0}\u0000${file.text}`);
}

function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

let cachedBuildHash: string | null = null;

/** Hashes the compiled JavaScript that prodcheck runs from: the folder above this file's folder. */
function buildHash(): string {
  if (cachedBuildHash) return cachedBuildHash;

  const hash = createHash('sha256');
  const top = path.join(__dirname, '..');
  const pending = ['src', 'rules', 'data'];
  while (pending.length > 0) {
    const relFolder = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(top, relFolder), { withFileTypes: true });
    } catch {
      continue;
    }

    entries.sort((a, b) => compareText(a.name, b.name));
    for (const entry of entries) {
      const relPath = `${relFolder}/${entry.name}`;
      if (entry.isDirectory()) pending.push(relPath);
      else if (/\.(c?js|mjs|json|ts|mts)$/.test(entry.name) && !entry.name.endsWith('.map')) hash.update(`${relPath}\u0000`).update(fs.readFileSync(path.join(top, relPath)));
    }
  }

  cachedBuildHash = hash.digest('hex');
  return cachedBuildHash;
}

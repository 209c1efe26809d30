import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareText, describeError, isInside } from './discovery';
import type { ReportedFinding } from './report/stylish';

/** The version of the baseline file layout; a file of another version is rejected, not misread. */
export const BASELINE_VERSION = 1;

/**
 * One accepted finding. `path` is relative to the baseline file's folder, with `/` separators.
 * `lineHash` is the hash of the finding's source line without whitespace. `occurrence` numbers the
 * findings with the same rule, path and line hash in position order, from 1. Neither the line
 * number nor the message is kept, so the entry survives edits elsewhere in the file.
 */
export interface BaselineEntry {
  ruleId: string;
  path: string;
  lineHash: string;
  occurrence: number;
}

/** Reads a baseline file. A missing, unreadable or malformed file is an error message naming the file and the way out. */
export function readBaseline(file: string, shownAs: string): { entries: BaselineEntry[] } | { error: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { error: `the baseline \`${shownAs}\` cannot be read: ${describeError(error)}. Create it with \`--update-baseline\`.` };
  }

  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { error: `the baseline \`${shownAs}\` is not valid JSON (${(error as Error).message}). Write it again with \`--update-baseline\`.` };
  }

  const problem = baselineProblem(data);
  if (problem) return { error: `the baseline \`${shownAs}\` is not a prodcheck baseline: ${problem}. Write it again with \`--update-baseline\`.` };
  return { entries: (data as { findings: BaselineEntry[] }).findings };
}

function baselineProblem(data: unknown): string | null {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return 'the file must hold a JSON object';

  const { version, findings } = data as Record<string, unknown>;
  if (version !== BASELINE_VERSION) return `\`version\` is ${JSON.stringify(version)}, but this prodcheck reads version ${BASELINE_VERSION}`;
  if (!Array.isArray(findings)) return '`findings` must be an array';

  for (const [index, entry] of findings.entries()) {
    const { ruleId, path: entryPath, lineHash, occurrence } = (entry ?? {}) as Record<string, unknown>;
    const valid = typeof ruleId === 'string' && typeof entryPath === 'string' && typeof lineHash === 'string' && Number.isInteger(occurrence) && (occurrence as number) >= 1;
    if (!valid) return `entry ${index + 1} of \`findings\` needs a \`ruleId\`, \`path\` and \`lineHash\` string and an \`occurrence\` of 1 or more`;
  }
  return null;
}

/**
 * Formats a baseline: entries sorted by path, rule id, line hash and occurrence, one entry per
 * line, so a change to the accepted findings shows as added and removed lines in a diff.
 */
export function formatBaseline(entries: readonly BaselineEntry[]): string {
  const sorted = [...entries].sort(compareEntries);
  const lines = sorted.map((entry) => `    ${JSON.stringify({ ruleId: entry.ruleId, path: entry.path, lineHash: entry.lineHash, occurrence: entry.occurrence })}`);
  const body = lines.length > 0 ? `[\n${lines.join(',\n')}\n  ]` : '[]';
  return `{\n  "version": ${BASELINE_VERSION},\n  "findings": ${body}\n}\n`;
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  return compareText(a.path, b.path) || compareText(a.ruleId, b.ruleId) || compareText(a.lineHash, b.lineHash) || a.occurrence - b.occurrence;
}

function entryKey(entry: BaselineEntry): string {
  return `${entry.ruleId}\u0000${entry.path}\u0000${entry.lineHash}\u0000${entry.occurrence}`;
}

/**
 * Matches the findings of a run against a baseline, system by system on the main thread, and
 * marks the findings it lists as suppressed (`kind: 'external'`). When updating, it marks every
 * finding and writes them all as the new baseline at the end, keeping the entries of files that
 * this run did not check.
 */
export class BaselineMatcher {
  private readonly folder: string;
  private readonly known: Map<string, BaselineEntry>;
  private readonly matched = new Set<string>();
  private readonly current: BaselineEntry[] = [];
  private readonly occurrences = new Map<string, number>();
  /** Absolute system folders checked whole, and absolute files checked alone; entries under them were checked. */
  private readonly checkedFolders: string[] = [];
  private readonly checkedFiles = new Set<string>();

  /** `file` is the absolute path of the baseline, `shownAs` its path in messages; `update` writes every current finding to it at the end. */
  constructor(
    readonly file: string,
    private readonly shownAs: string,
    entries: readonly BaselineEntry[],
    private readonly update: boolean,
  ) {
    this.folder = path.dirname(file);
    this.known = new Map(entries.map((entry) => [entryKey(entry), entry]));
  }

  /**
   * Returns a system's findings with the baselined ones marked as suppressed. `root` is the
   * absolute system folder that the findings' paths are relative to. `onlyFiles` are the absolute
   * paths of the files checked alone, or null when the whole system is checked.
   */
  mark(root: string, findings: readonly ReportedFinding[], onlyFiles: ReadonlySet<string> | null): ReportedFinding[] {
    if (onlyFiles === null) this.checkedFolders.push(root);
    else for (const file of onlyFiles) this.checkedFiles.add(file);

    return findings.map((finding) => {
      if (finding.suppression) return finding;

      const absolute = path.resolve(root, finding.file);
      const entryPath = path.relative(this.folder, absolute).split(path.sep).join('/');
      const lineHash = finding.lineHash ?? '';
      const group = `${finding.ruleId}\u0000${entryPath}\u0000${lineHash}`;
      const occurrence = (this.occurrences.get(group) ?? 0) + 1;
      this.occurrences.set(group, occurrence);

      const entry: BaselineEntry = { ruleId: finding.ruleId, path: entryPath, lineHash, occurrence };
      if (onlyFiles === null || onlyFiles.has(absolute)) this.current.push(entry);
      const key = entryKey(entry);
      if (!this.update && !this.known.has(key)) return finding;

      this.matched.add(key);
      return { ...finding, suppression: { kind: 'external' } };
    });
  }

  /**
   * Writes the baseline when updating, and returns a note on what was written. Otherwise returns a
   * note with the count of entries for checked files that matched no finding. Returns an error
   * message instead when the file cannot be written.
   */
  finish(): { note: string } | { error: string } {
    if (!this.update) {
      const stale = [...this.known.entries()].filter(([key, entry]) => !this.matched.has(key) && this.wasChecked(entry)).length;
      if (stale === 0) return { note: '' };
      const subject = stale === 1 ? '1 baseline entry no longer matches; run with --update-baseline to drop it' : `${stale} baseline entries no longer match; run with --update-baseline to drop them`;
      return { note: `prodcheck: ${subject}.\n` };
    }

    const kept = [...this.known.values()].filter((entry) => !this.wasChecked(entry));
    const entries = [...kept, ...this.current];
    const temporary = path.join(this.folder, `.${path.basename(this.file)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      fs.writeFileSync(temporary, formatBaseline(entries));
      fs.renameSync(temporary, this.file);
    } catch (error) {
      fs.rmSync(temporary, { force: true });
      return { error: `prodcheck: the baseline \`${this.shownAs}\` cannot be written: ${describeError(error)}.\n` };
    }
    const count = entries.length === 1 ? '1 entry' : `${entries.length} entries`;
    return { note: `prodcheck: wrote ${count} to the baseline \`${this.shownAs}\`.\n` };
  }

  /** True when the entry's file lies in a system checked whole, or is a file checked alone. */
  private wasChecked(entry: BaselineEntry): boolean {
    const absolute = path.resolve(this.folder, entry.path);
    return this.checkedFiles.has(absolute) || this.checkedFolders.some((folder) => isInside(folder, absolute));
  }
}

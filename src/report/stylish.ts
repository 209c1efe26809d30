import * as path from 'node:path';
import type { Finding, Fix, Severity } from '../rule';
import type { Colors } from './colors';
import type { FindingSuppression } from './context';
import { plural, type SeverityCounts } from './summary';

/**
 * A finding as plain data, so worker threads can post it and the cache can store it: its fix keeps
 * the title, safety, edits and new files, and `suppression` marks a finding that an inline comment
 * or a baseline suppresses.
 */
export type ReportedFinding = Omit<Finding, 'fix'> & {
  fix?: Pick<Fix, 'title' | 'safety' | 'edits' | 'newFiles'>;
  suppression?: FindingSuppression;
  /** A hash of the finding's source line without whitespace (`hashLine` in fingerprint.ts), which the baseline matches on. */
  lineHash?: string;
};

/** One system's findings, with the path its files are shown under. */
export interface ReportedSystem {
  /** The system root as the user should see it, relative to the working folder where possible. */
  displayRoot: string;
  findings: ReportedFinding[];
}

/** Formats findings grouped by file: `line:column  severity  message  rule-id`, then a summary line. Suppressed findings are left out. */
export function formatStylish(systems: readonly ReportedSystem[], colors: Colors): string {
  const parts = systems.map((system) => formatStylishSystem(system, colors));
  const findings = systems.flatMap((system) => system.findings);
  const counts = addCounts({ errors: 0, warnings: 0, infos: 0 }, findings.filter((finding) => !finding.suppression));
  return parts.join('') + formatStylishSummary(counts, colors, { suppressed: findings.filter((finding) => finding.suppression).length });
}

/** Formats one system's findings, each file under its path from the working folder; empty when there are none. Suppressed findings are left out. */
export function formatStylishSystem(system: ReportedSystem, colors: Colors): string {
  const lines: string[] = [];
  const byFile = new Map<string, ReportedFinding[]>();
  for (const finding of system.findings) {
    if (finding.suppression) continue;
    const list = byFile.get(finding.file);
    if (list) list.push(finding);
    else byFile.set(finding.file, [finding]);
  }

  for (const [file, findings] of byFile) {
    lines.push('', colors.underline(joinDisplayPath(system.displayRoot, file)));
    const positionWidth = Math.max(...findings.map((finding) => `${finding.line}:${finding.column}`.length));
    const severityWidth = Math.max(...findings.map((finding) => finding.severity.length));
    for (const finding of findings) {
      const position = `${finding.line}:${finding.column}`.padEnd(positionWidth);
      const severity = styleSeverity(finding.severity, colors)(finding.severity.padEnd(severityWidth));
      lines.push(`  ${colors.dim(position)}  ${severity}  ${finding.message}  ${colors.dim(finding.ruleId)}`);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** Adds the findings to running counts by severity and returns the counts; output streamed system by system keeps one total. */
export function addCounts(counts: SeverityCounts, findings: readonly ReportedFinding[]): SeverityCounts {
  for (const finding of findings) {
    if (finding.severity === 'error') counts.errors++;
    else if (finding.severity === 'warning') counts.warnings++;
    else counts.infos++;
  }
  return counts;
}

/** Findings counted apart from the summary's problems because the report leaves them out. */
export interface HiddenFindings {
  /** Findings that an inline comment or a baseline suppresses. */
  suppressed?: number;
  /** Warnings and infos that `--quiet` leaves out. */
  quiet?: { warnings: number; infos: number };
}

/** Formats the closing line, the count of problems by severity or that there are none, and a line on the findings left out. */
export function formatStylishSummary(counts: SeverityCounts, colors: Colors, hidden: HiddenFindings = {}): string {
  const notes: string[] = [];
  const quietCount = (hidden.quiet?.warnings ?? 0) + (hidden.quiet?.infos ?? 0);
  if (quietCount > 0) notes.push(`${plural(hidden.quiet!.warnings, 'warning')} and ${plural(hidden.quiet!.infos, 'info')} not shown because of --quiet.`);
  if (hidden.suppressed) notes.push(`${hidden.suppressed} suppressed ${hidden.suppressed === 1 ? 'finding' : 'findings'} not shown.`);
  const noteLines = notes.map((note) => `${colors.dim(note)}\n`).join('');
  return `\n${summaryLine(counts, colors)}\n${noteLines}`;
}

function summaryLine(counts: SeverityCounts, colors: Colors): string {
  const total = counts.errors + counts.warnings + counts.infos;
  if (total === 0) return colors.green('No problems found.');

  const text = `${plural(total, 'problem')} (${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}, ${plural(counts.infos, 'info')})`;
  if (counts.errors > 0) return colors.bold(colors.red(text));
  if (counts.warnings > 0) return colors.bold(colors.yellow(text));
  return colors.bold(colors.blue(text));
}

function styleSeverity(severity: Severity, colors: Colors): (text: string) => string {
  if (severity === 'error') return colors.red;
  if (severity === 'warning') return colors.yellow;
  return colors.blue;
}

/**
 * Joins a system's display root and a file path relative to it. A file that the system reads
 * from above its root (`../requirements.txt`) gets a normalised path.
 */
function joinDisplayPath(root: string, file: string): string {
  if (!root || root === '.') return file;
  if (file.startsWith('../')) return path.posix.normalize(`${root}/${file}`);
  return `${root.replace(/\/+$/, '')}/${file}`;
}

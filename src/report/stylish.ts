import * as path from 'node:path';
import type { Finding, Fix, Severity } from '../rule';
import type { Colors } from './colors';
import { plural, type SeverityCounts } from './summary';

/** A finding as the formatters need it: of its fix, only whether one exists and how safe it is. */
export type ReportedFinding = Omit<Finding, 'fix'> & { fix?: Pick<Fix, 'safety'> };

/** One system's findings, with the path its files are shown under. */
export interface ReportedSystem {
  /** The system root as the user should see it, relative to the working folder where possible. */
  displayRoot: string;
  findings: ReportedFinding[];
}

/** Formats findings grouped by file: `line:column  severity  message  rule-id`, then a summary line. */
export function formatStylish(systems: readonly ReportedSystem[], colors: Colors): string {
  const parts = systems.map((system) => formatStylishSystem(system, colors));
  const counts = addCounts({ errors: 0, warnings: 0, infos: 0 }, systems.flatMap((system) => system.findings));
  return parts.join('') + formatStylishSummary(counts, colors);
}

/** Formats one system's findings, each file under its path from the working folder; empty when there are none. */
export function formatStylishSystem(system: ReportedSystem, colors: Colors): string {
  const lines: string[] = [];
  const byFile = new Map<string, ReportedFinding[]>();
  for (const finding of system.findings) {
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

/** Formats the closing line: the count of problems by severity, or that there are none. */
export function formatStylishSummary(counts: SeverityCounts, colors: Colors): string {
  return `\n${summaryLine(counts, colors)}\n`;
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

import type { Finding, Severity } from '../rule';
import type { Colors } from './colors';
import { countBySeverity, plural } from './summary';

/** One system's findings, with the path its files are shown under. */
export interface ReportedSystem {
  /** The system root as the user should see it, relative to the working folder where possible. */
  displayRoot: string;
  findings: Finding[];
}

/** Formats findings grouped by file: `line:column  severity  message  rule-id`, then a summary line. */
export function formatStylish(systems: readonly ReportedSystem[], colors: Colors): string {
  const lines: string[] = [];
  const all: Finding[] = [];

  for (const system of systems) {
    const byFile = new Map<string, Finding[]>();
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
    all.push(...system.findings);
  }

  lines.push('', summaryLine(all, colors));
  return `${lines.join('\n')}\n`;
}

function summaryLine(findings: readonly Finding[], colors: Colors): string {
  if (findings.length === 0) return colors.green('No problems found.');

  const counts = countBySeverity(findings);
  const text = `${plural(findings.length, 'problem')} (${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}, ${plural(counts.infos, 'info')})`;
  if (counts.errors > 0) return colors.bold(colors.red(text));
  if (counts.warnings > 0) return colors.bold(colors.yellow(text));
  return colors.bold(colors.blue(text));
}

function styleSeverity(severity: Severity, colors: Colors): (text: string) => string {
  if (severity === 'error') return colors.red;
  if (severity === 'warning') return colors.yellow;
  return colors.blue;
}

function joinDisplayPath(root: string, file: string): string {
  if (!root || root === '.') return file;
  return `${root.replace(/\/+$/, '')}/${file}`;
}

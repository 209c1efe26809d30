import type { Severity } from '../rule';
import { locateFindings, type CiFormatContext, type CiSystem } from './context';
import { createTextLookup, digest, hashLine, OccurrenceCounter } from './fingerprint';

/** GitLab's Code Quality severities, from least to most severe: `info`, `minor`, `major`, `critical`, `blocker`. */
export type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

/** prodcheck's errors break the service in production, so they map to `critical`. `minor` and `blocker` are not used. */
export const CODE_QUALITY_SEVERITIES: Record<Severity, CodeQualitySeverity> = { error: 'critical', warning: 'major', info: 'info' };

/** One issue of a GitLab Code Quality report, the subset of the Code Climate issue format that GitLab reads. */
export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: CodeQualitySeverity;
  location: { path: string; lines: { begin: number; end: number } };
}

/**
 * Formats findings as a GitLab Code Quality report: a JSON array with one issue per finding,
 * suppressed findings left out. A fingerprint is the SHA-256 of the rule id, the path, the hash
 * of the finding's line without whitespace, and the finding's number among findings with those
 * three. So it is unique in the report and survives edits to other lines.
 */
export function formatGitlab(systems: readonly CiSystem[], context: CiFormatContext): string {
  const textOf = createTextLookup(context);
  const occurrences = new OccurrenceCounter();
  const issues: CodeQualityIssue[] = [];

  for (const { system, finding, path } of locateFindings(systems, context)) {
    if (finding.suppression) continue;

    const lineHash = hashLine(textOf(system, finding.file)?.line(finding.line) ?? '');
    const occurrence = occurrences.next(digest([finding.ruleId, path, lineHash]));
    issues.push({
      description: finding.message,
      check_name: finding.ruleId,
      fingerprint: digest([finding.ruleId, path, lineHash, occurrence]),
      severity: CODE_QUALITY_SEVERITIES[finding.severity],
      location: { path, lines: { begin: finding.line, end: finding.endLine } },
    });
  }
  return `${JSON.stringify(issues, null, 2)}\n`;
}

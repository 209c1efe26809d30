import type { Finding } from '../rule';
import { countBySeverity } from './summary';
import type { ReportedSystem } from './stylish';

/** The version of the JSON output; it changes only when a field is removed or changes meaning. */
export const JSON_FORMAT_VERSION = 1;

/** Formats findings as the documented JSON document (see docs/json-format.md). */
export function formatJson(systems: readonly ReportedSystem[], toolVersion: string): string {
  const all: Finding[] = systems.flatMap((system) => system.findings);
  const document = {
    version: JSON_FORMAT_VERSION,
    tool: { name: 'prodcheck', version: toolVersion },
    systems: systems.map((system) => ({
      root: system.displayRoot,
      findings: system.findings.map((finding) => ({
        ruleId: finding.ruleId,
        severity: finding.severity,
        message: finding.message,
        file: finding.file,
        line: finding.line,
        column: finding.column,
        endLine: finding.endLine,
        endColumn: finding.endColumn,
        fixable: finding.fix ? finding.fix.safety : null,
      })),
    })),
    summary: countBySeverity(all),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

import type { SeverityCounts } from './summary';
import { addCounts, type ReportedFinding, type ReportedSystem } from './stylish';

/** The version of the JSON output; it changes only when a field is removed or changes meaning. */
export const JSON_FORMAT_VERSION = 1;

/** Formats findings as the documented JSON document (see docs/json-format.md). */
export function formatJson(systems: readonly ReportedSystem[], toolVersion: string): string {
  const counts: SeverityCounts = { errors: 0, warnings: 0, infos: 0 };
  let suppressed = 0;
  const parts = systems.map((system, index) => {
    addCounts(counts, system.findings.filter((finding) => !finding.suppression));
    suppressed += system.findings.filter((finding) => finding.suppression).length;
    return formatJsonSystem(system, index === 0);
  });
  return formatJsonStart(toolVersion) + parts.join('') + formatJsonEnd(counts, systems.length > 0, suppressed);
}

/**
 * Formats the start of the JSON document, up to the opening of the `systems` array. With
 * `formatJsonSystem` for each system and `formatJsonEnd`, the pieces add up to the text
 * `JSON.stringify(document, null, 2)` gives, so output can be written one system at a time.
 */
export function formatJsonStart(toolVersion: string): string {
  const head = JSON.stringify({ version: JSON_FORMAT_VERSION, tool: { name: 'prodcheck', version: toolVersion } }, null, 2);
  return `${head.slice(0, -2)},\n  "systems": [`;
}

/**
 * Formats one entry of the `systems` array; `first` leaves out the comma that separates it from the
 * one before. Suppressed findings are listed apart, under `suppressed`, with their suppression.
 */
export function formatJsonSystem(system: ReportedSystem, first: boolean): string {
  const entry = {
    root: system.displayRoot,
    findings: system.findings.filter((finding) => !finding.suppression).map(jsonFinding),
    suppressed: system.findings.filter((finding) => finding.suppression).map((finding) => ({ ...jsonFinding(finding), suppression: finding.suppression })),
  };
  const indented = JSON.stringify(entry, null, 2).replace(/\n/g, '\n    ');
  return `${first ? '' : ','}\n    ${indented}`;
}

function jsonFinding(finding: ReportedFinding) {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    file: finding.file,
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
    fixable: finding.fix ? finding.fix.safety : null,
  };
}

/** Formats the end of the document: closes `systems` and adds the counts by severity and of suppressed findings. */
export function formatJsonEnd(counts: SeverityCounts, anySystems: boolean, suppressed = 0): string {
  const summary = JSON.stringify({ errors: counts.errors, warnings: counts.warnings, infos: counts.infos, suppressed }, null, 2).replace(/\n/g, '\n  ');
  return `${anySystems ? '\n  ' : ''}],\n  "summary": ${summary}\n}\n`;
}

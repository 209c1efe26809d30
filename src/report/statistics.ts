import { compareText } from './context';
import type { ReportedFinding } from './stylish';

/**
 * Formats `--statistics`: one line per rule with the number of its findings, the most frequent
 * rule first and ties by rule id, then the total. `descriptions` maps rule ids to the one-line
 * description shown after the id; empty when there are no findings.
 */
export function formatStatistics(findings: readonly ReportedFinding[], descriptions: ReadonlyMap<string, string>): string {
  const counts = new Map<string, number>();
  for (const finding of findings) counts.set(finding.ruleId, (counts.get(finding.ruleId) ?? 0) + 1);
  if (counts.size === 0) return '';

  const rows = [...counts].sort(([a, countA], [b, countB]) => countB - countA || compareText(a, b));
  const countWidth = Math.max(...rows.map(([, count]) => String(count).length));
  const idWidth = Math.max(...rows.map(([id]) => id.length));
  const lines = rows.map(([id, count]) => {
    const description = descriptions.get(id);
    const line = `${String(count).padStart(countWidth)}  ${id.padEnd(idWidth)}  ${description ?? ''}`;
    return line.trimEnd();
  });
  return `\nFindings by rule:\n${lines.map((line) => `  ${line}`).join('\n')}\n`;
}

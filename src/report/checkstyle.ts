import { compareText, locateFindings, repositoryPath, type CiFormatContext, type CiSystem, type LocatedFinding } from './context';
import { startTag, XML_DECLARATION } from './xml';

/**
 * Formats findings as Checkstyle XML: a `<file>` per file with an `<error>` per finding (its
 * `severity` is `error`, `warning` or `info`, its `source` is `prodcheck.<rule-id>`). Checked
 * files that nothing reported are listed as empty `<file>` elements, as Checkstyle lists every
 * file it audited. Suppressed findings are left out.
 */
export function formatCheckstyle(systems: readonly CiSystem[], context: CiFormatContext): string {
  const byPath = new Map<string, LocatedFinding[]>();
  for (const system of systems) {
    for (const file of context.checkedFiles?.(system) ?? []) byPath.set(repositoryPath(context, system, file).path, []);
  }
  for (const located of locateFindings(systems, context)) {
    if (located.finding.suppression) continue;
    byPath.set(located.path, [...(byPath.get(located.path) ?? []), located]);
  }

  const lines = [XML_DECLARATION, '<checkstyle>'];
  for (const path of [...byPath.keys()].sort(compareText)) {
    const entries = byPath.get(path)!;
    if (entries.length === 0) {
      lines.push(`  ${startTag('file', [['name', path]], true)}`);
      continue;
    }

    lines.push(`  ${startTag('file', [['name', path]])}`);
    for (const { finding } of entries) {
      const error = startTag(
        'error',
        [
          ['line', finding.line],
          ['column', finding.column],
          ['severity', finding.severity],
          ['message', finding.message],
          ['source', `prodcheck.${finding.ruleId}`],
        ],
        true,
      );
      lines.push(`    ${error}`);
    }
    lines.push('  </file>');
  }
  lines.push('</checkstyle>');
  return `${lines.join('\n')}\n`;
}

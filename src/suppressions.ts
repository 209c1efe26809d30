import type { Finding } from './rule';
import { lineStarts, lineText, type SourceFile } from './source';

/** Rule id of findings about malformed suppression comments. */
export const SUPPRESSION_INVALID_RULE = 'suppression-invalid';
/** Rule id of findings about suppression comments that silence nothing. */
export const SUPPRESSION_UNUSED_RULE = 'suppression-unused';

/**
 * `# prodcheck: ignore[rule-a, rule-b] -- reason` after code silences those rules on that line; alone
 * on a line, on the next line that is neither blank nor a comment. `# prodcheck: ignore-file[...]`
 * silences them in the whole file. The reason after `--` is optional unless required.
 */
const DIRECTIVE = /#\s*prodcheck\s*:\s*(.*)$/;
const WELL_FORMED = /^(ignore|ignore-file)\[([^\]]*)\]\s*(?:--\s*(.*?))?\s*$/;

export interface SuppressionDirective {
  file: SourceFile;
  /** The 1-based line of the comment. */
  line: number;
  /** The line it silences, or null for a whole-file directive. */
  target: number | null;
  rules: string[];
  reason: string | null;
  /** Offsets of the comment, from `#` to the end of the line. */
  start: number;
  end: number;
  /** True when the comment is alone on its line. */
  ownLine: boolean;
}

export interface SuppressionResult {
  kept: Finding[];
  suppressed: Array<{ finding: Finding; justification: string | null }>;
  /** Findings about malformed or unused directives, and about missing reasons when they are required. */
  problems: Finding[];
}

/** Reads the suppression comments of a file; malformed ones come back as problems. */
export function readDirectives(file: SourceFile, ruleIds: ReadonlySet<string>): { directives: SuppressionDirective[]; problems: Finding[] } {
  const directives: SuppressionDirective[] = [];
  const problems: Finding[] = [];
  const starts = lineStarts(file);
  let pending: SuppressionDirective[] = [];

  for (let line = 1; line <= starts.length; line++) {
    const text = lineText(file, line);
    const trimmed = text.trim();
    const match = commentStart(file, text) !== null ? DIRECTIVE.exec(text.slice(commentStart(file, text)!)) : null;
    const ownLine = trimmed.startsWith('#');

    if (match) {
      const column = commentStart(file, text)! + 1;
      const start = starts[line - 1] + column - 1;
      const parsed = WELL_FORMED.exec(match[1].trim());
      const rules = parsed ? parsed[2].split(',').map((rule) => rule.trim()).filter(Boolean) : [];
      const unknown = rules.filter((rule) => !ruleIds.has(rule));

      if (!parsed || rules.length === 0 || unknown.length > 0) {
        const why = !parsed
          ? 'write `# prodcheck: ignore[rule-id] -- reason` or `# prodcheck: ignore-file[rule-id] -- reason`'
          : rules.length === 0
            ? 'name at least one rule id in the brackets'
            : `\`${unknown[0]}\` is not a rule id; \`prodcheck rules\` lists them`;
        problems.push(finding(SUPPRESSION_INVALID_RULE, 'warning', `Malformed suppression comment, so it silences nothing: ${why}.`, file, line, column, start, start + text.length - column + 1));
      } else {
        const directive: SuppressionDirective = {
          file,
          line,
          target: parsed[1] === 'ignore-file' ? null : ownLine ? -1 : line,
          rules,
          reason: parsed[3]?.trim() || null,
          start,
          end: starts[line - 1] + text.length,
          ownLine,
        };
        directives.push(directive);
        if (directive.target === -1) pending.push(directive);
      }
    }

    if (ownLine || trimmed === '') continue;
    for (const directive of pending) directive.target = line;
    pending = [];
  }

  // A directive alone at the end of the file labels nothing.
  for (const directive of pending) directive.target = directive.line;
  return { directives, problems };
}

/**
 * Returns where a `#` comment starts on a line, or null. Dockerfiles only have comments on their
 * own lines; requirements files need whitespace before a trailing `#`; other kinds take the first
 * `#` outside a quoted string.
 */
function commentStart(file: SourceFile, text: string): number | null {
  if (file.kind === 'dockerfile') return /^\s*#/.test(text) ? text.indexOf('#') : null;
  if (file.kind === 'requirements') {
    const match = /(^|\s)#/.exec(text);
    return match ? match.index + match[1].length : null;
  }

  let quote: string | null = null;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quote) {
      if (char === '\\') index++;
      else if (char === quote) quote = null;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '#') {
      return index;
    }
  }
  return null;
}

/**
 * Splits findings into kept and suppressed ones, and reports malformed directives, directives that
 * silence nothing and, with `requireReason`, directives without a reason.
 */
export function applySuppressions(
  findings: readonly Finding[],
  files: readonly SourceFile[],
  ruleIds: ReadonlySet<string>,
  options: { requireReason?: boolean } = {},
): SuppressionResult {
  const directivesByFile = new Map<string, SuppressionDirective[]>();
  const problems: Finding[] = [];
  for (const file of files) {
    if (!file.text.includes('prodcheck')) continue;
    const read = readDirectives(file, ruleIds);
    problems.push(...read.problems);
    if (read.directives.length > 0) directivesByFile.set(file.relPath, read.directives);
  }

  const used = new Set<SuppressionDirective>();
  const kept: Finding[] = [];
  const suppressed: SuppressionResult['suppressed'] = [];
  for (const item of findings) {
    const directive = directivesByFile.get(item.file)?.find((candidate) => candidate.rules.includes(item.ruleId) && (candidate.target === null || candidate.target === item.line));
    if (!directive) {
      kept.push(item);
      continue;
    }
    used.add(directive);
    suppressed.push({ finding: item, justification: directive.reason });
  }

  for (const directives of directivesByFile.values()) {
    for (const directive of directives) {
      const { line, column } = { line: directive.line, column: directive.start - lineStarts(directive.file)[directive.line - 1] + 1 };
      if (!used.has(directive)) {
        const unused = finding(SUPPRESSION_UNUSED_RULE, 'info', `Suppression of \`${directive.rules.join('`, `')}\` silences nothing here; remove it.`, directive.file, line, column, directive.start, directive.end);
        unused.fix = { title: 'Remove the unused suppression', safety: 'safe', edits: [removal(directive)] };
        problems.push(unused);
      } else if (options.requireReason && !directive.reason) {
        problems.push(finding(SUPPRESSION_INVALID_RULE, 'warning', 'Suppression without a reason; add one after `--`, as in `# prodcheck: ignore[rule-id] -- why this is fine`.', directive.file, line, column, directive.start, directive.end));
      }
    }
  }
  return { kept, suppressed, problems };
}

/** Removes a directive: its whole line when it is alone on it, else the comment and the spaces before it. */
function removal(directive: SuppressionDirective): { file: string; start: number; end: number; text: string } {
  const starts = lineStarts(directive.file);
  const lineStart = starts[directive.line - 1];
  if (directive.ownLine) {
    const next = directive.line < starts.length ? starts[directive.line] : directive.file.text.length;
    return { file: directive.file.relPath, start: lineStart, end: next, text: '' };
  }

  let start = directive.start;
  while (start > lineStart && /[ \t]/.test(directive.file.text[start - 1])) start--;
  return { file: directive.file.relPath, start, end: directive.end, text: '' };
}

function finding(ruleId: string, severity: Finding['severity'], message: string, file: SourceFile, line: number, column: number, start: number, end: number): Finding {
  return { ruleId, severity, message, file: file.relPath, line, column, endLine: line, endColumn: column + (end - start), start, end };
}

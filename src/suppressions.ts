import { defineRule, type Finding, type Rule } from './rule';
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

export interface SuppressionOptions {
  /** Report a directive without a reason after `--` as `suppression-invalid`. */
  requireReason?: boolean;
  /**
   * True when a rule is turned on in a file. A directive that silences nothing is reported only
   * when one of its rules is on in its file, so turning a rule off does not flag its directives.
   * All rules are on when unset.
   */
  isRuleOn?: (ruleId: string, relPath: string) => boolean;
  /**
   * True for the files whose directives may be reported as unused. It should return false for a
   * file read from outside the system (`-r ../shared.txt`), because another system may still need
   * its directives, and for a file that did not parse, because the rules may not have seen all of
   * it. `--fix` deletes unused directives. All files when unset.
   */
  reportsUnusedIn?: (relPath: string) => boolean;
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
    const comment = commentStart(file, text);
    const match = comment !== null ? DIRECTIVE.exec(text.slice(comment)) : null;
    const commentLine = trimmed.startsWith('#');

    if (match) {
      // The directive may follow another comment on the line (`# noqa: S105  # prodcheck: ...`).
      const column = comment! + match.index + 1;
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
          target: directiveTarget(parsed[1] === 'ignore-file', commentLine, line),
          rules,
          reason: parsed[3]?.trim() || null,
          start,
          end: starts[line - 1] + text.length,
          ownLine: text.slice(0, column - 1).trim() === '',
        };
        directives.push(directive);
        if (directive.target === -1) pending.push(directive);
      }
    }

    if (commentLine || trimmed === '') continue;
    for (const directive of pending) directive.target = line;
    pending = [];
  }

  // A directive alone at the end of the file labels nothing.
  for (const directive of pending) directive.target = directive.line;
  return { directives, problems };
}

/**
 * Returns where a `#` comment starts on a line, or null. Dockerfiles only have comments on their
 * own lines, and requirements files need whitespace before a trailing `#`. YAML has its own rules
 * (`yamlCommentStart`). Other kinds take the first `#` outside a quoted string.
 */
function commentStart(file: SourceFile, text: string): number | null {
  if (file.kind === 'dockerfile') return /^\s*#/.test(text) ? text.indexOf('#') : null;
  if (file.kind === 'requirements') {
    const match = /(^|\s)#/.exec(text);
    return match ? match.index + match[1].length : null;
  }
  if (file.kind === 'yaml' || file.kind === 'compose') return yamlCommentStart(text);

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
 * Returns where a YAML comment starts on a line, or null. A `#` starts a comment at the start of
 * the line or after whitespace. A quote opens a string only where a scalar starts (after `:`, `-`,
 * `[`, `{`, `,` or at the start), so the apostrophe in `note: don't` is plain text. Inside single
 * quotes `''` is an escaped quote; inside double quotes a backslash escapes the next character.
 */
function yamlCommentStart(text: string): number | null {
  let quote: string | null = null;
  // The last character before `index` that is not whitespace, '' at the start of the line.
  let previous = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quote === '"') {
      if (char === '\\') index++;
      else if (char === '"') quote = null;
    } else if (quote === "'") {
      if (char === "'" && text[index + 1] === "'") index++;
      else if (char === "'") quote = null;
    } else if ((char === '"' || char === "'") && (previous === '' || ':-[{,'.includes(previous))) {
      quote = char;
    } else if (char === '#' && (index === 0 || /\s/.test(text[index - 1]))) {
      return index;
    }
    if (!/\s/.test(char)) previous = char;
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
  options: SuppressionOptions = {},
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
        if (!mayBeUnused(directive, options)) continue;
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

function mayBeUnused(directive: SuppressionDirective, options: SuppressionOptions): boolean {
  if (options.reportsUnusedIn && !options.reportsUnusedIn(directive.file.relPath)) return false;
  return !options.isRuleOn || directive.rules.some((rule) => options.isRuleOn!(rule, directive.file.relPath));
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

const SYNTAX =
  '`# prodcheck: ignore[rule-id, ...] -- reason` after code silences those rules on its line; alone on a line, it silences them on the next line that is neither blank nor a comment. `# prodcheck: ignore-file[rule-id, ...] -- reason` silences them in the whole file. Python modules, the Gunicorn config, Dockerfiles (on a line of its own), requirements files and YAML files (after whitespace) all take the same comment.';

/**
 * The rule entry of `suppression-invalid`. The engine reports these findings while it applies
 * suppression comments, so `check` does nothing. The entry gives the id its default severity, its
 * place in `prodcheck rules` and its documentation page.
 */
export const suppressionInvalidRule: Rule = defineRule<string>({
  meta: {
    id: SUPPRESSION_INVALID_RULE,
    area: 'suppression',
    description: 'A `# prodcheck:` suppression comment is malformed, names an unknown rule or lacks a required reason',
    severity: 'warning',
    fixable: 'none',
    messages: {},
    docs: {
      whatItDoes: `Reports a \`# prodcheck:\` comment that is not a valid suppression: no brackets, an empty rule list, a rule id that does not exist, or, with \`--require-reason\` or \`require-reason: true\` in \`.prodcheck.yaml\`, no reason after \`--\`. ${SYNTAX}`,
      whyItMatters: 'A malformed suppression silences nothing, so the finding it was meant for is still reported, or a misspelt rule id hides that the comment has no effect. A reason tells the next reader why the finding is acceptable.',
      examples: {
        bad: {
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\napp.debug = True  # prodcheck: ignore[flask-debug-enable] -- local tool, never deployed\n',
        },
        good: {
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\napp.debug = True  # prodcheck: ignore[flask-debug-enabled] -- local tool, never deployed\n',
        },
      },
      useInstead: 'Write `# prodcheck: ignore[rule-id] -- reason` with the ids that `prodcheck rules` lists, separated by commas.',
      knownLimitations: 'Comments are read line by line. A `#` inside a string on the same line is not a comment, but a line inside a multi-line (triple-quoted) Python string that looks like a suppression comment is read as one. In a Dockerfile only comments on their own line are read.',
    },
  },
  check() {
    // Reported by the engine; see `applySuppressions`.
  },
});

/**
 * The rule entry of `suppression-unused`, which the engine reports like `suppression-invalid`. Its
 * fix, which deletes the comment, is built in `applySuppressions`.
 */
export const suppressionUnusedRule: Rule = defineRule<string>({
  meta: {
    id: SUPPRESSION_UNUSED_RULE,
    area: 'suppression',
    description: 'A suppression comment silences no finding',
    severity: 'info',
    fixable: 'safe',
    messages: {},
    docs: {
      whatItDoes: `Reports a suppression comment that silenced no finding in this run: the code it was written for has changed, or the rule no longer reports it. A comment whose rules are all turned \`off\` in \`.prodcheck.yaml\`, for the whole project or by \`per-file-ignores\` for its file, is not reported, nor is one in a file that did not parse or that the system reads from outside its folder (\`-r ../shared.txt\`). ${SYNTAX}`,
      whyItMatters: 'A suppression that silences nothing would hide the next real finding on that line without anyone deciding it is acceptable.',
      examples: {
        bad: {
          'main.py': 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]  # prodcheck: ignore[python-secret-literal] -- test key\n',
        },
        good: {
          'main.py': 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]\n',
        },
      },
      useInstead: 'Delete the comment, or `prodcheck --fix` deletes it.',
      fixSafety: 'Safe: the fix deletes the comment, or its whole line when the comment is alone on it; the code is unchanged.',
      knownLimitations: 'A comment naming several rules is reported only when it silences none of them. When prodcheck runs only some rules (in tests), a comment for a rule that did not run is reported as unused.',
    },
  },
  check() {
    // Reported by the engine; see `applySuppressions`.
  },
});

/** The rule entries of the findings about suppression comments, in the order the rule list shows them. */
export const suppressionRules: readonly Rule[] = [suppressionInvalidRule, suppressionUnusedRule];

/** Returns the line a directive silences: null for a whole file, -1 for the next code line (a comment on its own line), else its own line. */
function directiveTarget(wholeFile: boolean, ownLine: boolean, line: number): number | null {
  if (wholeFile) return null;
  if (ownLine) return -1;
  return line;
}

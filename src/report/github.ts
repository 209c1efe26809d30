import { AREA_TITLES } from '../docs';
import { SEVERITY_RANK, type Severity } from '../rule';
import {
  bySeverity,
  compareText,
  FILE_PROBLEM_DESCRIPTIONS,
  FILE_PROBLEM_RULES,
  locateFindings,
  ruleDocsUri,
  type CiFinding,
  type CiFormatContext,
  type CiSystem,
  type LocatedFinding,
} from './context';

/**
 * The number of annotations of one type (error, warning, notice) that GitHub shows from one step.
 * GitHub's actions/toolkit documents the limits in docs/problem-matchers.md, section
 * "Limitations": 10 error, 10 warning and 10 notice annotations per step, and 50 annotations per
 * job across all its steps.
 */
export const ANNOTATIONS_PER_TYPE = 10;

type AnnotationType = 'error' | 'warning' | 'notice';

const ANNOTATION_TYPES: Record<Severity, AnnotationType> = { error: 'error', warning: 'warning', info: 'notice' };


/**
 * Formats findings as GitHub Actions workflow commands (`::error file=...,line=...::message`),
 * errors first, then warnings, then infos as notices. Suppressed findings are left out. Only as
 * many commands of a type as GitHub shows are written, so within a type the findings are taken
 * one per rule in turn, rules in the order of the rule list (which follows the checklist, the
 * development server first), because ten errors of ten rules show more than ten of one. Findings left
 * over are listed as plain log lines in a collapsed group, and a last notice reports how many
 * were not annotated. At most 9 info notices are written then, so that this last notice is
 * shown too.
 */
export function formatGithubAnnotations(systems: readonly CiSystem[], context: CiFormatContext): string {
  const located = locateFindings(systems, context)
    .filter(({ finding }) => !finding.suppression)
    .sort(bySeverity);
  const byType: Record<AnnotationType, LocatedFinding[]> = { error: [], warning: [], notice: [] };
  for (const entry of located) byType[ANNOTATION_TYPES[entry.finding.severity]].push(entry);
  for (const type of Object.keys(byType) as AnnotationType[]) byType[type] = oneRuleAtATime(byType[type], context);

  const overflows = Object.values(byType).some((entries) => entries.length > ANNOTATIONS_PER_TYPE);
  const limits: Record<AnnotationType, number> = {
    error: ANNOTATIONS_PER_TYPE,
    warning: ANNOTATIONS_PER_TYPE,
    notice: overflows ? ANNOTATIONS_PER_TYPE - 1 : ANNOTATIONS_PER_TYPE,
  };

  const lines: string[] = [];
  const hidden: LocatedFinding[] = [];
  for (const type of ['error', 'warning', 'notice'] as const) {
    const entries = byType[type];
    lines.push(...entries.slice(0, limits[type]).map((entry) => annotation(type, entry)));
    hidden.push(...entries.slice(limits[type]));
  }

  if (hidden.length > 0) {
    lines.push(`::group::prodcheck: ${hidden.length} ${hidden.length === 1 ? 'finding' : 'findings'} not shown as annotations`);
    lines.push(...hidden.map(plainLine));
    lines.push('::endgroup::');
    lines.push(`::notice title=prodcheck::${escapeData(capNotice(byType, limits))}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/**
 * Orders findings so that each rule's first finding comes before any rule's second: rules whose
 * findings are about unreadable files first, then the rules in the context's order, then others.
 * Each rule keeps its findings in location order.
 */
function oneRuleAtATime(entries: readonly LocatedFinding[], context: CiFormatContext): LocatedFinding[] {
  const rank = new Map(context.rules.map((rule, index) => [rule.meta.id, index]));
  const rankOf = (ruleId: string): number => (FILE_PROBLEM_RULES.has(ruleId) ? -1 : (rank.get(ruleId) ?? rank.size));
  const byRule = new Map<string, LocatedFinding[]>();
  for (const entry of entries) byRule.set(entry.finding.ruleId, [...(byRule.get(entry.finding.ruleId) ?? []), entry]);

  const queues = [...byRule.entries()].sort(([a], [b]) => rankOf(a) - rankOf(b) || compareText(a, b)).map(([, queue]) => queue);
  const ordered: LocatedFinding[] = [];
  for (let round = 0; ordered.length < entries.length; round++) {
    for (const queue of queues) if (round < queue.length) ordered.push(queue[round]);
  }
  return ordered;
}

/**
 * Formats the checklist as Markdown for `$GITHUB_STEP_SUMMARY`: a verdict line, then a table with
 * a row per rule area and per rule, each passed or failed with its counts by severity. A row
 * fails when it has a finding at or above `failOn`; findings below it leave the row passed with a
 * warning sign. Suppressed findings are counted apart and fail nothing.
 */
export function formatGithubSummary(systems: readonly CiSystem[], context: CiFormatContext): string {
  const failOn = context.failOn ?? 'error';
  const active = systems.flatMap((system) => system.findings.filter((finding) => !finding.suppression));
  const suppressed = systems.reduce((count, system) => count + system.findings.filter((finding) => finding.suppression).length, 0);
  const byRule = new Map<string, CiFinding[]>();
  for (const finding of active) byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding]);

  const groups = ruleGroups(context, [...byRule.keys()]);
  const total = countOf(active);
  const failed = active.some((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn]);
  const roots = systems.map((system) => codeSpan(system.displayRoot)).join(', ');
  const verdict = failed ? '❌ **Failed**' : '✅ **Passed**';
  const suppressedNote = suppressed > 0 ? ` ${suppressed} suppressed ${suppressed === 1 ? 'finding is' : 'findings are'} not counted.` : '';

  const lines = [
    `## prodcheck ${context.toolVersion}`,
    '',
    `${verdict}: ${describeCounts(total)} in ${roots || 'no system'} (the run fails on ${failOn} and above).${suppressedNote}`,
    '',
    '| check | description | result | errors | warnings | infos |',
    '| --- | --- | --- | ---: | ---: | ---: |',
  ];
  for (const group of groups) {
    const groupFindings = group.rules.flatMap((rule) => byRule.get(rule.id) ?? []);
    lines.push(row(`**${group.title}**`, '', groupFindings, failOn));
    for (const rule of group.rules) {
      const uri = rule.hasPage ? ruleDocsUri(context, rule.id) : undefined;
      const label = uri ? `[${codeSpan(rule.id)}](${uri})` : codeSpan(rule.id);
      lines.push(row(label, escapeTableCell(rule.description), byRule.get(rule.id) ?? [], failOn));
    }
  }
  return `${lines.join('\n')}\n`;
}

function annotation(type: AnnotationType, entry: LocatedFinding): string {
  const { finding } = entry;
  const properties: Array<[string, string | number]> = [
    ['file', entry.path],
    ['line', finding.line],
    ['endLine', finding.endLine],
  ];
  // GitHub's toolkit documents that columns cannot be sent when the start and end lines differ.
  // NOTE: GitHub does not document whether `endColumn` is inclusive; prodcheck's end column, which is exclusive, is sent as it is.
  if (finding.line === finding.endLine) properties.push(['col', finding.column], ['endColumn', finding.endColumn]);
  properties.push(['title', `prodcheck: ${finding.ruleId}`]);

  const encoded = properties.map(([name, value]) => `${name}=${escapeProperty(String(value))}`).join(',');
  return `::${type} ${encoded}::${escapeData(finding.message)}`;
}

/** Formats a finding as one log line, escaped so that a message with a line break cannot start a workflow command. */
function plainLine(entry: LocatedFinding): string {
  const { finding } = entry;
  return escapeData(`${entry.path}:${finding.line}:${finding.column}: ${finding.severity}: ${finding.message} (${finding.ruleId})`);
}

function capNotice(byType: Record<AnnotationType, LocatedFinding[]>, limits: Record<AnnotationType, number>): string {
  const parts: string[] = [];
  for (const [type, word] of [['error', 'error'], ['warning', 'warning'], ['notice', 'info']] as const) {
    const count = byType[type].length;
    const left = count - Math.min(count, limits[type]);
    if (left > 0) parts.push(`${left} of ${count} ${word}${count === 1 ? '' : 's'}`);
  }
  return `GitHub shows at most ${ANNOTATIONS_PER_TYPE} annotations of each type from one step, so ${joinWords(parts)} are listed only in this step's log.`;
}

/** Escapes the message of a workflow command: `%`, carriage return and line feed, as the runner decodes them. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command property value: as `escapeData`, plus the `:` and `,` that separate properties. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

interface RuleRow {
  id: string;
  description: string;
  /** True for the rules of the context, which have a page under the rule docs. */
  hasPage: boolean;
}

interface RuleGroup {
  title: string;
  rules: RuleRow[];
}

/** Groups the context's rules by area in their order, then the file problems, then findings of rules the context does not list. */
function ruleGroups(context: CiFormatContext, reportedIds: readonly string[]): RuleGroup[] {
  const groups = new Map<string, RuleGroup>();
  for (const { meta } of context.rules) {
    const title = AREA_TITLES[meta.area] ?? meta.area;
    const group = groups.get(title) ?? { title, rules: [] };
    group.rules.push({ id: meta.id, description: meta.description, hasPage: true });
    groups.set(title, group);
  }

  const listed = new Set(context.rules.map((rule) => rule.meta.id));
  const result = [...groups.values()];
  result.push({
    title: 'Reading files',
    rules: Object.entries(FILE_PROBLEM_DESCRIPTIONS).map(([id, description]) => ({ id, description, hasPage: false })),
  });

  const unlisted = reportedIds.filter((id) => !listed.has(id) && !FILE_PROBLEM_RULES.has(id)).sort();
  if (unlisted.length > 0) result.push({ title: 'Other', rules: unlisted.map((id) => ({ id, description: '', hasPage: false })) });
  return result;
}

function row(label: string, description: string, findings: readonly CiFinding[], failOn: Severity): string {
  const counts = countOf(findings);
  return `| ${label} | ${description} | ${resultOf(findings, failOn)} | ${counts.errors} | ${counts.warnings} | ${counts.infos} |`;
}

function resultOf(findings: readonly CiFinding[], failOn: Severity): string {
  if (findings.length === 0) return '✅ passed';
  if (findings.some((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn])) return '❌ failed';
  return '⚠️ passed';
}

function countOf(findings: readonly CiFinding[]): { errors: number; warnings: number; infos: number } {
  return {
    errors: findings.filter((finding) => finding.severity === 'error').length,
    warnings: findings.filter((finding) => finding.severity === 'warning').length,
    infos: findings.filter((finding) => finding.severity === 'info').length,
  };
}

function describeCounts(counts: { errors: number; warnings: number; infos: number }): string {
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')} and ${plural(counts.infos, 'info')}`;
}

function joinWords(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** Wraps text in a Markdown code span, with a fence longer than any run of backticks inside it, and escapes table pipes. */
function codeSpan(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const padded = text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text;
  return `${fence}${padded.replace(/\|/g, '\\|')}${fence}`;
}

function escapeTableCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n|\r/g, ' ');
}

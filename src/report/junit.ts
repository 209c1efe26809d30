import { compareText, FILE_PROBLEM_RULES, repositoryPath, ruleDocsUri, type CiFinding, type CiFormatContext, type CiSystem } from './context';
import { escapeXmlText, startTag, XML_DECLARATION } from './xml';

/** The name of the passing test case of a file that no rule reported. */
export const CLEAN_FILE_TEST_NAME = 'all rules';

interface TestCase {
  /** The file's path from the repository root. */
  path: string;
  name: string;
  findings: CiFinding[];
}

/**
 * Formats findings as JUnit XML: one test suite per system, and per file one test case for each
 * rule that reported it, with a `<failure>` per finding. A file that could not be read or parsed
 * gets an `<error>` instead, a test case whose findings are all suppressed is `<skipped>`, and
 * each checked file that nothing reported passes as the test case `all rules`.
 */
export function formatJunit(systems: readonly CiSystem[], context: CiFormatContext): string {
  const suites = systems.map((system) => ({ system, cases: testCases(system, context) }));
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const body: string[] = [];

  for (const { system, cases } of suites) {
    const counts = countCases(cases);
    totals.tests += counts.tests;
    totals.failures += counts.failures;
    totals.errors += counts.errors;
    totals.skipped += counts.skipped;

    body.push(`  ${startTag('testsuite', [['name', system.displayRoot], ...countAttributes(counts)], cases.length === 0)}`);
    if (cases.length === 0) continue;
    for (const testCase of cases) body.push(...formatCase(testCase, context));
    body.push('  </testsuite>');
  }

  const lines = [XML_DECLARATION, startTag('testsuites', [['name', 'prodcheck'], ...countAttributes(totals)]), ...body, '</testsuites>'];
  return `${lines.join('\n')}\n`;
}

function testCases(system: CiSystem, context: CiFormatContext): TestCase[] {
  const byFile = new Map<string, Map<string, CiFinding[]>>();
  for (const file of context.checkedFiles?.(system) ?? []) byFile.set(file, new Map());
  for (const finding of system.findings) {
    const rules = byFile.get(finding.file) ?? new Map<string, CiFinding[]>();
    rules.set(finding.ruleId, [...(rules.get(finding.ruleId) ?? []), finding]);
    byFile.set(finding.file, rules);
  }

  const cases: TestCase[] = [];
  for (const [file, rules] of byFile) {
    const path = repositoryPath(context, system, file).path;
    if (rules.size === 0) cases.push({ path, name: CLEAN_FILE_TEST_NAME, findings: [] });
    for (const [ruleId, findings] of rules) cases.push({ path, name: ruleId, findings: findings.sort(byPosition) });
  }
  return cases.sort((a, b) => compareText(a.path, b.path) || compareText(a.name, b.name));
}

function formatCase(testCase: TestCase, context: CiFormatContext): string[] {
  const attributes: Array<[string, string]> = [
    ['name', testCase.name],
    ['classname', testCase.path],
    ['file', testCase.path],
  ];
  const active = testCase.findings.filter((finding) => !finding.suppression);
  const suppressed = testCase.findings.filter((finding) => finding.suppression);
  if (testCase.findings.length === 0) return [`    ${startTag('testcase', attributes, true)}`];

  const lines = [`    ${startTag('testcase', attributes)}`];
  if (active.length === 0) {
    const justification = suppressed.map((finding) => finding.suppression!.justification).find(Boolean);
    lines.push(`      ${startTag('skipped', [['message', justification ? `suppressed: ${justification}` : 'suppressed']], true)}`);
  }
  for (const finding of active) {
    const element = FILE_PROBLEM_RULES.has(finding.ruleId) ? 'error' : 'failure';
    const tag = startTag(element, [
      ['message', finding.message],
      ['type', finding.severity],
    ]);
    lines.push(`      ${tag}${escapeXmlText(failureText(testCase, finding, context))}</${element}>`);
  }
  lines.push('    </testcase>');
  return lines;
}

function failureText(testCase: TestCase, finding: CiFinding, context: CiFormatContext): string {
  const uri = FILE_PROBLEM_RULES.has(finding.ruleId) ? undefined : ruleDocsUri(context, finding.ruleId);
  const where = `${testCase.path}:${finding.line}:${finding.column}`;
  const text = `${where}: ${finding.severity}: ${finding.message} (${finding.ruleId})`;
  return uri ? `${text}\n${uri}` : text;
}

interface CaseCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** Counts test cases, not findings: a test case with three failures is one failed test. */
function countCases(cases: readonly TestCase[]): CaseCounts {
  const counts: CaseCounts = { tests: cases.length, failures: 0, errors: 0, skipped: 0 };
  for (const testCase of cases) {
    const active = testCase.findings.filter((finding) => !finding.suppression);
    if (testCase.findings.length > 0 && active.length === 0) counts.skipped++;
    else if (active.some((finding) => FILE_PROBLEM_RULES.has(finding.ruleId))) counts.errors++;
    else if (active.length > 0) counts.failures++;
  }
  return counts;
}

function countAttributes(counts: CaseCounts): Array<[string, number]> {
  return [
    ['tests', counts.tests],
    ['failures', counts.failures],
    ['errors', counts.errors],
    ['skipped', counts.skipped],
  ];
}

function byPosition(a: CiFinding, b: CiFinding): number {
  return a.line - b.line || a.column - b.column || compareText(a.message, b.message);
}

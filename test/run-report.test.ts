import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { listTree } from '../src/discovery';
import { NO_COLORS } from '../src/report/colors';
import type { ReportedFinding } from '../src/report/stylish';
import { RunReport, type CheckedSystem, type ReportOptions } from '../src/run-report';
import { elementsNamed, parseXml } from './report/parse-xml';
import { SAMPLE_RULES } from './report/sample';

const MAIN_PY = 'from flask import Flask\n\napp = Flask(__name__)\napp.run(debug=True)\n';

/** Returns a finding on the text `needle` of `main.py`, with positions that agree with its offsets. */
function finding(needle: string, ruleId: string, severity: ReportedFinding['severity'], extra: Partial<ReportedFinding> = {}): ReportedFinding {
  const start = MAIN_PY.indexOf(needle);
  const before = MAIN_PY.slice(0, start).split('\n');
  const line = before.length;
  const column = before[before.length - 1].length + 1;
  return { ruleId, severity, message: `${ruleId} here.`, file: 'main.py', line, column, endLine: line, endColumn: column + needle.length, start, end: start + needle.length, ...extra };
}

const SUPPRESSED = { kind: 'inSource' as const, justification: 'served by a proxy that blocks it' };

/** Returns an error, a warning, an info, and an error and a warning that are suppressed. */
function mixedFindings(): ReportedFinding[] {
  return [
    finding('app.run(debug=True)', 'flask-dev-server', 'error', {
      fix: { title: 'Remove `app.run(...)`', safety: 'unsafe', edits: [{ file: 'main.py', start: MAIN_PY.indexOf('app.run'), end: MAIN_PY.length, text: '' }] },
    }),
    finding('app = Flask(__name__)', 'flask-health-route-missing', 'warning'),
    finding('from flask import Flask', 'dockerfile-pip-cache', 'info'),
    finding('debug=True', 'flask-dev-server', 'error', { suppression: SUPPRESSED }),
    finding('Flask(__name__)', 'flask-health-route-missing', 'warning', { suppression: { kind: 'external' } }),
  ];
}

interface Captured {
  stdout: string;
  stderr: string;
}

/** Writes a one-file system to a temporary folder and returns it as the run lists it. */
function writeSystem(): { folder: string; system: CheckedSystem } {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-report-'));
  fs.writeFileSync(path.join(folder, 'main.py'), MAIN_PY);
  const listing = listTree(folder);
  return { folder, system: { displayRoot: 'service', root: folder, boundary: folder, files: listing.files, skipped: listing.skipped, onlyFiles: null } };
}

/** Reports `findings` on a fresh one-file system; `change` may alter the folder after it is listed. */
function report(options: Partial<ReportOptions>, findings = mixedFindings(), change?: (folder: string) => void): { captured: Captured; exitCode: number; folder: string } {
  const { folder, system } = writeSystem();
  change?.(folder);
  const captured: Captured = { stdout: '', stderr: '' };
  const sink = { stdout: (text: string) => (captured.stdout += text), stderr: (text: string) => (captured.stderr += text) };
  const run = new RunReport({ cwd: path.dirname(folder), format: 'stylish', failOn: 'error', colors: NO_COLORS, ...options }, sink, () => SAMPLE_RULES, 1);
  run.addSystem({ ...system, displayRoot: path.basename(folder) }, findings);
  return { captured, exitCode: run.finish().exitCode, folder };
}

describe('suppressed findings', () => {
  test('left out of stylish', () => {
    const { captured } = report({});

    expect(captured.stdout).toContain('3 problems (1 error, 1 warning, 1 info)');
    expect(captured.stdout).toContain('2 suppressed findings not shown.');
    expect(captured.stdout.match(/^ {2}\d+:\d+ /gm)).toHaveLength(3);
  });

  test('listed apart in json', () => {
    const document = JSON.parse(report({ format: 'json' }).captured.stdout);

    expect(document.systems[0].findings).toHaveLength(3);
    expect(document.systems[0].suppressed).toHaveLength(2);
    expect(document.systems[0].suppressed[0].suppression).toEqual(SUPPRESSED);
    expect(document.summary).toEqual({ errors: 1, warnings: 1, infos: 1, suppressed: 2 });
  });

  test('marked in sarif', () => {
    const log = JSON.parse(report({ format: 'sarif' }).captured.stdout) as Sarif.Log;
    const suppressed = log.runs[0].results!.filter((result) => result.suppressions);

    expect(log.runs[0].results).toHaveLength(5);
    expect(suppressed).toHaveLength(2);
    expect(suppressed.map((result) => result.suppressions![0])).toContainEqual({ kind: 'inSource', status: 'accepted', justification: SUPPRESSED.justification });
    expect(suppressed.map((result) => result.suppressions![0])).toContainEqual({ kind: 'external', status: 'accepted' });
  });

  test('left out of ci formats', () => {
    expect(report({ format: 'github' }).captured.stdout.split('\n').filter(Boolean)).toHaveLength(3);
    expect(JSON.parse(report({ format: 'gitlab' }).captured.stdout)).toHaveLength(3);
    expect(elementsNamed(parseXml(report({ format: 'checkstyle' }).captured.stdout).root!, 'error')).toHaveLength(3);

    const junit = parseXml(report({ format: 'junit' }).captured.stdout).root!;
    expect(elementsNamed(junit, 'failure')).toHaveLength(3);
    expect(elementsNamed(junit, 'skipped')).toEqual([]);
  });

  test('suppressed error does not fail', () => {
    const onlySuppressed = mixedFindings().filter((entry) => entry.suppression);

    expect(report({}, onlySuppressed).exitCode).toBe(0);
    expect(report({}, mixedFindings()).exitCode).toBe(1);
  });

  test('suppressed warning not counted', () => {
    const warnings = mixedFindings().filter((entry) => entry.severity === 'warning');

    expect(report({ maxWarnings: 1 }, warnings).exitCode).toBe(0);
    expect(report({ maxWarnings: 0 }, warnings).exitCode).toBe(1);
  });

  test('not in statistics', () => {
    const { captured } = report({ statistics: true });

    expect(captured.stdout).toMatch(/^ {2}1 {2}flask-dev-server {2}/m);
    expect(captured.stdout).toMatch(/^ {2}1 {2}flask-health-route-missing {2}/m);
  });
});

describe('quiet report', () => {
  test('errors only in every format', () => {
    const stylish = report({ quiet: true }).captured.stdout;
    const gitlab = JSON.parse(report({ quiet: true, format: 'gitlab' }).captured.stdout) as Array<{ severity: string }>;

    expect(stylish).toContain('1 problem (1 error, 0 warnings, 0 infos)');
    expect(stylish).toContain('1 warning and 1 info not shown because of --quiet.');
    expect(gitlab.map((issue) => issue.severity)).toEqual(['critical']);
  });

  test('warnings still fail', () => {
    const warnings = mixedFindings().filter((entry) => entry.severity === 'warning' && !entry.suppression);

    expect(report({ quiet: true, failOn: 'warning' }, warnings).exitCode).toBe(1);
    expect(report({ quiet: true, maxWarnings: 0 }, warnings).exitCode).toBe(1);
  });
});

describe('ci context', () => {
  test('gitlab fingerprints read file text', () => {
    const issues = JSON.parse(report({ format: 'gitlab' }).captured.stdout) as Array<{ fingerprint: string }>;
    const edited = JSON.parse(report({ format: 'gitlab' }, mixedFindings(), (folder) => fs.writeFileSync(path.join(folder, 'main.py'), MAIN_PY.toUpperCase())).captured.stdout) as Array<{ fingerprint: string }>;

    expect(issues).toHaveLength(3);
    expect(new Set(issues.map((issue) => issue.fingerprint)).size).toBe(3);
    expect(edited.map((issue) => issue.fingerprint)).not.toEqual(issues.map((issue) => issue.fingerprint));
  });

  test('sarif fix positions from text', () => {
    const log = JSON.parse(report({ format: 'sarif' }).captured.stdout) as Sarif.Log;
    const fixed = log.runs[0].results!.find((result) => result.fixes)!;
    const replacement = fixed.fixes![0].artifactChanges[0].replacements[0];

    expect(replacement.deletedRegion).toEqual({ startLine: 4, startColumn: 1, endLine: 5, endColumn: 1 });
  });

  test('junit lists checked clean file', () => {
    const junit = parseXml(report({ format: 'junit' }, []).captured.stdout).root!;

    expect(elementsNamed(junit, 'testcase').map((testCase) => testCase.attributes.name)).toEqual(['all rules']);
  });

  test('step summary appended', () => {
    const { folder, system } = writeSystem();
    const summary = path.join(folder, 'summary.md');
    fs.writeFileSync(summary, '# earlier step\n');
    const captured: Captured = { stdout: '', stderr: '' };
    const sink = { stdout: (text: string) => (captured.stdout += text), stderr: (text: string) => (captured.stderr += text) };
    const run = new RunReport({ cwd: folder, format: 'github', failOn: 'error', colors: NO_COLORS, githubStepSummary: summary }, sink, () => SAMPLE_RULES, 1);
    run.addSystem(system, mixedFindings());
    run.finish();
    const text = fs.readFileSync(summary, 'utf8');

    expect(text.startsWith('# earlier step\n## prodcheck ')).toBe(true);
    expect(text).toContain('2 suppressed findings are not counted.');
  });

  test('unwritable summary exits 2', () => {
    const { folder, system } = writeSystem();
    const captured: Captured = { stdout: '', stderr: '' };
    const sink = { stdout: (text: string) => (captured.stdout += text), stderr: (text: string) => (captured.stderr += text) };
    const run = new RunReport({ cwd: folder, format: 'github', failOn: 'error', colors: NO_COLORS, githubStepSummary: folder }, sink, () => SAMPLE_RULES, 1);
    run.addSystem(system, []);

    expect(run.finish().exitCode).toBe(2);
    expect(captured.stderr).toContain('cannot write the github step summary report');
  });
});

describe('empty system', () => {
  test('no files, no system', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-report-'));
    const captured: Captured = { stdout: '', stderr: '' };
    const sink = { stdout: (text: string) => (captured.stdout += text), stderr: (text: string) => (captured.stderr += text) };
    const run = new RunReport({ cwd: folder, format: 'json', failOn: 'error', colors: NO_COLORS }, sink, () => SAMPLE_RULES, 1);
    run.addSystem({ displayRoot: '.', root: folder, boundary: folder, files: [], skipped: [], onlyFiles: null }, []);

    expect(run.finish().exitCode).toBe(0);
    expect(JSON.parse(captured.stdout).systems).toEqual([]);
  });
});

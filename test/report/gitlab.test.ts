import type { CiFinding } from '../../src/report/context';
import { CODE_QUALITY_SEVERITIES, formatGitlab, type CodeQualityIssue } from '../../src/report/gitlab';
import { findingOn, fixtureReport, SAMPLE_FILES, sampleContext, sampleFindings, sampleSystem } from './sample';

function issuesOf(findings: CiFinding[] = sampleFindings(), files = SAMPLE_FILES): CodeQualityIssue[] {
  return JSON.parse(formatGitlab([sampleSystem(findings)], sampleContext(files))) as CodeQualityIssue[];
}

describe('gitlab code quality', () => {
  test('exact sample issues', () => {
    const issues = issuesOf();

    expect(issues.map(({ fingerprint, ...rest }) => ({ ...rest, fingerprint: fingerprint.length }))).toEqual([
      {
        description: '`pip install` keeps its download cache in the image layer.',
        check_name: 'dockerfile-pip-cache',
        fingerprint: 64,
        severity: 'info',
        location: { path: 'service/Dockerfile', lines: { begin: 2, end: 2 } },
      },
      {
        description: '`big.py` is 5 MiB, over the 4 MiB limit, so it was not read.',
        check_name: 'file-skipped',
        fingerprint: 64,
        severity: 'major',
        location: { path: 'service/big.py', lines: { begin: 1, end: 1 } },
      },
      {
        description: '`broken.py` does not parse: `def f(:` is invalid.',
        check_name: 'parse-error',
        fingerprint: 64,
        severity: 'critical',
        location: { path: 'service/broken.py', lines: { begin: 1, end: 1 } },
      },
      {
        description: 'The app `app` serves no `/health` route.',
        check_name: 'flask-health-route-missing',
        fingerprint: 64,
        severity: 'major',
        location: { path: 'service/main.py', lines: { begin: 3, end: 3 } },
      },
      {
        description: '`app.run(debug=True)` runs when the module is imported.',
        check_name: 'flask-dev-server',
        fingerprint: 64,
        severity: 'critical',
        location: { path: 'service/main.py', lines: { begin: 4, end: 4 } },
      },
    ]);
  });

  test('json layout', () => {
    const output = formatGitlab([sampleSystem([sampleFindings()[0]])], sampleContext());

    expect(output).toMatch(/^\[\n  \{\n    "description": /);
    expect(output.endsWith(']\n')).toBe(true);
  });

  test('no findings, empty array', () => {
    expect(formatGitlab([sampleSystem([])], sampleContext())).toBe('[]\n');
  });

  test('severity mapping', () => {
    expect(CODE_QUALITY_SEVERITIES).toEqual({ error: 'critical', warning: 'major', info: 'info' });
  });

  test('multi-line end', () => {
    const finding = findingOn('main.py', 'app = Flask(__name__)\napp.run', 'flask-dev-server', 'error', 'Two lines.');

    expect(issuesOf([finding])[0].location.lines).toEqual({ begin: 3, end: 4 });
  });

  test('suppressed findings left out', () => {
    const suppressed: CiFinding = { ...sampleFindings()[1], suppression: { kind: 'inSource' } };

    expect(issuesOf([suppressed])).toEqual([]);
  });
});

describe('gitlab fingerprint', () => {
  const original = SAMPLE_FILES['main.py'];
  const fingerprintOf = (text: string, needle = 'app.run(debug=True)', ruleId = 'flask-dev-server'): string =>
    issuesOf([findingOn('main.py', needle, ruleId, 'error', 'Message.', text)], { 'main.py': text })[0].fingerprint;

  test('stable when a line is added above', () => {
    expect(fingerprintOf(`import os\n\n${original}`)).toBe(fingerprintOf(original));
  });

  test('stable when the message changes', () => {
    const finding = findingOn('main.py', 'app.run(debug=True)', 'flask-dev-server', 'error', 'Another wording.');

    expect(issuesOf([finding])[0].fingerprint).toBe(fingerprintOf(original));
  });

  test('differs by rule', () => {
    expect(fingerprintOf(original, 'app.run(debug=True)', 'flask-debug-enabled')).not.toBe(fingerprintOf(original));
  });

  test('differs by line content', () => {
    const changed = original.replace('app.run(debug=True)', 'app.run(debug=False)');

    expect(fingerprintOf(changed, 'app.run(debug=False)')).not.toBe(fingerprintOf(original));
  });

  test('unique on identical lines', () => {
    const text = 'a = []\nb = 1\na = []\n';
    const first = findingOn('main.py', 'a = []', 'python-global-mutation-unlocked', 'warning', 'Mutated.', text);
    const second = findingOn('main.py', 'a = []', 'python-global-mutation-unlocked', 'warning', 'Mutated.', text, 1);
    const issues = issuesOf([first, second], { 'main.py': text });

    expect(issues.map((issue) => issue.location.lines.begin)).toEqual([1, 3]);
    expect(issues[0].fingerprint).not.toBe(issues[1].fingerprint);
  });

  test('unique on one line twice', () => {
    const first = findingOn('main.py', 'app', 'flask-dev-server', 'error', 'First.');
    const second = findingOn('main.py', 'Flask(__name__)', 'flask-dev-server', 'error', 'Second.');
    const issues = issuesOf([first, second]);

    expect(issues[0].fingerprint).not.toBe(issues[1].fingerprint);
  });

  test('unique across the fixture', () => {
    const { system, context } = fixtureReport('dev-server');
    const issues = JSON.parse(formatGitlab([system], context)) as CodeQualityIssue[];
    const fingerprints = issues.map((issue) => issue.fingerprint);

    expect(issues).toHaveLength(system.findings.length);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    expect(issues.every((issue) => issue.location.path.startsWith('fixtures/dev-server/'))).toBe(true);
  });
});

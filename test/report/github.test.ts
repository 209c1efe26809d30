import type { CiFinding } from '../../src/report/context';
import { ANNOTATIONS_PER_TYPE, escapeData, escapeProperty, formatGithubAnnotations, formatGithubSummary } from '../../src/report/github';
import { allRules } from '../../rules';
import type { Severity } from '../../src/rule';
import { findingOn, fixtureReport, SAMPLE_FILES, sampleContext, sampleFindings, sampleSystem } from './sample';

function annotations(findings: CiFinding[] = sampleFindings(), context = sampleContext()): string[] {
  return formatGithubAnnotations([sampleSystem(findings)], context).split('\n').slice(0, -1);
}

/** `count` findings of one severity on consecutive lines of a generated file. */
function many(count: number, severity: Severity, ruleId: string): CiFinding[] {
  return Array.from({ length: count }, (_, index) => ({
    ruleId,
    severity,
    message: `Problem ${index + 1}.`,
    file: 'many.py',
    line: index + 1,
    column: 1,
    endLine: index + 1,
    endColumn: 2,
    start: 0,
    end: 1,
  }));
}

describe('github annotations', () => {
  test('exact sample output', () => {
    expect(annotations()).toEqual([
      '::error file=service/broken.py,line=1,endLine=1,col=7,endColumn=8,title=prodcheck%3A parse-error::`broken.py` does not parse: `def f(:` is invalid.',
      '::error file=service/main.py,line=4,endLine=4,col=1,endColumn=20,title=prodcheck%3A flask-dev-server::`app.run(debug=True)` runs when the module is imported.',
      '::warning file=service/big.py,line=1,endLine=1,col=1,endColumn=1,title=prodcheck%3A file-skipped::`big.py` is 5 MiB, over the 4 MiB limit, so it was not read.',
      '::warning file=service/main.py,line=3,endLine=3,col=1,endColumn=22,title=prodcheck%3A flask-health-route-missing::The app `app` serves no `/health` route.',
      '::notice file=service/Dockerfile,line=2,endLine=2,col=1,endColumn=36,title=prodcheck%3A dockerfile-pip-cache::`pip install` keeps its download cache in the image layer.',
    ]);
  });

  test('no findings, no output', () => {
    expect(formatGithubAnnotations([sampleSystem([])], sampleContext())).toBe('');
  });

  test('multi-line span has no columns', () => {
    const finding = findingOn('main.py', 'app = Flask(__name__)\napp.run', 'flask-dev-server', 'error', 'Two lines.');

    expect(annotations([finding])).toEqual(['::error file=service/main.py,line=3,endLine=4,title=prodcheck%3A flask-dev-server::Two lines.']);
  });

  test('message escaped', () => {
    const finding = findingOn('main.py', 'app', 'flask-dev-server', 'error', '100% sure:\r\nnext, line\n::error::injected');

    expect(annotations([finding])[0]).toMatch(/::100%25 sure:%0D%0Anext, line%0A::error::injected$/);
  });

  test('properties escaped', () => {
    const files = { 'a,b:c%.py': 'x = 1\n' };
    const finding = findingOn('a,b:c%.py', 'x', 'flask-dev-server', 'error', 'Odd name.', files['a,b:c%.py']);
    const [line] = annotations([finding], sampleContext(files));

    expect(line).toBe('::error file=service/a%2Cb%3Ac%25.py,line=1,endLine=1,col=1,endColumn=2,title=prodcheck%3A flask-dev-server::Odd name.');
  });

  test('suppressed findings left out', () => {
    const suppressed: CiFinding = { ...sampleFindings()[1], suppression: { kind: 'inSource' } };

    expect(annotations([suppressed])).toEqual([]);
  });

  test('most severe first', () => {
    const findings = [...many(2, 'info', 'dockerfile-pip-cache'), ...many(2, 'warning', 'flask-health-route-missing'), ...many(2, 'error', 'flask-dev-server')];

    expect(annotations(findings).map((line) => line.slice(0, line.indexOf(' ')))).toEqual(['::error', '::error', '::warning', '::warning', '::notice', '::notice']);
  });
});

describe('github annotation cap', () => {
  test('cap is ten per type', () => {
    expect(ANNOTATIONS_PER_TYPE).toBe(10);
  });

  test('ten of each type fit', () => {
    const findings = [...many(10, 'error', 'flask-dev-server'), ...many(10, 'warning', 'flask-health-route-missing'), ...many(10, 'info', 'dockerfile-pip-cache')];
    const lines = annotations(findings);

    expect(lines).toHaveLength(30);
    expect(lines.some((line) => line.startsWith('::group::'))).toBe(false);
  });

  test('overflow listed and noticed', () => {
    const findings = [...many(12, 'error', 'flask-dev-server'), ...many(3, 'warning', 'flask-health-route-missing'), ...many(10, 'info', 'dockerfile-pip-cache')];
    const lines = annotations(findings);
    const commands = (type: string) => lines.filter((line) => line.startsWith(`::${type} file=`));

    expect(commands('error')).toHaveLength(10);
    expect(commands('warning')).toHaveLength(3);
    expect(commands('notice')).toHaveLength(9);
    expect(lines.slice(22)).toEqual([
      '::group::prodcheck: 3 findings not shown as annotations',
      'service/many.py:11:1: error: Problem 11. (flask-dev-server)',
      'service/many.py:12:1: error: Problem 12. (flask-dev-server)',
      'service/many.py:10:1: info: Problem 10. (dockerfile-pip-cache)',
      '::endgroup::',
      "::notice title=prodcheck::GitHub shows at most 10 annotations of each type from one step, so 2 of 12 errors and 1 of 10 infos are listed only in this step's log.",
    ]);
  });

  test('closing notice is the tenth notice', () => {
    const findings = [...many(11, 'warning', 'flask-health-route-missing'), ...many(20, 'info', 'dockerfile-pip-cache')];
    const notices = annotations(findings).filter((line) => line.startsWith('::notice '));

    expect(notices).toHaveLength(ANNOTATIONS_PER_TYPE);
    expect(notices[9]).toMatch(/^::notice title=prodcheck::GitHub shows at most 10 annotations/);
  });

  test('one finding per rule first', () => {
    const findings = [...many(12, 'error', 'async-call-without-bridge'), ...many(2, 'error', 'flask-dev-server').map((finding) => ({ ...finding, line: finding.line + 20 }))];
    const errors = annotations(findings, sampleContext(undefined, { rules: allRules })).filter((line) => line.startsWith('::error file='));

    expect(errors).toHaveLength(10);
    expect(errors[0]).toMatch(/title=prodcheck%3A flask-dev-server::/);
    expect(errors[1]).toMatch(/title=prodcheck%3A async-call-without-bridge::/);
    expect(errors[2]).toMatch(/title=prodcheck%3A flask-dev-server::/);
    expect(errors.filter((line) => line.includes('flask-dev-server'))).toHaveLength(2);
  });

  test('overflow lines cannot start commands', () => {
    const findings = many(11, 'error', 'flask-dev-server');
    findings[10].message = 'Broken\n::warning::injected';
    const lines = annotations(findings);

    expect(lines).toContain('service/many.py:11:1: error: Broken%0A::warning::injected (flask-dev-server)');
    expect(lines.filter((line) => line.startsWith('::warning'))).toEqual([]);
  });
});

describe('github escaping', () => {
  test.each([
    ['plain', 'plain'],
    ['50%', '50%25'],
    ['a\r\nb', 'a%0D%0Ab'],
    ['%0A', '%250A'],
    ['a:b,c', 'a:b,c'],
  ])('data %j', (value, escaped) => {
    expect(escapeData(value)).toBe(escaped);
  });

  test.each([
    ['a:b,c', 'a%3Ab%2Cc'],
    ['50%\n', '50%25%0A'],
    ['%3A', '%253A'],
  ])('property %j', (value, escaped) => {
    expect(escapeProperty(value)).toBe(escaped);
  });
});

describe('github summary', () => {
  test('exact sample summary', () => {
    expect(formatGithubSummary([sampleSystem()], sampleContext())).toBe(
      [
        '## prodcheck 1.2.3',
        '',
        '❌ **Failed**: 2 errors, 2 warnings and 1 info in `service` (the run fails on error and above).',
        '',
        '| check | description | result | errors | warnings | infos |',
        '| --- | --- | --- | ---: | ---: | ---: |',
        '| **Flask application** |  | ❌ failed | 1 | 1 | 0 |',
        '| [`flask-dev-server`](https://example.com/prodcheck/docs/rules/flask-dev-server.md) | The Werkzeug development server runs in production | ❌ failed | 1 | 0 | 0 |',
        '| [`flask-health-route-missing`](https://example.com/prodcheck/docs/rules/flask-health-route-missing.md) | The app serves no `/health` liveness route | ⚠️ passed | 0 | 1 | 0 |',
        '| **Dockerfile** |  | ⚠️ passed | 0 | 0 | 1 |',
        '| [`dockerfile-pip-cache`](https://example.com/prodcheck/docs/rules/dockerfile-pip-cache.md) | `pip install` in the final image keeps its download cache | ⚠️ passed | 0 | 0 | 1 |',
        '| **Reading files** |  | ❌ failed | 1 | 1 | 0 |',
        '| `parse-error` | A file could not be parsed, so the rules that read it did not check it | ❌ failed | 1 | 0 | 0 |',
        '| `file-skipped` | A file could not be read, or was too large, so no rule checked it | ⚠️ passed | 0 | 1 | 0 |',
        '',
      ].join('\n'),
    );
  });

  test('clean run passes', () => {
    const summary = formatGithubSummary([sampleSystem([])], sampleContext());

    expect(summary).toContain('✅ **Passed**: 0 errors, 0 warnings and 0 infos in `service`');
    expect(summary).not.toContain('failed');
  });

  test('fail-on warning fails warnings', () => {
    const warning = findingOn('main.py', 'app', 'flask-health-route-missing', 'warning', 'No health route.');
    const summary = formatGithubSummary([sampleSystem([warning])], sampleContext(SAMPLE_FILES, { failOn: 'warning' }));

    expect(summary).toContain('❌ **Failed**: 0 errors, 1 warning and 0 infos');
    expect(summary).toContain('| **Flask application** |  | ❌ failed | 0 | 1 | 0 |');
  });

  test('suppressed findings not counted', () => {
    const suppressed: CiFinding = { ...sampleFindings()[1], suppression: { kind: 'external' } };
    const summary = formatGithubSummary([sampleSystem([suppressed])], sampleContext());

    expect(summary).toContain('✅ **Passed**: 0 errors, 0 warnings and 0 infos in `service` (the run fails on error and above). 1 suppressed finding is not counted.');
    expect(summary).toContain('| [`flask-dev-server`](https://example.com/prodcheck/docs/rules/flask-dev-server.md) | The Werkzeug development server runs in production | ✅ passed | 0 | 0 | 0 |');
  });

  test('unlisted rule in its own group', () => {
    const finding = findingOn('main.py', 'app', 'ports-mismatch', 'error', 'Ports differ.');
    const summary = formatGithubSummary([sampleSystem([finding])], sampleContext());

    expect(summary).toContain('| **Other** |  | ❌ failed | 1 | 0 | 0 |\n| `ports-mismatch` |  | ❌ failed | 1 | 0 | 0 |\n');
  });

  test('pipes and backticks in roots escaped', () => {
    const summary = formatGithubSummary([{ displayRoot: 'a|`b`', findings: [] }], sampleContext());

    expect(summary).toContain('in `` a\\|`b` `` (the run');
  });

  test('every rule of the fixture has a row', () => {
    const { system, context } = fixtureReport('dev-server');
    const summary = formatGithubSummary([system], context);
    const rows = summary.split('\n').filter((line) => line.startsWith('| [`'));

    expect(rows).toHaveLength(context.rules.length);
    expect(summary).toContain('❌ **Failed**');
    expect(summary).toMatch(/\| \[`flask-dev-server`\]\([^)]+\) \| [^|]+ \| ❌ failed \| 1 \| 0 \| 0 \|/);
  });
});

import { applySuppressions } from '../src/suppressions';
import type { Finding } from '../src/rule';
import { createSourceFile, type FileKind } from '../src/source';

const RULES = new Set(['flask-debug-enabled', 'python-secret-literal', 'dockerfile-user-root']);

function at(file: string, line: number, ruleId: string): Finding {
  return { ruleId, severity: 'error', message: '', file, line, column: 1, endLine: line, endColumn: 2, start: 0, end: 1 };
}

function source(relPath: string, kind: FileKind, text: string) {
  return createSourceFile(relPath, kind, text);
}

describe('suppressions', () => {
  test('trailing comment silences its line', () => {
    const file = source('main.py', 'python', 'x = 1\napp.debug = True  # prodcheck: ignore[flask-debug-enabled] -- local tool only\n');
    const result = applySuppressions([at('main.py', 2, 'flask-debug-enabled')], [file], RULES);
    expect(result.kept).toEqual([]);
    expect(result.suppressed).toEqual([{ finding: at('main.py', 2, 'flask-debug-enabled'), justification: 'local tool only' }]);
    expect(result.problems).toEqual([]);
  });

  test('own-line comment silences next statement', () => {
    const file = source('Dockerfile', 'dockerfile', 'FROM python:3.12-slim\n# prodcheck: ignore[dockerfile-user-root] -- the init system drops privileges\n\n# another comment\nUSER root\n');
    const result = applySuppressions([at('Dockerfile', 5, 'dockerfile-user-root')], [file], RULES);
    expect(result.kept).toEqual([]);
  });

  test('file-level comment', () => {
    const file = source('seed.py', 'python', '# prodcheck: ignore-file[python-secret-literal] -- test data\nA_PASSWORD = "x"\nB_PASSWORD = "y"\n');
    const result = applySuppressions([at('seed.py', 2, 'python-secret-literal'), at('seed.py', 3, 'python-secret-literal')], [file], RULES);
    expect(result.suppressed).toHaveLength(2);
  });

  test('other rules not silenced', () => {
    const file = source('main.py', 'python', 'app.debug = True  # prodcheck: ignore[python-secret-literal]\n');
    const result = applySuppressions([at('main.py', 1, 'flask-debug-enabled'), at('main.py', 1, 'python-secret-literal')], [file], RULES);
    expect(result.kept.map((finding) => finding.ruleId)).toEqual(['flask-debug-enabled']);
  });

  test.each([
    ['no brackets', 'x = 1  # prodcheck: ignore\n', /write `# prodcheck: ignore\[rule-id\]/],
    ['unknown rule', 'x = 1  # prodcheck: ignore[no-such-rule]\n', /`no-such-rule` is not a rule id/],
    ['empty list', 'x = 1  # prodcheck: ignore[]\n', /name at least one rule id/],
  ])('malformed %s reported', (_name, text, message) => {
    const result = applySuppressions([at('main.py', 1, 'flask-debug-enabled')], [source('main.py', 'python', text)], RULES);
    expect(result.kept).toHaveLength(1);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ ruleId: 'suppression-invalid', line: 1, column: 8 });
    expect(result.problems[0].message).toMatch(message);
  });

  test('unused suppression reported with fix', () => {
    const text = 'x = 1  # prodcheck: ignore[flask-debug-enabled]\n# prodcheck: ignore[python-secret-literal]\ny = 2\n';
    const result = applySuppressions([], [source('main.py', 'python', text)], RULES);
    expect(result.problems.map((problem) => `${problem.ruleId}:${problem.line}`)).toEqual(['suppression-unused:1', 'suppression-unused:2']);
    expect(result.problems[0].fix?.edits).toEqual([{ file: 'main.py', start: 5, end: 47, text: '' }]);
    expect(result.problems[1].fix?.edits).toEqual([{ file: 'main.py', start: 48, end: 91, text: '' }]);
  });

  test('reason required', () => {
    const file = source('main.py', 'python', 'app.debug = True  # prodcheck: ignore[flask-debug-enabled]\n');
    const result = applySuppressions([at('main.py', 1, 'flask-debug-enabled')], [file], RULES, { requireReason: true });
    expect(result.problems.map((problem) => problem.ruleId)).toEqual(['suppression-invalid']);
  });

  test('hash inside string is not a comment', () => {
    const file = source('main.py', 'python', 'x = "# prodcheck: ignore[flask-debug-enabled]"\n');
    const result = applySuppressions([at('main.py', 1, 'flask-debug-enabled')], [file], RULES);
    expect(result.kept).toHaveLength(1);
    expect(result.problems).toEqual([]);
  });

  test('requirements trailing comment needs whitespace', () => {
    const file = source('requirements.txt', 'requirements', 'flask  # prodcheck: ignore[python-secret-literal] -- pinned by the platform\n');
    const result = applySuppressions([at('requirements.txt', 1, 'python-secret-literal')], [file], RULES);
    expect(result.kept).toEqual([]);
  });
});

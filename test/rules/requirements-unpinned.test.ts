import { createSourceFile } from '../../src/source';
import { checkFiles, ruleFindings, ruleFindingsWithSources } from '../helpers';

const RULE = 'requirements-unpinned';

function messages(files: Record<string, string>): string[] {
  return checkFiles(files, [RULE]).filter((finding) => finding.ruleId === RULE).map((finding) => finding.message);
}

describe(RULE, () => {
  test.each([
    ['range', 'flask>=2.3\n', 1, 1],
    ['no version', 'gunicorn==22.0.0\n  requests\n', 2, 3],
    ['wildcard', 'flask==3.*\n', 1, 1],
    ['marker only', 'flask ; python_version >= "3.9"\n', 1, 1],
    ['branch URL', '-e git+https://github.com/org/lib.git@main#egg=lib\n', 1, 48],
    ['after a comment continuation', 'gunicorn==22.0.0 \\\n    # the server\nflask\n', 3, 1],
  ])('reports %s', (_name, requirements, line, column) => {
    expect(ruleFindings(RULE, { 'requirements.txt': requirements })).toEqual([
      { ruleId: RULE, file: 'requirements.txt', line, column, severity: 'warning' },
    ]);
  });

  test('messages', () => {
    expect(messages({ 'requirements.txt': 'Flask[async]>=2.3,<4\nlib @ git+https://github.com/org/lib.git\n' })).toEqual([
      '`Flask[async]>=2.3,<4` is not pinned to an exact version, so each build can install a different release.',
      '`lib` comes from `git+https://github.com/org/lib.git`, which names neither a commit nor a version, so each build can install different code.',
    ]);
  });

  test('included file reported where it is written', () => {
    const files = { 'requirements.txt': '-r requirements/base.txt\n', 'requirements/base.txt': 'flask==3.0.3\nredis\n' };

    expect(ruleFindings(RULE, files)).toEqual([{ ruleId: RULE, file: 'requirements/base.txt', line: 2, column: 1, severity: 'warning' }]);
  });

  test('pyproject without lock file', () => {
    const files = { 'pyproject.toml': '[project]\nname = "x"\ndependencies = ["flask>=3"]\n' };

    expect(ruleFindings(RULE, files)).toEqual([{ ruleId: RULE, file: 'pyproject.toml', line: 3, column: 18, severity: 'warning' }]);
  });

  test.each([
    ['exact pins', 'Flask==3.0.3\ngunicorn===22.0.0\n'],
    ['hashes', 'flask>=3 \\\n    --hash=sha256:0123\n'],
    ['commit URL', '-e git+https://github.com/org/lib.git@0123456789abcdef0123456789abcdef01234567#egg=lib\n'],
    ['tag URL', 'lib @ git+https://github.com/org/lib.git@v1.2.3\n'],
    ['versioned archive', 'https://example.com/packages/lib-1.2.3.tar.gz\n'],
    ['local wheel', './wheels/lib-1.2.3-py3-none-any.whl\n'],
    ['local folder', '-e .\n'],
    ['options only', '--index-url https://pypi.org/simple\n--require-hashes\n'],
  ])('silent: %s', (_name, requirements) => {
    expect(ruleFindings(RULE, { 'requirements.txt': requirements })).toEqual([]);
  });

  test('silent: constraint pin', () => {
    const files = { 'requirements.txt': '-c constraints.txt\nflask\nrequests>=2\n', 'constraints.txt': 'flask==3.0.3\nrequests==2.31.0\n' };

    expect(ruleFindings(RULE, files)).toEqual([]);
  });

  test('silent: hash-pinned lock reached through -r', () => {
    const files = {
      'requirements.txt': '-r requirements.lock\n',
      'requirements.lock': 'flask==3.0.3 \\\n    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb\nwerkzeug==3.0.3 \\\n    --hash=sha256:cccc\n',
    };

    expect(ruleFindings(RULE, files)).toEqual([]);
  });

  test('silent: development files', () => {
    const files = { 'requirements.txt': 'flask==3.0.3\n', 'requirements-dev.txt': '-r requirements.txt\npytest\n', 'requirements/test.txt': 'coverage\n' };

    expect(ruleFindings(RULE, files)).toEqual([]);
  });

  test('silent: pyproject with lock file', () => {
    const files = { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.11"\nflask = "^3.0"\n', 'poetry.lock': '# generated\n' };

    expect(ruleFindings(RULE, files)).toEqual([]);
  });

  test('UTF-16 file with BOM and CRLF', () => {
    const pinned = createSourceFile('requirements.txt', 'requirements', 'flask==3.0.3\r\ngunicorn==22.0.0\r\n', 'utf16le', true);
    const unpinned = createSourceFile('requirements.txt', 'requirements', 'flask==3.0.3\r\n\r\n  gunicorn\r\n', 'utf16le', true);

    expect(ruleFindingsWithSources(RULE, {}, [pinned])).toEqual([]);
    expect(ruleFindingsWithSources(RULE, {}, [unpinned])).toEqual([
      { ruleId: RULE, file: 'requirements.txt', line: 3, column: 3, severity: 'warning' },
    ]);
  });
});

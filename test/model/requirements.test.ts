import { buildRequirementsModel, isDevelopmentPath, MAX_INCLUDE_DEPTH } from '../../src/model/requirements';
import { createSourceFile, positionAt, type SourceFile } from '../../src/source';
import { systemFromMemory, type FileLoader } from '../../src/system';

function build(files: Record<string, string>) {
  const input = systemFromMemory(files);
  return buildRequirementsModel(input.files, input.load);
}

function problemAt(model: ReturnType<typeof build>, index: number) {
  const problem = model.problems[index];
  const { line, column } = positionAt(problem.location.file, problem.location.start);
  return { file: problem.location.file.relPath, line, column, message: problem.message };
}

describe('requirements model', () => {
  test('follows includes relative to the including file', () => {
    const model = build({
      'requirements.txt': '-r requirements/base.txt\ngunicorn==22.0.0\n',
      'requirements/base.txt': '-r ../shared/common.txt\nflask==3.0.3\n',
      'shared/common.txt': 'requests==2.31.0\n',
    });

    expect(model.source).toBe('requirements');
    expect(model.problems).toEqual([]);
    expect(model.files.map((file) => file.relPath)).toEqual(['requirements.txt', 'requirements/base.txt', 'shared/common.txt']);
    expect(model.requirements.map((r) => r.name).sort()).toEqual(['flask', 'gunicorn', 'requests']);
    expect(model.find('Flask')).toHaveLength(1);
  });

  test('constraints are not requirements', () => {
    const model = build({ 'requirements.txt': '-c constraints.txt\nflask\n', 'constraints.txt': 'flask==3.0.3\nrequests==2.31.0\n' });

    expect(model.requirements.filter((r) => r.constraint).map((r) => r.name)).toEqual(['flask', 'requests']);
    expect(model.find('flask').map((r) => r.constraint)).toEqual([false]);
    expect(model.find('requests')).toEqual([]);
  });

  test('development files are marked', () => {
    const model = build({
      'requirements.txt': 'flask==3.0.3\n',
      'requirements-dev.txt': '-r requirements.txt\npytest==8.2.0\n',
      'requirements/test.txt': 'coverage==7.5.0\n',
    });

    expect(model.files[0].relPath).toBe('requirements.txt');
    expect(model.requirements.map((r) => [r.name, r.development])).toEqual([
      ['flask', false],
      ['pytest', true],
      ['coverage', true],
    ]);
    expect(model.find('pytest')).toEqual([]);
  });

  test('production file included by a development file stays top level', () => {
    const model = build({ 'requirements-dev.txt': '-r requirements.txt\n', 'requirements.txt': 'flask==3.0.3\n' });

    expect(model.files.map((file) => file.relPath)).toEqual(['requirements.txt', 'requirements-dev.txt']);
    expect(model.find('flask')).toHaveLength(1);
  });

  test('included files are not top level', () => {
    const model = build({ 'requirements.txt': '-r requirements-base.txt\n', 'requirements-base.txt': 'flask==3.0.3\n' });

    expect(model.files.map((file) => file.relPath)).toEqual(['requirements.txt', 'requirements-base.txt']);
    expect(model.requirements).toHaveLength(1);
  });

  test('compiled file wins over requirements.in', () => {
    const model = build({ 'requirements.in': 'flask\n', 'requirements.txt': 'flask==3.0.3\n' });

    expect(model.files.map((file) => file.relPath)).toEqual(['requirements.txt']);
  });

  test('cycle is a problem, not a hang', () => {
    const model = build({ 'requirements.txt': '-r a.txt\nflask==3.0.3\n', 'a.txt': '-r b.txt\n', 'b.txt': '-r a.txt\n' });

    expect(model.problems).toHaveLength(1);
    expect(problemAt(model, 0)).toEqual({
      file: 'b.txt',
      line: 1,
      column: 4,
      message: '`a.txt` is included in a cycle (`a.txt` -> `b.txt` -> `a.txt`); pip fails on it with a recursion error.',
    });
    expect(model.find('flask')).toHaveLength(1);
  });

  test('self include is a problem', () => {
    const model = build({ 'requirements.txt': '-r requirements.txt\n' });

    expect(model.problems.map((problem) => problem.message)).toEqual([
      '`requirements.txt` is included in a cycle (`requirements.txt` -> `requirements.txt`); pip fails on it with a recursion error.',
    ]);
  });

  test('include depth is limited', () => {
    const files: Record<string, string> = { 'requirements.txt': '-r level1.txt\n' };
    for (let level = 1; level <= MAX_INCLUDE_DEPTH + 2; level++) files[`level${level}.txt`] = `-r level${level + 1}.txt\npkg${level}==1.0\n`;
    const model = build(files);

    expect(model.problems.map((problem) => problem.message)).toEqual([
      `\`-r level${MAX_INCLUDE_DEPTH + 1}.txt\` is more than ${MAX_INCLUDE_DEPTH} includes deep, so prodcheck does not follow it.`,
    ]);
    expect(model.requirements).toHaveLength(MAX_INCLUDE_DEPTH);
  });

  test('unreadable includes are problems', () => {
    const model = build({ 'requirements.txt': '-r missing.txt\n-r ../outside.txt\n-c https://example.com/c.txt\n' });

    expect(model.problems.map((problem) => problem.message)).toEqual([
      '`-r missing.txt` names `missing.txt`, which cannot be read: no such file.',
      '`-r ../outside.txt` is outside the system folder, so prodcheck cannot read the packages it declares.',
      '`-c https://example.com/c.txt` names a URL; prodcheck reads only files of the system, so the packages it declares are unknown.',
    ]);
  });

  test('included file read through the loader', () => {
    const lock = createSourceFile('requirements.lock', 'requirements', 'flask==3.0.3 \\\n    --hash=sha256:abc\n', 'utf16le', true);
    const top = createSourceFile('requirements.txt', 'requirements', '-r requirements.lock\r\n', 'utf16le', true);
    const requested: string[] = [];
    const load: FileLoader = (relPath) => {
      requested.push(relPath);
      return relPath === lock.relPath ? lock : { relPath, reason: 'cannot be read: no such file' };
    };
    const model = buildRequirementsModel([top], load);

    expect(requested).toEqual(['requirements.lock']);
    expect(model.requirements.map((r) => [r.name, r.hashes])).toEqual([['flask', ['sha256:abc']]]);
  });

  test('pyproject when no requirements file', () => {
    const model = build({ 'pyproject.toml': '[project]\ndependencies = ["flask==3.0.3"]\n', 'poetry.lock': '# lock\n' });

    expect(model.source).toBe('pyproject');
    expect(model.lockFile).toBe('poetry.lock');
    expect(model.find('flask')).toHaveLength(1);
  });

  test('requirements file wins over pyproject', () => {
    const model = build({ 'pyproject.toml': '[project]\ndependencies = ["django"]\n', 'requirements.txt': 'flask==3.0.3\n' });

    expect(model.source).toBe('requirements');
    expect(model.find('django')).toEqual([]);
  });

  test('nothing declared', () => {
    expect(build({ 'main.py': 'import flask\n' }).source).toBe('none');
    expect(build({ 'pyproject.toml': '[tool.black]\nline-length = 100\n' }).source).toBe('none');
  });

  test('constraints file alone is not top level', () => {
    const files: SourceFile[] = [createSourceFile('constraints.txt', 'requirements', 'flask==3.0.3\n')];
    const model = buildRequirementsModel(files, (relPath) => ({ relPath, reason: 'cannot be read: no such file' }));

    expect(model.source).toBe('none');
  });
});

describe('development paths', () => {
  test.each([
    ['requirements-dev.txt', true],
    ['requirements_test.in', true],
    ['requirements/dev.txt', true],
    ['requirements/tests.txt', true],
    ['tests/requirements.txt', true],
    ['requirements-docs.txt', true],
    ['requirements.txt', false],
    ['requirements-prod.txt', false],
    ['requirements/base.txt', false],
    ['requirements-docker.txt', false],
  ])('%s', (relPath, expected) => {
    expect(isDevelopmentPath(relPath)).toBe(expected);
  });
});

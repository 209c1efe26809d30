import { checkFiles, ruleFindings } from '../helpers';

const RULE = 'requirements-hashes-incomplete';

const HASH_A = '--hash=sha256:' + 'a'.repeat(64);
const HASH_B = '--hash=sha256:' + 'b'.repeat(64);

function messages(files: Record<string, string>): string[] {
  return checkFiles(files, [RULE])
    .filter((finding) => finding.ruleId === RULE)
    .map((finding) => `${finding.line}: ${finding.message}`);
}

describe(RULE, () => {
  test.each<[string, Record<string, string>, Array<[string, number, number]>]>([
    ['one line without a hash', { 'requirements.txt': `gunicorn==22.0.0 ${HASH_A}\npackaging==24.1 ${HASH_B}\nflask==3.0.3\n` }, [['requirements.txt', 3, 1]]],
    ['hashed range', { 'requirements.txt': `packaging>=24 ${HASH_A}\n` }, [['requirements.txt', 1, 1]]],
    ['--require-hashes without hashes', { 'requirements.txt': '--require-hashes\npackaging==24.1\n' }, [['requirements.txt', 2, 1]]],
    ['unhashed line in an included file', { 'requirements.txt': `-r base.txt\npackaging==24.1 ${HASH_A}\n`, 'base.txt': 'six==1.16.0\n' }, [['base.txt', 1, 1]]],
    ['missing dependency', { 'requirements.txt': `gunicorn==22.0.0 ${HASH_A}\n` }, [['requirements.txt', 1, 1]]],
  ])('reports %s', (_name, files, expected) => {
    expect(ruleFindings(RULE, files).map((finding) => [finding.file, finding.line, finding.column])).toEqual(expected);
  });

  test('messages', () => {
    const files = { 'requirements.txt': `packaging>=24 ${HASH_A}\nsix==1.16.0\ngunicorn==22.0.0 ${HASH_B}\n` };

    expect(messages(files)).toEqual([
      '1: `packaging>=24` has a hash but no `==` pin; pip installs nothing in hash-checking mode until every requirement is pinned with `==`.',
      '2: `six` has no `--hash`, but `packaging` has one, which turns on hash checking, so `pip install` stops before installing anything.',
    ]);
  });

  test('dependency message', () => {
    expect(messages({ 'requirements.txt': `werkzeug==3.0.3 ${HASH_A}\n` })).toEqual([
      '1: `werkzeug` installs `markupsafe`, which no requirement lists with a pin and a hash; in hash-checking mode pip stops at the first dependency without one.',
    ]);
  });

  test('dependencies of dependencies', () => {
    const findings = messages({ 'requirements.txt': `prometheus-flask-exporter==0.23.1 ${HASH_A}\nprometheus-client==0.20.0 ${HASH_A}\n` });

    expect(findings).toHaveLength(7);
    expect(findings.every((message) => message.startsWith('1: `prometheus-flask-exporter` installs'))).toBe(true);
  });

  test.each<[string, Record<string, string>]>([
    ['no hashes', { 'requirements.txt': 'flask==3.0.3\ngunicorn\n' }],
    ['complete set', { 'requirements.txt': `gunicorn==22.0.0 ${HASH_A}\npackaging==24.1 ${HASH_B}\n` }],
    ['hashed URL', { 'requirements.txt': `packaging @ https://files.example/packaging-24.1-py3-none-any.whl ${HASH_A}\n` }],
    ['hashes only in a development file', { 'requirements.txt': 'flask==3.0.3\n', 'requirements-dev.txt': `pytest==8.2.0 ${HASH_A}\n` }],
    ['unhashed development file', { 'requirements.txt': `packaging==24.1 ${HASH_A}\n`, 'requirements-dev.txt': 'pytest==8.2.0\n' }],
    ['constraints without hashes', { 'requirements.txt': `-c constraints.txt\npackaging==24.1 ${HASH_A}\n`, 'constraints.txt': 'six==1.16.0\n' }],
    ['require-hashes in a comment', { 'requirements.txt': '# run pip with --require-hashes later\nflask==3.0.3\n' }],
  ])('silent on %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });
});

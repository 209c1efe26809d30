import { checkFiles, ruleFindings } from '../helpers';

const RULE = 'requirements-psycopg2-binary';

describe(RULE, () => {
  test('reports the binary wheel', () => {
    const files = { 'requirements.txt': 'flask==3.0.3\n  psycopg2_binary==2.9.9  # database\n' };

    expect(ruleFindings(RULE, files)).toEqual([{ ruleId: RULE, file: 'requirements.txt', line: 2, column: 3, severity: 'info' }]);
    expect(checkFiles(files, [RULE]).map((finding) => finding.message)).toEqual([
      "`psycopg2_binary` is a prebuilt wheel that psycopg's documentation advises against in production; build `psycopg2` from source instead.",
    ]);
  });

  test('reports through includes and pyproject', () => {
    expect(ruleFindings(RULE, { 'requirements.txt': '-r base.txt\n', 'base.txt': 'psycopg2-binary==2.9.9\n' })).toEqual([
      { ruleId: RULE, file: 'base.txt', line: 1, column: 1, severity: 'info' },
    ]);
    expect(ruleFindings(RULE, { 'pyproject.toml': '[project]\ndependencies = ["psycopg2-binary==2.9.9"]\n' })).toEqual([
      { ruleId: RULE, file: 'pyproject.toml', line: 2, column: 18, severity: 'info' },
    ]);
  });

  test.each([
    ['source package', { 'requirements.txt': 'psycopg2==2.9.9\n' }],
    ['psycopg 3 binary extra', { 'requirements.txt': 'psycopg[binary]==3.1.19\n' }],
    ['development file', { 'requirements.txt': 'psycopg2==2.9.9\n', 'requirements-dev.txt': 'psycopg2-binary==2.9.9\n' }],
    ['constraint only', { 'requirements.txt': '-c constraints.txt\npsycopg2==2.9.9\n', 'constraints.txt': 'psycopg2-binary==2.9.9\n' }],
  ])('silent: %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });
});

import { checkFiles, ruleFindings } from '../helpers';

const RULE = 'requirements-gunicorn-too-old';

function system(target: string, requirements: string): Record<string, string> {
  return {
    'main.py': 'from flask import Flask\n\n\ndef create_app():\n    return Flask(__name__)\n\n\napp = create_app()\n',
    Dockerfile: `FROM python:3.12-slim\nWORKDIR /app\nCMD ["gunicorn", "--bind", "0.0.0.0:8000", "${target}"]\n`,
    'requirements.txt': requirements,
  };
}

describe(RULE, () => {
  test.each([
    ['broken release', 'flask==3.0.3\ngunicorn==20.0.0\n', 2, 1],
    ['short version', 'flask==3.0.3\n\nGunicorn==20.0\n', 3, 1],
  ])('reports %s', (_name, requirements, line, column) => {
    expect(ruleFindings(RULE, system('main:create_app()', requirements))).toEqual([
      { ruleId: RULE, file: 'requirements.txt', line, column, severity: 'error' },
    ]);
  });

  test('message', () => {
    const findings = checkFiles(system('main:create_app()', 'gunicorn==20.0.0\n'), [RULE]);

    expect(findings.map((finding) => finding.message)).toEqual([
      'Gunicorn target `main:create_app()` calls an application factory, which Gunicorn 20.0.0 cannot load, and `gunicorn==20.0.0` pins that release; use 20.0.1 or newer.',
    ]);
  });

  test.each([
    ['first release with factories', 'main:create_app()', 'gunicorn==20.0.1\n'],
    ['release that evaluated targets', 'main:create_app()', 'gunicorn==19.9.0\n'],
    ['current release', 'main:create_app()', 'gunicorn==22.0.0\n'],
    ['unpinned', 'main:create_app()', 'gunicorn\n'],
    ['lower bound only', 'main:create_app()', 'gunicorn>=19\n'],
    ['variable target', 'main:app', 'gunicorn==19.9.0\n'],
    ['old pin only in development file', 'main:create_app()', 'gunicorn==22.0.0\n'],
  ])('silent: %s', (_name, target, requirements) => {
    const files = system(target, requirements);
    files['requirements-dev.txt'] = 'gunicorn==20.0.0\n';

    expect(ruleFindings(RULE, files)).toEqual([]);
  });

  test('silent without Gunicorn', () => {
    expect(ruleFindings(RULE, { 'requirements.txt': 'gunicorn==19.9.0\n' })).toEqual([]);
  });
});

import { ruleFindings } from '../helpers';
import { DOCKERFILE_PLAIN, DOCKERFILE_WITH_CONFIG, FLASK_MAIN, PRODUCTION_SYSTEM } from './gunicorn-systems';

const RULE = 'gunicorn-config-missing';

type Place = [file: string, line: number, column: number];

const positions = (files: Record<string, string>): Place[] => ruleFindings(RULE, files).map((finding) => [finding.file, finding.line, finding.column]);

describe(RULE, () => {
  test.each<[string, Record<string, string>, Place[]]>([
    ['no config file', { Dockerfile: DOCKERFILE_PLAIN, 'main.py': FLASK_MAIN }, [['Dockerfile', 4, 1]]],
    ['-c path missing', { Dockerfile: DOCKERFILE_WITH_CONFIG, 'main.py': FLASK_MAIN }, [['Dockerfile', 4, 18]]],
    [
      'config under another name',
      { Dockerfile: DOCKERFILE_PLAIN, 'gunicorn_config.py': 'workers = 2\n', 'main.py': FLASK_MAIN },
      [['Dockerfile', 4, 1]],
    ],
    [
      'config not copied',
      { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY src/ .\nCMD ["gunicorn", "main:app"]\n', 'gunicorn.conf.py': 'workers = 2\n', 'src/main.py': FLASK_MAIN },
      [['Dockerfile', 4, 1]],
    ],
    [
      'GUNICORN_CMD_ARGS config missing',
      { Dockerfile: 'FROM python:3.12-slim\nENV GUNICORN_CMD_ARGS="-c /etc/gunicorn.py"\nCMD ["gunicorn", "main:app"]\n' },
      [['Dockerfile', 2, 24]],
    ],
    ['compose command', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: gunicorn main:app\n' }, [['docker-compose.yml', 4, 5]]],
    [
      'entrypoint script',
      { Dockerfile: 'FROM python:3.12-slim\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n', 'start.sh': '#!/bin/sh\nexec gunicorn main:app\n' },
      [['start.sh', 2, 6]],
    ],
  ])('reports %s', (_name, files, expected) => {
    expect(positions(files)).toEqual(expected);
  });

  test('reports a warning', () => {
    expect(ruleFindings(RULE, { Dockerfile: DOCKERFILE_PLAIN })[0]?.severity).toBe('warning');
  });

  test.each<[string, Record<string, string>]>([
    ['production system', PRODUCTION_SYSTEM],
    ['default gunicorn.conf.py', { Dockerfile: DOCKERFILE_PLAIN, 'gunicorn.conf.py': 'workers = 2\n' }],
    [
      '-c in a subfolder',
      { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "--config=config/prod.py", "main:app"]\n', 'config/prod.py': 'workers = 2\n' },
    ],
    [
      'python: config module',
      { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "python:settings.gunicorn", "main:app"]\n', 'settings/gunicorn.py': 'workers = 2\n' },
    ],
    ['-c from a variable', { Dockerfile: 'FROM python:3.12-slim\nCMD gunicorn -c "$GUNICORN_CONFIG" main:app\n' }],
    ['not Gunicorn', { Dockerfile: 'FROM python:3.12-slim\nCMD ["python", "main.py"]\n', 'main.py': FLASK_MAIN }],
    ['config without command', { 'gunicorn.conf.py': 'workers = 2\n' }],
  ])('silent on %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });
});

import { checkFiles, dedent, ruleFindings } from '../helpers';

const RULE = 'dockerfile-cmd-not-gunicorn';

function findings(files: Record<string, string>) {
  const dedented = Object.fromEntries(Object.entries(files).map(([path, text]) => [path, dedent(text)]));
  return ruleFindings(RULE, dedented).map(({ file, line, column }) => ({ file, line, column }));
}

const APP = 'from flask import Flask\napp = Flask(__name__)\n';

describe(RULE, () => {
  test.each([
    ['python script', 'FROM python:3.12-slim\nCMD ["python", "main.py"]\n', 2, 6],
    ['python3 with options', 'FROM python:3.12-slim\nCMD ["python3", "-u", "main.py"]\n', 2, 6],
    ['shell-form python', 'FROM python:3.12-slim\nCMD python main.py\n', 2, 5],
    ['flask run', 'FROM python:3.12-slim\nCMD ["flask", "run", "--host=0.0.0.0"]\n', 2, 6],
    ['python -m flask run', 'FROM python:3.12-slim\nCMD ["python", "-m", "flask", "run"]\n', 2, 6],
    ['uvicorn', 'FROM python:3.12-slim\nCMD ["uvicorn", "main:app"]\n', 2, 6],
    ['waitress', 'FROM python:3.12-slim\nCMD ["waitress-serve", "main:app"]\n', 2, 6],
    ['python module', 'FROM python:3.12-slim\nCMD ["python", "-m", "app"]\n', 2, 6],
    ['sh -c python', 'FROM python:3.12-slim\nCMD ["sh", "-c", "cd /app && python main.py"]\n', 2, 30],
    ['tini then flask', 'FROM python:3.12-slim\nENTRYPOINT ["tini", "--"]\nCMD ["flask", "run"]\n', 3, 6],
    ['inherited from parent', 'FROM python:3.12-slim AS base\nCMD ["python", "main.py"]\n\nFROM base\nCOPY . .\n', 2, 6],
  ])('reports %s', (_name, dockerfile, line, column) => {
    expect(findings({ Dockerfile: dockerfile, 'main.py': APP })).toEqual([{ file: 'Dockerfile', line, column }]);
  });

  test('reports python in entrypoint script', () => {
    const result = findings({
      Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["/app/entrypoint.sh"]\n',
      'entrypoint.sh': '#!/bin/sh\nset -e\nexec python main.py\n',
      'main.py': APP,
    });
    expect(result).toEqual([{ file: 'entrypoint.sh', line: 3, column: 6 }]);
  });

  test('reports flask passed through exec "$@"', () => {
    const result = findings({
      Dockerfile: 'FROM python:3.12-slim\nCOPY docker/entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\nCMD ["flask", "run"]\n',
      'docker/entrypoint.sh': '#!/bin/sh\nexec "$@"\n',
    });
    expect(result).toEqual([{ file: 'Dockerfile', line: 4, column: 6 }]);
  });

  test.each([
    ['gunicorn exec form', { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "main:app"]\n' }],
    ['gunicorn absolute path', { Dockerfile: 'FROM python:3.12-slim\nCMD ["/opt/venv/bin/gunicorn", "main:app"]\n' }],
    ['python -m gunicorn', { Dockerfile: 'FROM python:3.12-slim\nCMD ["python", "-m", "gunicorn", "main:app"]\n' }],
    ['uv run gunicorn', { Dockerfile: 'FROM python:3.12-slim\nCMD ["uv", "run", "--no-sync", "gunicorn", "main:app"]\n' }],
    ['shell form exec gunicorn', { Dockerfile: 'FROM python:3.12-slim\nCMD exec gunicorn main:app\n' }],
    ['ddtrace wrapper', { Dockerfile: 'FROM python:3.12-slim\nCMD ["ddtrace-run", "gunicorn", "main:app"]\n' }],
    ['gosu wrapper', { Dockerfile: 'FROM python:3.12-slim\nENTRYPOINT ["gosu", "app", "gunicorn", "main:app"]\n' }],
    [
      'script exec "$@" with gunicorn cmd',
      {
        Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["./entrypoint.sh"]\nCMD ["gunicorn", "main:app"]\n',
        'entrypoint.sh': '#!/bin/sh\npython main.py --migrate-only\nexec "$@"\n',
      },
    ],
    [
      'script exec gunicorn',
      {
        Dockerfile: 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY scripts/ ./scripts/\nCMD ["sh", "scripts/start.sh"]\n',
        'scripts/start.sh': 'set -e\nif [ -n "$MIGRATE" ]; then\n  flask db upgrade\nfi\nexec gunicorn -c gunicorn.conf.py main:app\n',
      },
    ],
    [
      'heredoc entrypoint script',
      {
        Dockerfile: 'FROM python:3.12-slim\nCOPY <<EOF /entrypoint.sh\n#!/bin/sh\nexec gunicorn main:app\nEOF\nENTRYPOINT ["sh", "/entrypoint.sh"]\n',
      },
    ],
    ['python embedding gunicorn', { Dockerfile: 'FROM python:3.12-slim\nCOPY . .\nCMD ["python", "serve.py"]\n', 'serve.py': 'from gunicorn.app.base import BaseApplication\n' }],
    ['unknown program', { Dockerfile: 'FROM python:3.12-slim\nCMD ["./start-server"]\n' }],
    ['script not in repository', { Dockerfile: 'FROM python:3.12-slim\nCMD ["/docker-entrypoint.sh"]\n' }],
    ['flask subcommand not run', { Dockerfile: 'FROM python:3.12-slim\nCMD ["flask", "db", "upgrade"]\n' }],
    ['builder stage runs python', { Dockerfile: 'FROM python:3.12 AS build\nCMD ["python", "x.py"]\n\nFROM python:3.12-slim\nCMD ["gunicorn", "main:app"]\n' }],
  ])('silent for %s', (_name, files) => {
    expect(findings(files as Record<string, string>)).toEqual([]);
  });

  test('message shows command', () => {
    const [finding] = checkFiles({ Dockerfile: 'FROM python:3.12-slim\nCMD ["python", "-m", "flask", "run"]\n' }, [RULE]);
    expect(finding.message).toBe('Container runs `python -m flask run`, the Flask development server, instead of Gunicorn.');
  });
});

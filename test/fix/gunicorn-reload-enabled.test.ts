import { expectNoFix, expectRoundTrip, findingsOf, fixGunicorn } from './gunicorn-round-trip';

const RULE = 'gunicorn-reload-enabled';

describe(`${RULE} fix`, () => {
  test.each<[string, Record<string, string>, Record<string, string>]>([
    ['reload = True', { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nreload = True  # development\n' }, { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nreload = False  # development\n' }],
    [
      'truthy fallback',
      { 'gunicorn.conf.py': 'import os\nreload = os.environ.get("GUNICORN_RELOAD", "true")\n' },
      { 'gunicorn.conf.py': 'import os\nreload = False\n' },
    ],
    [
      'exec form',
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--reload", "main:app"]\n' },
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "main:app"]\n' },
    ],
    [
      'exec form, last element',
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "main:app", "--reload"]\n' },
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "main:app"]\n' },
    ],
    [
      'exec form over lines',
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn",\\\n     "--reload",\\\n     "main:app"]\n' },
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn",\\\n     "main:app"]\n' },
    ],
    [
      'shell form',
      { Dockerfile: 'FROM python:3.12-slim\nCMD exec gunicorn --reload main:app\n' },
      { Dockerfile: 'FROM python:3.12-slim\nCMD exec gunicorn main:app\n' },
    ],
    [
      'shell form, last word',
      { Dockerfile: 'FROM python:3.12-slim\nCMD exec gunicorn main:app --reload\n' },
      { Dockerfile: 'FROM python:3.12-slim\nCMD exec gunicorn main:app\n' },
    ],
    [
      'shell form over lines',
      { Dockerfile: 'FROM python:3.12-slim\nCMD exec gunicorn \\\n    --reload \\\n    main:app\n' },
      { Dockerfile: 'FROM python:3.12-slim\nCMD exec gunicorn \\\n    main:app\n' },
    ],
    [
      'sh -c string',
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["sh", "-c", "exec gunicorn --reload main:app"]\n' },
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["sh", "-c", "exec gunicorn main:app"]\n' },
    ],
    [
      'GUNICORN_CMD_ARGS',
      { Dockerfile: 'FROM python:3.12-slim\nENV GUNICORN_CMD_ARGS="--workers 2 --reload"\nCMD ["gunicorn", "main:app"]\n' },
      { Dockerfile: 'FROM python:3.12-slim\nENV GUNICORN_CMD_ARGS="--workers 2"\nCMD ["gunicorn", "main:app"]\n' },
    ],
    [
      'flag and GUNICORN_CMD_ARGS',
      { Dockerfile: 'FROM python:3.12-slim\nENV GUNICORN_CMD_ARGS="--reload"\nCMD ["gunicorn", "--reload", "main:app"]\n' },
      { Dockerfile: 'FROM python:3.12-slim\nENV GUNICORN_CMD_ARGS=""\nCMD ["gunicorn", "main:app"]\n' },
    ],
  ])('fixes %s', (_name, files, expected) => {
    expectRoundTrip(RULE, files, expected);
  });

  test('fix is safe', () => {
    expect(findingsOf(RULE, { 'gunicorn.conf.py': 'reload = True\n' })[0]?.fix?.safety).toBe('safe');
  });

  test('applies without unsafe fixes', () => {
    expect(fixGunicorn({ 'gunicorn.conf.py': 'reload = True\n' }, RULE, false).changed).toEqual({ 'gunicorn.conf.py': 'reload = False\n' });
  });

  test.each<[string, Record<string, string>]>([
    ['flag in a compose command', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: gunicorn --reload main:app\n' }],
    ['flag in an entrypoint script', { Dockerfile: 'FROM python:3.12-slim\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n', 'start.sh': '#!/bin/sh\nexec gunicorn --reload main:app\n' }],
    ['last word of a continued command', { Dockerfile: 'FROM python:3.12-slim\nCMD exec gunicorn main:app \\\n    --reload\n' }],
    ['only element of ENTRYPOINT', { Dockerfile: 'FROM python:3.12-slim\nENTRYPOINT ["gunicorn"]\nCMD ["--reload"]\n' }],
    ['comment inside the value', { 'gunicorn.conf.py': 'reload = (\n    True  # local\n)\n' }],
  ])('no fix for %s', (_name, files) => {
    expectNoFix(RULE, files);
  });
});

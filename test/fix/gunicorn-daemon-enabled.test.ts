import { expectNoFix, expectRoundTrip, findingsOf } from './gunicorn-round-trip';

const RULE = 'gunicorn-daemon-enabled';

describe(`${RULE} fix`, () => {
  test.each<[string, Record<string, string>, Record<string, string>]>([
    ['daemon = True', { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\ndaemon = True\n' }, { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\ndaemon = False\n' }],
    ['-D in exec form', { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "-D", "main:app"]\n' }, { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "main:app"]\n' }],
    ['--daemon in shell form', { Dockerfile: 'FROM python:3.12-slim\nCMD exec gunicorn --daemon main:app\n' }, { Dockerfile: 'FROM python:3.12-slim\nCMD exec gunicorn main:app\n' }],
    [
      'GUNICORN_CMD_ARGS',
      { Dockerfile: 'FROM python:3.12-slim\nENV GUNICORN_CMD_ARGS="--workers 2 -D"\nCMD ["gunicorn", "main:app"]\n' },
      { Dockerfile: 'FROM python:3.12-slim\nENV GUNICORN_CMD_ARGS="--workers 2"\nCMD ["gunicorn", "main:app"]\n' },
    ],
  ])('fixes %s', (_name, files, expected) => {
    expectRoundTrip(RULE, files, expected);
  });

  test('fix is safe', () => {
    expect(findingsOf(RULE, { 'gunicorn.conf.py': 'daemon = True\n' })[0]?.fix?.safety).toBe('safe');
  });

  test('no fix in a compose command', () => {
    expectNoFix(RULE, { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: gunicorn --daemon main:app\n' });
  });
});

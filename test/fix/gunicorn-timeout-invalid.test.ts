import { DOCKERFILE_WITH_CONFIG } from '../rules/gunicorn-systems';
import { expectNoFix, expectRoundTrip, findingsOf } from './gunicorn-round-trip';

const RULE = 'gunicorn-timeout-invalid';

const withConfig = (config: string): Record<string, string> => ({ Dockerfile: DOCKERFILE_WITH_CONFIG, 'gunicorn.conf.py': config });

describe(`${RULE} fix`, () => {
  test.each<[string, Record<string, string>, Record<string, string>]>([
    ['zero', withConfig('timeout = 0  # never kill\n'), { 'gunicorn.conf.py': 'timeout = 30  # never kill\n' }],
    ['too long', withConfig('timeout = 3600\n'), { 'gunicorn.conf.py': 'timeout = 30\n' }],
    ['environment fallback', withConfig('import os\ntimeout = int(os.environ.get("TIMEOUT", 0))\n'), { 'gunicorn.conf.py': 'import os\ntimeout = 30\n' }],
    ['annotated assignment', withConfig('timeout: int = 0\n'), { 'gunicorn.conf.py': 'timeout: int = 30\n' }],
    [
      'exec-form -t',
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "-t", "0", "main:app"]\n' },
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "-t", "30", "main:app"]\n' },
    ],
    [
      'attached -t0',
      { Dockerfile: 'FROM python:3.12-slim\nCMD gunicorn -t0 main:app\n' },
      { Dockerfile: 'FROM python:3.12-slim\nCMD gunicorn -t30 main:app\n' },
    ],
    [
      'GUNICORN_CMD_ARGS',
      { Dockerfile: 'FROM python:3.12-slim\nENV GUNICORN_CMD_ARGS="--timeout=abc"\nCMD ["gunicorn", "main:app"]\n' },
      { Dockerfile: 'FROM python:3.12-slim\nENV GUNICORN_CMD_ARGS="--timeout=30"\nCMD ["gunicorn", "main:app"]\n' },
    ],
  ])('fixes %s', (_name, files, expected) => {
    expectRoundTrip(RULE, files, expected);
  });

  test('fix is unsafe', () => {
    expect(findingsOf(RULE, withConfig('timeout = 0\n'))[0]?.fix?.safety).toBe('unsafe');
  });

  test.each<[string, Record<string, string>]>([
    ['comment inside the value', withConfig('timeout = (\n    0  # off\n)\n')],
    ['flag in a compose command', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: gunicorn --timeout 0 main:app\n' }],
    ['value from the image ENV', { Dockerfile: 'FROM python:3.12-slim\nENV TIMEOUT=0\nCMD gunicorn --timeout "$TIMEOUT" main:app\n' }],
  ])('no fix for %s', (_name, files) => {
    expectNoFix(RULE, files);
  });
});

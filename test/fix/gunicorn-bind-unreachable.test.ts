import { DOCKERFILE_WITH_CONFIG } from '../rules/gunicorn-systems';
import { expectNoFix, expectRoundTrip, findingsOf } from './gunicorn-round-trip';

const RULE = 'gunicorn-bind-unreachable';

const withConfig = (config: string, dockerfile = DOCKERFILE_WITH_CONFIG): Record<string, string> => ({ Dockerfile: dockerfile, 'gunicorn.conf.py': config });

describe(`${RULE} fix`, () => {
  test.each<[string, Record<string, string>, Record<string, string>]>([
    [
      'loopback in the config',
      withConfig('bind = "127.0.0.1:5000"\n'),
      { 'gunicorn.conf.py': 'import os\n\nbind = f"0.0.0.0:{os.environ.get(\'PORT\', \'5000\')}"\n' },
    ],
    [
      'host without a port',
      withConfig('import os\n\nbind = "localhost"  # local only\n'),
      { 'gunicorn.conf.py': 'import os\n\nbind = f"0.0.0.0:{os.environ.get(\'PORT\', \'8000\')}"  # local only\n' },
    ],
    [
      'list of loopback addresses',
      withConfig('"""Settings."""\nbind = ["localhost:8000", "[::1]:8000"]\n'),
      { 'gunicorn.conf.py': '"""Settings."""\nimport os\n\nbind = f"0.0.0.0:{os.environ.get(\'PORT\', \'8000\')}"\n' },
    ],
    [
      'default bind with EXPOSE',
      withConfig('workers = 2\n', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nEXPOSE 8080\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]\n'),
      { 'gunicorn.conf.py': 'import os\n\nworkers = 2\nbind = f"0.0.0.0:{os.environ.get(\'PORT\', \'8080\')}"\n' },
    ],
    [
      'exec-form flag',
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--bind", "127.0.0.1:5000", "main:app"]\n' },
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--bind", "0.0.0.0:5000", "main:app"]\n' },
    ],
    [
      'shell-form flag with =',
      { Dockerfile: 'FROM python:3.12-slim\nCMD exec gunicorn --bind=localhost:5000 main:app\n' },
      { Dockerfile: 'FROM python:3.12-slim\nCMD exec gunicorn --bind=0.0.0.0:5000 main:app\n' },
    ],
    [
      'GUNICORN_CMD_ARGS',
      { Dockerfile: 'FROM python:3.12-slim\nENV GUNICORN_CMD_ARGS="-b 127.0.0.1 --workers 2"\nCMD ["gunicorn", "main:app"]\n' },
      { Dockerfile: 'FROM python:3.12-slim\nENV GUNICORN_CMD_ARGS="-b 0.0.0.0:8000 --workers 2"\nCMD ["gunicorn", "main:app"]\n' },
    ],
  ])('fixes %s', (_name, files, expected) => {
    expectRoundTrip(RULE, files, expected);
  });

  test('fix is unsafe', () => {
    expect(findingsOf(RULE, withConfig('bind = "127.0.0.1:8000"\n'))[0]?.fix?.safety).toBe('unsafe');
  });

  test.each<[string, Record<string, string>]>([
    ['repeated flag', { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "-b", "127.0.0.1:8000", "-b", "[::1]:8000", "main:app"]\n' }],
    ['comment inside the value', withConfig('bind = (\n    "127.0.0.1:8000"  # local\n)\n')],
    ['flag in a compose command', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: gunicorn -b 127.0.0.1:8000 main:app\n' }],
    ['flag in an entrypoint script', { Dockerfile: 'FROM python:3.12-slim\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n', 'start.sh': '#!/bin/sh\nexec gunicorn -b 127.0.0.1:8000 main:app\n' }],
    ['default bind without a config file', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "main:app"]\n' }],
  ])('no fix for %s', (_name, files) => {
    expectNoFix(RULE, files);
  });
});

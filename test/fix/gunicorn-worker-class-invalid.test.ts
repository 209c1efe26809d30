import { DOCKERFILE_WITH_CONFIG } from '../rules/gunicorn-systems';
import { expectNoFix, expectRoundTrip, findingsOf } from './gunicorn-round-trip';

const RULE = 'gunicorn-worker-class-invalid';
const FLASK_MAIN = 'from flask import Flask\n\napp = Flask(__name__)\n';

const withConfig = (config: string): Record<string, string> => ({ Dockerfile: DOCKERFILE_WITH_CONFIG, 'gunicorn.conf.py': config, 'main.py': FLASK_MAIN });

describe(`${RULE} fix`, () => {
  test.each<[string, Record<string, string>, Record<string, string>]>([
    ['ASGI worker in the config', withConfig('worker_class = "uvicorn.workers.UvicornWorker"\n'), { 'gunicorn.conf.py': 'worker_class = "sync"\n' }],
    ['unknown class in the config', withConfig("worker_class = 'gthreads'  # typo\nthreads = 4\n"), { 'gunicorn.conf.py': 'worker_class = "sync"  # typo\nthreads = 4\n' }],
    [
      'exec-form -k',
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "-k", "uvicorn.workers.UvicornWorker", "main:app"]\n', 'main.py': FLASK_MAIN },
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "-k", "sync", "main:app"]\n' },
    ],
    [
      'eventlet removed in the pinned Gunicorn',
      { Dockerfile: 'FROM python:3.12-slim\nCMD gunicorn --worker-class=eventlet main:app\n', 'main.py': FLASK_MAIN, 'requirements.txt': 'flask==3.1.0\ngunicorn==26.0.0\n' },
      { Dockerfile: 'FROM python:3.12-slim\nCMD gunicorn --worker-class=sync main:app\n' },
    ],
  ])('fixes %s', (_name, files, expected) => {
    expectRoundTrip(RULE, files, expected);
  });

  test('fix is unsafe', () => {
    expect(findingsOf(RULE, withConfig('worker_class = "nope"\n'))[0]?.fix?.safety).toBe('unsafe');
  });

  test.each<[string, Record<string, string>]>([
    ['flag in a compose command', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: gunicorn -k nope main:app\n', 'main.py': FLASK_MAIN }],
    ['flag value from a variable', { Dockerfile: 'FROM python:3.12-slim\nENV WORKER=nope\nCMD gunicorn -k $WORKER main:app\n', 'main.py': FLASK_MAIN }],
  ])('no fix for %s', (_name, files) => {
    expectNoFix(RULE, files);
  });
});

import * as fs from 'node:fs';
import { compilePython, fixGunicorn, PYTHON, type RoundTrip } from './gunicorn-round-trip';

/** A dev-grade system: a misspelt setting, a hook, `--reload`, and most settings missing. */
const DEV_SYSTEM = {
  Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "--reload", "-c", "gunicorn.conf.py", "main:app"]\n',
  'docker-compose.yml': 'services:\n  web:\n    build: .\n    stop_grace_period: 5s\n',
  'gunicorn.conf.py': 'timout = 0\n\n\ndef post_fork(server, worker):\n    server.log.info("forked")\n',
  'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
};

const SETTINGS = ['bind', 'workers', 'timeout', 'graceful_timeout', 'max_requests', 'max_requests_jitter', 'worker_tmp_dir', 'accesslog'];

describe('Gunicorn fixes together', () => {
  let result: RoundTrip;
  let config = '';

  beforeAll(() => {
    result = fixGunicorn(DEV_SYSTEM);
    config = result.files['gunicorn.conf.py'];
  });

  test('no finding left', () => {
    expect(result.remaining).toEqual([]);
  });

  test('second run changes nothing', () => {
    expect(result.second.changes).toEqual([]);
  });

  test.each(SETTINGS)('sets %s once', (name) => {
    expect(config.match(new RegExp(`^${name} = `, 'gm'))).toHaveLength(1);
  });

  test('settings before the hook', () => {
    expect(config.indexOf('workers = ')).toBeLessThan(config.indexOf('def post_fork'));
    expect(config).toContain('\n\n\ndef post_fork(server, worker):\n    server.log.info("forked")\n');
  });

  test('--reload removed', () => {
    expect(result.files.Dockerfile).toBe('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]\n');
  });

  const compiles = fs.existsSync(PYTHON) ? test : test.skip;
  compiles(`py_compile accepts the fixed config${fs.existsSync(PYTHON) ? '' : ` (skipped: ${PYTHON} is missing)`}`, () => {
    const compiled = compilePython(config);

    expect(compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);
  });
});

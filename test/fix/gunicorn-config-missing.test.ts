import * as fs from 'node:fs';
import { dedent } from '../helpers';
import { compilePython, expectNoFix, findingsOf, fixGunicorn, PYTHON } from './gunicorn-round-trip';

const RULE = 'gunicorn-config-missing';

const FLASK_MAIN = 'from flask import Flask\n\napp = Flask(__name__)\n';
const PROMETHEUS_MAIN = 'from flask import Flask\nfrom prometheus_client import Counter\n\napp = Flask(__name__)\nREQUESTS = Counter("requests", "Requests served")\n';

/** Returns an image that copies the system to /app and starts Gunicorn there without `-c`, with extra lines before CMD. */
function dockerfile(...lines: string[]): string {
  return ['FROM python:3.12-slim', 'WORKDIR /app', 'COPY . .', ...lines, 'CMD ["gunicorn", "main:app"]', ''].join('\n');
}

const CONFIG_FOR_8080 = dedent(`
  """Gunicorn settings for a container. Environment variables override the defaults."""

  import multiprocessing
  import os

  bind = f"0.0.0.0:{os.environ.get('PORT', '8080')}"
  # The fallback is capped because cpu_count() counts the host's CPUs, not the container's.
  workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))
  worker_class = "sync"

  # Restart each worker after 1000 to 1100 requests, at different times, to bound memory leaks.
  max_requests = 1000
  max_requests_jitter = 100

  timeout = 30
  # Shorter than the 10 s stop grace period (Docker's default stop timeout), so workers finish first.
  graceful_timeout = 8
  # Sync workers ignore this because they close each connection after the response.
  keepalive = 5

  # Heartbeat files in memory: on the container's overlay filesystem they can stall workers.
  worker_tmp_dir = "/dev/shm"  # noqa: S108  # nosec B108

  accesslog = "-"
  errorlog = "-"
`);

const CHILD_EXIT_HOOK = dedent(`
  def child_exit(server, worker):
      """Remove the live gauge files of a worker that exited (prometheus_client multiprocess mode)."""
      # mark_process_dead reads PROMETHEUS_MULTIPROC_DIR and raises when it is unset.
      if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
          prometheus_client.multiprocess.mark_process_dead(worker.pid)
`);

const EXPOSE_8080 = { Dockerfile: dockerfile('EXPOSE 8080'), 'main.py': FLASK_MAIN };
const WITH_PROMETHEUS = { Dockerfile: dockerfile(), 'main.py': PROMETHEUS_MAIN };
const WITH_COMPOSE_GRACE = {
  Dockerfile: dockerfile(),
  'main.py': FLASK_MAIN,
  'docker-compose.yml': 'services:\n  web:\n    build: .\n    stop_grace_period: 20s\n',
};

/** Returns the config file the fix creates for a system. */
function createdConfig(files: Record<string, string>, relPath = 'gunicorn.conf.py'): string {
  return fixGunicorn(files, RULE).changed[relPath] ?? '';
}

describe(`${RULE} fix`, () => {
  test('whole config for EXPOSE 8080', () => {
    expect(fixGunicorn(EXPOSE_8080, RULE).changed).toEqual({ 'gunicorn.conf.py': CONFIG_FOR_8080 });
  });

  test('fix is unsafe and creates one file', () => {
    const fix = findingsOf(RULE, EXPOSE_8080)[0]?.fix;

    expect(fix?.safety).toBe('unsafe');
    expect(fix?.edits).toEqual([]);
    expect(fix?.newFiles?.map((file) => file.file)).toEqual(['gunicorn.conf.py']);
  });

  test.each<[string, Record<string, string>]>([
    ['EXPOSE 8080', EXPOSE_8080],
    ['prometheus_client imported', WITH_PROMETHEUS],
    ['compose stop_grace_period 20s', WITH_COMPOSE_GRACE],
  ])('no Gunicorn finding after fixing, %s', (_name, files) => {
    const result = fixGunicorn(files);

    expect(result.remaining).toEqual([]);
    expect(result.second.changes).toEqual([]);
    expect(result.second.applied).toEqual([]);
  });

  test('prometheus hook and import', () => {
    const config = createdConfig(WITH_PROMETHEUS);

    expect(config).toContain('\nimport prometheus_client.multiprocess\n');
    expect(config.endsWith(`\n\n\n${CHILD_EXIT_HOOK}`)).toBe(true);
    expect(config.indexOf('import prometheus_client.multiprocess')).toBeLessThan(config.indexOf('def child_exit'));
  });

  test('prometheus_flask_exporter gets the hook', () => {
    const files = { Dockerfile: dockerfile(), 'main.py': 'from flask import Flask\nfrom prometheus_flask_exporter import PrometheusMetrics\n\napp = Flask(__name__)\nPrometheusMetrics(app)\n' };

    expect(createdConfig(files)).toContain('def child_exit(server, worker):');
  });

  test('no hook without prometheus', () => {
    expect(createdConfig(EXPOSE_8080)).not.toContain('prometheus');
  });

  test.each<[string, Record<string, string>, string]>([
    ['compose stop_grace_period 20s', WITH_COMPOSE_GRACE, 'graceful_timeout = 16\n'],
    ['compose default', { ...WITH_COMPOSE_GRACE, 'docker-compose.yml': 'services:\n  web:\n    build: .\n' }, 'graceful_timeout = 8\n'],
    [
      'Kubernetes default',
      { ...EXPOSE_8080, 'k8s/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n' },
      'graceful_timeout = 25\n',
    ],
    [
      'Kubernetes 60 s',
      {
        ...EXPOSE_8080,
        'k8s/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      terminationGracePeriodSeconds: 60\n      containers:\n        - name: web\n',
      },
      'graceful_timeout = 50\n',
    ],
    ['nothing declared', EXPOSE_8080, 'graceful_timeout = 8\n'],
  ])('graceful_timeout under %s', (_name, files, line) => {
    expect(createdConfig(files)).toContain(line);
  });

  test('grace comment names the compose service', () => {
    expect(createdConfig(WITH_COMPOSE_GRACE)).toContain('# Shorter than the 20 s stop grace period (compose service `web` in `docker-compose.yml`), so workers finish first.\n');
  });

  test.each<[string, Record<string, string>, number]>([
    ['--bind flag first', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nEXPOSE 8080\nCMD ["gunicorn", "--bind", "0.0.0.0:9000", "main:app"]\n' }, 9000],
    ['EXPOSE before HEALTHCHECK', { Dockerfile: dockerfile('EXPOSE 8080', 'HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen(\'http://localhost:7000/health\')"') }, 8080],
    ['HEALTHCHECK URL', { Dockerfile: dockerfile('HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen(\'http://localhost:7000/health\')"') }, 7000],
    ['compose ports', { Dockerfile: dockerfile(), 'docker-compose.yml': 'services:\n  web:\n    build: .\n    ports:\n      - "80:6000"\n' }, 6000],
    ['compose long syntax', { Dockerfile: dockerfile(), 'docker-compose.yml': 'services:\n  web:\n    build: .\n    ports:\n      - target: 6100\n        published: 80\n' }, 6100],
    ['compose ports before app.run', { Dockerfile: dockerfile(), 'docker-compose.yml': 'services:\n  web:\n    build: .\n    ports:\n      - "6000"\n', 'main.py': `${FLASK_MAIN}\nif __name__ == "__main__":\n    app.run(port=5000)\n` }, 6000],
    ['app.run port', { Dockerfile: dockerfile(), 'main.py': `${FLASK_MAIN}\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=5000)\n` }, 5000],
    ['nothing', { Dockerfile: dockerfile(), 'main.py': FLASK_MAIN }, 8000],
  ])('bind port from %s', (_name, files, port) => {
    expect(createdConfig(files)).toContain(`bind = f"0.0.0.0:{os.environ.get('PORT', '${port}')}"\n`);
  });

  test.each<[string, Record<string, string>, string]>([
    ['-c to a missing file', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "config/gunicorn.py", "main:app"]\n' }, 'config/gunicorn.py'],
    ['--config=file: path', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "--config=file:deploy/gunicorn.conf.py", "main:app"]\n' }, 'deploy/gunicorn.conf.py'],
    ['-c absolute path under WORKDIR', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "/app/gunicorn.conf.py", "main:app"]\n' }, 'gunicorn.conf.py'],
    ['-c python: module', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "python:settings.gunicorn", "main:app"]\n' }, 'settings/gunicorn.py'],
    ['source copied from a subfolder', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY src/ .\nCMD ["gunicorn", "main:app"]\n', 'src/main.py': FLASK_MAIN }, 'src/gunicorn.conf.py'],
    ['compose command', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: gunicorn main:app\n' }, 'gunicorn.conf.py'],
  ])('creates the file for %s', (_name, files, relPath) => {
    const result = fixGunicorn(files, RULE);

    expect(Object.keys(result.changed)).toEqual([relPath]);
    expect(result.remaining).toEqual([]);
    expect(result.second.changes).toEqual([]);
  });

  test.each<[string, Record<string, string>]>([
    ['config under another name', { Dockerfile: dockerfile(), 'gunicorn_config.py': 'workers = 2\n', 'main.py': FLASK_MAIN }],
    ['--chdir', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "--chdir", "src", "main:app"]\n' }],
    ['-c outside WORKDIR', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "/etc/gunicorn.py", "main:app"]\n' }],
    ['-c absolute without WORKDIR', { Dockerfile: 'FROM python:3.12-slim\nENV GUNICORN_CMD_ARGS="-c /etc/gunicorn.py"\nCMD ["gunicorn", "main:app"]\n' }],
    ['-c above the system', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "../gunicorn.conf.py", "main:app"]\n' }],
  ])('no fix for %s', (_name, files) => {
    expectNoFix(RULE, files);
  });

  const compiles = fs.existsSync(PYTHON) ? test : test.skip;
  compiles.each<[string, Record<string, string>]>([
    ['the plain config', EXPOSE_8080],
    ['the config with the prometheus hook', WITH_PROMETHEUS],
  ])(`py_compile accepts %s${fs.existsSync(PYTHON) ? '' : ` (skipped: ${PYTHON} is missing)`}`, (_name, files) => {
    const compiled = compilePython(createdConfig(files));

    expect(compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);
  });
});

import { dedent, ruleFindings } from '../helpers';

function positions(rule: string, files: Record<string, string>) {
  return ruleFindings(rule, files).map(({ file, line, column, severity }) => `${file}:${line}:${column}:${severity}`);
}

const CMD = 'FROM python:3.12-slim\nCMD ["gunicorn", "--config", "gunicorn.conf.py", "main:app"]\n';

describe('prometheus-multiprocess-missing', () => {
  const RULE = 'prometheus-multiprocess-missing';
  const EXPORTER = 'from flask import Flask\nfrom prometheus_flask_exporter import PrometheusMetrics\napp = Flask(__name__)\nPrometheusMetrics(app)\n';
  const CLIENT = dedent(`
    from flask import Flask, Response
    from prometheus_client import REGISTRY, generate_latest
    app = Flask(__name__)

    @app.get("/metrics")
    def metrics():
        return Response(generate_latest(REGISTRY))
  `);

  test('single-process exporter with workers', () => {
    expect(positions(RULE, { 'gunicorn.conf.py': 'workers = 4\n', 'main.py': EXPORTER, Dockerfile: CMD })).toEqual(['main.py:4:1:warning']);
  });

  test('plain registry with formula workers', () => {
    const config = 'import multiprocessing\nworkers = multiprocessing.cpu_count() * 2 + 1\n';
    expect(positions(RULE, { 'gunicorn.conf.py': config, 'main.py': CLIENT, Dockerfile: CMD })).toEqual(['main.py:7:21:warning']);
  });

  test('silent with one worker', () => {
    expect(positions(RULE, { 'gunicorn.conf.py': 'workers = 1\n', 'main.py': EXPORTER, Dockerfile: CMD })).toEqual([]);
  });

  test('multiprocess setup incomplete', () => {
    const main = 'from flask import Flask\nfrom prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics\napp = Flask(__name__)\nGunicornInternalPrometheusMetrics(app)\n';
    expect(positions(RULE, { 'gunicorn.conf.py': 'workers = 4\n', 'main.py': main, Dockerfile: CMD })).toEqual([
      'gunicorn.conf.py:1:1:info',
      'gunicorn.conf.py:1:1:warning',
      'main.py:4:1:warning',
    ]);
  });

  test('production fixture style complete', () => {
    const config = dedent(`
      import os
      from prometheus_client import multiprocess
      workers = 4

      def on_starting(server):
          path = os.environ["PROMETHEUS_MULTIPROC_DIR"]
          for entry in os.scandir(path):
              os.remove(entry.path)

      def child_exit(server, worker):
          multiprocess.mark_process_dead(worker.pid)
    `);
    const main = dedent(`
      from flask import Flask, Response
      from prometheus_client import CollectorRegistry, generate_latest, multiprocess
      app = Flask(__name__)

      @app.get("/metrics")
      def metrics():
          registry = CollectorRegistry()
          multiprocess.MultiProcessCollector(registry)
          return Response(generate_latest(registry))
    `);
    const dockerfile = 'FROM python:3.12-slim\nENV PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus\nCMD ["gunicorn", "--config", "gunicorn.conf.py", "main:app"]\n';
    expect(positions(RULE, { 'gunicorn.conf.py': config, 'main.py': main, Dockerfile: dockerfile })).toEqual([]);
  });
});

describe('preload-shared-resources', () => {
  const RULE = 'preload-shared-resources';
  const PRELOAD = { 'gunicorn.conf.py': 'preload_app = True\n', Dockerfile: CMD };

  test.each([
    ['engine', 'from sqlalchemy import create_engine\nengine = create_engine("postgresql://db/app")\n', 'db.py:2:10:error'],
    ['redis', 'import redis\nclient = redis.Redis(host="cache")\n', 'db.py:2:10:error'],
    ['executor', 'from concurrent.futures import ThreadPoolExecutor\npool = ThreadPoolExecutor(4)\n', 'db.py:2:8:error'],
    ['helper at import', 'import psycopg2\ndef connect():\n    return psycopg2.connect("dbname=app")\nconnection = connect()\n', 'db.py:4:14:error'],
  ])('reports %s', (_name, source, position) => {
    expect(positions(RULE, { ...PRELOAD, 'db.py': source })).toEqual([position]);
  });

  test.each([
    ['without preload', { 'gunicorn.conf.py': 'workers = 2\n', Dockerfile: CMD, 'db.py': 'import redis\nclient = redis.Redis()\n' }],
    ['cached function', { ...PRELOAD, 'db.py': 'import functools\nimport redis\n@functools.cache\ndef client():\n    return redis.Redis()\nclient()\n' }],
    ['inside view', { ...PRELOAD, 'db.py': 'import redis\ndef view():\n    return redis.Redis().get("x")\n' }],
  ])('silent %s', (_name, files) => {
    expect(positions(RULE, files as Record<string, string>)).toEqual([]);
  });
});

describe('kubernetes-user-not-numeric', () => {
  const RULE = 'kubernetes-user-not-numeric';
  const NAMED = 'FROM python:3.12-slim\nRUN useradd --uid 10001 app\nUSER app\nCMD ["gunicorn", "main:app"]\n';
  const deployment = (securityContext: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:1\n${securityContext}`;

  test('container runAsNonRoot', () => {
    const manifest = deployment('          securityContext:\n            runAsNonRoot: true\n');
    expect(positions(RULE, { Dockerfile: NAMED, 'k8s.yaml': manifest })).toEqual(['k8s.yaml:12:27:error']);
  });

  test('silent with runAsUser', () => {
    const manifest = deployment('          securityContext:\n            runAsNonRoot: true\n            runAsUser: 10001\n');
    expect(positions(RULE, { Dockerfile: NAMED, 'k8s.yaml': manifest })).toEqual([]);
  });

  test('silent with numeric user', () => {
    const manifest = deployment('          securityContext:\n            runAsNonRoot: true\n');
    expect(positions(RULE, { Dockerfile: NAMED.replace('USER app', 'USER 10001'), 'k8s.yaml': manifest })).toEqual([]);
  });
});

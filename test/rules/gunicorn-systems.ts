import { dedent } from '../helpers';

/** An image that starts Gunicorn with the config file; CMD is on line 4. */
export const DOCKERFILE_WITH_CONFIG = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]\n';

/** An image that starts Gunicorn with no flags; CMD is on line 4 and `gunicorn.conf.py` in /app is still loaded. */
export const DOCKERFILE_PLAIN = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "main:app"]\n';

export const FLASK_MAIN = 'from flask import Flask\n\napp = Flask(__name__)\n';

/**
 * A production config that every Gunicorn rule must accept: imports, helper functions, server
 * hooks, an f-string bind from PORT, a capped CPU formula with a WEB_CONCURRENCY override and a
 * `/dev/shm` line carrying linter suppressions.
 */
export const PRODUCTION_CONFIG = dedent(`
  import multiprocessing
  import os

  bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
  workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))
  worker_class = "gthread"
  threads = 4
  timeout = 30
  graceful_timeout = 8
  max_requests = 1000
  max_requests_jitter = 100
  worker_tmp_dir = "/dev/shm"  # noqa: S108  # nosec B108
  accesslog = "-"
  errorlog = "-"
  _log_level = os.environ.get("LOG_LEVEL", "info")
  loglevel = _log_level


  def _worker_label(worker):
      return f"worker-{worker.pid}"


  def when_ready(server):
      server.log.info("ready")


  def post_fork(server, worker):
      server.log.info("forked %s", _worker_label(worker))


  def child_exit(server, worker):
      from prometheus_client import multiprocess

      multiprocess.mark_process_dead(worker.pid)
`);

/** The production system: the image, the config above and a Flask app. */
export const PRODUCTION_SYSTEM: Record<string, string> = {
  Dockerfile: DOCKERFILE_WITH_CONFIG,
  'gunicorn.conf.py': PRODUCTION_CONFIG,
  'main.py': FLASK_MAIN,
};

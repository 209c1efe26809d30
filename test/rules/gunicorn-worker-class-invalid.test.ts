import { checkFiles, ruleFindings } from '../helpers';
import { FLASK_MAIN, PRODUCTION_SYSTEM } from './gunicorn-systems';

const RULE = 'gunicorn-worker-class-invalid';

type Place = [file: string, line: number, column: number];

const positions = (files: Record<string, string>): Place[] => ruleFindings(RULE, files).map((finding) => [finding.file, finding.line, finding.column]);

const flaskWith = (config: string, extra: Record<string, string> = {}): Record<string, string> => ({ 'gunicorn.conf.py': config, 'main.py': FLASK_MAIN, ...extra });

describe(RULE, () => {
  test.each<[string, Record<string, string>, Place[]]>([
    ['Uvicorn worker', flaskWith('bind = "0.0.0.0:8000"\nworker_class = "uvicorn.workers.UvicornWorker"\n'), [['gunicorn.conf.py', 2, 1]]],
    ['Gunicorn ASGI worker', flaskWith('worker_class = "asgi"\n'), [['gunicorn.conf.py', 1, 1]]],
    ['misspelt class', { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "-k", "gevnt", "main:app"]\n' }, [['Dockerfile', 2, 18]]],
    ['removed gaiohttp', flaskWith('worker_class = "gaiohttp"\n'), [['gunicorn.conf.py', 1, 1]]],
    ['unknown dotted path', flaskWith('worker_class = "workers.custom.MyWorker"\n'), [['gunicorn.conf.py', 1, 1]]],
    ['eventlet on Gunicorn 26', flaskWith('worker_class = "eventlet"\n', { 'requirements.txt': 'flask==3.1.0\ngunicorn==26.0.0\neventlet==0.40.3\n' }), [['gunicorn.conf.py', 1, 1]]],
    ['gevent not installed', flaskWith('worker_class = "gevent"\n', { 'requirements.txt': 'flask==3.1.0\ngunicorn==23.0.0\n' }), [['gunicorn.conf.py', 1, 1]]],
    ['gevent_pywsgi flag', { ...flaskWith(''), Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "-k", "gevent_pywsgi", "main:app"]\n', 'requirements.txt': 'gunicorn==23.0.0\n' }, [['Dockerfile', 2, 18]]],
    ['eventlet only in development', flaskWith('worker_class = "eventlet"\n', { 'requirements.txt': 'gunicorn==23.0.0\n', 'requirements-dev.txt': 'eventlet==0.36.1\n' }), [['gunicorn.conf.py', 1, 1]]],
    ['class from the environment', flaskWith('import os\nworker_class = os.environ.get("WORKER_CLASS", "uvicorn.workers.UvicornWorker")\n'), [['gunicorn.conf.py', 2, 1]]],
  ])('reports %s', (_name, files, expected) => {
    expect(positions(files)).toEqual(expected);
  });

  test('missing package message', () => {
    const files = flaskWith('worker_class = "gevent"\n', { 'requirements.txt': 'flask==3.1.0\ngunicorn==23.0.0\n' });

    expect(checkFiles(files, [RULE]).map((finding) => finding.message)).toEqual([
      'Worker class `gevent` needs the `gevent` package, which no production requirement installs, so Gunicorn fails to start.',
    ]);
  });

  test('reports an error', () => {
    expect(ruleFindings(RULE, flaskWith('worker_class = "asgi"\n'))[0]?.severity).toBe('error');
  });

  test.each<[string, Record<string, string>]>([
    ['production system', PRODUCTION_SYSTEM],
    ['sync', flaskWith('worker_class = "sync"\n')],
    ['gevent', flaskWith('worker_class = "gevent"\n')],
    ['full dotted path', flaskWith('worker_class = "gunicorn.workers.gthread.ThreadWorker"\n')],
    ['egg form', flaskWith('worker_class = "egg:gunicorn#gevent"\n')],
    ['class of the system', flaskWith('worker_class = "workers.custom.MyWorker"\n', { 'workers/custom.py': 'class MyWorker:\n    pass\n' })],
    ['class of a requirement', flaskWith('worker_class = "my_workers.Worker"\n', { 'requirements.txt': 'my-workers==1.0\n' })],
    ['eventlet on Gunicorn 23', flaskWith('worker_class = "eventlet"\n', { 'requirements.txt': 'gunicorn==23.0.0\neventlet==0.36.1\n' })],
    ['gevent declared', flaskWith('worker_class = "gevent"\n', { 'requirements.txt': 'flask==3.1.0\ngunicorn==23.0.0\ngevent==24.2.1\n' })],
    ['gevent through the extra', flaskWith('worker_class = "gevent"\n', { 'requirements.txt': 'flask==3.1.0\ngunicorn[gevent]==23.0.0\n' })],
    ['gevent only in development', flaskWith('worker_class = "sync"\n', { 'requirements.txt': 'gunicorn==23.0.0\n', 'requirements-dev.txt': 'gevent==24.2.1\n' })],
    ['Uvicorn for FastAPI', { 'gunicorn.conf.py': 'worker_class = "uvicorn.workers.UvicornWorker"\n', 'main.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n' }],
    ['default', flaskWith('bind = "0.0.0.0:8000"\n')],
  ])('silent on %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });
});

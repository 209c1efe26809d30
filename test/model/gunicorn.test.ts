import { GUNICORN_SETTINGS } from '../../data/gunicorn-settings';
import { buildModel } from '../../src/model/build';
import { nearestSetting } from '../../src/model/gunicorn';
import type { GunicornModel, PyValue } from '../../src/model/types';
import { positionAt, type Location } from '../../src/source';
import { systemFromMemory } from '../../src/system';
import { checkFiles, dedent } from '../helpers';

function gunicornOf(files: Record<string, string>): GunicornModel {
  return buildModel(systemFromMemory(files)).gunicorn;
}

function valueOf(model: GunicornModel, name: string): PyValue | undefined {
  return model.settings.get(name)?.value;
}

function where(location: Location | null | undefined): string {
  if (!location) return 'none';
  const start = positionAt(location.file, location.start);
  return `${location.file.relPath}:${start.line}:${start.column}`;
}

const literal = (value: string | number | boolean | null): PyValue => ({ kind: 'literal', value });

const CONFIG = dedent(`
  import multiprocessing
  import os

  bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
  workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))
  worker_tmp_dir = "/dev/shm"  # noqa: S108  # nosec B108
  max_request = 1000
  accesslog = "-"


  def _helper():
      return 1


  def post_fork(server, worker):
      server.log.info("worker %s", worker.pid)
`);

describe('invocation', () => {
  test('exec-form CMD', () => {
    const model = gunicornOf({
      Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]\n',
      'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\n',
    });

    expect(model.used).toBe(true);
    expect(model.invocation?.argv).toEqual(['gunicorn', '-c', 'gunicorn.conf.py', 'main:app']);
    expect(model.invocation?.target).toBe('main:app');
    expect(where(model.invocation?.targetLocation)).toBe('Dockerfile:4:44');
    expect(where(model.invocation?.location)).toBe('Dockerfile:4:1');
    expect(model.invocation?.configPath).toBe('gunicorn.conf.py');
    expect(model.invocation?.chdir).toBe('');
    expect(model.configFile?.relPath).toBe('gunicorn.conf.py');
  });

  test('python -m gunicorn with flags', () => {
    const model = gunicornOf({
      Dockerfile: 'FROM python:3.12-slim\nCMD ["python3", "-u", "-m", "gunicorn", "--bind=0.0.0.0:8080", "-w", "4", "--reload", "app:create_app()"]\n',
    });

    expect(model.invocation?.target).toBe('app:create_app()');
    expect(valueOf(model, 'bind')).toEqual({ kind: 'list', items: [literal('0.0.0.0:8080')] });
    expect(valueOf(model, 'workers')).toEqual(literal(4));
    expect(valueOf(model, 'reload')).toEqual(literal(true));
    expect(model.settings.get('workers')?.source).toBe('command-line');
    expect(where(model.settings.get('workers')?.location)).toBe('Dockerfile:2:64');
    expect(model.invocation?.flags.has('reload')).toBe(true);
  });

  test('absolute gunicorn path', () => {
    const model = gunicornOf({ Dockerfile: 'FROM python:3.12\nCMD ["/usr/local/bin/gunicorn", "main:app"]\n' });

    expect(model.invocation?.target).toBe('main:app');
  });

  test('shell form with variables', () => {
    const model = gunicornOf({
      Dockerfile: 'FROM python:3.12\nENV PORT=9000\nCMD gunicorn -b 0.0.0.0:$PORT -w ${WEB_CONCURRENCY:-3} main:app\n',
    });

    expect(model.invocation?.target).toBe('main:app');
    expect(valueOf(model, 'bind')).toEqual({ kind: 'list', items: [literal('0.0.0.0:9000')] });
    expect(valueOf(model, 'workers')).toEqual({ kind: 'env', name: 'WEB_CONCURRENCY', fallback: literal(3) });
    expect(where(model.settings.get('bind')?.location)).toBe('Dockerfile:3:14');
  });

  test('sh -c with exec', () => {
    const model = gunicornOf({
      Dockerfile: 'FROM python:3.12\nCMD ["sh", "-c", "cd /srv && exec gunicorn --timeout 0 wsgi"]\n',
    });

    expect(model.invocation?.argv).toEqual(['gunicorn', '--timeout', '0', 'wsgi']);
    expect(model.invocation?.target).toBe('wsgi');
    expect(valueOf(model, 'timeout')).toEqual(literal(0));
    expect(where(model.settings.get('timeout')?.location)).toBe('Dockerfile:2:44');
    expect(model.invocation?.chdir).toBe('srv');
  });

  test('Gunicorn embedded in a Python file', () => {
    const model = gunicornOf({
      Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nCMD ["python", "serve.py"]\n',
      'serve.py': 'from gunicorn.app.base import BaseApplication\n',
    });

    expect(model.used).toBe(true);
    expect(model.invocation).toBeNull();
  });

  test('script with a heredoc', () => {
    const model = gunicornOf({
      Dockerfile: 'FROM python:3.12\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
      'entrypoint.sh': '#!/bin/sh\ncat > /tmp/x <<EOF\ngunicorn fake:app\nEOF\nexec gunicorn -w 2 real:app\n',
    });

    expect(model.invocation?.target).toBe('real:app');
    expect(valueOf(model, 'workers')).toEqual(literal(2));
  });

  test('short flag clusters', () => {
    const model = gunicornOf({ Dockerfile: 'FROM python:3.12\nCMD ["gunicorn", "-w4", "-Db", "0.0.0.0:80", "-k=gthread", "main:app"]\n' });

    expect(valueOf(model, 'workers')).toEqual(literal(4));
    expect(valueOf(model, 'daemon')).toEqual(literal(true));
    expect(valueOf(model, 'bind')).toEqual({ kind: 'list', items: [literal('0.0.0.0:80')] });
    expect(valueOf(model, 'worker_class')).toEqual(literal('gthread'));
    expect(model.invocation?.target).toBe('main:app');
  });

  test('repeated bind', () => {
    const model = gunicornOf({ Dockerfile: 'FROM python:3.12\nCMD ["gunicorn", "-b", "127.0.0.1:8000", "--bind", "[::]:8000", "main:app"]\n' });

    expect(valueOf(model, 'bind')).toEqual({ kind: 'list', items: [literal('127.0.0.1:8000'), literal('[::]:8000')] });
  });

  test('long flag prefix', () => {
    const model = gunicornOf({ Dockerfile: 'FROM python:3.12\nCMD ["gunicorn", "--graceful", "20", "--max-requests", "500", "main:app"]\n' });

    expect(valueOf(model, 'graceful_timeout')).toEqual(literal(20));
    expect(valueOf(model, 'max_requests')).toEqual(literal(500));
  });

  test('entrypoint script with exec "$@"', () => {
    const model = gunicornOf({
      Dockerfile: dedent(`
        FROM python:3.12
        COPY docker-entrypoint.sh /usr/local/bin/
        ENTRYPOINT ["docker-entrypoint.sh"]
        CMD ["gunicorn", "--workers", "2", "main:app"]
      `),
      'docker-entrypoint.sh': '#!/bin/sh\nset -e\npython manage.py migrate\nexec "$@"\n',
    });

    expect(model.invocation?.argv).toEqual(['gunicorn', '--workers', '2', 'main:app']);
    expect(valueOf(model, 'workers')).toEqual(literal(2));
    expect(where(model.invocation?.location)).toBe('Dockerfile:4:1');
  });

  test('entrypoint script that runs gunicorn', () => {
    const model = gunicornOf({
      Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nCMD ["./start.sh"]\n',
      'start.sh': dedent(`
        #!/bin/bash
        echo "starting gunicorn"  # not a command
        exec gunicorn \\
          --bind 0.0.0.0:8000 \\
          main:app
      `),
    });

    expect(model.invocation?.target).toBe('main:app');
    expect(where(model.invocation?.location)).toBe('start.sh:3:6');
    expect(where(model.settings.get('bind')?.location)).toBe('start.sh:4:3');
  });

  test('GUNICORN_CMD_ARGS', () => {
    const model = gunicornOf({
      Dockerfile: dedent(`
        FROM python:3.12
        ENV GUNICORN_CMD_ARGS="--workers=3 --timeout 60"
        CMD ["gunicorn", "--timeout", "90", "main:app"]
      `),
    });

    expect(valueOf(model, 'workers')).toEqual(literal(3));
    expect(model.settings.get('workers')?.source).toBe('env');
    expect(where(model.settings.get('workers')?.location)).toBe('Dockerfile:2:24');
    expect(valueOf(model, 'timeout')).toEqual(literal(90));
    expect(model.settings.get('timeout')?.source).toBe('command-line');
  });

  test('compose command', () => {
    const model = gunicornOf({
      'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: gunicorn -b 0.0.0.0:8000 main:app\n',
    });

    expect(model.used).toBe(true);
    expect(model.invocation?.target).toBe('main:app');
    expect(where(model.invocation?.location)).toBe('docker-compose.yml:4:5');
  });

  test('not gunicorn', () => {
    const model = gunicornOf({ Dockerfile: 'FROM python:3.12\nCMD ["python", "main.py"]\n', 'main.py': 'print(1)\n' });

    expect(model.used).toBe(false);
    expect(model.invocation).toBeNull();
  });

  test('pip install gunicorn is not a run', () => {
    const model = gunicornOf({ 'start.sh': 'pip install gunicorn\n', Dockerfile: 'FROM python:3.12\nCMD ["sh", "start.sh"]\n' });

    expect(model.invocation).toBeNull();
  });
});

describe('paths', () => {
  test('chdir joins WORKDIR', () => {
    const model = gunicornOf({
      Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY . /app\nCMD ["gunicorn", "--chdir", "src", "main:app"]\n',
      'src/main.py': 'app = None\n',
    });

    expect(model.invocation?.chdir).toBe('src');
  });

  test('COPY of a subfolder', () => {
    const model = gunicornOf({
      Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY service/ .\nCMD ["gunicorn", "main:app"]\n',
      'service/main.py': 'app = None\n',
      'service/gunicorn.conf.py': 'workers = 2\n',
    });

    expect(model.invocation?.chdir).toBe('service');
    expect(model.configFile?.relPath).toBe('service/gunicorn.conf.py');
  });

  test('-c path relative to WORKDIR', () => {
    const model = gunicornOf({
      Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "config/gunicorn.py", "main:app"]\n',
      'config/gunicorn.py': 'workers = 2\n',
    });

    expect(model.configFile?.relPath).toBe('config/gunicorn.py');
    expect(valueOf(model, 'workers')).toEqual(literal(2));
  });

  test('-c path missing', () => {
    const model = gunicornOf({ Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]\n' });

    expect(model.invocation?.configPath).toBe('gunicorn.conf.py');
    expect(model.configFile).toBeNull();
  });

  test('config not copied into the image', () => {
    const model = gunicornOf({
      Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY app/ .\nCMD ["gunicorn", "main:app"]\n',
      'app/main.py': 'app = None\n',
      'gunicorn.conf.py': 'workers = 2\n',
    });

    expect(model.used).toBe(true);
    expect(model.configFile).toBeNull();
  });

  test('config file without command', () => {
    const model = gunicornOf({ 'deploy/gunicorn.conf.py': 'workers = 3\n', 'gunicorn.conf.py': 'workers = 2\n' });

    expect(model.used).toBe(true);
    expect(model.invocation).toBeNull();
    expect(model.configFile?.relPath).toBe('gunicorn.conf.py');
  });
});

describe('config file', () => {
  test('settings and sources', () => {
    const model = gunicornOf({ 'gunicorn.conf.py': CONFIG });

    expect(valueOf(model, 'bind')).toEqual(literal('0.0.0.0:8000'));
    expect(model.settings.get('bind')?.source).toBe('config');
    expect(where(model.settings.get('bind')?.location)).toBe('gunicorn.conf.py:4:1');
    expect(model.settings.get('bind')?.node?.type).toBe('string');
    expect(valueOf(model, 'worker_tmp_dir')).toEqual(literal('/dev/shm'));
    expect(valueOf(model, 'accesslog')).toEqual(literal('-'));
    expect(model.settings.get('post_fork')?.source).toBe('config');
    expect(model.settings.get('timeout')).toEqual({ name: 'timeout', value: literal(30), source: 'default', location: null, node: null });
  });

  test('workers formula with override', () => {
    const workers = valueOf(gunicornOf({ 'gunicorn.conf.py': CONFIG }), 'workers');

    expect(workers).toMatchObject({ kind: 'env', name: 'WEB_CONCURRENCY', fallback: { kind: 'unknown' } });
  });

  test('unknown names', () => {
    const model = gunicornOf({ 'gunicorn.conf.py': CONFIG });

    expect(model.unknownNames.map((entry) => [entry.name, entry.suggestion, where(entry.location)])).toEqual([
      ['max_request', 'max_requests', 'gunicorn.conf.py:7:1'],
    ]);
  });

  test('helpers are not unknown', () => {
    const model = gunicornOf({
      'gunicorn.conf.py': 'PORT = int(os.environ.get("PORT", 8000))\nbind = f"0.0.0.0:{PORT}"\nBIND = "x"\nname = "api"\n',
    });

    expect(valueOf(model, 'bind')).toEqual(literal('0.0.0.0:8000'));
    expect(model.unknownNames.map((entry) => [entry.name, entry.suggestion])).toEqual([
      ['BIND', 'bind'],
      ['name', 'proc_name'],
    ]);
  });

  test('misspelt hook', () => {
    const model = gunicornOf({ 'gunicorn.conf.py': 'def post_forks(server, worker):\n    pass\n\n\ndef setup_logging():\n    pass\n' });

    expect(model.unknownNames.map((entry) => [entry.name, entry.suggestion])).toEqual([['post_forks', 'post_fork']]);
  });

  test('expressions', () => {
    const model = gunicornOf({
      Dockerfile: 'FROM python:3.12\nENV HOST=0.0.0.0\nCOPY . .\nCMD ["gunicorn", "main:app"]\n',
      'gunicorn.conf.py': dedent(`
        import os
        from os import environ as env
        host = env.get("HOST", "127.0.0.1")
        bind = "%s:%d" % (host, 8000)
        timeout = 60 * 2
        graceful_timeout: int = 20
        keepalive = "{}".format(5)
        max_requests, max_requests_jitter = 1000, 50
        threads = workers = 2
        reload = os.getenv("RELOAD", "false").lower() == "true"
        errorlog = os.environ["LOG_FILE"]
        loglevel = "debug" if os.environ.get("DEBUG") else "info"
      `),
    });

    expect(valueOf(model, 'bind')).toEqual(literal('0.0.0.0:8000'));
    expect(valueOf(model, 'timeout')).toEqual(literal(120));
    expect(valueOf(model, 'graceful_timeout')).toEqual(literal(20));
    expect(valueOf(model, 'keepalive')).toEqual(literal(5));
    expect(valueOf(model, 'max_requests')).toEqual(literal(1000));
    expect(valueOf(model, 'max_requests_jitter')).toEqual(literal(50));
    expect(valueOf(model, 'threads')).toEqual(literal(2));
    expect(valueOf(model, 'workers')).toEqual(literal(2));
    expect(valueOf(model, 'reload')?.kind).toBe('unknown');
    expect(valueOf(model, 'errorlog')).toEqual({ kind: 'env', name: 'LOG_FILE', fallback: null });
    expect(valueOf(model, 'loglevel')?.kind).toBe('unknown');
    expect(model.unknownNames).toEqual([]);
  });

  test('name read in its own assignment', () => {
    const model = gunicornOf({ 'gunicorn.conf.py': 'base = 2\nbase = base * 3\nworkers = base + 1\n' });

    expect(valueOf(model, 'workers')).toEqual(literal(7));
  });

  test('long name chain stays fast', () => {
    const lines = ['x0 = 1', ...Array.from({ length: 12 }, (_, i) => `x${i + 1} = x${i} + x${i} + x${i} - x${i} - x${i}`), 'workers = x12'];
    const started = Date.now();
    const model = gunicornOf({ 'gunicorn.conf.py': `${lines.join('\n')}\n` });

    expect(valueOf(model, 'workers')).toEqual(literal(1));
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('conditional assignment', () => {
    const model = gunicornOf({ 'gunicorn.conf.py': 'import os\nif os.environ.get("DEV"):\n    reload = True\nwith open("x") as f:\n    workers = 3\n' });

    expect(valueOf(model, 'reload')?.kind).toBe('unknown');
    expect(valueOf(model, 'workers')).toEqual(literal(3));
  });

  test('precedence', () => {
    const model = gunicornOf({
      Dockerfile: 'FROM python:3.12\nENV GUNICORN_CMD_ARGS="--timeout 40 --workers 5"\nCOPY . .\nCMD ["gunicorn", "-w", "6", "main:app"]\n',
      'gunicorn.conf.py': 'timeout = 10\nworkers = 2\nkeepalive = 4\n',
    });

    expect(model.settings.get('keepalive')?.source).toBe('config');
    expect(model.settings.get('timeout')?.source).toBe('env');
    expect(valueOf(model, 'timeout')).toEqual(literal(40));
    expect(model.settings.get('workers')?.source).toBe('command-line');
    expect(valueOf(model, 'workers')).toEqual(literal(6));
  });

  test.each([
    'bind = "a" +\n',
    'workers = (1 +\n',
    'workers = min(\n',
    'bind = f"{\n',
    'timeout = -\n',
    'reload = os.environ.get(\n',
    'x = {1: }\nworkers = x\n',
    'workers = 1 if else 2\n',
    'def post_fork(:\n',
    'import\nfrom . import\n',
    'a, = \n',
    'workers: = 3\n',
    'bind = "%s:%d" % \n',
    '"{}".format(\n',
    '\u0000\u0001 = 3\n',
  ])('malformed config %j', (text) => {
    expect(() => gunicornOf({ 'gunicorn.conf.py': text, Dockerfile: 'FROM python:3.12\nCOPY . .\nCMD ["gunicorn", "main:app"]\n' })).not.toThrow();
  });

  test('syntax error is a problem', () => {
    const model = gunicornOf({ 'gunicorn.conf.py': 'workers = (\n' });

    expect(model.problems?.length).toBe(1);
    expect(model.problems?.[0].message).toMatch(/syntax error/);
  });

  test('BOM and CRLF', () => {
    const model = gunicornOf({ 'gunicorn.conf.py': '\r\nworkers = 3\r\ntimeout = 20\r\n' });

    expect(valueOf(model, 'workers')).toEqual(literal(3));
    expect(where(model.settings.get('timeout')?.location)).toBe('gunicorn.conf.py:3:1');
  });

  test('empty file', () => {
    const model = gunicornOf({ 'gunicorn.conf.py': '' });

    expect(model.used).toBe(true);
    expect(model.problems).toEqual([]);
    expect(valueOf(model, 'workers')).toEqual({ kind: 'env', name: 'WEB_CONCURRENCY', fallback: literal(1) });
  });
});

describe('defaults', () => {
  test('bind follows PORT', () => {
    const model = gunicornOf({ Dockerfile: 'FROM python:3.12\nENV PORT=5000\nCMD ["gunicorn", "main:app"]\n' });

    expect(valueOf(model, 'bind')).toEqual({ kind: 'list', items: [literal('0.0.0.0:5000')] });
    expect(model.settings.get('bind')?.source).toBe('default');
  });

  test('bind without PORT', () => {
    const model = gunicornOf({ Dockerfile: 'FROM python:3.12\nCMD ["gunicorn", "main:app"]\n' });

    expect(valueOf(model, 'bind')).toEqual({ kind: 'list', items: [literal('127.0.0.1:8000')] });
  });
});

describe('nearestSetting', () => {
  test.each([
    ['max_request', 'max_requests'],
    ['worker', 'workers'],
    ['preload', 'preload_app'],
    ['access_logfile', 'accesslog'],
    ['keep_alive', 'keepalive'],
    ['timout', 'timeout'],
    ['WORKERS', 'workers'],
    ['database_url', null],
    ['port', null],
  ])('%s', (name, expected) => {
    expect(nearestSetting(name)).toBe(expected);
  });
});

describe('settings data', () => {
  test('names unique', () => {
    const names = GUNICORN_SETTINGS.map((setting) => setting.name);

    expect(new Set(names).size).toBe(names.length);
  });

  test('flags unique and dashed', () => {
    const flags = GUNICORN_SETTINGS.flatMap((setting) => setting.flags);

    expect(new Set(flags).size).toBe(flags.length);
    expect(flags.filter((flag) => !/^-[A-Za-z]$|^--[a-z0-9-_]+$/.test(flag))).toEqual([]);
  });

  test('server hooks included', () => {
    const hooks = GUNICORN_SETTINGS.filter((setting) => setting.type === 'hook').map((setting) => setting.name);

    expect(hooks).toEqual(expect.arrayContaining(['on_starting', 'when_ready', 'post_fork', 'child_exit', 'worker_exit']));
  });
});

describe('parse errors', () => {
  test('reported by the engine', () => {
    const findings = checkFiles({ 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nworkers = (\n' }, []);

    expect(findings.map((finding) => [finding.ruleId, finding.file, finding.line])).toEqual([['parse-error', 'gunicorn.conf.py', 2]]);
  });
});

import { allRules } from '../../rules';
import { fixSystem, type FixOutcome } from '../../src/fix/loop';
import { systemFromMemory } from '../../src/system';
import { dedent } from '../helpers';

function fix(files: Record<string, string>, ruleIds: string[], unsafe = true): FixOutcome {
  const rules = allRules.filter((rule) => ruleIds.includes(rule.meta.id));
  return fixSystem(systemFromMemory(files), { rules, unsafe, existsOnDisk: () => false });
}

function fixedText(outcome: FixOutcome, relPath: string): string | undefined {
  return outcome.changes.find((change) => change.relPath === relPath)?.fixed.text;
}

/** Applies the fixes, then checks that the rules are silent and that a second run changes nothing. */
function roundTrip(files: Record<string, string>, ruleIds: string[], unsafe = true): Record<string, string> {
  const first = fix(files, ruleIds, unsafe);
  const result: Record<string, string> = { ...files };
  for (const change of first.changes) result[change.relPath] = change.fixed.text;

  expect(first.remaining.filter((finding) => ruleIds.includes(finding.ruleId))).toEqual([]);
  expect(fix(result, ruleIds, unsafe).changes).toEqual([]);
  return result;
}

describe('python fixes', () => {
  test('debug literal read from environment', () => {
    const files = roundTrip({ 'main.py': 'from flask import Flask\napp = Flask(__name__)\napp.config["DEBUG"] = True\n' }, ['flask-debug-enabled']);
    expect(files['main.py']).toBe('import os\n\nfrom flask import Flask\napp = Flask(__name__)\napp.config["DEBUG"] = os.environ.get("FLASK_DEBUG", "0") == "1"\n');
  });

  test('debug fallback keeps variable', () => {
    const source = 'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.run(debug=os.getenv("APP_DEBUG", "1"))\n';
    const files = roundTrip({ 'main.py': source }, ['flask-debug-enabled']);
    expect(files['main.py']).toContain('app.run(debug=os.environ.get("APP_DEBUG", "0") == "1")');
  });

  test('dev server moved under guard', () => {
    const source = 'from flask import Flask\napp = Flask(__name__)\napp.run(\n    host="0.0.0.0",\n    port=8080,\n)\n';
    const files = roundTrip({ 'main.py': source }, ['flask-dev-server']);
    expect(files['main.py']).toBe('from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    app.run(\n        host="0.0.0.0",\n        port=8080,\n    )\n');
  });

  test('dev server fix is unsafe only', () => {
    const outcome = fix({ 'main.py': 'from flask import Flask\napp = Flask(__name__)\napp.run()\n' }, ['flask-dev-server'], false);
    expect(outcome.changes).toEqual([]);
  });

  test('health routes created once and extended', () => {
    const files = roundTrip(
      { 'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n' },
      ['flask-health-route-missing', 'flask-ready-route-missing', 'flask-metrics-route-missing', 'flask-error-handler-missing'],
    );
    expect(files['main.py']).toBe('from flask import Flask\n\nfrom operations import operations\n\napp = Flask(__name__)\napp.register_blueprint(operations)\n');
    expect(files['operations.py']).toMatch(/^@operations\.get\("\/health"\)$/m);
    expect(files['operations.py']).toMatch(/^@operations\.get\("\/ready"\)$/m);
    expect(files['operations.py']).toMatch(/^@operations\.get\("\/metrics"\)$/m);
    expect(files['operations.py']).toMatch(/^@operations\.app_errorhandler\(HTTPException\)$/m);
    expect(files['operations.py'].match(/^operations = Blueprint/gm)).toHaveLength(1);
  });

  test('factory registration before return', () => {
    const source = dedent(`
      from flask import Flask


      def create_app():
          app = Flask(__name__)
          return app
    `);
    const files = roundTrip({ 'app/__init__.py': source }, ['flask-health-route-missing']);
    expect(files['app/__init__.py']).toContain('    app.register_blueprint(operations)\n    return app\n');
    expect(files['app/__init__.py']).toContain('from .operations import operations\n');
    expect(files['app/operations.py']).toBeDefined();
  });

  test('ready route checks async store through bridge', () => {
    const files = roundTrip(
      {
        'main.py': 'from flask import Flask\nfrom store import Store\n\napp = Flask(__name__)\nstore = Store()\n',
        'store.py': 'class Store:\n    async def health(self):\n        return True\n',
      },
      ['flask-ready-route-missing'],
    );
    expect(files['operations.py']).toContain('from main import store');
    expect(files['operations.py']).toContain('run_sync(store.health(), timeout=2.0)');
    expect(files['async_bridge.py']).toContain('def run_sync(coroutine, timeout=None):');
  });

  test('secret literal read from environment', () => {
    const files = roundTrip({ 'main.py': 'SECRET_KEY = "hunter2"\n' }, ['python-secret-literal']);
    expect(files['main.py']).toBe('import os\nSECRET_KEY = os.environ["SECRET_KEY"]\n');
  });

  test('secret fallback removed', () => {
    const files = roundTrip({ 'main.py': 'import os\nKEY = os.environ.get("SECRET_KEY", "dev")\n' }, ['python-secret-literal']);
    expect(files['main.py']).toBe('import os\nKEY = os.environ["SECRET_KEY"]\n');
  });

  test('cors origins from environment', () => {
    const files = roundTrip({ 'main.py': 'from flask import Flask\nfrom flask_cors import CORS\napp = Flask(__name__)\nCORS(app)\n' }, ['flask-cors-all-origins']);
    expect(files['main.py']).toContain('CORS(app, origins=[origin for origin in os.environ.get("CORS_ORIGINS", "").split(",") if origin])');
  });

  test('proxyfix added and replacement repaired', () => {
    const added = roundTrip({ 'main.py': 'from flask import Flask\napp = Flask(__name__)\n' }, ['flask-proxyfix-missing']);
    expect(added['main.py']).toBe(
      'from flask import Flask\nfrom werkzeug.middleware.proxy_fix import ProxyFix\napp = Flask(__name__)\napp.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)\n',
    );
    const repaired = roundTrip(
      { 'main.py': 'from flask import Flask\nfrom werkzeug.middleware.proxy_fix import ProxyFix\napp = Flask(__name__)\napp = ProxyFix(app, x_for=1)\n' },
      ['flask-proxyfix-replaces-app'],
    );
    expect(repaired['main.py']).toContain('app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)\n');
  });

  test('logging and size limit', () => {
    const files = roundTrip({ 'main.py': 'from flask import Flask\napp = Flask(__name__)\n' }, ['flask-logging-unconfigured', 'flask-max-content-length-missing']);
    expect(files['main.py']).toContain('logging.basicConfig(');
    expect(files['main.py']).toContain('app.config["MAX_CONTENT_LENGTH"] = int(os.environ.get("MAX_CONTENT_LENGTH", 16 * 1024 * 1024))');
  });

  test('async call wrapped in bridge', () => {
    const files = roundTrip(
      {
        'store.py': 'class Store:\n    async def query(self):\n        return []\n',
        'main.py': 'from store import Store\nstore = Store()\n\ndef view():\n    return store.query()\n',
      },
      ['async-call-without-bridge'],
    );
    expect(files['main.py']).toBe('from async_bridge import run_sync\nfrom store import Store\nstore = Store()\n\ndef view():\n    return run_sync(store.query())\n');
  });

  test('bridge timeout added', () => {
    const files = roundTrip({ 'b.py': 'import asyncio\ndef run(coro, loop):\n    return asyncio.run_coroutine_threadsafe(coro, loop).result()\n' }, ['async-bridge-without-timeout']);
    expect(files['b.py']).toContain('.result(timeout=10)');
  });

  test('global counter locked', () => {
    const files = roundTrip({ 'main.py': 'hits = 0\n\ndef view():\n    global hits\n    hits += 1\n' }, ['python-global-mutation-unlocked']);
    expect(files['main.py']).toBe('import threading\nhits = 0\n_hits_lock = threading.Lock()\n\ndef view():\n    global hits\n    with _hits_lock:\n        hits += 1\n');
  });

  test('CRLF kept in fixed file', () => {
    const files = roundTrip({ 'main.py': 'from flask import Flask\r\napp = Flask(__name__)\r\napp.debug = True\r\n' }, ['flask-debug-enabled']);
    expect(files['main.py']).toBe('import os\r\n\r\nfrom flask import Flask\r\napp = Flask(__name__)\r\napp.debug = os.environ.get("FLASK_DEBUG", "0") == "1"\r\n');
  });
});

describe('debug in the image', () => {
  test('Dockerfile FLASK_DEBUG turned off', () => {
    const dockerfile = 'FROM python:3.12-slim\nENV FLASK_DEBUG=1 PYTHONUNBUFFERED=1\nCMD ["gunicorn", "main:app"]\n';
    const outcome = fixSystem(systemFromMemory({ Dockerfile: dockerfile }), {
      rules: allRules.filter((rule) => rule.meta.id === 'flask-debug-enabled'),
      unsafe: false,
      existsOnDisk: () => false,
    });
    expect(fixedText(outcome, 'Dockerfile')).toBe('FROM python:3.12-slim\nENV FLASK_DEBUG=0 PYTHONUNBUFFERED=1\nCMD ["gunicorn", "main:app"]\n');
    expect(outcome.remaining.filter((finding) => finding.ruleId === 'flask-debug-enabled')).toEqual([]);
  });
});

describe('debug in compose', () => {
  test.each([
    ['mapping', 'services:\n  web:\n    environment:\n      FLASK_DEBUG: "1"\n', 'services:\n  web:\n    environment:\n      FLASK_DEBUG: "0"\n'],
    ['list', 'services:\n  web:\n    environment:\n      - FLASK_DEBUG=true\n', 'services:\n  web:\n    environment:\n      - FLASK_DEBUG=0\n'],
  ])('%s turned off', (_name, compose, expected) => {
    const outcome = fixSystem(systemFromMemory({ 'docker-compose.yml': compose }), {
      rules: allRules.filter((rule) => rule.meta.id === 'flask-debug-enabled'),
      unsafe: false,
      existsOnDisk: () => false,
    });
    expect(fixedText(outcome, 'docker-compose.yml')).toBe(expected);
    expect(outcome.remaining.filter((finding) => finding.ruleId === 'flask-debug-enabled')).toEqual([]);
  });
});

describe('application factory', () => {
  const RULE = ['flask-app-factory-missing'];

  test('module-level app moved into factory', () => {
    const source = dedent(`
      from flask import Flask, jsonify

      from store import Store

      app = Flask(__name__)
      app.config["X"] = 1

      store = Store()


      @app.get("/items")
      def items():
          """Lists the items."""
          return jsonify(store.all())


      if __name__ == "__main__":
          app.run()
    `);
    const files = roundTrip({ 'main.py': source, 'store.py': 'class Store:\n    def all(self):\n        return []\n' }, RULE);
    expect(files['main.py']).toBe(
      dedent(`
        from flask import Flask, jsonify

        from store import Store

        def create_app():
            """Creates and configures the application."""
            app = Flask(__name__)
            app.config["X"] = 1

            @app.get("/items")
            def items():
                """Lists the items."""
                return jsonify(store.all())
            return app

        store = Store()


        app = create_app()


        if __name__ == "__main__":
            app.run()
      `),
    );
  });

  test('no fix when a view is imported elsewhere', () => {
    const outcome = fix(
      {
        'main.py': 'from flask import Flask\napp = Flask(__name__)\n@app.get("/")\ndef index():\n    return "x"\n',
        'other.py': 'from main import index\n',
      },
      RULE,
    );
    expect(outcome.changes).toEqual([]);
  });

  test('no fix with multi-line string', () => {
    const outcome = fix({ 'main.py': 'from flask import Flask\napp = Flask(__name__)\napp.config["SQL"] = """\nselect 1\n"""\n' }, RULE);
    expect(outcome.changes).toEqual([]);
  });
});

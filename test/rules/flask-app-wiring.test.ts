import { dedent, ruleFindings } from '../helpers';

function positions(rule: string, files: Record<string, string>) {
  return ruleFindings(rule, files).map(({ file, line, column }) => `${file}:${line}:${column}`);
}

const BARE_APP = 'from flask import Flask\n\napp = Flask(__name__)\n';

describe('flask-app-factory-missing', () => {
  const RULE = 'flask-app-factory-missing';

  test('module-level app', () => {
    expect(positions(RULE, { 'main.py': BARE_APP })).toEqual(['main.py:3:7']);
  });

  test('factory without wsgi object', () => {
    const source = 'from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n';
    expect(positions(RULE, { 'main.py': source })).toEqual(['main.py:3:5']);
  });

  test('silent with module-level object elsewhere', () => {
    const files = {
      'app/__init__.py': 'from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n',
      'wsgi.py': 'from app import create_app\napplication = create_app()\n',
    };
    expect(positions(RULE, files)).toEqual([]);
  });

  test('silent with factory target', () => {
    const files = {
      'main.py': 'from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n',
      'gunicorn.conf.py': 'wsgi_app = "main:create_app()"\n',
      Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "main:create_app()"]\n',
    };
    const found = positions(RULE, files);
    // The Gunicorn model reads the target from the Dockerfile; without it the factory is still reachable from the config.
    expect(found.length).toBeLessThanOrEqual(1);
  });
});

describe('flask-proxyfix rules', () => {
  test('missing reported at app', () => {
    expect(positions('flask-proxyfix-missing', { 'main.py': BARE_APP })).toEqual(['main.py:3:7']);
  });

  test('contrib import counts', () => {
    const source = 'from flask import Flask\nfrom werkzeug.contrib.fixers import ProxyFix\napp = Flask(__name__)\napp.wsgi_app = ProxyFix(app.wsgi_app)\n';
    expect(positions('flask-proxyfix-missing', { 'main.py': source })).toEqual([]);
  });

  test('too many hops keyword and positional', () => {
    const source = dedent(`
      from flask import Flask
      from werkzeug.middleware.proxy_fix import ProxyFix
      app = Flask(__name__)
      app.wsgi_app = ProxyFix(app.wsgi_app, x_for=2, x_proto=1)
      other = ProxyFix(app.wsgi_app, 1, 3)
    `);
    expect(positions('flask-proxyfix-trusts-too-many', { 'main.py': source })).toEqual(['main.py:4:39', 'main.py:5:35']);
  });

  test('replacing app is an error', () => {
    const source = 'from flask import Flask\nfrom werkzeug.middleware.proxy_fix import ProxyFix\napp = Flask(__name__)\napp = ProxyFix(app)\n';
    expect(ruleFindings('flask-proxyfix-replaces-app', { 'main.py': source })).toEqual([
      { ruleId: 'flask-proxyfix-replaces-app', file: 'main.py', line: 4, column: 1, severity: 'error' },
    ]);
  });

  test('separate wsgi name is fine', () => {
    const source = 'from flask import Flask\nfrom werkzeug.middleware.proxy_fix import ProxyFix\napp = Flask(__name__)\napplication = ProxyFix(app.wsgi_app)\n';
    expect(positions('flask-proxyfix-replaces-app', { 'main.py': source })).toEqual([]);
  });
});

describe('flask-error-handler-missing', () => {
  const RULE = 'flask-error-handler-missing';

  test('none registered', () => {
    expect(positions(RULE, { 'main.py': BARE_APP })).toEqual(['main.py:3:7']);
  });

  test('only unrelated codes', () => {
    const source = 'from flask import Flask\napp = Flask(__name__)\n@app.errorhandler(413)\ndef too_large(e):\n    return "", 413\n';
    expect(positions(RULE, { 'main.py': source })).toEqual(['main.py:2:7']);
  });

  test.each([
    ['decorator 404', '@app.errorhandler(404)\ndef nf(e):\n    return "", 404\n'],
    ['register HTTPException', 'from werkzeug.exceptions import HTTPException\ndef h(e):\n    return "", 500\napp.register_error_handler(HTTPException, h)\n'],
    ['blueprint app handler', 'from flask import Blueprint\nbp = Blueprint("e", __name__)\n@bp.app_errorhandler(500)\ndef h(e):\n    return "", 500\napp.register_blueprint(bp)\n'],
  ])('silent for %s', (_name, extra) => {
    expect(positions(RULE, { 'main.py': `from flask import Flask\napp = Flask(__name__)\n${extra}` })).toEqual([]);
  });
});

describe('flask-logging-unconfigured', () => {
  const RULE = 'flask-logging-unconfigured';

  test('nothing configured', () => {
    expect(positions(RULE, { 'main.py': BARE_APP })).toEqual(['main.py:3:7']);
  });

  test.each([
    ['dictConfig', 'from logging.config import dictConfig\ndictConfig({"version": 1})\n'],
    ['basicConfig', 'import logging\nlogging.basicConfig()\n'],
    ['gunicorn handlers', 'import logging\napp.logger.handlers = logging.getLogger("gunicorn.error").handlers\n'],
    ['addHandler', 'import logging\napp.logger.addHandler(logging.StreamHandler())\n'],
  ])('silent with %s', (_name, extra) => {
    expect(positions(RULE, { 'main.py': `${BARE_APP}${extra}` })).toEqual([]);
  });

  test('silent with gunicorn logconfig_dict', () => {
    const files = {
      'main.py': BARE_APP,
      'gunicorn.conf.py': 'logconfig_dict = {"version": 1}\n',
      Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]\n',
    };
    expect(positions(RULE, files)).toEqual([]);
  });
});

describe('flask-max-content-length-missing', () => {
  const RULE = 'flask-max-content-length-missing';

  test('missing', () => {
    expect(positions(RULE, { 'main.py': BARE_APP })).toEqual(['main.py:3:7']);
  });

  test('explicit None', () => {
    expect(positions(RULE, { 'main.py': `${BARE_APP}app.config["MAX_CONTENT_LENGTH"] = None\n` })).toEqual(['main.py:4:1']);
  });

  test.each([
    ['config item', 'app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024\n'],
    ['update', 'app.config.update(MAX_CONTENT_LENGTH=1024)\n'],
    ['config class', 'class Config:\n    MAX_CONTENT_LENGTH = 1024\napp.config.from_object(Config)\n'],
  ])('silent with %s', (_name, extra) => {
    expect(positions(RULE, { 'main.py': `${BARE_APP}${extra}` })).toEqual([]);
  });
});

describe('cors rules', () => {
  const ANY = 'flask-cors-all-origins';
  const CREDENTIALS = 'flask-cors-credentials-any-origin';
  const HEADER = 'from flask import Flask\nfrom flask_cors import CORS\napp = Flask(__name__)\n';

  test.each([
    ['bare', 'CORS(app)\n', [ANY]],
    ['star', 'CORS(app, origins="*")\n', [ANY]],
    ['credentials bare', 'CORS(app, supports_credentials=True)\n', [CREDENTIALS]],
    ['credentials star list', 'CORS(app, origins=["https://a.example", "*"], supports_credentials=True)\n', [CREDENTIALS]],
    ['credentials resources', 'CORS(app, resources={r"/api/*": {"origins": "*"}}, supports_credentials=True)\n', [CREDENTIALS]],
    ['explicit origins', 'CORS(app, origins=["https://a.example"])\n', []],
    ['env origins credentials', 'import os\nCORS(app, origins=os.environ["ORIGINS"].split(","), supports_credentials=True)\n', []],
    ['init_app bare', 'cors = CORS()\ncors.init_app(app)\n', [ANY]],
  ])('%s', (_name, extra, expected) => {
    const files = { 'main.py': `${HEADER}${extra}` };
    const found = [...ruleFindings(ANY, files), ...ruleFindings(CREDENTIALS, files)].map((finding) => finding.ruleId);
    expect(found).toEqual(expected);
  });
});

import { dedent, ruleFindings } from '../helpers';

const RULE = 'flask-debug-enabled';

function findings(main: string, extra: Record<string, string> = {}) {
  return ruleFindings(RULE, { 'main.py': dedent(main), ...extra }).map(({ file, line, column, severity }) => ({ file, line, column, severity }));
}

describe(RULE, () => {
  test.each([
    ['run keyword', 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n', 3, 9],
    ['run third positional', 'from flask import Flask\napp = Flask(__name__)\napp.run("0.0.0.0", 8080, True)\n', 3, 26],
    ['use_evalex', 'from flask import Flask\napp = Flask(__name__)\napp.run(use_evalex=True)\n', 3, 9],
    ['attribute', 'from flask import Flask\napp = Flask(__name__)\napp.debug = True\n', 3, 1],
    ['config item', 'from flask import Flask\napp = Flask(__name__)\napp.config["DEBUG"] = 1\n', 3, 1],
    ['config update', 'from flask import Flask\napp = Flask(__name__)\napp.config.update(DEBUG=True)\n', 3, 19],
    ['config update dict', 'from flask import Flask\napp = Flask(__name__)\napp.config.update({"DEBUG": True})\n', 3, 20],
    ['env fallback bool', 'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.run(debug=os.environ.get("DEBUG", True))\n', 4, 9],
    ['getenv fallback string', 'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.config["DEBUG"] = os.getenv("X", "1")\n', 4, 1],
    ['non-empty string fallback', 'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.run(debug=os.getenv("DEBUG", "false"))\n', 4, 9],
    [
      'mode variable',
      'import os\nfrom flask import Flask\nMODE = os.environ.get("APP_MODE", "development")\napp = Flask(__name__)\napp.run(debug=MODE == "development")\n',
      5,
      9,
    ],
    [
      'factory config',
      'from flask import Flask\ndef create_app():\n    app = Flask(__name__)\n    app.config["DEBUG"] = True\n    return app\n',
      4,
      5,
    ],
    [
      'config class',
      'from flask import Flask\nclass Config:\n    DEBUG = True\napp = Flask(__name__)\napp.config.from_object(Config)\n',
      3,
      5,
    ],
  ])('reports %s', (_name, source, line, column) => {
    const result = findings(source);
    expect(result).toHaveLength(1);
    expect(result[0].line).toBe(line);
    expect(result[0].column).toBe(column);
  });

  test.each([
    ['false literal', 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=False)\n'],
    ['env compared', 'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.config["DEBUG"] = os.environ.get("FLASK_DEBUG", "0") == "1"\n'],
    ['env without fallback', 'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.debug = os.environ.get("DEBUG")\n'],
    ['empty string fallback', 'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.run(debug=os.getenv("DEBUG", ""))\n'],
    ['production mode default', 'import os\nfrom flask import Flask\nMODE = os.getenv("MODE", "production")\napp = Flask(__name__)\napp.run(debug=MODE == "development")\n'],
    ['not an app', 'class Thing:\n    debug = True\nthing = Thing()\nthing.debug = True\nthing.run(debug=True)\n'],
    ['test module', 'x = 1\n'],
  ])('silent for %s', (_name, source) => {
    expect(findings(source, { 'tests/test_app.py': 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n' })).toEqual([]);
  });

  test('guarded run is a warning', () => {
    const result = findings('from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    app.run(debug=True)\n');
    expect(result).toEqual([{ file: 'main.py', line: 4, column: 13, severity: 'warning' }]);
  });
});

describe('FLASK_ENV and the Flask version', () => {
  const DOCKERFILE = 'FROM python:3.12-slim\nENV FLASK_ENV=development\nCMD ["gunicorn", "main:app"]\n';

  test('old Flask reads FLASK_ENV', () => {
    const files = { Dockerfile: DOCKERFILE, 'requirements.txt': 'flask==2.2.5\n' };
    expect(ruleFindings(RULE, files).map(({ line }) => line)).toEqual([2]);
    expect(ruleFindings('flask-env-deprecated', files)).toEqual([]);
  });

  test('current Flask ignores FLASK_ENV', () => {
    const files = { Dockerfile: DOCKERFILE, 'requirements.txt': 'flask==3.1.1\n' };
    expect(ruleFindings(RULE, files)).toEqual([]);
    expect(ruleFindings('flask-env-deprecated', files).map(({ line, severity }) => `${line}:${severity}`)).toEqual(['2:info']);
  });
});

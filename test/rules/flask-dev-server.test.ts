import { dedent, ruleFindings } from '../helpers';

const RULE = 'flask-dev-server';
const GUNICORN = 'FROM python:3.12-slim\nCMD ["gunicorn", "main:app"]\n';
const PYTHON_MAIN = 'FROM python:3.12-slim\nCMD ["python", "main.py"]\n';

function positions(files: Record<string, string>) {
  return ruleFindings(RULE, files).map(({ file, line, column }) => `${file}:${line}:${column}`);
}

describe(RULE, () => {
  test('module-level run', () => {
    expect(positions({ 'main.py': 'from flask import Flask\napp = Flask(__name__)\napp.run(host="0.0.0.0")\n' })).toEqual(['main.py:3:1']);
  });

  test('run_simple at module level', () => {
    const source = 'from werkzeug.serving import run_simple\nfrom flask import Flask\napp = Flask(__name__)\nrun_simple("0.0.0.0", 8000, app)\n';
    expect(positions({ 'main.py': source })).toEqual(['main.py:4:1']);
  });

  test('run inside factory', () => {
    const source = dedent(`
      from flask import Flask

      def create_app():
          app = Flask(__name__)
          app.run()
          return app
    `);
    expect(positions({ 'main.py': source })).toEqual(['main.py:5:5']);
  });

  test('guarded run started by container', () => {
    const source = 'from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    app.run(port=8080)\n';
    expect(positions({ 'main.py': source, Dockerfile: PYTHON_MAIN })).toEqual(['main.py:4:5']);
  });

  test('main function started by container', () => {
    const source = dedent(`
      from flask import Flask
      app = Flask(__name__)

      def main():
          app.run(port=8080)

      if __name__ == "__main__":
          main()
    `);
    expect(positions({ 'src/main.py': source, Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCMD python src/main.py\n' })).toEqual(['src/main.py:5:5']);
  });

  test('python -m started by container', () => {
    const source = 'from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    app.run()\n';
    expect(positions({ 'service/server.py': source, Dockerfile: 'FROM python:3.12-slim\nCMD ["python3", "-m", "service.server"]\n' })).toEqual([
      'service/server.py:4:5',
    ]);
  });

  test('silent for guarded run under gunicorn', () => {
    const source = 'from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    app.run(port=8080)\n';
    expect(positions({ 'main.py': source, Dockerfile: GUNICORN })).toEqual([]);
  });

  test('silent for guarded run without Dockerfile', () => {
    expect(positions({ 'main.py': 'from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    app.run()\n' })).toEqual([]);
  });

  test('silent when container starts another module', () => {
    const source = 'from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    app.run()\n';
    expect(positions({ 'main.py': source, 'worker.py': 'print(1)\n', Dockerfile: 'FROM python:3.12-slim\nCMD ["python", "worker.py"]\n' })).toEqual([]);
  });

  test('silent for run on other objects', () => {
    expect(positions({ 'main.py': 'import subprocess\nsubprocess.run(["ls"])\nclass Job:\n    def run(self):\n        pass\nJob().run()\n' })).toEqual([]);
  });

  test('silent in test modules', () => {
    expect(positions({ 'tests/test_app.py': 'from flask import Flask\napp = Flask(__name__)\napp.run()\n' })).toEqual([]);
  });
});

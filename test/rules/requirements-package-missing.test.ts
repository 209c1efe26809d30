import { createSourceFile } from '../../src/source';
import { checkFiles, dedent, ruleFindings, ruleFindingsWithSources } from '../helpers';

const RULE = 'requirements-package-missing';

const FLASK_APP = 'from flask import Flask\n\napp = Flask(__name__)\n';
const GUNICORN_DOCKERFILE = 'FROM python:3.12-slim\nWORKDIR /app\nCMD ["gunicorn", "--bind", "0.0.0.0:8000", "main:app"]\n';

function messages(files: Record<string, string>): string[] {
  return checkFiles(files, [RULE]).filter((finding) => finding.ruleId === RULE).map((finding) => finding.message);
}

describe(RULE, () => {
  test.each([
    ['flask import', { 'main.py': FLASK_APP, 'requirements.txt': 'gunicorn==22.0.0\n' }, 'main.py', 1, 6],
    ['gunicorn command', { Dockerfile: GUNICORN_DOCKERFILE, 'requirements.txt': 'requests==2.31.0\n' }, 'Dockerfile', 3, 1],
    ['psycopg2 import', { 'db.py': 'import psycopg2\n', 'requirements.txt': 'requests==2.31.0\n' }, 'db.py', 1, 8],
    ['psycopg import', { 'db.py': 'import psycopg\n', 'requirements.txt': 'psycopg2==2.9.9\n' }, 'db.py', 1, 8],
    [
      'postgresql URL in config',
      { 'config/system_config.yaml': 'database:\n  url: postgresql://app@db:5432/orders\n', 'requirements.txt': 'flask==3.0.3\n' },
      'config/system_config.yaml',
      2,
      8,
    ],
    [
      'postgresql URL in code',
      { 'settings.py': 'import os\n\nURL = os.environ.get("DATABASE_URL", "postgresql://db/orders")\n', 'requirements.txt': 'flask==3.0.3\n' },
      'settings.py',
      3,
      38,
    ],
    [
      'driver named by the URL',
      { 'config/app.yaml': 'url: postgresql+asyncpg://db/orders\n', 'requirements.txt': 'psycopg2==2.9.9\n' },
      'config/app.yaml',
      1,
      6,
    ],
    ['prometheus exporter import', { 'metrics.py': 'from prometheus_flask_exporter import PrometheusMetrics\n', 'requirements.txt': 'flask==3.0.3\n' }, 'metrics.py', 1, 6],
    ['prometheus client import', { 'metrics.py': 'from prometheus_client import Counter\n', 'requirements.txt': 'flask==3.0.3\n' }, 'metrics.py', 1, 6],
    ['flask_cors import', { 'cors.py': 'from flask_cors import CORS\n', 'requirements.txt': 'flask==3.0.3\n' }, 'cors.py', 1, 6],
    [
      'async route handler',
      { 'main.py': `${FLASK_APP}\n\n@app.get("/items")\nasync def items():\n    return {}\n`, 'requirements.txt': 'flask==3.0.3\n' },
      'main.py',
      7,
      11,
    ],
    ['only in development file', { 'main.py': FLASK_APP, 'requirements-dev.txt': 'flask==3.0.3\n' }, 'main.py', 1, 6],
  ])('reports %s', (_name, files, file, line, column) => {
    expect(ruleFindings(RULE, files)).toEqual([{ ruleId: RULE, file, line, column, severity: 'error' }]);
  });

  test.each([
    ['flask declared', { 'main.py': FLASK_APP, 'requirements.txt': 'Flask==3.0.3\n' }],
    ['gunicorn declared', { Dockerfile: GUNICORN_DOCKERFILE, 'requirements.txt': 'gunicorn==22.0.0\n' }],
    ['gunicorn installed by the Dockerfile', { Dockerfile: GUNICORN_DOCKERFILE.replace('WORKDIR /app\n', 'RUN pip install --no-cache-dir gunicorn==22.0.0\n'), 'requirements.txt': 'flask==3.0.3\n' }],
    ['psycopg2-binary for psycopg2', { 'db.py': 'import psycopg2\n', 'requirements.txt': 'psycopg2-binary==2.9.9\n' }],
    ['psycopg extra for a URL', { 'config/app.yaml': 'url: postgresql://db/orders\n', 'requirements.txt': 'psycopg[binary]==3.1.19\n' }],
    ['URL from the environment', { 'config/app.yaml': 'url: ${DATABASE_URL}\n', 'requirements.txt': 'flask==3.0.3\n' }],
    ['exporter brings the client', { 'metrics.py': 'from prometheus_client import Counter\n', 'requirements.txt': 'prometheus-flask-exporter==0.23.1\n' }],
    ['Flask_Cors spelling', { 'cors.py': 'from flask_cors import CORS\n', 'requirements.txt': 'Flask_Cors==4.0.0\n' }],
    ['flask async extra', { 'main.py': `${FLASK_APP}\n\n@app.get("/items")\nasync def items():\n    return {}\n`, 'requirements.txt': 'flask[async]==3.0.3\n' }],
    ['asgiref declared', { 'main.py': `${FLASK_APP}\n\n@app.get("/items")\nasync def items():\n    return {}\n`, 'requirements.txt': 'flask==3.0.3\nasgiref==3.8.1\n' }],
    ['import only in tests', { 'tests/test_db.py': 'import psycopg2\n', 'requirements.txt': 'flask==3.0.3\n' }],
    ['optional import', { 'db.py': 'try:\n    import psycopg2\nexcept ImportError:\n    psycopg2 = None\n', 'requirements.txt': 'flask==3.0.3\n' }],
    ['pyproject dependencies', { 'main.py': FLASK_APP, 'pyproject.toml': '[project]\nname = "x"\ndependencies = ["flask==3.0.3"]\n' }],
    ['hash-pinned lock reached through -r', { 'main.py': FLASK_APP, 'requirements.txt': '-r requirements.lock\n', 'requirements.lock': 'flask==3.0.3 \\\n    --hash=sha256:abc\n' }],
    ['comment continuation', { 'main.py': FLASK_APP, 'requirements.txt': 'gunicorn==22.0.0 \\\n    # the app server\nflask==3.0.3\n' }],
  ])('silent: %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });

  test('no requirements file reported once', () => {
    const files = { 'main.py': FLASK_APP, Dockerfile: GUNICORN_DOCKERFILE };

    expect(ruleFindings(RULE, files)).toEqual([{ ruleId: RULE, file: 'main.py', line: 1, column: 6, severity: 'error' }]);
    expect(messages(files)).toEqual([
      'The app imports `flask`, but the system has no `requirements.txt` and no `pyproject.toml` dependencies; it needs `flask` and `gunicorn`.',
    ]);
  });

  test('setup.py is info', () => {
    const files = { 'main.py': FLASK_APP, 'setup.py': 'from setuptools import setup\n\nsetup(install_requires=["flask"])\n' };

    expect(ruleFindings(RULE, files)).toEqual([{ ruleId: RULE, file: 'main.py', line: 1, column: 6, severity: 'info' }]);
  });

  test('message names reason and package', () => {
    const files = {
      'main.py': dedent(`
        from flask import Flask
        import psycopg2
      `),
      'requirements.txt': 'gunicorn==22.0.0\n',
    };

    expect(messages(files)).toEqual([
      'The app imports `flask`, but no production requirement declares `flask`.',
      'The code imports `psycopg2`, but no production requirement declares `psycopg2` (or `psycopg2-binary`).',
    ]);
  });

  test('UTF-16 requirements file', () => {
    const requirements = createSourceFile('requirements.txt', 'requirements', 'flask==3.0.3\r\ngunicorn==22.0.0\r\n', 'utf16le', true);

    expect(ruleFindingsWithSources(RULE, { 'main.py': FLASK_APP, Dockerfile: GUNICORN_DOCKERFILE }, [requirements])).toEqual([]);
  });
});

import { createSourceFile } from '../../src/source';
import { checkFiles, dedent, ruleFindings, ruleFindingsWithSources } from '../helpers';

const RULE = 'requirements-import-undeclared';

function messages(files: Record<string, string>): string[] {
  return checkFiles(files, [RULE]).filter((finding) => finding.ruleId === RULE).map((finding) => finding.message);
}

describe(RULE, () => {
  test('reports each undeclared import', () => {
    const files = {
      'app/main.py': dedent(`
        import json
        import yaml
        from flask import Flask
        from dateutil import parser
        import requests.adapters
      `),
      'requirements.txt': 'flask==3.0.3\n',
    };

    expect(ruleFindings(RULE, files)).toEqual([
      { ruleId: RULE, file: 'app/main.py', line: 2, column: 8, severity: 'warning' },
      { ruleId: RULE, file: 'app/main.py', line: 4, column: 6, severity: 'warning' },
      { ruleId: RULE, file: 'app/main.py', line: 5, column: 8, severity: 'warning' },
    ]);
    expect(messages(files)).toEqual([
      '`yaml` is imported, but no production requirement provides it; declare `PyYAML`.',
      '`dateutil` is imported, but no production requirement provides it; declare `python-dateutil`.',
      '`requests.adapters` is imported, but no production requirement provides it; declare `requests`.',
    ]);
  });

  test('development-only declaration', () => {
    const files = { 'main.py': 'import requests\n', 'requirements.txt': 'flask==3.0.3\n', 'requirements-dev.txt': 'requests==2.31.0\n' };

    expect(ruleFindings(RULE, files)).toEqual([{ ruleId: RULE, file: 'main.py', line: 1, column: 8, severity: 'warning' }]);
    expect(messages(files)).toEqual([
      '`requests` is imported by production code, but only `requirements-dev.txt` declares `requests`, and the production image does not install development requirements.',
    ]);
  });

  test('namespace package names its module', () => {
    const files = { 'main.py': 'from google.cloud import storage, bigquery\n', 'requirements.txt': 'google-cloud-storage==2.16.0\n' };

    expect(messages(files)).toEqual([
      '`google.cloud.bigquery` is imported, but no production requirement provides it; declare `google-cloud-bigquery`.',
    ]);
  });

  test('no requirements file', () => {
    expect(ruleFindings(RULE, { 'main.py': 'import redis\n' })).toEqual([{ ruleId: RULE, file: 'main.py', line: 1, column: 8, severity: 'warning' }]);
  });

  test.each([
    ['table name', 'import yaml\nfrom PIL import Image\nimport jwt\nfrom dotenv import load_dotenv\n', 'pyyaml==6.0.1\npillow==10.3.0\nPyJWT==2.8.0\npython-dotenv==1.0.1\n'],
    ['brought by flask', 'import werkzeug\nfrom jinja2 import Template\nimport click\nfrom markupsafe import escape\nimport itsdangerous\nimport blinker\n', 'flask==3.0.3\n'],
    ['brought transitively', 'import sqlalchemy\nimport werkzeug\n', 'flask-migrate==4.0.7\n'],
    ['Flask_Cors spelling', 'import psycopg2.extras\nimport flask_sqlalchemy\n', 'Flask_SQLAlchemy==3.1.1\npsycopg2-binary==2.9.9\n'],
    ['standard library', 'import os, sys, json, logging.config, asyncio, tomllib\nfrom concurrent.futures import ThreadPoolExecutor\nfrom __future__ import annotations\n', ''],
    ['own modules', 'from app.routes import bp\nfrom . import health\nimport store\n', ''],
    ['optional import', 'try:\n    import ujson as json\nexcept ImportError:\n    import json\n', ''],
    ['type checking only', 'from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from mypy_boto3_s3 import S3Client\n', ''],
    ['left to package-missing', 'from flask import Flask\nimport psycopg2\nfrom flask_cors import CORS\n', ''],
    ['namespace package', 'from google.cloud import storage\nimport google.cloud.storage\n', 'google-cloud-storage==2.16.0\n'],
    ['python- prefix', 'import magic\nimport jose\n', 'python-magic==0.4.27\npython-jose==3.3.0\n'],
    ['constraint pin counts nothing extra', 'import requests\n', '-c constraints.txt\nrequests\n'],
  ])('silent: %s', (_name, code, requirements) => {
    const files: Record<string, string> = {
      'app/main.py': code,
      'app/routes.py': 'bp = None\n',
      'app/health.py': 'ok = True\n',
      'store.py': 'data = {}\n',
      'constraints.txt': 'requests==2.31.0\n',
      'requirements.txt': requirements,
    };

    expect(ruleFindings(RULE, files)).toEqual([]);
  });

  test('silent in tests and setup.py', () => {
    const files = {
      'tests/test_api.py': 'import pytest\n',
      'test_main.py': 'import hypothesis\n',
      'setup.py': 'import setuptools_scm\n',
      'requirements.txt': 'flask==3.0.3\n',
    };

    expect(ruleFindings(RULE, files)).toEqual([]);
  });

  test('Dockerfile pip install counts', () => {
    const files = {
      'main.py': 'import redis\n',
      Dockerfile: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt && pip install "redis==5.0.4"\nCMD ["python", "main.py"]\n',
      'requirements.txt': 'flask==3.0.3\n',
    };

    expect(ruleFindings(RULE, files)).toEqual([]);
  });

  test('UTF-16 requirements file', () => {
    const requirements = createSourceFile('requirements.txt', 'requirements', 'Flask==3.0.3\r\nPyYAML==6.0.1\r\n', 'utf16le', true);

    expect(ruleFindingsWithSources(RULE, { 'main.py': 'import yaml\nimport flask\n' }, [requirements])).toEqual([]);
  });
});

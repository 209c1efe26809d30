import { buildModel } from '../../src/model/build';
import { systemFromMemory } from '../../src/system';
import { dockerfilePipInstalls, installedPackages } from '../../rules/requirements/installed-packages';
import { neededPackages } from '../../rules/requirements/needed-packages';
import { distributionsForImport, importedModules, suggestedDistribution } from '../../rules/requirements/third-party-imports';
import { parseEnvReference } from '../../rules/config/config-values';

function model(files: Record<string, string>) {
  return buildModel(systemFromMemory(files));
}

describe('import distributions', () => {
  test('table and fallback names', () => {
    expect(distributionsForImport('yaml')).toEqual(['pyyaml']);
    expect(distributionsForImport('psycopg2.extras')).toEqual(['psycopg2', 'psycopg2-binary']);
    expect(distributionsForImport('google.cloud.storage.blob')).toEqual(['google-cloud-storage']);
    expect(distributionsForImport('some_lib.sub')).toEqual(['some-lib', 'python-some-lib', 'pysome-lib']);
    expect(suggestedDistribution('PIL.Image')).toBe('Pillow');
    expect(suggestedDistribution('some_lib')).toBe('some-lib');
  });

  test('namespace imports name their modules', () => {
    const location = { file: { relPath: 'a.py' }, start: 0, end: 0 } as never;

    expect(importedModules({ module: 'google.cloud', names: ['storage', 'bigquery'], relative: false, location })).toEqual([
      'google.cloud.storage',
      'google.cloud.bigquery',
    ]);
    expect(importedModules({ module: 'flask_sqlalchemy', names: ['SQLAlchemy'], relative: false, location })).toEqual(['flask_sqlalchemy']);
  });
});

describe('installed packages', () => {
  test('dependencies followed transitively', () => {
    const installed = installedPackages(model({ 'requirements.txt': 'Flask-Migrate==4.0.7\nflask[async]==3.0.3\n' }));

    expect(installed.names.has('flask-sqlalchemy')).toBe(true);
    expect(installed.names.has('sqlalchemy')).toBe(true);
    expect(installed.names.has('werkzeug')).toBe(true);
    expect(installed.names.has('markupsafe')).toBe(true);
    expect(installed.names.has('asgiref')).toBe(true);
    expect(installed.names.has('requests')).toBe(false);
  });

  test('development-only names kept apart', () => {
    const installed = installedPackages(model({ 'requirements.txt': 'flask==3.0.3\n', 'requirements-dev.txt': 'pytest==8.2.0\nwerkzeug==3.0.3\n' }));

    expect([...installed.developmentOnly]).toEqual([['pytest', 'requirements-dev.txt']]);
  });

  test('pip install in the Dockerfile', () => {
    const dockerfile = [
      'FROM python:3.12-slim AS base',
      'RUN pip install --no-cache-dir -r requirements.txt',
      'FROM base',
      'RUN python -m pip install -i https://mirror/simple "gunicorn==22.0.0" redis[hiredis] && pip3 install --upgrade pip',
      'RUN pip install $EXTRA_PACKAGES ./local-package',
      'CMD ["gunicorn", "main:app"]',
      '',
    ].join('\n');

    expect(dockerfilePipInstalls(model({ Dockerfile: dockerfile }))).toEqual([
      { name: 'gunicorn', extras: [] },
      { name: 'redis', extras: ['hiredis'] },
      { name: 'pip', extras: [] },
    ]);
  });
});

describe('needed packages', () => {
  test('one per package, first use', () => {
    const needs = neededPackages(
      model({
        'b.py': 'import flask\nimport psycopg2\n',
        'a.py': 'from flask import Flask\n',
        'config/app.yaml': 'url: postgresql://db/orders\n',
      }),
    );

    expect(needs.map((need) => [need.label, need.location.file.relPath])).toEqual([
      ['`flask`', 'a.py'],
      ['`psycopg2` (or `psycopg2-binary`)', 'b.py'],
    ]);
  });
});

describe('environment references', () => {
  test.each([
    ['${SECRET_KEY}', { variable: 'SECRET_KEY', fallback: null }],
    ['${DEBUG:-false}', { variable: 'DEBUG', fallback: 'false' }],
    ['${DEBUG-1}', { variable: 'DEBUG', fallback: '1' }],
    ['${TOKEN:?set TOKEN}', { variable: 'TOKEN', fallback: null }],
    ['prefix-${VAR}', null],
    ['$VAR', null],
  ])('%s', (value, expected) => {
    expect(parseEnvReference(value)).toEqual(expected);
  });
});

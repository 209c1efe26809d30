import { findRule } from '../../rules';
import { encodeText } from '../../src/decode';
import { fixSystem, type FixOutcome } from '../../src/fix/loop';
import { createSourceFile, type SourceFile } from '../../src/source';
import { systemFromMemory, type SystemInput } from '../../src/system';
import { checkFiles } from '../helpers';

const RULE = 'requirements-package-missing';

const FLASK_CORS_APP = 'from flask import Flask\nfrom flask_cors import CORS\n\napp = Flask(__name__)\nCORS(app, origins=["https://example.com"])\n';
const GUNICORN_DOCKERFILE = 'FROM python:3.12-slim\nWORKDIR /app\nCMD ["gunicorn", "--bind", "0.0.0.0:8000", "main:app"]\n';
const ASYNC_APP = 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/items")\nasync def items():\n    return {}\n';

function fix(input: SystemInput, ruleOptions?: Record<string, unknown>, unsafe = false): FixOutcome {
  return fixSystem(input, {
    rules: [findRule(RULE)!],
    unsafe,
    existsOnDisk: () => false,
    ruleOptions: ruleOptions ? new Map([[RULE, ruleOptions]]) : undefined,
  });
}

/** Applies the fixes, then checks that the rule is silent and that a second run changes nothing. */
function roundTrip(files: Record<string, string>, ruleOptions?: Record<string, unknown>): Record<string, string> {
  const first = fix(systemFromMemory(files), ruleOptions);
  const result: Record<string, string> = { ...files };
  for (const change of first.changes) result[change.relPath] = change.fixed.text;

  expect(first.remaining.filter((finding) => finding.ruleId === RULE)).toEqual([]);
  expect(fix(systemFromMemory(result), ruleOptions).changes).toEqual([]);
  return result;
}

function fixTitles(files: Record<string, string>): Array<string | undefined> {
  return checkFiles(files, [RULE]).filter((finding) => finding.ruleId === RULE).map((finding) => finding.fix?.title);
}

describe(`${RULE} fix`, () => {
  test('sorted file gets line in order', () => {
    const files = roundTrip({ 'main.py': FLASK_CORS_APP, 'requirements.txt': 'flask==3.1.3\ngunicorn==27.0.1\n' });

    expect(files['requirements.txt']).toBe('flask==3.1.3\nflask-cors==6.0.5\ngunicorn==27.0.1\n');
  });

  test('unsorted file gets line at end', () => {
    const files = roundTrip({ 'main.py': FLASK_CORS_APP, 'requirements.txt': 'gunicorn==27.0.1\nflask==3.1.3\n' });

    expect(files['requirements.txt']).toBe('gunicorn==27.0.1\nflask==3.1.3\nflask-cors==6.0.5\n');
  });

  test('missing final newline added', () => {
    const files = roundTrip({ 'main.py': FLASK_CORS_APP, 'requirements.txt': 'requests==2.34.2\nflask==3.1.3' });

    expect(files['requirements.txt']).toBe('requests==2.34.2\nflask==3.1.3\nflask-cors==6.0.5\n');
  });

  test('empty file gets first line', () => {
    const files = roundTrip({ 'main.py': FLASK_CORS_APP, 'requirements.txt': '' });

    expect(files['requirements.txt']).toBe('flask==3.1.3\nflask-cors==6.0.5\n');
  });

  test('published spelling in capitalised file', () => {
    const files = roundTrip({ 'main.py': FLASK_CORS_APP, 'requirements.txt': 'Flask==3.0.3\nPyYAML==6.0.1\n' });

    expect(files['requirements.txt']).toBe('Flask==3.0.3\nFlask-Cors==6.0.5\nPyYAML==6.0.1\n');
  });

  test('underscore spelling kept', () => {
    const files = roundTrip({ 'main.py': FLASK_CORS_APP, 'requirements.txt': 'flask==3.0.3\nflask_login==0.6.3\n' });

    expect(files['requirements.txt']).toBe('flask==3.0.3\nflask_cors==6.0.5\nflask_login==0.6.3\n');
  });

  test('header comment stays first', () => {
    const files = roundTrip({ 'main.py': ASYNC_APP, 'requirements.txt': '# Runtime dependencies\nflask==3.1.3\n' });

    expect(files['requirements.txt']).toBe('# Runtime dependencies\nasgiref==3.13.0\nflask==3.1.3\n');
  });

  test('comment and options lines kept', () => {
    const requirements = '--index-url https://pypi.org/simple\nflask==3.1.3  # web framework\nrequests==2.34.2\n';
    const files = roundTrip({ 'main.py': FLASK_CORS_APP, Dockerfile: GUNICORN_DOCKERFILE, 'requirements.txt': requirements });

    expect(files['requirements.txt']).toBe(
      '--index-url https://pypi.org/simple\nflask==3.1.3  # web framework\nflask-cors==6.0.5\ngunicorn==27.0.1\nrequests==2.34.2\n',
    );
  });

  test('line before a continued requirement', () => {
    const requirements = 'flask==3.1.3\nrequests==2.34.2 \\\n    ; python_version >= "3.9"\n';
    const files = roundTrip({ Dockerfile: GUNICORN_DOCKERFILE, 'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n', 'requirements.txt': requirements });

    expect(files['requirements.txt']).toBe('flask==3.1.3\ngunicorn==27.0.1\nrequests==2.34.2 \\\n    ; python_version >= "3.9"\n');
  });

  test('several packages in one run', () => {
    const files = roundTrip({
      Dockerfile: GUNICORN_DOCKERFILE,
      'main.py': `${FLASK_CORS_APP}import psycopg2\nfrom prometheus_client import Counter\n`,
      'requirements.txt': 'requests==2.34.2\n',
    });

    // A file with one requirement counts as sorted, so each new line goes before `requests`.
    expect(files['requirements.txt']).toBe(
      'flask==3.1.3\nflask-cors==6.0.5\ngunicorn==27.0.1\nprometheus-client==0.26.0\npsycopg2==2.9.13\nrequests==2.34.2\n',
    );
  });

  test('unsorted file, several packages', () => {
    const files = roundTrip({ Dockerfile: GUNICORN_DOCKERFILE, 'main.py': FLASK_CORS_APP, 'requirements.txt': 'requests==2.34.2\nflask==3.1.3\n' });

    expect(files['requirements.txt']).toBe('requests==2.34.2\nflask==3.1.3\ngunicorn==27.0.1\nflask-cors==6.0.5\n');
  });

  test('included file gets the line', () => {
    const files = roundTrip({
      'main.py': FLASK_CORS_APP,
      'requirements.txt': '-r requirements/base.txt\n',
      'requirements/base.txt': 'flask==3.1.3\n',
    });

    expect(files['requirements.txt']).toBe('-r requirements/base.txt\n');
    expect(files['requirements/base.txt']).toBe('flask==3.1.3\nflask-cors==6.0.5\n');
  });

  test('own lines win over included file', () => {
    const files = roundTrip({
      'main.py': FLASK_CORS_APP,
      'requirements.txt': '-r requirements/base.txt\nflask==3.1.3\n',
      'requirements/base.txt': 'requests==2.34.2\n',
    });

    expect(files['requirements.txt']).toBe('-r requirements/base.txt\nflask==3.1.3\nflask-cors==6.0.5\n');
  });

  test('production file, not development file', () => {
    const files = roundTrip({
      'main.py': FLASK_CORS_APP,
      'requirements-dev.txt': '-r requirements.txt\npytest==9.2.0\n',
      'requirements.txt': 'flask==3.1.3\n',
    });

    expect(files['requirements-dev.txt']).toBe('-r requirements.txt\npytest==9.2.0\n');
    expect(files['requirements.txt']).toBe('flask==3.1.3\nflask-cors==6.0.5\n');
  });

  test('no requirements file: created', () => {
    const files = roundTrip({ Dockerfile: GUNICORN_DOCKERFILE, 'main.py': FLASK_CORS_APP });

    expect(files['requirements.txt']).toBe('flask==3.1.3\nflask-cors==6.0.5\ngunicorn==27.0.1\n');
  });

  test('pins option overrides table', () => {
    const files = roundTrip({ 'main.py': FLASK_CORS_APP, 'requirements.txt': 'flask==3.1.3\n' }, { pins: { Flask_CORS: '5.0.1', gunicorn: 'latest' } });

    expect(files['requirements.txt']).toBe('flask==3.1.3\nflask-cors==5.0.1\n');
  });

  test('fix is safe', () => {
    expect(fixTitles({ 'main.py': FLASK_CORS_APP, 'requirements.txt': 'flask==3.1.3\n' })).toEqual(['Add `flask-cors==6.0.5` to `requirements.txt`']);
    expect(fix(systemFromMemory({ 'main.py': FLASK_CORS_APP, 'requirements.txt': 'flask==3.1.3\n' })).applied).toHaveLength(1);
  });

  test('UTF-16LE file with CRLF', () => {
    const source = createSourceFile('requirements.txt', 'requirements', 'flask==3.1.3\r\ngunicorn==27.0.1\r\n', 'utf16le', true);
    source.eol = '\r\n';
    const outcome = fix(withSources({ 'main.py': FLASK_CORS_APP }, [source]));
    const fixed = outcome.changes.find((change) => change.relPath === 'requirements.txt')!.fixed;

    expect(fixed.text).toBe('flask==3.1.3\r\nflask-cors==6.0.5\r\ngunicorn==27.0.1\r\n');
    expect(fixed.encoding).toBe('utf16le');
    expect(fixed.bom).toBe(true);
    expect([...encodeText(fixed.text, fixed.encoding, fixed.bom).subarray(0, 4)]).toEqual([0xff, 0xfe, 0x66, 0x00]);
    expect(outcome.remaining.filter((finding) => finding.ruleId === RULE)).toEqual([]);
    expect(fix(withSources({ 'main.py': FLASK_CORS_APP }, [fixed])).changes).toEqual([]);
  });
});

describe(`${RULE} fix not offered`, () => {
  test.each([
    [
      'hash-locked include',
      {
        'main.py': FLASK_CORS_APP,
        'requirements.txt': '-r requirements.lock\n',
        'requirements.lock': 'flask==3.1.3 \\\n    --hash=sha256:aaaa\n',
      },
    ],
    ['hashes in the file', { 'main.py': FLASK_CORS_APP, 'requirements.txt': 'flask==3.1.3 --hash=sha256:aaaa\n' }],
    ['require-hashes option', { 'main.py': FLASK_CORS_APP, 'requirements.txt': '--require-hashes\nflask==3.1.3\n' }],
    ['pyproject dependencies', { 'main.py': FLASK_CORS_APP, 'pyproject.toml': '[project]\nname = "x"\ndependencies = ["flask==3.1.3"]\n' }],
    ['setup.py dependencies', { 'main.py': FLASK_CORS_APP, 'setup.py': 'from setuptools import setup\n\nsetup(name="x", install_requires=["flask"])\n' }],
    ['driver without a pin', { 'config/app.yaml': 'url: postgresql+pg8000://db/orders\n', 'requirements.txt': 'flask==3.1.3\n' }],
    ['only development files', { 'main.py': FLASK_CORS_APP, 'requirements-dev.txt': 'flask==3.1.3\n' }],
    ['continued last line', { 'main.py': FLASK_CORS_APP, 'requirements.txt': 'gunicorn==27.0.1\nflask==3.1.3 \\' }],
  ])('%s', (_name, files: Record<string, string>) => {
    const titles = fixTitles(files);

    expect(titles.length).toBeGreaterThan(0);
    expect(titles.every((title) => title === undefined)).toBe(true);
    expect(fix(systemFromMemory(files)).changes).toEqual([]);
  });
});

/** Builds an in-memory system from text files plus prepared source files, such as a UTF-16 requirements file. */
function withSources(files: Record<string, string>, sources: SourceFile[]): SystemInput {
  const input = systemFromMemory(files);
  input.files.push(...sources);
  return input;
}

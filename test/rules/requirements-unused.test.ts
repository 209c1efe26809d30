import { ruleFindings } from '../helpers';

const RULE = 'requirements-unused';
const APP = 'from flask import Flask\n\napp = Flask(__name__)\n';

function positions(files: Record<string, string>) {
  return ruleFindings(RULE, files).map(({ file, line, column, severity }) => `${file}:${line}:${column}:${severity}`);
}

describe(RULE, () => {
  test('unimported package reported', () => {
    expect(positions({ 'main.py': APP, 'requirements.txt': 'flask==3.1.1\nrequests==2.32.3\n' })).toEqual(['requirements.txt:2:1:info']);
  });

  test.each([
    ['import name differs', 'import yaml\n', 'PyYAML==6.0.2\n'],
    ['server', '', 'gunicorn==23.0.0\n'],
    ['driver loaded by url', '', 'psycopg2-binary==2.9.10\n'],
    ['dependency of flask', '', 'werkzeug==3.1.3\n'],
    ['from import', 'from flask_cors import CORS\n', 'Flask-Cors==6.0.1\n'],
  ])('silent for %s', (_name, extraImport, requirement) => {
    expect(positions({ 'main.py': `${extraImport}${APP}`, 'requirements.txt': `flask==3.1.1\n${requirement}` })).toEqual([]);
  });

  test('development requirements ignored', () => {
    expect(positions({ 'main.py': APP, 'requirements.txt': 'flask==3.1.1\n', 'requirements-dev.txt': 'pytest==8.3.4\n' })).toEqual([]);
  });

  test('silent without code', () => {
    expect(positions({ 'requirements.txt': 'requests==2.32.3\n' })).toEqual([]);
  });
});

import { ruleFindings } from '../helpers';
import { PRODUCTION_SYSTEM } from './gunicorn-systems';

const RULE = 'gunicorn-reload-enabled';

type Place = [file: string, line: number, column: number];

const positions = (files: Record<string, string>): Place[] => ruleFindings(RULE, files).map((finding) => [finding.file, finding.line, finding.column]);

describe(RULE, () => {
  test.each<[string, Record<string, string>, Place[]]>([
    ['reload = True', { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nreload = True\n' }, [['gunicorn.conf.py', 2, 1]]],
    ['--reload', { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--reload", "main:app"]\n' }, [['Dockerfile', 2, 18]]],
    ['truthy fallback', { 'gunicorn.conf.py': 'import os\nreload = os.environ.get("GUNICORN_RELOAD", "true")\n' }, [['gunicorn.conf.py', 2, 1]]],
    ['GUNICORN_CMD_ARGS', { Dockerfile: 'FROM python:3.12-slim\nENV GUNICORN_CMD_ARGS="--reload --workers 2"\nCMD ["gunicorn", "main:app"]\n' }, [['Dockerfile', 2, 24]]],
    ['shell form', { Dockerfile: 'FROM python:3.12-slim\nCMD exec gunicorn --reload main:app\n' }, [['Dockerfile', 2, 19]]],
  ])('reports %s', (_name, files, expected) => {
    expect(positions(files)).toEqual(expected);
  });

  test('reports an error', () => {
    expect(ruleFindings(RULE, { 'gunicorn.conf.py': 'reload = True\n' })[0]?.severity).toBe('error');
  });

  test.each<[string, Record<string, string>]>([
    ['production system', PRODUCTION_SYSTEM],
    ['reload = False', { 'gunicorn.conf.py': 'reload = False\n' }],
    ['false fallback', { 'gunicorn.conf.py': 'import os\nreload = os.environ.get("GUNICORN_RELOAD", "false")\n' }],
    ['conditional', { 'gunicorn.conf.py': 'import os\nif os.environ.get("ENV") == "dev":\n    reload = True\n' }],
    ['comparison', { 'gunicorn.conf.py': 'import os\nreload = os.environ.get("ENV") == "dev"\n' }],
  ])('silent on %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });
});

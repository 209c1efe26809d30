import { ruleFindings } from '../helpers';
import { DOCKERFILE_PLAIN, PRODUCTION_SYSTEM } from './gunicorn-systems';

const RULE = 'gunicorn-max-requests-missing';

type Place = [file: string, line: number, column: number];

const positions = (files: Record<string, string>): Place[] => ruleFindings(RULE, files).map((finding) => [finding.file, finding.line, finding.column]);

describe(RULE, () => {
  test.each<[string, Record<string, string>, Place[]]>([
    ['unset in config', { 'gunicorn.conf.py': '# Gunicorn settings\nbind = "0.0.0.0:8000"\n' }, [['gunicorn.conf.py', 1, 1]]],
    ['zero', { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nmax_requests = 0\n' }, [['gunicorn.conf.py', 2, 1]]],
    ['zero fallback', { 'gunicorn.conf.py': 'import os\nmax_requests = int(os.environ.get("MAX_REQUESTS", 0))\n' }, [['gunicorn.conf.py', 2, 1]]],
    ['unset without config', { Dockerfile: DOCKERFILE_PLAIN }, [['Dockerfile', 4, 1]]],
  ])('reports %s', (_name, files, expected) => {
    expect(positions(files)).toEqual(expected);
  });

  test('reports a warning', () => {
    expect(ruleFindings(RULE, { 'gunicorn.conf.py': 'max_requests = 0\n' })[0]?.severity).toBe('warning');
  });

  test.each<[string, Record<string, string>]>([
    ['production system', PRODUCTION_SYSTEM],
    ['flag', { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--max-requests", "500", "main:app"]\n' }],
    ['fallback', { 'gunicorn.conf.py': 'import os\nmax_requests = int(os.environ.get("MAX_REQUESTS", 1000))\n' }],
    [
      'zero fallback replaced by ENV',
      {
        Dockerfile: 'FROM python:3.12-slim\nENV MAX_REQUESTS=1000\nCOPY . .\nCMD ["gunicorn", "main:app"]\n',
        'gunicorn.conf.py': 'import os\nmax_requests = int(os.environ.get("MAX_REQUESTS", 0))\n',
      },
    ],
    ['not Gunicorn', { Dockerfile: 'FROM python:3.12-slim\nCMD ["python", "main.py"]\n' }],
  ])('silent on %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });
});

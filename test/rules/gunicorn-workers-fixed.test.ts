import { ruleFindings } from '../helpers';
import { DOCKERFILE_PLAIN, PRODUCTION_SYSTEM } from './gunicorn-systems';

const RULE = 'gunicorn-workers-fixed';

type Place = [file: string, line: number, column: number];

const positions = (files: Record<string, string>): Place[] => ruleFindings(RULE, files).map((finding) => [finding.file, finding.line, finding.column]);

describe(RULE, () => {
  test.each<[string, Record<string, string>, Place[]]>([
    ['workers = 1', { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nworkers = 1\n' }, [['gunicorn.conf.py', 2, 1]]],
    ['workers through a name', { 'gunicorn.conf.py': 'WORKER_COUNT = 4\nworkers = WORKER_COUNT\n' }, [['gunicorn.conf.py', 2, 1]]],
    ['unset in config', { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\n' }, [['gunicorn.conf.py', 1, 1]]],
    ['unset without config', { Dockerfile: DOCKERFILE_PLAIN }, [['Dockerfile', 4, 1]]],
    ['-w flag', { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "-w", "4", "main:app"]\n' }, [['Dockerfile', 2, 18]]],
    ['GUNICORN_CMD_ARGS', { Dockerfile: 'FROM python:3.12-slim\nENV GUNICORN_CMD_ARGS="--workers=3"\nCMD ["gunicorn", "main:app"]\n' }, [['Dockerfile', 2, 24]]],
  ])('reports %s', (_name, files, expected) => {
    expect(positions(files)).toEqual(expected);
  });

  test('reports a warning', () => {
    expect(ruleFindings(RULE, { 'gunicorn.conf.py': 'workers = 1\n' })[0]?.severity).toBe('warning');
  });

  test.each<[string, Record<string, string>]>([
    ['production system', PRODUCTION_SYSTEM],
    ['environment with a literal fallback', { 'gunicorn.conf.py': 'import os\nworkers = int(os.environ.get("WEB_CONCURRENCY", 4))\n' }],
    ['uncapped formula', { 'gunicorn.conf.py': 'import multiprocessing\nworkers = multiprocessing.cpu_count() * 2 + 1\n' }],
    ['WEB_CONCURRENCY in the image', { Dockerfile: 'FROM python:3.12-slim\nENV WEB_CONCURRENCY=4\nCMD ["gunicorn", "main:app"]\n' }],
    ['shell default', { Dockerfile: 'FROM python:3.12-slim\nCMD gunicorn -w ${WEB_CONCURRENCY:-2} main:app\n' }],
    ['not Gunicorn', { Dockerfile: 'FROM python:3.12-slim\nCMD ["python", "main.py"]\n' }],
  ])('silent on %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });
});

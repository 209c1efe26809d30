import { ruleFindings } from '../helpers';
import { PRODUCTION_SYSTEM } from './gunicorn-systems';

const RULE = 'gunicorn-daemon-enabled';

type Place = [file: string, line: number, column: number];

const positions = (files: Record<string, string>): Place[] => ruleFindings(RULE, files).map((finding) => [finding.file, finding.line, finding.column]);

describe(RULE, () => {
  test.each<[string, Record<string, string>, Place[]]>([
    ['daemon = True', { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\ndaemon = True\n' }, [['gunicorn.conf.py', 2, 1]]],
    ['-D', { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "-D", "main:app"]\n' }, [['Dockerfile', 2, 18]]],
    ['--daemon', { Dockerfile: 'FROM python:3.12-slim\nCMD exec gunicorn --daemon main:app\n' }, [['Dockerfile', 2, 19]]],
    ['truthy fallback', { 'gunicorn.conf.py': 'import os\ndaemon = os.environ.get("GUNICORN_DAEMON", "true")\n' }, [['gunicorn.conf.py', 2, 1]]],
    ['GUNICORN_CMD_ARGS', { Dockerfile: 'FROM python:3.12-slim\nENV GUNICORN_CMD_ARGS="--workers 2 -D"\nCMD ["gunicorn", "main:app"]\n' }, [['Dockerfile', 2, 36]]],
  ])('reports %s', (_name, files, expected) => {
    expect(positions(files)).toEqual(expected);
  });

  test('reports an error', () => {
    expect(ruleFindings(RULE, { 'gunicorn.conf.py': 'daemon = True\n' })[0]?.severity).toBe('error');
  });

  test.each<[string, Record<string, string>]>([
    ['production system', PRODUCTION_SYSTEM],
    ['daemon = False', { 'gunicorn.conf.py': 'daemon = False\n' }],
    ['false fallback', { 'gunicorn.conf.py': 'import os\ndaemon = os.environ.get("GUNICORN_DAEMON", "false")\n' }],
    ['comparison', { 'gunicorn.conf.py': 'import os\ndaemon = os.environ.get("MODE") == "background"\n' }],
    ['-D after the target', { Dockerfile: 'FROM python:3.12-slim\nCMD ["python", "-m", "flask", "run", "-D"]\n' }],
    ['daemon thread in the app', { 'main.py': 'import threading\n\nthreading.Thread(target=print, daemon=True).start()\n' }],
  ])('silent on %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });
});

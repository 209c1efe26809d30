import { ruleFindings } from '../helpers';
import { PRODUCTION_SYSTEM } from './gunicorn-systems';

const RULE = 'gunicorn-logs-not-stdout';

type Place = [file: string, line: number, column: number];

const positions = (files: Record<string, string>): Place[] => ruleFindings(RULE, files).map((finding) => [finding.file, finding.line, finding.column]);

describe(RULE, () => {
  test.each<[string, Record<string, string>, Place[]]>([
    ['no access log', { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nerrorlog = "-"\n' }, [['gunicorn.conf.py', 1, 1]]],
    ['access log file', { 'gunicorn.conf.py': 'accesslog = "/var/log/gunicorn/access.log"\n' }, [['gunicorn.conf.py', 1, 1]]],
    ['error log file', { 'gunicorn.conf.py': 'accesslog = "-"\nerrorlog = "/var/log/gunicorn/error.log"\n' }, [['gunicorn.conf.py', 2, 1]]],
    ['access log None', { 'gunicorn.conf.py': 'accesslog = None\n' }, [['gunicorn.conf.py', 1, 1]]],
    [
      'flag to a file',
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--access-logfile", "/tmp/access.log", "main:app"]\n' },
      [['Dockerfile', 2, 18]],
    ],
    [
      'both logs',
      { 'gunicorn.conf.py': 'accesslog = "access.log"\nerrorlog = "error.log"\n' },
      [
        ['gunicorn.conf.py', 1, 1],
        ['gunicorn.conf.py', 2, 1],
      ],
    ],
  ])('reports %s', (_name, files, expected) => {
    expect(positions(files)).toEqual(expected);
  });

  test('reports a warning', () => {
    expect(ruleFindings(RULE, { 'gunicorn.conf.py': 'accesslog = "a.log"\n' })[0]?.severity).toBe('warning');
  });

  test.each<[string, Record<string, string>]>([
    ['production system', PRODUCTION_SYSTEM],
    ['device files', { 'gunicorn.conf.py': 'accesslog = "/dev/stdout"\nerrorlog = "/dev/stderr"\n' }],
    ['flags', { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--access-logfile", "-", "--error-logfile", "-", "main:app"]\n' }],
    ['logging config', { 'gunicorn.conf.py': 'logconfig_dict = {"version": 1}\n' }],
    ['unknown target', { 'gunicorn.conf.py': 'from settings import ACCESS_LOG\naccesslog = ACCESS_LOG\n' }],
  ])('silent on %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });
});

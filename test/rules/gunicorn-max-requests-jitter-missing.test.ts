import { ruleFindings } from '../helpers';
import { PRODUCTION_SYSTEM } from './gunicorn-systems';

const RULE = 'gunicorn-max-requests-jitter-missing';

type Place = [file: string, line: number, column: number];

const positions = (files: Record<string, string>): Place[] => ruleFindings(RULE, files).map((finding) => [finding.file, finding.line, finding.column]);

describe(RULE, () => {
  test.each<[string, Record<string, string>, Place[]]>([
    ['unset', { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nmax_requests = 1000\n' }, [['gunicorn.conf.py', 1, 1]]],
    ['zero', { 'gunicorn.conf.py': 'max_requests = 1000\nmax_requests_jitter = 0\n' }, [['gunicorn.conf.py', 2, 1]]],
    ['flag without jitter', { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--max-requests", "1000", "main:app"]\n' }, [['Dockerfile', 2, 1]]],
  ])('reports %s', (_name, files, expected) => {
    expect(positions(files)).toEqual(expected);
  });

  test('reports a warning', () => {
    expect(ruleFindings(RULE, { 'gunicorn.conf.py': 'max_requests = 1000\n' })[0]?.severity).toBe('warning');
  });

  test.each<[string, Record<string, string>]>([
    ['production system', PRODUCTION_SYSTEM],
    ['flags', { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--max-requests", "1000", "--max-requests-jitter", "50", "main:app"]\n' }],
    ['no max_requests', { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\n' }],
    ['max_requests zero', { 'gunicorn.conf.py': 'max_requests = 0\n' }],
  ])('silent on %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });
});

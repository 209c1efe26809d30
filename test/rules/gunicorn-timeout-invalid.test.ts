import { findRule } from '../../rules';
import { checkSystem } from '../../src/engine';
import { systemFromMemory } from '../../src/system';
import { ruleFindings } from '../helpers';
import { PRODUCTION_SYSTEM } from './gunicorn-systems';

const RULE = 'gunicorn-timeout-invalid';

type Place = [file: string, line: number, column: number];

const positions = (files: Record<string, string>): Place[] => ruleFindings(RULE, files).map((finding) => [finding.file, finding.line, finding.column]);

describe(RULE, () => {
  test.each<[string, Record<string, string>, Place[]]>([
    ['zero', { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\ntimeout = 0\n' }, [['gunicorn.conf.py', 2, 1]]],
    ['-t 0', { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "-t", "0", "main:app"]\n' }, [['Dockerfile', 2, 18]]],
    ['GUNICORN_CMD_ARGS', { Dockerfile: 'FROM python:3.12-slim\nENV GUNICORN_CMD_ARGS="--timeout=0"\nCMD ["gunicorn", "main:app"]\n' }, [['Dockerfile', 2, 24]]],
    ['an hour', { 'gunicorn.conf.py': 'timeout = 3600\n' }, [['gunicorn.conf.py', 1, 1]]],
    ['not a number', { 'gunicorn.conf.py': 'timeout = "thirty"\n' }, [['gunicorn.conf.py', 1, 1]]],
    ['negative', { 'gunicorn.conf.py': 'timeout = -1\n' }, [['gunicorn.conf.py', 1, 1]]],
    ['fraction', { 'gunicorn.conf.py': 'timeout = 30.5\n' }, [['gunicorn.conf.py', 1, 1]]],
  ])('reports %s', (_name, files, expected) => {
    expect(positions(files)).toEqual(expected);
  });

  test('reports a warning', () => {
    expect(ruleFindings(RULE, { 'gunicorn.conf.py': 'timeout = 0\n' })[0]?.severity).toBe('warning');
  });

  test.each<[string, Record<string, string>]>([
    ['production system', PRODUCTION_SYSTEM],
    ['default', { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\n' }],
    ['ten minutes', { 'gunicorn.conf.py': 'timeout = 600\n' }],
    ['numeric string', { 'gunicorn.conf.py': 'timeout = "60"\n' }],
    ['environment fallback', { 'gunicorn.conf.py': 'import os\ntimeout = int(os.environ.get("TIMEOUT", 60))\n' }],
    ['unknown expression', { 'gunicorn.conf.py': 'from settings import TIMEOUT\ntimeout = TIMEOUT\n' }],
  ])('silent on %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });

  test('maxSeconds option', () => {
    const rule = findRule(RULE)!;
    const system = systemFromMemory({ 'gunicorn.conf.py': 'timeout = 120\n' });
    const findings = checkSystem(system, { rules: [rule], ruleOptions: new Map([[RULE, { maxSeconds: 60 }]]) }).findings;

    expect(findings.map((finding) => finding.message)).toEqual(['`timeout` is 120 s, above 60 s, so a hung worker blocks its slot that long before Gunicorn restarts it.']);
  });
});

import { ruleFindings } from '../helpers';
import { PRODUCTION_SYSTEM } from './gunicorn-systems';

const RULE = 'gunicorn-setting-unknown';

type Place = [file: string, line: number, column: number];

const positions = (files: Record<string, string>): Place[] => ruleFindings(RULE, files).map((finding) => [finding.file, finding.line, finding.column]);

describe(RULE, () => {
  test.each<[string, string, Place[]]>([
    ['plural dropped', 'bind = "0.0.0.0:8000"\nmax_request = 1000\n', [['gunicorn.conf.py', 2, 1]]],
    ['flag name', 'preload = True\n', [['gunicorn.conf.py', 1, 1]]],
    ['upper case', 'WORKERS = 4\n', [['gunicorn.conf.py', 1, 1]]],
    ['transposed letters', 'timeuot = 30\n', [['gunicorn.conf.py', 1, 1]]],
    ['annotated', 'threds: int = 4\n', [['gunicorn.conf.py', 1, 1]]],
    ['misspelt hook', 'def post_forks(server, worker):\n    pass\n', [['gunicorn.conf.py', 1, 5]]],
    ['in a tuple', 'workers, thread = 2, 4\n', [['gunicorn.conf.py', 1, 10]]],
  ])('reports %s', (_name, config, expected) => {
    expect(positions({ 'gunicorn.conf.py': config })).toEqual(expected);
  });

  test('message names the setting', () => {
    const findings = ruleFindings(RULE, { 'gunicorn.conf.py': 'max_request = 1000\n' });

    expect(findings[0]?.severity).toBe('warning');
  });

  test.each<[string, Record<string, string>]>([
    ['production system', PRODUCTION_SYSTEM],
    ['helper read later', { 'gunicorn.conf.py': 'import os\nPORT = os.environ.get("PORT", "8000")\nbind = f"0.0.0.0:{PORT}"\n' }],
    ['name far from settings', { 'gunicorn.conf.py': 'database_url = "postgresql://db/app"\n' }],
    ['private name', { 'gunicorn.conf.py': '_workers = 4\n' }],
    ['imports', { 'gunicorn.conf.py': 'import multiprocessing as workers\nfrom os import environ as timeout\n' }],
    ['helper function', { 'gunicorn.conf.py': 'def worker_count():\n    return 4\n\n\nworkers = worker_count()\n' }],
    ['hook-like function that is called', { 'gunicorn.conf.py': 'def post_work(server):\n    pass\n\n\ndef post_fork(server, worker):\n    post_work(server)\n' }],
  ])('silent on %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });
});

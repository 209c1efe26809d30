import { ruleFindings } from '../helpers';
import { PRODUCTION_SYSTEM } from './gunicorn-systems';

const RULE = 'gunicorn-workers-uncapped';

type Place = [file: string, line: number, column: number];

const positions = (files: Record<string, string>): Place[] => ruleFindings(RULE, files).map((finding) => [finding.file, finding.line, finding.column]);

const config = (text: string): Record<string, string> => ({ 'gunicorn.conf.py': text });

describe(RULE, () => {
  test.each<[string, Record<string, string>, Place[]]>([
    ['multiprocessing formula', config('import multiprocessing\n\nworkers = multiprocessing.cpu_count() * 2 + 1\n'), [['gunicorn.conf.py', 3, 1]]],
    ['os.cpu_count', config('import os\nworkers = os.cpu_count() * 2\n'), [['gunicorn.conf.py', 2, 1]]],
    ['imported cpu_count', config('from multiprocessing import cpu_count\nworkers = cpu_count() + 1\n'), [['gunicorn.conf.py', 2, 1]]],
    ['through a helper name', config('import multiprocessing\ncores = multiprocessing.cpu_count()\nworkers = cores * 2 + 1\n'), [['gunicorn.conf.py', 3, 1]]],
    ['max is no cap', config('import os\nworkers = max(2, os.cpu_count())\n'), [['gunicorn.conf.py', 2, 1]]],
    ['nproc on the command line', { Dockerfile: 'FROM python:3.12-slim\nCMD gunicorn -w $(nproc) main:app\n' }, [['Dockerfile', 2, 14]]],
  ])('reports %s', (_name, files, expected) => {
    expect(positions(files)).toEqual(expected);
  });

  test('reports a warning', () => {
    expect(ruleFindings(RULE, config('import os\nworkers = os.cpu_count()\n'))[0]?.severity).toBe('warning');
  });

  test.each<[string, Record<string, string>]>([
    ['production system', PRODUCTION_SYSTEM],
    ['capped', config('import multiprocessing\nworkers = min(multiprocessing.cpu_count() * 2 + 1, 8)\n')],
    ['environment override', config('import multiprocessing, os\nworkers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))\n')],
    ['override through a name', config('import os\nimport multiprocessing as mp\ndefault = mp.cpu_count() * 2 + 1\nworkers = int(os.getenv("WORKERS", default))\n')],
    ['literal', config('workers = 3\n')],
    ['no workers', config('bind = "0.0.0.0:8000"\n')],
  ])('silent on %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });
});

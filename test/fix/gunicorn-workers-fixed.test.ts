import { DOCKERFILE_WITH_CONFIG } from '../rules/gunicorn-systems';
import { expectNoFix, expectRoundTrip, findingsOf } from './gunicorn-round-trip';

const RULE = 'gunicorn-workers-fixed';
const FORMULA = 'int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))';

const withConfig = (config: string, dockerfile = DOCKERFILE_WITH_CONFIG): Record<string, string> => ({ Dockerfile: dockerfile, 'gunicorn.conf.py': config });

describe(`${RULE} fix`, () => {
  test.each<[string, Record<string, string>, Record<string, string>]>([
    ['fixed number', withConfig('bind = "0.0.0.0:8000"\nworkers = 4\n'), { 'gunicorn.conf.py': `import multiprocessing\nimport os\n\nbind = "0.0.0.0:8000"\nworkers = ${FORMULA}\n` }],
    [
      'fixed number with os imported',
      withConfig('import os\n\nbind = "0.0.0.0:8000"\nworkers = 4  # four cores\n'),
      { 'gunicorn.conf.py': `import multiprocessing\nimport os\n\nbind = "0.0.0.0:8000"\nworkers = ${FORMULA}  # four cores\n` },
    ],
    [
      'unset, before the hooks',
      withConfig('bind = "0.0.0.0:8000"\n\n\ndef post_fork(server, worker):\n    server.log.info("forked")\n'),
      { 'gunicorn.conf.py': `import multiprocessing\nimport os\n\nbind = "0.0.0.0:8000"\nworkers = ${FORMULA}\n\n\ndef post_fork(server, worker):\n    server.log.info("forked")\n` },
    ],
    ['unset, no final line break', withConfig('bind = "0.0.0.0:8000"'), { 'gunicorn.conf.py': `import multiprocessing\nimport os\n\nbind = "0.0.0.0:8000"\nworkers = ${FORMULA}\n` }],
    ['CRLF file', withConfig('bind = "0.0.0.0:8000"\r\nworkers = 2\r\n'), { 'gunicorn.conf.py': `import multiprocessing\r\nimport os\r\n\r\nbind = "0.0.0.0:8000"\r\nworkers = ${FORMULA}\r\n` }],
  ])('fixes %s', (_name, files, expected) => {
    expectRoundTrip(RULE, files, expected);
  });

  test('fix is unsafe', () => {
    expect(findingsOf(RULE, withConfig('workers = 4\n'))[0]?.fix?.safety).toBe('unsafe');
  });

  test.each<[string, Record<string, string>]>([
    ['-w flag', { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "-w", "4", "main:app"]\n' }],
    ['unset without a config file', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "main:app"]\n' }],
    ['chained assignment', withConfig('workers = threads = 4\n')],
    ['comment inside the value', withConfig('workers = (\n    4  # one per core\n)\n')],
    ['misspelt setting', withConfig('bind = "0.0.0.0:8000"\nworker = 4\n')],
  ])('no fix for %s', (_name, files) => {
    expectNoFix(RULE, files);
  });
});

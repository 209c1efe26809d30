import { DOCKERFILE_WITH_CONFIG } from '../rules/gunicorn-systems';
import { expectNoFix, expectRoundTrip, findingsOf } from './gunicorn-round-trip';

const RULE = 'gunicorn-workers-uncapped';
const FORMULA = 'int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))';

const withConfig = (config: string, dockerfile = DOCKERFILE_WITH_CONFIG): Record<string, string> => ({ Dockerfile: dockerfile, 'gunicorn.conf.py': config });

describe(`${RULE} fix`, () => {
  test.each<[string, Record<string, string>, Record<string, string>]>([
    [
      'cpu_count formula',
      withConfig('import multiprocessing\n\nworkers = multiprocessing.cpu_count() * 2 + 1\n'),
      { 'gunicorn.conf.py': `import multiprocessing\nimport os\n\nworkers = ${FORMULA}\n` },
    ],
    [
      'os.cpu_count through a name',
      withConfig('import os\n\ncores = os.cpu_count()\nworkers = cores * 2 + 1\ntimeout = 30\n'),
      { 'gunicorn.conf.py': `import multiprocessing\nimport os\n\ncores = os.cpu_count()\nworkers = ${FORMULA}\ntimeout = 30\n` },
    ],
  ])('fixes %s', (_name, files, expected) => {
    expectRoundTrip(RULE, files, expected);
  });

  test('fix is unsafe', () => {
    expect(findingsOf(RULE, withConfig('import multiprocessing\nworkers = multiprocessing.cpu_count()\n'))[0]?.fix?.safety).toBe('unsafe');
  });

  test.each<[string, Record<string, string>]>([
    ['-w $(nproc)', { Dockerfile: 'FROM python:3.12-slim\nCMD gunicorn -w $(nproc) main:app\n' }],
    ['comment inside the formula', withConfig('import multiprocessing\n\nworkers = (\n    multiprocessing.cpu_count() * 2  # two per core\n    + 1\n)\n')],
    ['augmented assignment', withConfig('import multiprocessing\n\nworkers = 1\nworkers += multiprocessing.cpu_count()\n')],
  ])('no fix for %s', (_name, files) => {
    expectNoFix(RULE, files);
  });
});

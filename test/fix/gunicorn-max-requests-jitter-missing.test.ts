import { DOCKERFILE_WITH_CONFIG } from '../rules/gunicorn-systems';
import { expectNoFix, expectRoundTrip, findingsOf, fixGunicorn } from './gunicorn-round-trip';

const RULE = 'gunicorn-max-requests-jitter-missing';

const withConfig = (config: string): Record<string, string> => ({ Dockerfile: DOCKERFILE_WITH_CONFIG, 'gunicorn.conf.py': config });

describe(`${RULE} fix`, () => {
  test.each<[string, Record<string, string>, Record<string, string>]>([
    ['unset', withConfig('max_requests = 2000\n'), { 'gunicorn.conf.py': 'max_requests = 2000\nmax_requests_jitter = 200\n' }],
    ['zero in the config', withConfig('max_requests = 1000\nmax_requests_jitter = 0  # off\n'), { 'gunicorn.conf.py': 'max_requests = 1000\nmax_requests_jitter = 100  # off\n' }],
    ['small max_requests', withConfig('max_requests = 5\n'), { 'gunicorn.conf.py': 'max_requests = 5\nmax_requests_jitter = 1\n' }],
    [
      'max_requests from the environment',
      withConfig('import os\n\nmax_requests = int(os.environ.get("MAX_REQUESTS", "500"))\n'),
      { 'gunicorn.conf.py': 'import os\n\nmax_requests = int(os.environ.get("MAX_REQUESTS", "500"))\nmax_requests_jitter = 50\n' },
    ],
    [
      'zero flag',
      { Dockerfile: 'FROM python:3.12-slim\nCMD gunicorn --max-requests 500 --max-requests-jitter 0 main:app\n' },
      { Dockerfile: 'FROM python:3.12-slim\nCMD gunicorn --max-requests 500 --max-requests-jitter 50 main:app\n' },
    ],
  ])('fixes %s', (_name, files, expected) => {
    expectRoundTrip(RULE, files, expected);
  });

  test('fix is safe', () => {
    expect(findingsOf(RULE, withConfig('max_requests = 1000\n'))[0]?.fix?.safety).toBe('safe');
  });

  test('applies without unsafe fixes', () => {
    expect(fixGunicorn(withConfig('max_requests = 1000\n'), RULE, false).changed).toEqual({ 'gunicorn.conf.py': 'max_requests = 1000\nmax_requests_jitter = 100\n' });
  });

  test.each<[string, Record<string, string>]>([
    ['max_requests not evaluated', withConfig('from limits import compute\n\nmax_requests = compute()\n')],
    ['unset without a config file', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "--max-requests", "1000", "main:app"]\n' }],
  ])('no fix for %s', (_name, files) => {
    expectNoFix(RULE, files);
  });
});

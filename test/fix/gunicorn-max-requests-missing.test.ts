import { DOCKERFILE_WITH_CONFIG } from '../rules/gunicorn-systems';
import { expectNoFix, expectRoundTrip, findingsOf, fixGunicorn } from './gunicorn-round-trip';

const RULE = 'gunicorn-max-requests-missing';

const withConfig = (config: string): Record<string, string> => ({ Dockerfile: DOCKERFILE_WITH_CONFIG, 'gunicorn.conf.py': config });

describe(`${RULE} fix`, () => {
  test.each<[string, Record<string, string>, Record<string, string>]>([
    ['unset', withConfig('bind = "0.0.0.0:8000"\n'), { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nmax_requests = 1000\nmax_requests_jitter = 100\n' }],
    ['unset, jitter present', withConfig('bind = "0.0.0.0:8000"\nmax_requests_jitter = 50\n'), { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nmax_requests_jitter = 50\nmax_requests = 1000\n' }],
    [
      'unset, before a hook',
      withConfig('timeout = 30\n\n\ndef on_starting(server):\n    pass\n'),
      { 'gunicorn.conf.py': 'timeout = 30\nmax_requests = 1000\nmax_requests_jitter = 100\n\n\ndef on_starting(server):\n    pass\n' },
    ],
    ['zero in the config', withConfig('max_requests = 0\nmax_requests_jitter = 100\n'), { 'gunicorn.conf.py': 'max_requests = 1000\nmax_requests_jitter = 100\n' }],
    [
      'zero flag',
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--max-requests", "0", "main:app"]\n' },
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--max-requests", "1000", "main:app"]\n' },
    ],
  ])('fixes %s', (_name, files, expected) => {
    expectRoundTrip(RULE, files, expected);
  });

  test('fix is safe', () => {
    expect(findingsOf(RULE, withConfig('bind = "0.0.0.0:8000"\n'))[0]?.fix?.safety).toBe('safe');
  });

  test('applies without unsafe fixes', () => {
    expect(fixGunicorn(withConfig('timeout = 30\n'), RULE, false).changed).toEqual({ 'gunicorn.conf.py': 'timeout = 30\nmax_requests = 1000\nmax_requests_jitter = 100\n' });
  });

  test.each<[string, Record<string, string>]>([
    ['unset without a config file', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "main:app"]\n' }],
    ['misspelt max_requests', withConfig('max_request = 1000\n')],
    ['zero flag in a compose command', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: gunicorn --max-requests 0 main:app\n' }],
  ])('no fix for %s', (_name, files) => {
    expectNoFix(RULE, files);
  });
});

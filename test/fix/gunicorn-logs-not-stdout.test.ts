import { DOCKERFILE_WITH_CONFIG } from '../rules/gunicorn-systems';
import { expectNoFix, expectRoundTrip, findingsOf } from './gunicorn-round-trip';

const RULE = 'gunicorn-logs-not-stdout';

const withConfig = (config: string): Record<string, string> => ({ Dockerfile: DOCKERFILE_WITH_CONFIG, 'gunicorn.conf.py': config });

describe(`${RULE} fix`, () => {
  test.each<[string, Record<string, string>, Record<string, string>]>([
    ['access log off', withConfig('bind = "0.0.0.0:8000"\n'), { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\naccesslog = "-"\n' }],
    ['access log None', withConfig('accesslog = None\n'), { 'gunicorn.conf.py': 'accesslog = "-"\n' }],
    [
      'both logs in files',
      withConfig('accesslog = "/var/log/gunicorn/access.log"\nerrorlog = "/var/log/gunicorn/error.log"\n'),
      { 'gunicorn.conf.py': 'accesslog = "-"\nerrorlog = "-"\n' },
    ],
    [
      'flags',
      { Dockerfile: 'FROM python:3.12-slim\nCMD gunicorn --access-logfile /var/log/access.log --error-logfile=/var/log/error.log main:app\n' },
      { Dockerfile: 'FROM python:3.12-slim\nCMD gunicorn --access-logfile - --error-logfile=- main:app\n' },
    ],
  ])('fixes %s', (_name, files, expected) => {
    expectRoundTrip(RULE, files, expected);
  });

  test('fix is unsafe', () => {
    expect(findingsOf(RULE, withConfig('bind = "0.0.0.0:8000"\n'))[0]?.fix?.safety).toBe('unsafe');
  });

  test.each<[string, Record<string, string>]>([
    ['access log off without a config file', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "main:app"]\n' }],
    ['flag in a compose command', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: gunicorn --access-logfile - --error-logfile /var/log/error.log main:app\n' }],
  ])('no fix for %s', (_name, files) => {
    expectNoFix(RULE, files);
  });
});

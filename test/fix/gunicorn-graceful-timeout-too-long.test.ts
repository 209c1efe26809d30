import { DOCKERFILE_WITH_CONFIG } from '../rules/gunicorn-systems';
import { expectNoFix, expectRoundTrip, findingsOf } from './gunicorn-round-trip';

const RULE = 'gunicorn-graceful-timeout-too-long';

const COMPOSE_20S = 'services:\n  web:\n    build: .\n    stop_grace_period: 20s\n';
const COMPOSE_5S = 'services:\n  web:\n    build: .\n    stop_grace_period: 5s\n';
const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n';

const withConfig = (config: string, extra: Record<string, string> = {}): Record<string, string> => ({ Dockerfile: DOCKERFILE_WITH_CONFIG, 'gunicorn.conf.py': config, ...extra });

describe(`${RULE} fix`, () => {
  test.each<[string, Record<string, string>, Record<string, string>]>([
    ['compose 20 s', withConfig('graceful_timeout = 120\n', { 'docker-compose.yml': COMPOSE_20S }), { 'gunicorn.conf.py': 'graceful_timeout = 16\n' }],
    ['default 30 s over compose 5 s', withConfig('timeout = 30\n', { 'docker-compose.yml': COMPOSE_5S }), { 'gunicorn.conf.py': 'timeout = 30\ngraceful_timeout = 3\n' }],
    ['no declared period', withConfig('graceful_timeout = 120\n'), { 'gunicorn.conf.py': 'graceful_timeout = 8\n' }],
    [
      'Kubernetes default with a flag',
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--graceful-timeout", "60", "main:app"]\n', 'k8s/deployment.yaml': DEPLOYMENT },
      { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--graceful-timeout", "25", "main:app"]\n' },
    ],
  ])('fixes %s', (_name, files, expected) => {
    expectRoundTrip(RULE, files, expected);
  });

  test('fix is unsafe', () => {
    expect(findingsOf(RULE, withConfig('graceful_timeout = 120\n'))[0]?.fix?.safety).toBe('unsafe');
  });

  test.each<[string, Record<string, string>]>([
    ['default without a config file', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "main:app"]\n', 'docker-compose.yml': COMPOSE_5S }],
    ['comment inside the value', withConfig('graceful_timeout = (\n    120  # slow shutdown\n)\n', { 'docker-compose.yml': COMPOSE_20S })],
  ])('no fix for %s', (_name, files) => {
    expectNoFix(RULE, files);
  });
});

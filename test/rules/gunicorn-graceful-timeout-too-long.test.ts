import { ruleFindings } from '../helpers';
import { PRODUCTION_SYSTEM } from './gunicorn-systems';

const RULE = 'gunicorn-graceful-timeout-too-long';

type Place = [file: string, line: number, column: number, severity: string];

const findings = (files: Record<string, string>): Place[] =>
  ruleFindings(RULE, files).map((finding) => [finding.file, finding.line, finding.column, finding.severity]);

const COMPOSE = (stop: string): string => `services:\n  web:\n    build: .\n${stop}  db:\n    image: postgres:16\n`;
const DEPLOYMENT = (grace: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n${grace}      containers:\n        - name: web\n          image: web:1\n`;

describe(RULE, () => {
  test.each<[string, Record<string, string>, Place[]]>([
    ['set above Docker default', { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\ngraceful_timeout = 120\n' }, [['gunicorn.conf.py', 2, 1, 'info']]],
    ['set to 20 s', { 'gunicorn.conf.py': 'graceful_timeout = 20\n' }, [['gunicorn.conf.py', 1, 1, 'info']]],
    ['compose default grace', { 'gunicorn.conf.py': 'workers = 2\n', 'docker-compose.yml': COMPOSE('') }, [['gunicorn.conf.py', 1, 1, 'warning']]],
    ['compose grace period', { 'gunicorn.conf.py': 'graceful_timeout = 45\n', 'docker-compose.yml': COMPOSE('    stop_grace_period: 30s\n') }, [['gunicorn.conf.py', 1, 1, 'warning']]],
    ['Kubernetes grace period', { 'gunicorn.conf.py': 'graceful_timeout = 25\n', 'k8s/deployment.yaml': DEPLOYMENT('      terminationGracePeriodSeconds: 20\n') }, [['gunicorn.conf.py', 1, 1, 'warning']]],
    ['flag', { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--graceful-timeout", "60", "main:app"]\n' }, [['Dockerfile', 2, 18, 'info']]],
  ])('reports %s', (_name, files, expected) => {
    expect(findings(files)).toEqual(expected);
  });

  test.each<[string, Record<string, string>]>([
    ['production system', PRODUCTION_SYSTEM],
    ['default without a declaration', { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\n' }],
    ['within Docker default', { 'gunicorn.conf.py': 'graceful_timeout = 10\n' }],
    ['compose grace period longer', { 'gunicorn.conf.py': 'graceful_timeout = 30\n', 'docker-compose.yml': COMPOSE('    stop_grace_period: 1m30s\n') }],
    ['Kubernetes default grace', { 'gunicorn.conf.py': 'graceful_timeout = 25\n', 'k8s/deployment.yaml': DEPLOYMENT('') }],
  ])('silent on %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });
});

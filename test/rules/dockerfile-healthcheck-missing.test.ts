import { checkFiles, ruleFindings } from '../helpers';

const RULE = 'dockerfile-healthcheck-missing';
const DOCKERFILE = 'FROM python:3.12-slim AS runtime\nCMD ["gunicorn", "app:app"]\n';

function findings(files: Record<string, string>) {
  return ruleFindings(RULE, files).map(({ file, line, column, severity }) => ({ file, line, column, severity }));
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: web:1.0
          readinessProbe:
            httpGet:
              path: /ready
              port: 8000
`;

describe(RULE, () => {
  test.each([
    ['no healthcheck', { Dockerfile: DOCKERFILE }, 1],
    ['healthcheck only in builder', { Dockerfile: 'FROM python:3.12 AS build\nHEALTHCHECK CMD true\n\nFROM python:3.12-slim\nCMD ["gunicorn", "app:app"]\n' }, 4],
    ['compose service without healthcheck', { Dockerfile: DOCKERFILE, 'docker-compose.yml': 'services:\n  web:\n    build: .\n' }, 1],
    [
      'compose healthcheck disabled',
      { Dockerfile: DOCKERFILE, 'docker-compose.yml': 'services:\n  web:\n    build: .\n    healthcheck:\n      disable: true\n' },
      1,
    ],
    [
      'compose healthcheck NONE',
      { Dockerfile: DOCKERFILE, 'compose.yaml': 'services:\n  web:\n    build: .\n    healthcheck:\n      test: ["NONE"]\n' },
      1,
    ],
    ['kubernetes without probes', { Dockerfile: DOCKERFILE, 'k8s/deploy.yaml': DEPLOYMENT.replace(/ {10}readinessProbe:[\s\S]*$/, '') }, 1],
    ['heredoc healthcheck line', { Dockerfile: 'FROM python:3.12-slim\nRUN <<EOF\nHEALTHCHECK CMD true\nEOF\nCMD ["gunicorn", "app:app"]\n' }, 1],
  ])('reports %s', (_name, files, line) => {
    expect(findings(files)).toEqual([{ file: 'Dockerfile', line, column: 1, severity: 'warning' }]);
  });

  test.each([
    ['own healthcheck', { Dockerfile: 'FROM python:3.12-slim\nHEALTHCHECK CMD python -c "print(1)"\nCMD ["gunicorn", "app:app"]\n' }],
    ['inherited healthcheck', { Dockerfile: 'FROM python:3.12-slim AS base\nHEALTHCHECK CMD python -c "print(1)"\n\nFROM base\nCMD ["gunicorn", "app:app"]\n' }],
    ['healthcheck none left to its rule', { Dockerfile: 'FROM python:3.12-slim\nHEALTHCHECK NONE\nCMD ["gunicorn", "app:app"]\n' }],
    [
      'compose healthcheck',
      { Dockerfile: DOCKERFILE, 'docker-compose.yml': 'services:\n  web:\n    build: .\n    healthcheck:\n      test: ["CMD", "python", "-c", "print(1)"]\n' },
    ],
    ['compose shell healthcheck', { Dockerfile: DOCKERFILE, 'docker-compose.yml': 'services:\n  web:\n    healthcheck:\n      test: curl -f http://localhost/\n' }],
    ['kubernetes readiness probe', { Dockerfile: DOCKERFILE, 'k8s/deploy.yaml': DEPLOYMENT }],
    ['kubernetes liveness probe', { Dockerfile: DOCKERFILE, 'deploy/pod.yml': 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: web\n      livenessProbe:\n        tcpSocket:\n          port: 8000\n' }],
    ['no Dockerfile', { 'app.py': 'x = 1\n' }],
  ])('silent for %s', (_name, files) => {
    expect(findings(files)).toEqual([]);
  });

  test('message names stage', () => {
    expect(checkFiles({ Dockerfile: DOCKERFILE }, [RULE]).map((finding) => finding.message)).toEqual([
      'Final stage `runtime` has no `HEALTHCHECK`, and no compose healthcheck or Kubernetes probe checks the container, so a hung server is never restarted.',
    ]);
  });
});

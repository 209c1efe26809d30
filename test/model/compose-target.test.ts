import { checkFiles, dedent } from '../helpers';

const DOCKERFILE = dedent(`
  FROM python:3.12-slim AS production
  RUN useradd --uid 10001 app
  USER 10001
  CMD ["gunicorn", "main:app"]

  FROM production AS development
  USER root
  CMD ["flask", "run", "--debug"]
`);

describe('compose build target', () => {
  test('last stage judged without compose', () => {
    const rules = checkFiles({ Dockerfile: DOCKERFILE }, ['dockerfile-user-root']).map((finding) => finding.ruleId);
    expect(rules).toEqual(['dockerfile-user-root']);
  });

  test('compose target selects production stage', () => {
    const compose = 'services:\n  web:\n    build:\n      context: .\n      target: production\n';
    const findings = checkFiles({ Dockerfile: DOCKERFILE, 'docker-compose.yml': compose }, ['dockerfile-user-root', 'dockerfile-cmd-not-gunicorn']);
    expect(findings).toEqual([]);
  });

  test('compose target selects development stage', () => {
    const compose = 'services:\n  web:\n    build:\n      context: .\n      target: development\n';
    const findings = checkFiles({ Dockerfile: DOCKERFILE, 'docker-compose.yml': compose }, ['dockerfile-user-root', 'dockerfile-cmd-not-gunicorn']);
    expect(findings.map((finding) => `${finding.ruleId}:${finding.line}`).sort()).toEqual(['dockerfile-cmd-not-gunicorn:8', 'dockerfile-user-root:7']);
  });
});

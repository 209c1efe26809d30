import { checkFiles, ruleFindings } from '../helpers';

const RULE = 'dockerfile-user-root';

function findings(dockerfile: string) {
  return ruleFindings(RULE, { Dockerfile: dockerfile }).map(({ line, column, severity }) => ({ line, column, severity }));
}

describe(RULE, () => {
  test.each([
    ['no user at all', 'FROM python:3.12-slim\nCMD ["gunicorn", "app:app"]\n', 1, 1],
    ['user root', 'FROM python:3.12-slim\nUSER root\nCMD ["gunicorn", "app:app"]\n', 2, 6],
    ['user 0', 'FROM python:3.12-slim\nUSER 0\n', 2, 6],
    ['root with group', 'FROM python:3.12-slim\nUSER root:app\n', 2, 6],
    ['uid 0 with group', 'FROM python:3.12-slim\nUSER 0:0\n', 2, 6],
    ['root after app user', 'FROM python:3.12-slim\nUSER app\nRUN apt-get update\nUSER root\n', 4, 6],
    ['root from arg default', 'ARG RUN_AS=root\nFROM python:3.12-slim\nARG RUN_AS\nUSER ${RUN_AS}\n', 4, 6],
    ['root from env', 'FROM python:3.12-slim\nENV APP_USER=0\nUSER $APP_USER\n', 3, 6],
    ['root through default form', 'FROM python:3.12-slim\nARG UID\nUSER ${UID:-0}\n', 3, 6],
    ['target resets parent user', 'FROM python:3.12-slim AS base\nUSER 10001\n\nFROM base\nUSER root\n', 5, 6],
    ['user only in builder', 'FROM python:3.12 AS build\nUSER 10001\n\nFROM python:3.12-slim\nCMD ["gunicorn", "app:app"]\n', 4, 1],
    ['distroless root variant', 'FROM gcr.io/distroless/python3-debian12\nCMD ["app.py"]\n', 1, 1],
    ['crlf', 'FROM python:3.12-slim\r\nUSER root\r\n', 2, 6],
  ])('reports %s', (_name, dockerfile, line, column) => {
    expect(findings(dockerfile)).toEqual([{ line, column, severity: 'error' }]);
  });

  test.each([
    ['numeric user', 'FROM python:3.12-slim\nUSER 10001\n'],
    ['named user', 'FROM python:3.12-slim\nUSER app:app\n'],
    ['builder root, final non-root', 'FROM python:3.12 AS build\nUSER root\nRUN pip wheel -w /w flask\n\nFROM python:3.12-slim\nCOPY --from=build /w /w\nUSER 10001\n'],
    ['user inherited from parent', 'FROM python:3.12-slim AS base\nUSER 10001\n\nFROM base\nCMD ["gunicorn", "app:app"]\n'],
    ['arg with default redeclared', 'ARG APP_UID=10001\nFROM python:3.12-slim\nARG APP_UID\nUSER ${APP_UID}\n'],
    ['stage arg default', 'FROM python:3.12-slim\nARG APP_UID=10001\nUSER ${APP_UID}:${APP_UID}\n'],
    ['unresolvable user left to info rule', 'FROM python:3.12-slim\nARG UID\nUSER ${UID}\n'],
    ['distroless nonroot', 'FROM gcr.io/distroless/python3-debian12:nonroot\nCMD ["app.py"]\n'],
    ['chainguard', 'FROM cgr.dev/chainguard/python:latest\nCMD ["app.py"]\n'],
    ['heredoc body user root', 'FROM python:3.12-slim\nRUN <<EOF\nUSER root\nEOF\nUSER 10001\n'],
    ['escape directive', '# escape=`\nFROM python:3.12-slim\nRUN echo `\n  hi\nUSER 10001\n'],
    ['lone root in comment', 'FROM python:3.12-slim\n# USER root\nUSER 10001\n'],
  ])('silent for %s', (_name, dockerfile) => {
    expect(findings(dockerfile)).toEqual([]);
  });

  test('message names resolved user', () => {
    const [finding] = checkFiles({ Dockerfile: 'FROM python:3.12-slim\nENV U=root\nUSER ${U}:staff\n' }, [RULE]);
    expect(finding.message).toBe('Final stage sets `USER root:staff`, so the service runs as root.');
  });
});

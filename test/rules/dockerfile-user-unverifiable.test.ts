import { checkFiles, ruleFindings } from '../helpers';

const RULE = 'dockerfile-user-unverifiable';

function messages(dockerfile: string): string[] {
  return checkFiles({ Dockerfile: dockerfile }, [RULE]).map((finding) => finding.message);
}

describe(RULE, () => {
  test.each([
    ['arg without default', 'FROM python:3.12-slim\nARG UID\nUSER ${UID}\n', 3, 6],
    ['global arg not redeclared', 'ARG APP_UID=10001\nFROM python:3.12-slim\nUSER ${APP_UID}\n', 3, 6],
    ['undeclared variable', 'FROM python:3.12-slim\nUSER $APP_UID\n', 2, 6],
    ['env from unknown value', 'FROM python:3.12-slim\nENV U=$HOME_UID\nUSER $U\n', 3, 6],
  ])('reports %s', (_name, dockerfile, line, column) => {
    expect(ruleFindings(RULE, { Dockerfile: dockerfile })).toEqual([{ ruleId: RULE, file: 'Dockerfile', line, column, severity: 'info' }]);
  });

  test.each([
    ['arg with default', 'FROM python:3.12-slim\nARG UID=10001\nUSER ${UID}\n'],
    ['global arg redeclared', 'ARG APP_UID=10001\nFROM python:3.12-slim\nARG APP_UID\nUSER ${APP_UID}\n'],
    ['default form', 'FROM python:3.12-slim\nARG UID\nUSER ${UID:-10001}\n'],
    ['literal user', 'FROM python:3.12-slim\nUSER 10001\n'],
    ['no user', 'FROM python:3.12-slim\n'],
    ['unresolved user in builder', 'FROM python:3.12 AS build\nUSER ${UID}\n\nFROM python:3.12-slim\nUSER 10001\n'],
  ])('silent for %s', (_name, dockerfile) => {
    expect(ruleFindings(RULE, { Dockerfile: dockerfile })).toEqual([]);
  });

  test('message for missing default', () => {
    expect(messages('FROM python:3.12-slim\nARG UID\nUSER ${UID}\n')).toEqual([
      '`USER ${UID}` cannot be verified: `ARG UID` has no default, so the user depends on `--build-arg`.',
    ]);
  });

  test('message for global arg', () => {
    expect(messages('ARG APP_UID=10001\nFROM python:3.12-slim\nUSER ${APP_UID}\n')).toEqual([
      '`USER ${APP_UID}` cannot be verified: `APP_UID` is a global ARG, and a stage sees it only after declaring it again with `ARG APP_UID`.',
    ]);
  });

  test('message names unresolved group variable', () => {
    expect(messages('FROM python:3.12-slim\nARG UID=10001\nUSER ${UID}:${GID}\n')).toEqual([
      '`USER ${UID}:${GID}` cannot be verified: the value of `GID` is not known from the Dockerfile.',
    ]);
  });
});

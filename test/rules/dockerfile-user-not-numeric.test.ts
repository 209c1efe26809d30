import { ruleFindings } from '../helpers';

const RULE = 'dockerfile-user-not-numeric';

describe(RULE, () => {
  test.each([
    ['named user', 'FROM python:3.12-slim\nUSER app\n', 2, 6],
    ['named user and group', 'FROM python:3.12-slim\nUSER app:app\n', 2, 6],
    ['name from arg', 'FROM python:3.12-slim\nARG NAME=web\nUSER ${NAME}\n', 3, 6],
    ['inherited name', 'FROM python:3.12-slim AS base\nUSER app\n\nFROM base\nCMD ["gunicorn", "app:app"]\n', 2, 6],
  ])('reports %s', (_name, dockerfile, line, column) => {
    expect(ruleFindings(RULE, { Dockerfile: dockerfile })).toEqual([{ ruleId: RULE, file: 'Dockerfile', line, column, severity: 'info' }]);
  });

  test.each([
    ['numeric uid', 'FROM python:3.12-slim\nUSER 10001\n'],
    ['numeric uid with named group', 'FROM python:3.12-slim\nUSER 10001:app\n'],
    ['root left to root rule', 'FROM python:3.12-slim\nUSER root\n'],
    ['unresolved', 'FROM python:3.12-slim\nUSER ${UID}\n'],
    ['named user only in builder', 'FROM python:3.12 AS build\nUSER builder\n\nFROM python:3.12-slim\nUSER 10001\n'],
  ])('silent for %s', (_name, dockerfile) => {
    expect(ruleFindings(RULE, { Dockerfile: dockerfile })).toEqual([]);
  });
});

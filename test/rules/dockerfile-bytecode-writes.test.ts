import { ruleFindings } from '../helpers';

const RULE = 'dockerfile-bytecode-writes';

function findings(dockerfile: string) {
  return ruleFindings(RULE, { Dockerfile: dockerfile }).map(({ line, column, severity }) => ({ line, column, severity }));
}

describe(RULE, () => {
  test.each([
    ['not set', 'FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\n', 1],
    ['empty value', 'FROM python:3.12-slim\nENV PYTHONDONTWRITEBYTECODE=""\n', 1],
    ['only in builder', 'FROM python:3.12 AS build\nENV PYTHONDONTWRITEBYTECODE=1\n\nFROM python:3.12-slim AS app\n', 4],
    ['python -u only', 'FROM python:3.12-slim\nCMD ["python", "-u", "-m", "gunicorn", "app:app"]\n', 1],
  ])('reports %s', (_name, dockerfile, line) => {
    expect(findings(dockerfile)).toEqual([{ line, column: 1, severity: 'info' }]);
  });

  test.each([
    ['set', 'FROM python:3.12-slim\nENV PYTHONDONTWRITEBYTECODE=1\n'],
    ['inherited', 'FROM python:3.12-slim AS base\nENV PYTHONDONTWRITEBYTECODE=1\n\nFROM base\n'],
    ['python -B', 'FROM python:3.12-slim\nCMD ["python", "-B", "-m", "gunicorn", "app:app"]\n'],
    ['escape directive continuation', '# escape=`\nFROM python:3.12-slim\nENV PYTHONUNBUFFERED=1 `\n    PYTHONDONTWRITEBYTECODE=1\n'],
  ])('silent for %s', (_name, dockerfile) => {
    expect(findings(dockerfile)).toEqual([]);
  });
});

import { ruleFindings } from '../helpers';

const RULE = 'dockerfile-python-unbuffered-missing';

function findings(dockerfile: string) {
  return ruleFindings(RULE, { Dockerfile: dockerfile }).map(({ line, column, severity }) => ({ line, column, severity }));
}

describe(RULE, () => {
  test.each([
    ['not set', 'FROM python:3.12-slim\nCMD ["gunicorn", "app:app"]\n', 1],
    ['empty value', 'FROM python:3.12-slim\nENV PYTHONUNBUFFERED=\n', 1],
    ['only in builder', 'FROM python:3.12 AS build\nENV PYTHONUNBUFFERED=1\n\nFROM python:3.12-slim\n', 4],
    ['only an arg', 'FROM python:3.12-slim\nARG PYTHONUNBUFFERED=1\n', 1],
    ['only in heredoc body', 'FROM python:3.12-slim\nRUN <<EOF\nENV PYTHONUNBUFFERED=1\nEOF\n', 1],
  ])('reports %s', (_name, dockerfile, line) => {
    expect(findings(dockerfile)).toEqual([{ line, column: 1, severity: 'warning' }]);
  });

  test.each([
    ['set to 1', 'FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\n'],
    ['set to 0 still unbuffers', 'FROM python:3.12-slim\nENV PYTHONUNBUFFERED=0\n'],
    ['legacy form', 'FROM python:3.12-slim\nENV PYTHONUNBUFFERED 1\n'],
    ['inherited', 'FROM python:3.12-slim AS base\nENV PYTHONUNBUFFERED=1\n\nFROM base\n'],
    ['from arg value', 'FROM python:3.12-slim\nARG UNBUFFERED=1\nENV PYTHONUNBUFFERED=${UNBUFFERED}\n'],
    ['unknown value', 'FROM python:3.12-slim\nENV PYTHONUNBUFFERED=$FROM_BUILD\n'],
    ['python -u', 'FROM python:3.12-slim\nCMD ["python", "-u", "-m", "gunicorn", "app:app"]\n'],
    ['combined python flags', 'FROM python:3.12-slim\nCMD ["python3", "-Bu", "-m", "gunicorn", "app:app"]\n'],
    ['crlf multi pair', 'FROM python:3.12-slim\r\nENV PYTHONDONTWRITEBYTECODE=1 \\\r\n    PYTHONUNBUFFERED=1\r\n'],
  ])('silent for %s', (_name, dockerfile) => {
    expect(findings(dockerfile)).toEqual([]);
  });
});

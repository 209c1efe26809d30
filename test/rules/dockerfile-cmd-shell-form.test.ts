import { checkFiles, ruleFindings } from '../helpers';

const RULE = 'dockerfile-cmd-shell-form';

function findings(files: Record<string, string>) {
  return ruleFindings(RULE, files).map(({ file, line, column, severity }) => ({ file, line, column, severity }));
}

describe(RULE, () => {
  test.each([
    ['shell cmd', 'FROM python:3.12-slim\nCMD gunicorn app:app\n', 2, 5],
    ['shell entrypoint', 'FROM python:3.12-slim\nENTRYPOINT gunicorn app:app\n', 2, 12],
    ['chained commands', 'FROM python:3.12-slim\nCMD cd /app && gunicorn app:app\n', 2, 5],
    ['continuation lines', 'FROM python:3.12-slim\nCMD gunicorn \\\n    --bind 0.0.0.0:8000 \\\n    app:app\n', 2, 5],
    ['inherited shell cmd', 'FROM python:3.12-slim AS base\nCMD gunicorn app:app\n\nFROM base\nUSER 10001\n', 2, 5],
    ['crlf', 'FROM python:3.12-slim\r\nCMD gunicorn app:app\r\n', 2, 5],
    ['escape backtick', '# escape=`\nFROM python:3.12-slim\nCMD gunicorn `\n  app:app\n', 3, 5],
  ])('reports %s', (_name, dockerfile, line, column) => {
    expect(findings({ Dockerfile: dockerfile })).toEqual([{ file: 'Dockerfile', line, column, severity: 'warning' }]);
  });

  test('reports shell cmd passed through "$@"', () => {
    const files = {
      Dockerfile: 'FROM python:3.12-slim\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\nCMD gunicorn app:app\n',
      'entrypoint.sh': '#!/bin/sh\nexec "$@"\n',
    };
    expect(findings(files)).toEqual([{ file: 'Dockerfile', line: 4, column: 5, severity: 'warning' }]);
  });

  test.each([
    ['exec form', 'FROM python:3.12-slim\nCMD ["gunicorn", "app:app"]\n'],
    ['shell form with exec', 'FROM python:3.12-slim\nCMD exec gunicorn --bind 0.0.0.0:$PORT app:app\n'],
    ['chained with exec last', 'FROM python:3.12-slim\nCMD cd /app && exec gunicorn app:app\n'],
    ['invalid json left to its rule', "FROM python:3.12-slim\nCMD ['gunicorn', 'app:app']\n"],
    ['shell cmd ignored by exec entrypoint', 'FROM python:3.12-slim\nENTRYPOINT ["gunicorn", "app:app"]\n'],
    ['shell cmd only in builder', 'FROM python:3.12 AS build\nCMD python build.py\n\nFROM python:3.12-slim\nCMD ["gunicorn", "app:app"]\n'],
    ['overridden by later exec cmd', 'FROM python:3.12-slim\nCMD gunicorn app:app\nCMD ["gunicorn", "app:app"]\n'],
    ['heredoc body with shell-looking cmd', 'FROM python:3.12-slim\nRUN <<EOF\nCMD gunicorn app:app\nEOF\nCMD ["gunicorn", "app:app"]\n'],
  ])('silent for %s', (_name, dockerfile) => {
    expect(findings({ Dockerfile: dockerfile })).toEqual([]);
  });

  test('message names shell and command', () => {
    const [finding] = checkFiles({ Dockerfile: 'FROM python:3.12-slim\nSHELL ["/bin/bash", "-c"]\nCMD gunicorn app:app\n' }, [RULE]);
    expect(finding.message).toBe(
      '`CMD` uses shell form, so `/bin/bash -c` starts `gunicorn app:app` and may stay PID 1, where the SIGTERM of `docker stop` never reaches the server.',
    );
  });
});

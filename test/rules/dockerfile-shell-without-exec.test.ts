import { checkFiles, ruleFindings } from '../helpers';

const RULE = 'dockerfile-shell-without-exec';

function findings(files: Record<string, string>) {
  return ruleFindings(RULE, files).map(({ file, line, column }) => ({ file, line, column }));
}

const SCRIPT_DOCKERFILE = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["/app/entrypoint.sh"]\nCMD ["gunicorn", "app:app"]\n';

describe(RULE, () => {
  test.each([
    ['sh -c gunicorn', 'FROM python:3.12-slim\nCMD ["sh", "-c", "gunicorn --bind 0.0.0.0:$PORT app:app"]\n', 2, 18],
    ['bash -ec chain', 'FROM python:3.12-slim\nCMD ["/bin/bash", "-ec", "flask db upgrade && gunicorn app:app"]\n', 2, 26],
    ['entrypoint sh -c with cmd args', 'FROM python:3.12-slim\nENTRYPOINT ["sh", "-c", "\\"$@\\"", "sh"]\nCMD ["gunicorn", "app:app"]\n', 2, 25],
  ])('reports %s', (_name, dockerfile, line, column) => {
    expect(findings({ Dockerfile: dockerfile })).toEqual([{ file: 'Dockerfile', line, column }]);
  });

  test.each([
    ['"$@" without exec', '#!/bin/sh\nset -e\nflask db upgrade\n"$@"\n', 4, 1],
    ['gunicorn without exec', '#!/bin/sh\nset -e\ngunicorn -c gunicorn.conf.py app:app\n', 3, 1],
    ['gunicorn then exit', '#!/bin/sh\ngunicorn app:app\nexit $?\n', 2, 1],
    ['crlf script', '#!/bin/sh\r\nset -e\r\n"$@"\r\n', 3, 1],
  ])('reports script %s', (_name, script, line, column) => {
    expect(findings({ Dockerfile: SCRIPT_DOCKERFILE, 'entrypoint.sh': script })).toEqual([{ file: 'entrypoint.sh', line, column }]);
  });

  test.each([
    ['sh -c with exec', { Dockerfile: 'FROM python:3.12-slim\nCMD ["sh", "-c", "exec gunicorn --bind 0.0.0.0:$PORT app:app"]\n' }],
    ['chain ending in exec', { Dockerfile: 'FROM python:3.12-slim\nCMD ["sh", "-c", "flask db upgrade && exec gunicorn app:app"]\n' }],
    ['script exec "$@"', { Dockerfile: SCRIPT_DOCKERFILE, 'entrypoint.sh': '#!/bin/sh\nset -e\nexec "$@"\n' }],
    ['script exec gosu', { Dockerfile: SCRIPT_DOCKERFILE, 'entrypoint.sh': '#!/bin/sh\nexec gosu app "$@"\n' }],
    [
      'exec inside case',
      {
        Dockerfile: SCRIPT_DOCKERFILE,
        'entrypoint.sh': '#!/bin/sh\ncase "$1" in\n  web) exec gunicorn app:app ;;\n  *) exec "$@" ;;\nesac\n',
      },
    ],
    ['heredoc body lines ignored', { Dockerfile: SCRIPT_DOCKERFILE, 'entrypoint.sh': '#!/bin/sh\ncat <<EOF >/tmp/x\ngunicorn app:app\nEOF\nexec "$@"\n' }],
    ['unknown program', { Dockerfile: 'FROM python:3.12-slim\nCMD ["sh", "-c", "./run-it"]\n' }],
    ['shell form left to its rule', { Dockerfile: 'FROM python:3.12-slim\nCMD gunicorn app:app\n' }],
    ['script not in repository', { Dockerfile: 'FROM python:3.12-slim\nENTRYPOINT ["/docker-entrypoint.sh"]\nCMD ["gunicorn", "app:app"]\n' }],
  ])('silent for %s', (_name, files) => {
    expect(findings(files as Record<string, string>)).toEqual([]);
  });

  test('message names script', () => {
    const [finding] = checkFiles({ Dockerfile: SCRIPT_DOCKERFILE, 'entrypoint.sh': '#!/bin/sh\n"$@"\n' }, [RULE]);
    expect(finding.message).toBe(
      '`entrypoint.sh` ends by running `gunicorn app:app` without `exec`, so the script\'s shell stays PID 1 and the SIGTERM of `docker stop` never reaches the server.',
    );
  });
});

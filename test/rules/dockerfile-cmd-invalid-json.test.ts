import { checkFiles, ruleFindings } from '../helpers';

const RULE = 'dockerfile-cmd-invalid-json';

function findings(dockerfile: string) {
  return ruleFindings(RULE, { Dockerfile: dockerfile }).map(({ line, column, severity }) => ({ line, column, severity }));
}

function messages(dockerfile: string): string[] {
  return checkFiles({ Dockerfile: dockerfile }, [RULE]).map((finding) => finding.message);
}

describe(RULE, () => {
  test.each([
    ['single quotes', "FROM python:3.12-slim\nCMD ['gunicorn', 'app:app']\n", 2, 5],
    ['trailing comma', 'FROM python:3.12-slim\nCMD ["gunicorn", "app:app",]\n', 2, 5],
    ['bad escape', 'FROM python:3.12-slim\nCMD ["python", "-c", "import re; re.match(\'\\d\', x)"]\n', 2, 5],
    ['missing comma', 'FROM python:3.12-slim\nCMD ["gunicorn" "app:app"]\n', 2, 5],
    ['unquoted words', 'FROM python:3.12-slim\nCMD [gunicorn, app:app]\n', 2, 5],
    ['typographic quotes', 'FROM python:3.12-slim\nCMD [\u201Cgunicorn\u201D, \u201Capp:app\u201D]\n', 2, 5],
    ['entrypoint', "FROM python:3.12-slim\nENTRYPOINT ['/entrypoint.sh']\n", 2, 12],
    ['healthcheck', "FROM python:3.12-slim\nHEALTHCHECK --interval=10s CMD ['python', '-c', 'print(1)']\nCMD [\"gunicorn\", \"app:app\"]\n", 2, 32],
    ['number element', 'FROM python:3.12-slim\nCMD ["gunicorn", "--workers", 4, "app:app"]\n', 2, 5],
    ['inherited from parent', "FROM python:3.12-slim AS base\nCMD ['gunicorn', 'app:app']\n\nFROM base\nUSER 10001\n", 2, 5],
    ['crlf continuation', "FROM python:3.12-slim\r\nCMD ['gunicorn', \\\r\n     'app:app']\r\n", 2, 5],
  ])('reports %s', (_name, dockerfile, line, column) => {
    expect(findings(dockerfile)).toEqual([{ line, column, severity: 'error' }]);
  });

  test.each([
    ['valid exec form', 'FROM python:3.12-slim\nCMD ["gunicorn", "app:app"]\n'],
    ['valid escapes', 'FROM python:3.12-slim\nCMD ["python", "-c", "print(\\"\\\\d\\u0041\\")"]\n'],
    ['json over continuation', 'FROM python:3.12-slim\nCMD ["gunicorn", \\\n     "app:app"]\n'],
    ['shell test bracket', 'FROM python:3.12-slim\nCMD [ -f /app/ready ] && exec gunicorn app:app\n'],
    ['plain shell form', 'FROM python:3.12-slim\nCMD gunicorn app:app\n'],
    ['builder stage only', "FROM python:3.12 AS build\nCMD ['python', 'x.py']\n\nFROM python:3.12-slim\nCMD [\"gunicorn\", \"app:app\"]\n"],
    ['overridden cmd', "FROM python:3.12-slim\nCMD ['gunicorn']\nCMD [\"gunicorn\", \"app:app\"]\n"],
    ['escape directive keeps json', '# escape=`\nFROM python:3.12-slim\nCMD ["python", "-c", "print(\\"a\\\\b\\")"]\n'],
    ['heredoc body', "FROM python:3.12-slim\nRUN <<EOF\nCMD ['x']\nEOF\nCMD [\"gunicorn\", \"app:app\"]\n"],
  ])('silent for %s', (_name, dockerfile) => {
    expect(findings(dockerfile)).toEqual([]);
  });

  test.each([
    ["CMD ['gunicorn', 'app:app']", 'uses single quotes, and JSON strings need double quotes'],
    ['CMD ["gunicorn", "app:app",]', 'has a trailing comma'],
    ['CMD ["a\\q"]', 'has the invalid escape `\\q`'],
    ['CMD ["gunicorn" "app:app"]', 'is missing a comma between two elements'],
    ['CMD [gunicorn, app:app]', 'has the unquoted element `gunicorn`'],
  ])('message for %s', (instruction, reason) => {
    expect(messages(`FROM python:3.12-slim\n${instruction}\n`)[0]).toContain(reason);
  });

  test('number element is rejected', () => {
    expect(messages('FROM python:3.12-slim\nCMD ["gunicorn", 4]\n')).toEqual([
      '`CMD` is a JSON array that has the element `4`, which is not a string, so Docker rejects the Dockerfile.',
    ]);
  });
});

import { checkFiles, dedent, ruleFindings } from '../helpers';

const RULE = 'dockerfile-cmd-missing';

function findings(dockerfile: string, extra: Record<string, string> = {}) {
  return ruleFindings(RULE, { Dockerfile: dedent(dockerfile), ...extra }).map(({ line, column, severity }) => ({ line, column, severity }));
}

describe(RULE, () => {
  test.each([
    ['no command', 'FROM python:3.12-slim\nCOPY . .\n', 1],
    ['command only in builder', 'FROM python:3.12 AS builder\nCMD ["gunicorn", "app:app"]\n\nFROM python:3.12-slim\nCOPY --from=builder /app /app\n', 4],
    ['empty exec cmd', 'FROM python:3.12-slim\nCMD []\n', 1],
    ['inherited cmd reset by entrypoint []', 'FROM python:3.12-slim AS base\nCMD ["gunicorn", "app:app"]\n\nFROM base\nENTRYPOINT []\n', 4],
  ])('reports %s', (_name, dockerfile, line) => {
    expect(findings(dockerfile)).toEqual([{ line, column: 1, severity: 'error' }]);
  });

  test.each([
    ['own cmd', 'FROM python:3.12-slim\nCMD ["gunicorn", "app:app"]\n'],
    ['shell-form cmd', 'FROM python:3.12-slim\nCMD gunicorn app:app\n'],
    ['entrypoint only', 'FROM python:3.12-slim\nENTRYPOINT ["gunicorn", "app:app"]\n'],
    ['cmd inherited from parent stage', 'FROM python:3.12-slim AS base\nCMD ["gunicorn", "app:app"]\n\nFROM base\nCOPY . .\n'],
    ['heredoc body is not a cmd', 'FROM python:3.12-slim\nRUN <<EOF\necho hi\nEOF\nCMD ["gunicorn", "app:app"]\n'],
    ['no Dockerfile', null],
  ])('silent for %s', (_name, dockerfile) => {
    const files = dockerfile === null ? { 'app.py': 'x = 1\n' } : { Dockerfile: dedent(dockerfile) };
    expect(ruleFindings(RULE, files)).toEqual([]);
  });

  test('heredoc line looking like cmd', () => {
    const result = findings('FROM python:3.12-slim\nRUN <<EOF\nCMD ["gunicorn"]\nEOF\n');
    expect(result).toEqual([{ line: 1, column: 1, severity: 'error' }]);
  });

  test('named target without command', () => {
    const files = { Dockerfile: 'FROM python:3.12-slim AS dev\nCOPY . .\n\nFROM python:3.12-slim AS prod\nCMD ["gunicorn", "app:app"]\n' };
    const result = checkFiles(files, [RULE], 'dev').filter((finding) => finding.ruleId === RULE);
    expect(result.map((finding) => finding.line)).toEqual([1]);
  });

  test('message names stage and image', () => {
    const [finding] = checkFiles({ Dockerfile: 'FROM python:3.12-slim AS web\nCOPY . .\n' }, [RULE]);
    expect(finding.message).toBe('Final stage `web` has neither `CMD` nor `ENTRYPOINT`, so the container runs the default command of `python:3.12-slim`.');
  });
});

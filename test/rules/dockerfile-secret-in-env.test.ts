import { checkFiles, ruleFindings } from '../helpers';

const RULE = 'dockerfile-secret-in-env';

function findings(dockerfile: string) {
  return ruleFindings(RULE, { Dockerfile: dockerfile }).map(({ line, column, severity }) => ({ line, column, severity }));
}

describe(RULE, () => {
  test.each([
    ['env secret key', 'FROM python:3.12-slim\nENV SECRET_KEY=dev-secret\n', 2, 5],
    ['env password legacy form', 'FROM python:3.12-slim\nENV DB_PASSWORD hunter2\n', 2, 5],
    ['quoted token', 'FROM python:3.12-slim\nENV GITHUB_TOKEN="ghp_abc123"\n', 2, 5],
    ['second pair', 'FROM python:3.12-slim\nENV DEBUG=0 STRIPE_API_KEY=sk_live_123\n', 2, 13],
    ['arg default', 'FROM python:3.12-slim\nARG NPM_TOKEN=abc\n', 2, 5],
    ['global arg default', 'ARG AWS_SECRET_ACCESS_KEY=abc\nFROM python:3.12-slim\n', 1, 5],
    ['database url with password', 'FROM python:3.12-slim\nENV DATABASE_URL=postgresql://app:hunter2@db:5432/app\n', 2, 5],
    ['redis url in builder', 'FROM python:3.12 AS build\nENV CACHE=redis://:s3cret@cache:6379/0\nFROM python:3.12-slim\n', 2, 5],
    ['placeholder is still literal', 'FROM python:3.12-slim\nENV SECRET_KEY=changeme\n', 2, 5],
    ['continuation', 'FROM python:3.12-slim\nENV A=1 \\\n    API_KEY=xyz\n', 3, 5],
    ['escape directive', '# escape=`\nFROM python:3.12-slim\nENV A=1 `\n    AUTH_TOKEN=xyz\n', 4, 5],
  ])('reports %s', (_name, dockerfile, line, column) => {
    expect(findings(dockerfile)).toEqual([{ line, column, severity: 'error' }]);
  });

  test('reports each secret of one instruction', () => {
    expect(findings('FROM python:3.12-slim\nENV SECRET_KEY=a DB_PASSWORD=b\n').map((finding) => finding.column)).toEqual([5, 18]);
  });

  test.each([
    ['reference', 'FROM python:3.12-slim\nARG SECRET_KEY\nENV SECRET_KEY=${SECRET_KEY}\n'],
    ['bare reference', 'FROM python:3.12-slim\nENV API_KEY=$API_KEY\n'],
    ['empty value', 'FROM python:3.12-slim\nENV SECRET_KEY=\n'],
    ['empty quotes', 'FROM python:3.12-slim\nENV SECRET_KEY=""\n'],
    ['arg without default', 'FROM python:3.12-slim\nARG GITHUB_TOKEN\n'],
    ['secret file path', 'FROM python:3.12-slim\nENV SECRET_KEY_FILE=/run/secrets/key\n'],
    ['token ttl', 'FROM python:3.12-slim\nENV TOKEN_TTL=3600\n'],
    ['public key', 'FROM python:3.12-slim\nENV STRIPE_PUBLISHABLE_KEY=pk_live_1\n'],
    ['working directory pwd', 'FROM python:3.12-slim\nENV PWD=/app\n'],
    ['url without password', 'FROM python:3.12-slim\nENV DATABASE_URL=postgresql://app@db/app\n'],
    ['url password reference', 'FROM python:3.12-slim\nENV DATABASE_URL=postgresql://app:${DB_PASSWORD}@db/app\n'],
    ['harmless names', 'FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1 PORT=8000 KEYBOARD=none\n'],
    ['heredoc body', 'FROM python:3.12-slim\nRUN <<EOF\nENV SECRET_KEY=abc\nEOF\n'],
  ])('silent for %s', (_name, dockerfile) => {
    expect(findings(dockerfile)).toEqual([]);
  });

  test.each([
    ['FROM python:3.12-slim\nARG NPM_TOKEN=abc\n', '`ARG NPM_TOKEN` sets a literal secret, which is baked into the image where anyone who can pull it can read it.'],
    [
      'FROM python:3.12-slim\nENV DATABASE_URL=mysql://root:pw@db/app\n',
      '`ENV DATABASE_URL` holds a URL with a literal password, which is baked into the image where anyone who can pull it can read it.',
    ],
  ])('message for %s', (dockerfile, message) => {
    expect(checkFiles({ Dockerfile: dockerfile }, [RULE]).map((finding) => finding.message)).toEqual([message]);
  });
});

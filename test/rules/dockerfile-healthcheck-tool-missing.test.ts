import { checkFiles, ruleFindings } from '../helpers';

const RULE = 'dockerfile-healthcheck-tool-missing';

function findings(dockerfile: string) {
  return ruleFindings(RULE, { Dockerfile: dockerfile }).map(({ line, column, severity }) => ({ line, column, severity }));
}

const CURL = 'HEALTHCHECK CMD curl -f http://127.0.0.1:8000/health || exit 1\n';

describe(RULE, () => {
  test.each([
    ['curl on slim', `FROM python:3.12-slim\n${CURL}`, 2, 17],
    ['wget on slim', 'FROM python:3.12-slim-bookworm\nHEALTHCHECK CMD wget -qO- http://127.0.0.1:8000/health\n', 2, 17],
    ['curl on alpine', `FROM python:3.12-alpine\n${CURL}`, 2, 17],
    ['curl exec form', 'FROM python:3.12-slim\nHEALTHCHECK CMD ["curl", "-f", "http://127.0.0.1:8000/health"]\n', 2, 18],
    ['curl in sh -c', 'FROM python:3.12-slim\nHEALTHCHECK CMD ["sh", "-c", "curl -f http://127.0.0.1:$PORT/health"]\n', 2, 31],
    ['curl after options', `FROM python:3.12-slim\nHEALTHCHECK --interval=10s --timeout=3s CMD curl -f http://x/ || exit 1\n`, 2, 45],
    ['installed only in builder', `FROM python:3.12-slim AS build\nRUN apt-get update && apt-get install -y curl\n\nFROM python:3.12-slim\n${CURL}`, 5, 17],
    ['distroless', `FROM gcr.io/distroless/python3-debian12\n${CURL}`, 2, 17],
    ['inherited probe on slim', `FROM python:3.12-slim AS base\n${CURL}\nFROM base\nCMD ["gunicorn", "app:app"]\n`, 2, 17],
    ['base through arg', `ARG PY=3.12\nFROM python:\${PY}-slim\n${CURL}`, 3, 17],
    ['installed in heredoc that writes a file', `FROM python:3.12-slim\nRUN cat <<EOF > /notes\napt-get install -y curl\nEOF\n${CURL}`, 5, 17],
  ])('reports %s', (_name, dockerfile, line, column) => {
    expect(findings(dockerfile)).toEqual([{ line, column, severity: 'error' }]);
  });

  test.each([
    ['python urllib probe', 'FROM python:3.12-slim\nHEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen(\'http://127.0.0.1:8000/health\')"\n'],
    ['full python image ships curl', `FROM python:3.12\n${CURL}`],
    ['alpine ships wget', 'FROM python:3.12-alpine\nHEALTHCHECK CMD wget -qO- http://127.0.0.1:8000/health || exit 1\n'],
    ['installed with apt-get', `FROM python:3.12-slim\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\n${CURL}`],
    ['installed with version pin', `FROM python:3.12-slim\nRUN apt-get install -y curl=7.88.1-10\n${CURL}`],
    ['installed with apk', `FROM python:3.12-alpine\nRUN apk add --no-cache curl\n${CURL}`],
    ['installed in parent stage', `FROM python:3.12-slim AS base\nRUN apt-get install -y curl\n\nFROM base\n${CURL}`],
    ['installed in heredoc script', `FROM python:3.12-slim\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n${CURL}`],
    ['binary copied from builder', `FROM python:3.12 AS build\n\nFROM python:3.12-slim\nCOPY --from=build /usr/bin/curl /usr/bin/curl\n${CURL}`],
    ['unknown base image', `FROM myorg/python-base:1.4\n${CURL}`],
    ['unresolved base', `ARG BASE\nFROM \${BASE}\n${CURL}`],
    ['no healthcheck', 'FROM python:3.12-slim\nCMD ["gunicorn", "app:app"]\n'],
    ['healthcheck none', 'FROM python:3.12-slim\nHEALTHCHECK NONE\n'],
    ['curl in builder probe only', `FROM python:3.12-slim AS build\n${CURL}\nFROM python:3.12-slim\nHEALTHCHECK NONE\n`],
  ])('silent for %s', (_name, dockerfile) => {
    expect(findings(dockerfile)).toEqual([]);
  });

  test('message names tool and image', () => {
    expect(checkFiles({ Dockerfile: `FROM python:3.12-slim\n${CURL}` }, [RULE]).map((finding) => finding.message)).toEqual([
      '`HEALTHCHECK` runs `curl`, but `python:3.12-slim` does not ship it and no stage of the final image installs it, so every probe fails and the container is marked unhealthy.',
    ]);
  });
});

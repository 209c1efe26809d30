import { ruleFindings } from '../helpers';

const RULE = 'dockerfile-healthcheck-disabled';

function findings(dockerfile: string) {
  return ruleFindings(RULE, { Dockerfile: dockerfile }).map(({ line, column, severity }) => ({ line, column, severity }));
}

describe(RULE, () => {
  test.each([
    ['no comment', 'FROM python:3.12-slim\nHEALTHCHECK NONE\n', 2],
    ['comment separated by blank line', 'FROM python:3.12-slim\n# Kubernetes probes the app.\n\nHEALTHCHECK NONE\n', 4],
    ['only an expect marker', 'FROM python:3.12-slim\n# expect: dockerfile-healthcheck-disabled\nHEALTHCHECK NONE\n', 3],
    ['only a hadolint pragma', 'FROM python:3.12-slim\n# hadolint ignore=DL3059\nHEALTHCHECK NONE\n', 3],
    ['empty comment', 'FROM python:3.12-slim\n#\nHEALTHCHECK NONE\n', 3],
    ['inherited none', 'FROM python:3.12-slim AS base\nHEALTHCHECK NONE\n\nFROM base\nCMD ["gunicorn", "app:app"]\n', 2],
    ['lower-case keyword', 'FROM python:3.12-slim\nhealthcheck none\n', 2],
    ['comment inside heredoc body above', 'FROM python:3.12-slim\nRUN <<EOF\n# the reason\nEOF\nHEALTHCHECK NONE\n', 5],
    ['crlf', 'FROM python:3.12-slim\r\nHEALTHCHECK NONE\r\n', 2],
  ])('reports %s', (_name, dockerfile, line) => {
    expect(findings(dockerfile)).toEqual([{ line, column: 1, severity: 'warning' }]);
  });

  test.each([
    ['reason above', 'FROM python:3.12-slim\n# Kubernetes liveness and readiness probes check /health.\nHEALTHCHECK NONE\n'],
    ['reason above marker', 'FROM python:3.12-slim\n# The orchestrator probes /health instead.\n# expect: something-else\nHEALTHCHECK NONE\n'],
    ['reason over two lines', 'FROM python:3.12-slim\n# Health is probed by the\n# load balancer.\nHEALTHCHECK NONE\n'],
    ['crlf reason', 'FROM python:3.12-slim\r\n# Probed by Kubernetes.\r\nHEALTHCHECK NONE\r\n'],
    ['none in builder only', 'FROM python:3.12 AS build\nHEALTHCHECK NONE\n\nFROM python:3.12-slim\nCMD ["gunicorn", "app:app"]\n'],
    ['none overridden', 'FROM python:3.12-slim AS base\nHEALTHCHECK NONE\n\nFROM base\nHEALTHCHECK CMD python -c "print(1)"\n'],
    ['real healthcheck', 'FROM python:3.12-slim\nHEALTHCHECK CMD python -c "print(1)"\n'],
  ])('silent for %s', (_name, dockerfile) => {
    expect(findings(dockerfile)).toEqual([]);
  });
});

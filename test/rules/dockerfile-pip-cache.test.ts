import { ruleFindings } from '../helpers';

const RULE = 'dockerfile-pip-cache';

function findings(dockerfile: string) {
  return ruleFindings(RULE, { Dockerfile: dockerfile }).map(({ line, column, severity }) => ({ line, column, severity }));
}

describe(RULE, () => {
  test.each([
    ['pip install', 'FROM python:3.12-slim\nRUN pip install -r requirements.txt\n', 2, 5],
    ['pip3 after other commands', 'FROM python:3.12-slim\nRUN apt-get update && pip3 install flask\n', 2, 23],
    ['python -m pip', 'FROM python:3.12-slim\nRUN python -m pip install --upgrade pip\n', 2, 5],
    ['venv pip', 'FROM python:3.12-slim\nRUN /opt/venv/bin/pip install gunicorn\n', 2, 5],
    ['heredoc script', 'FROM python:3.12-slim\nRUN <<EOF\nset -e\npip install flask\nEOF\n', 4, 1],
    ['inherited stage', 'FROM python:3.12-slim AS base\nRUN pip install flask\n\nFROM base\nCMD ["gunicorn", "app:app"]\n', 2, 5],
    ['empty env value', 'FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=\nRUN pip install flask\n', 3, 5],
    ['env set after the run', 'FROM python:3.12-slim\nRUN pip install flask\nENV PIP_NO_CACHE_DIR=1\n', 2, 5],
    ['continuation', 'FROM python:3.12-slim\nRUN apt-get update \\\n && pip install flask\n', 3, 5],
  ])('reports %s', (_name, dockerfile, line, column) => {
    expect(findings(dockerfile)).toEqual([{ line, column, severity: 'info' }]);
  });

  test.each([
    ['no-cache-dir', 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n'],
    ['env set before', 'FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n'],
    ['env off still disables', 'FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=off\nRUN pip install flask\n'],
    ['arg set before', 'FROM python:3.12-slim\nARG PIP_NO_CACHE_DIR=1\nRUN pip install flask\n'],
    ['env in parent stage', 'FROM python:3.12-slim AS base\nENV PIP_NO_CACHE_DIR=1\n\nFROM base\nRUN pip install flask\n'],
    ['assignment on command', 'FROM python:3.12-slim\nRUN PIP_NO_CACHE_DIR=1 pip install flask\n'],
    ['cache mount', 'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n'],
    ['cache purge', 'FROM python:3.12-slim\nRUN pip install flask && pip cache purge\n'],
    ['cache removed', 'FROM python:3.12-slim\nRUN pip install flask && rm -rf /root/.cache/pip\n'],
    ['builder stage only', 'FROM python:3.12 AS build\nRUN pip wheel -w /w flask && pip install flask\n\nFROM python:3.12-slim\nCOPY --from=build /w /w\n'],
    ['pip other subcommand', 'FROM python:3.12-slim\nRUN pip wheel -w /w flask\n'],
    ['uv pip', 'FROM python:3.12-slim\nRUN uv pip install --system flask\n'],
    ['heredoc that writes a file', 'FROM python:3.12-slim\nRUN cat <<EOF > /app/README\npip install flask\nEOF\n'],
  ])('silent for %s', (_name, dockerfile) => {
    expect(findings(dockerfile)).toEqual([]);
  });
});

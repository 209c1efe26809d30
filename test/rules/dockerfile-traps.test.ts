import { dockerfileRules } from '../../rules/dockerfile';
import { checkFiles } from '../helpers';

const RULE_IDS = dockerfileRules.map((rule) => rule.meta.id);
const DIGEST = 'sha256:0b6b6e1f0c3f1f2a9d4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f';

/**
 * A production-grade Dockerfile full of traps. Its build stage runs as root, and its base image is
 * pinned by digest through an ARG. The USER comes from a global ARG that the parent stage declares
 * again, and the final stage inherits it. Heredoc bodies hold lines that look like instructions.
 */
const PRODUCTION = `# syntax=docker/dockerfile:1.7
ARG PYTHON_IMAGE=python:3.12-slim@${DIGEST}
ARG APP_UID=10001

FROM \${PYTHON_IMAGE} AS build
USER root
RUN apt-get update && apt-get install -y --no-install-recommends gcc \\
 && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt

FROM \${PYTHON_IMAGE} AS base
ARG APP_UID
ENV PYTHONUNBUFFERED=1 \\
    PYTHONDONTWRITEBYTECODE=1 \\
    PIP_NO_CACHE_DIR=1
RUN useradd --uid \${APP_UID} --no-create-home app
USER \${APP_UID}

FROM base
WORKDIR /app
COPY --from=build /wheels /wheels
RUN pip install /wheels/*
COPY <<EOF /app/settings.py
from os import environ
USER root
CMD python app.py
HEALTHCHECK NONE
EOF
RUN <<EOF
set -e
python -m compileall -q /app
EOF
COPY . .
HEALTHCHECK --interval=10s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"
CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]
`;

function withBacktickEscape(text: string): string {
  return text.replace('# syntax=docker/dockerfile:1.7\n', '# syntax=docker/dockerfile:1.7\n# escape=`\n').replace(/\\\n/g, '`\n');
}

function findings(files: Record<string, string>) {
  return checkFiles(files, RULE_IDS).map(({ ruleId, file, line, message }) => `${ruleId} ${file}:${line} ${message}`);
}

describe('Dockerfile traps', () => {
  test.each([
    ['production', PRODUCTION],
    ['crlf', PRODUCTION.replace(/\n/g, '\r\n')],
    ['backtick escape', withBacktickEscape(PRODUCTION)],
    ['crlf and backtick escape', withBacktickEscape(PRODUCTION).replace(/\n/g, '\r\n')],
  ])('%s is silent', (_name, dockerfile) => {
    expect(findings({ Dockerfile: dockerfile })).toEqual([]);
  });

  test('entrypoint script is silent', () => {
    const dockerfile = PRODUCTION.replace('CMD ["gunicorn"', 'ENTRYPOINT ["/app/docker/entrypoint.sh"]\nCMD ["gunicorn"');
    const script = '#!/bin/sh\nset -e\nif [ -n "$MIGRATE" ]; then\n  flask db upgrade\nfi\nexec "$@"\n';
    expect(findings({ Dockerfile: dockerfile, 'docker/entrypoint.sh': script })).toEqual([]);
  });

  test('trap file reports once broken', () => {
    const broken = PRODUCTION.replace('CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]', "CMD ['python', 'app.py']").replace('USER ${APP_UID}\n', '');
    expect(findings({ Dockerfile: broken }).map((finding) => finding.split(' ')[0])).toEqual(['dockerfile-user-root', 'dockerfile-cmd-invalid-json']);
  });
});

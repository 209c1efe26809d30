import { checkFiles, ruleFindings } from '../helpers';

const RULE = 'dockerfile-copy-order';

function findings(dockerfile: string) {
  return ruleFindings(RULE, { Dockerfile: dockerfile }).map(({ line, column, severity }) => ({ line, column, severity }));
}

describe(RULE, () => {
  test.each([
    ['copy dot', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n', 3],
    ['requirements copied too but source first', 'FROM python:3.12-slim\nCOPY requirements.txt .\nCOPY . /app\nRUN pip install -r requirements.txt\n', 3],
    ['add dot slash', 'FROM python:3.12-slim\nADD ./ /app/\nRUN pip install --requirement /app/requirements.txt\n', 2],
    ['chown flag', 'FROM python:3.12-slim\nCOPY --chown=app:app . /app\nRUN python -m pip install -r /app/requirements.txt\n', 2],
    ['json form', 'FROM python:3.12-slim\nCOPY [".", "/app"]\nRUN pip install -r /app/requirements.txt\n', 2],
    ['in builder stage', 'FROM python:3.12 AS build\nCOPY . .\nRUN pip wheel -w /w -r requirements.txt && pip install -r requirements.txt\n\nFROM python:3.12-slim\n', 2],
    ['parent copies, child installs', 'FROM python:3.12-slim AS src\nCOPY . /app\n\nFROM src\nRUN uv pip install --system -r /app/requirements.txt\n', 2],
    ['heredoc install script', 'FROM python:3.12-slim\nCOPY . .\nRUN <<EOF\npip install -r requirements.txt\nEOF\n', 2],
  ])('reports %s', (_name, dockerfile, line) => {
    expect(findings(dockerfile)).toEqual([{ line, column: 1, severity: 'info' }]);
  });

  test.each([
    ['requirements first', 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n'],
    ['install of the project itself', 'FROM python:3.12-slim\nCOPY . .\nRUN pip install .\n'],
    ['copy from another stage', 'FROM python:3.12 AS build\nFROM python:3.12-slim\nCOPY --from=build . .\nRUN pip install -r requirements.txt\n'],
    ['copy of a folder', 'FROM python:3.12-slim\nCOPY app/ /app/\nRUN pip install -r requirements.txt\n'],
    ['copy in another stage', 'FROM python:3.12 AS a\nCOPY . .\n\nFROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n'],
    ['heredoc file content', 'FROM python:3.12-slim\nCOPY . .\nRUN cat <<EOF > /notes\npip install -r requirements.txt\nEOF\n'],
    ['bind mount install', 'FROM python:3.12-slim\nRUN --mount=type=bind,source=requirements.txt,target=/r.txt pip install -r /r.txt\nCOPY . .\n'],
  ])('silent for %s', (_name, dockerfile) => {
    expect(findings(dockerfile)).toEqual([]);
  });

  test('message names copy and install line', () => {
    const messages = checkFiles({ Dockerfile: 'FROM python:3.12-slim\nCOPY . .\nRUN pip install -r requirements.txt\n' }, [RULE]).map((finding) => finding.message);
    expect(messages).toEqual(['`COPY . .` copies the whole source before `pip install -r` on line 3, so every code change reinstalls all dependencies.']);
  });
});

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { allRules } from '../../rules';
import { fixSystem, type FixOutcome } from '../../src/fix/loop';
import { systemFromMemory } from '../../src/system';

const MODULE_APP = 'from flask import Flask\n\napp = Flask(__name__)\n';
const PYTHON = '/usr/bin/python3';

function fix(files: Record<string, string>, ruleIds: string[], unsafe = true): FixOutcome {
  const rules = allRules.filter((rule) => ruleIds.includes(rule.meta.id));
  return fixSystem(systemFromMemory(files), { rules, unsafe, existsOnDisk: () => false });
}

/** Applies the fixes, checks that the rules are silent and a second run changes nothing, and returns the fixed Dockerfile. */
function fixedDockerfile(files: Record<string, string>, ruleIds: string[], unsafe = true): string {
  const first = fix(files, ruleIds, unsafe);
  const result: Record<string, string> = { ...files };
  for (const change of first.changes) result[change.relPath] = change.fixed.text;

  expect(first.remaining.filter((finding) => ruleIds.includes(finding.ruleId)).map((finding) => finding.ruleId)).toEqual([]);
  expect(fix(result, ruleIds, unsafe).changes).toEqual([]);
  return result.Dockerfile;
}

/** Fixes and returns the changed files and the findings left, for cases where the fix must back off. */
function unfixed(files: Record<string, string>, ruleIds: string[]): { changed: string[]; reported: string[] } {
  const outcome = fix(files, ruleIds);
  return { changed: outcome.changes.map((change) => change.relPath), reported: outcome.remaining.map((finding) => finding.ruleId) };
}

/** Returns the exec-form words of the Dockerfile's HEALTHCHECK, parsed as Docker parses them. */
function probeWords(dockerfile: string): string[] {
  const line = dockerfile.split('\n').find((candidate) => candidate.startsWith('HEALTHCHECK'))!;
  return JSON.parse(line.slice(line.indexOf(' CMD ') + ' CMD '.length)) as string[];
}

describe('dockerfile-user-root fix', () => {
  const RULES = ['dockerfile-user-root'];

  test.each([
    [
      'no user, comment above cmd',
      'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n\n# Start the server.\nCMD ["gunicorn", "main:app"]\n',
      'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n\nRUN useradd --create-home --uid 10001 app\nUSER 10001\n# Start the server.\nCMD ["gunicorn", "main:app"]\n',
    ],
    [
      'alpine at end without final newline',
      'FROM python:3.12-alpine\nWORKDIR /app\nCOPY . .',
      'FROM python:3.12-alpine\nWORKDIR /app\nCOPY . .\nRUN adduser -D -u 10001 app\nUSER 10001',
    ],
    [
      'user root replaced',
      'FROM python:3.12-slim\nUSER root\nCOPY . .\nCMD ["gunicorn", "main:app"]\n',
      'FROM python:3.12-slim\nRUN useradd --create-home --uid 10001 app\nUSER 10001\nCOPY . .\nCMD ["gunicorn", "main:app"]\n',
    ],
    [
      'user root kept for later run',
      'FROM python:3.12-slim\nUSER root\nRUN apt-get update\nCMD ["gunicorn", "main:app"]\n',
      'FROM python:3.12-slim\nUSER root\nRUN apt-get update\nRUN useradd --create-home --uid 10001 app\nUSER 10001\nCMD ["gunicorn", "main:app"]\n',
    ],
    [
      'existing user by uid',
      'FROM python:3.12-slim\nRUN useradd --uid 2000 web\nCMD ["gunicorn", "main:app"]\n',
      'FROM python:3.12-slim\nRUN useradd --uid 2000 web\nUSER 2000\nCMD ["gunicorn", "main:app"]\n',
    ],
    [
      'run after cmd',
      'FROM python:3.12-slim\nCMD ["gunicorn", "main:app"]\nRUN pip install --no-cache-dir flask\n',
      'FROM python:3.12-slim\nCMD ["gunicorn", "main:app"]\nRUN pip install --no-cache-dir flask\nRUN useradd --create-home --uid 10001 app\nUSER 10001\n',
    ],
    [
      'root inherited from parent',
      'FROM python:3.12-slim AS base\nUSER root\n\nFROM base\nCMD ["gunicorn", "main:app"]\n',
      'FROM python:3.12-slim AS base\nUSER root\n\nFROM base\nRUN useradd --create-home --uid 10001 app\nUSER 10001\nCMD ["gunicorn", "main:app"]\n',
    ],
  ])('%s', (_name, dockerfile, expected) => {
    expect(fixedDockerfile({ Dockerfile: dockerfile }, RULES)).toBe(expected);
  });

  test('compose target stage', () => {
    const files = {
      Dockerfile: 'FROM python:3.12-slim AS prod\nCMD ["gunicorn", "main:app"]\n\nFROM prod AS dev\nUSER root\n',
      'docker-compose.yml': 'services:\n  web:\n    build:\n      context: .\n      target: prod\n',
    };
    expect(fixedDockerfile(files, RULES)).toBe(
      'FROM python:3.12-slim AS prod\nRUN useradd --create-home --uid 10001 app\nUSER 10001\nCMD ["gunicorn", "main:app"]\n\nFROM prod AS dev\nUSER root\n',
    );
  });

  test('user without uid by name', () => {
    const outcome = fix({ Dockerfile: 'FROM python:3.12-slim\nRUN useradd web\nCMD ["gunicorn", "main:app"]\n' }, RULES);
    expect(outcome.changes[0].fixed.text).toBe('FROM python:3.12-slim\nRUN useradd web\nUSER web\nCMD ["gunicorn", "main:app"]\n');
    expect(outcome.remaining).toEqual([]);
  });

  test('user creation added once', () => {
    const dockerfile = fixedDockerfile({ Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "main:app"]\n' }, RULES);
    expect(dockerfile.match(/useradd/g)).toHaveLength(1);
  });

  test('no fix without user tool', () => {
    expect(unfixed({ Dockerfile: 'FROM gcr.io/distroless/python3-debian12\nCMD ["main.py"]\n' }, RULES)).toEqual({ changed: [], reported: RULES });
  });
});

describe('dockerfile-user-not-numeric fix', () => {
  const RULES = ['dockerfile-user-not-numeric'];

  test.each([
    ['name to uid', 'RUN useradd -m -u 10001 app\nUSER app', 'RUN useradd -m -u 10001 app\nUSER 10001'],
    ['group kept', 'RUN useradd --uid=10001 app\nUSER app:app', 'RUN useradd --uid=10001 app\nUSER 10001:app'],
    ['uid from arg', 'ARG UID=10002\nRUN adduser --disabled-password --uid ${UID} web\nUSER web', 'ARG UID=10002\nRUN adduser --disabled-password --uid ${UID} web\nUSER 10002'],
    ['option after name', 'RUN useradd web -u 3000\nUSER web', 'RUN useradd web -u 3000\nUSER 3000'],
  ])('%s', (_name, lines, expected) => {
    expect(fixedDockerfile({ Dockerfile: `FROM python:3.12-slim\n${lines}\n` }, RULES)).toBe(`FROM python:3.12-slim\n${expected}\n`);
  });

  test.each([
    ['user of base image', 'FROM python:3.12-slim\nUSER nobody\n'],
    ['created without uid', 'FROM python:3.12-slim\nRUN useradd app\nUSER app\n'],
    ['user from variable', 'FROM python:3.12-slim\nRUN useradd -u 10001 app\nENV RUN_AS=app\nUSER ${RUN_AS}\n'],
  ])('no fix for %s', (_name, dockerfile) => {
    expect(unfixed({ Dockerfile: dockerfile }, RULES)).toEqual({ changed: [], reported: RULES });
  });
});

describe('dockerfile-healthcheck-missing fix', () => {
  const RULES = ['dockerfile-healthcheck-missing'];
  const PROBE_8000 =
    'HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen(\'http://127.0.0.1:8000/health\', timeout=4).status == 200 else 1)"]';

  test('probe before cmd', () => {
    const dockerfile = fixedDockerfile({ Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "main:app"]\n', 'main.py': MODULE_APP }, RULES);
    expect(dockerfile).toBe(`FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n${PROBE_8000}\nCMD ["gunicorn", "main:app"]\n`);
  });

  test('applied as a safe fix', () => {
    const dockerfile = fixedDockerfile({ Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "main:app"]\n', 'main.py': MODULE_APP }, RULES, false);
    expect(dockerfile).toBe(`FROM python:3.12-slim\n${PROBE_8000}\nCMD ["gunicorn", "main:app"]\n`);
  });

  test('port from gunicorn bind', () => {
    const files = {
      Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nEXPOSE 5000\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]\n',
      'gunicorn.conf.py': 'import os\n\nbind = f"0.0.0.0:{os.environ.get(\'PORT\', \'9000\')}"\n',
      'main.py': MODULE_APP,
    };
    const code = probeWords(fixedDockerfile(files, RULES))[2];
    expect(code).toContain("'http://127.0.0.1:9000/health'");
  });

  test('port from expose', () => {
    const files = { Dockerfile: 'FROM python:3.12-slim\nEXPOSE 5000\nCMD ["python", "main.py"]\n', 'main.py': MODULE_APP };
    expect(probeWords(fixedDockerfile(files, RULES))[2]).toContain("'http://127.0.0.1:5000/health'");
  });

  test('prefixed liveness route', () => {
    const main = `${MODULE_APP}\n\n@app.get("/api/health")\ndef health():\n    return "ok"\n`;
    const files = { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "main:app"]\n', 'main.py': main };
    expect(probeWords(fixedDockerfile(files, RULES))[2]).toContain("'http://127.0.0.1:8000/api/health'");
  });

  test('probe is valid json', () => {
    const words = probeWords(fixedDockerfile({ Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "main:app"]\n', 'main.py': MODULE_APP }, RULES));
    expect(words.slice(0, 2)).toEqual(['python', '-c']);
    expect(words).toHaveLength(3);
  });

  (fs.existsSync(PYTHON) ? test : test.skip)('probe code compiles', () => {
    const words = probeWords(fixedDockerfile({ Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "main:app"]\n', 'main.py': MODULE_APP }, RULES));
    const result = spawnSync(PYTHON, ['-c', 'import sys; compile(sys.stdin.read(), "<probe>", "exec")'], { input: words[2], encoding: 'utf8', timeout: 10000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test.each([
    ['no flask app', { Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "main:app"]\n' }],
    ['image without python', { Dockerfile: 'FROM debian:12\nCMD ["gunicorn", "main:app"]\n', 'main.py': MODULE_APP }],
    ['celery worker', { Dockerfile: 'FROM python:3.12-slim\nCMD ["celery", "-A", "tasks", "worker"]\n', 'main.py': MODULE_APP }],
    ['script without the app', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "worker.py"]\n', 'main.py': MODULE_APP, 'worker.py': 'print("work")\n' }],
  ])('no fix for %s', (_name, files) => {
    expect(unfixed(files, RULES)).toEqual({ changed: [], reported: RULES });
  });
});

describe('dockerfile-healthcheck-tool-missing fix', () => {
  const RULES = ['dockerfile-healthcheck-tool-missing'];

  test('path, port and options kept', () => {
    const files = {
      Dockerfile: 'FROM python:3.12-slim\nHEALTHCHECK --interval=15s --timeout=3s CMD curl -f http://localhost:9000/ping || exit 1\nCMD ["gunicorn", "main:app"]\n',
      'main.py': MODULE_APP,
    };
    expect(fixedDockerfile(files, RULES, false)).toBe(
      'FROM python:3.12-slim\nHEALTHCHECK --interval=15s --timeout=3s CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen(\'http://127.0.0.1:9000/ping\', timeout=2).status == 200 else 1)"]\nCMD ["gunicorn", "main:app"]\n',
    );
  });

  test('url without port or path', () => {
    const files = { Dockerfile: 'FROM python:3.12-slim\nEXPOSE 8080\nHEALTHCHECK CMD wget -q -O- http://localhost\nCMD ["gunicorn", "main:app"]\n', 'main.py': MODULE_APP };
    expect(probeWords(fixedDockerfile(files, RULES))[2]).toContain("'http://127.0.0.1:8080/health', timeout=4)");
  });

  test.each([
    ['port from variable', 'HEALTHCHECK CMD curl -f http://localhost:$PORT/health'],
    ['https url', 'HEALTHCHECK CMD curl -fk https://localhost:8443/health'],
  ])('no fix for %s', (_name, healthcheck) => {
    const files = { Dockerfile: `FROM python:3.12-slim\n${healthcheck}\nCMD ["gunicorn", "main:app"]\n`, 'main.py': MODULE_APP };
    expect(unfixed(files, RULES)).toEqual({ changed: [], reported: RULES });
  });
});

describe('environment fixes', () => {
  const RULES = ['dockerfile-python-unbuffered-missing', 'dockerfile-bytecode-writes'];

  test('one line each after from and args', () => {
    const dockerfile = fixedDockerfile({ Dockerfile: 'FROM python:3.12-slim\nARG X=1\nRUN echo\nCMD ["gunicorn", "main:app"]' }, RULES, false);
    expect(dockerfile).toMatch(/^FROM python:3\.12-slim\nARG X=1\nENV PYTHON\w+=1 PYTHON\w+=1\nRUN echo\nCMD \["gunicorn", "main:app"\]$/);
  });

  test('appended to python env line', () => {
    const dockerfile = fixedDockerfile({ Dockerfile: 'FROM python:3.12-slim\n\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\n' }, RULES);
    expect(dockerfile).toBe('FROM python:3.12-slim\n\nENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1\nWORKDIR /app\n');
  });

  test('other env line left alone', () => {
    const dockerfile = fixedDockerfile({ Dockerfile: 'FROM python:3.12-slim\nENV FLASK_APP=wsgi.py\nENV PYTHONDONTWRITEBYTECODE 1\n' }, ['dockerfile-python-unbuffered-missing']);
    expect(dockerfile).toBe('FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nENV FLASK_APP=wsgi.py\nENV PYTHONDONTWRITEBYTECODE 1\n');
  });

  test('no fix for empty value', () => {
    expect(unfixed({ Dockerfile: 'FROM python:3.12-slim\nENV PYTHONUNBUFFERED=\n' }, ['dockerfile-python-unbuffered-missing'])).toEqual({
      changed: [],
      reported: ['dockerfile-python-unbuffered-missing'],
    });
  });
});

describe('dockerfile-pip-cache fix', () => {
  const RULES = ['dockerfile-pip-cache'];

  test('each install in a run', () => {
    const dockerfile = fixedDockerfile({ Dockerfile: 'FROM python:3.12-slim\nRUN pip install -U pip && \\\n    python -m pip install flask\n' }, RULES, false);
    expect(dockerfile).toBe('FROM python:3.12-slim\nRUN pip install --no-cache-dir -U pip && \\\n    python -m pip install --no-cache-dir flask\n');
  });

  test('heredoc script', () => {
    const dockerfile = fixedDockerfile({ Dockerfile: 'FROM python:3.12-slim\nRUN <<EOF\npip3 install -r requirements.txt\nEOF\n' }, RULES);
    expect(dockerfile).toBe('FROM python:3.12-slim\nRUN <<EOF\npip3 install --no-cache-dir -r requirements.txt\nEOF\n');
  });

  test('no fix for exec-form run', () => {
    expect(unfixed({ Dockerfile: 'FROM python:3.12-slim\nRUN ["pip", "install", "gunicorn"]\n' }, RULES)).toEqual({ changed: [], reported: RULES });
  });
});

describe('dockerfile-base-image-not-slim fix', () => {
  const RULES = ['dockerfile-base-image-not-slim'];

  test.each([
    ['version tag', 'FROM python:3.11\n', 'FROM python:3.11-slim\n'],
    ['release tag with registry', 'FROM docker.io/library/python:3.12.4-bookworm AS base\nFROM base\n', 'FROM docker.io/library/python:3.12.4-slim-bookworm AS base\nFROM base\n'],
  ])('%s', (_name, dockerfile, expected) => {
    expect(fixedDockerfile({ Dockerfile: dockerfile }, RULES)).toBe(expected);
  });

  test.each([
    ['image from arg', 'ARG V=3.12\nFROM python:${V}\n'],
    ['digest', 'FROM python:3.12@sha256:0000000000000000000000000000000000000000000000000000000000000000\n'],
  ])('no fix for %s', (_name, dockerfile) => {
    expect(unfixed({ Dockerfile: dockerfile }, RULES)).toEqual({ changed: [], reported: RULES });
  });
});

describe('dockerfile-copy-order fix', () => {
  const RULES = ['dockerfile-copy-order'];

  test('requirements copied first', () => {
    const files = {
      Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\n\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n\nCMD ["gunicorn", "main:app"]\n',
      'requirements.txt': 'flask==3.0.0\n',
    };
    expect(fixedDockerfile(files, RULES)).toBe(
      'FROM python:3.12-slim\nWORKDIR /app\n\nCOPY requirements.txt ./\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n\nCMD ["gunicorn", "main:app"]\n',
    );
  });

  test('absolute path and flags', () => {
    const files = {
      Dockerfile: 'FROM python:3.12-slim\nCOPY --chown=app . /app\nRUN pip install --no-cache-dir -r /app/requirements/prod.txt\n',
      'requirements/prod.txt': 'flask==3.0.0\n',
    };
    expect(fixedDockerfile(files, RULES)).toBe(
      'FROM python:3.12-slim\nCOPY --chown=app requirements/prod.txt /app/requirements/\nRUN pip install --no-cache-dir -r /app/requirements/prod.txt\nCOPY --chown=app . /app\n',
    );
  });

  test('heredoc install', () => {
    const files = { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN <<EOF\npip install -r requirements.txt\nEOF\n', 'requirements.txt': 'flask\n' };
    expect(fixedDockerfile(files, RULES)).toBe('FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt ./\nRUN <<EOF\npip install -r requirements.txt\nEOF\nCOPY . .\n');
  });

  test.each([
    ['included file', 'COPY . .\nRUN pip install -r requirements.txt', { 'requirements.txt': '-r base.txt\n', 'base.txt': 'flask\n' }],
    ['editable install', 'COPY . .\nRUN pip install -r requirements.txt && pip install -e .', { 'requirements.txt': 'flask\n' }],
    ['run between', 'COPY . .\nRUN python setup.py build\nRUN pip install -r requirements.txt', { 'requirements.txt': 'flask\n' }],
    ['file not in system', 'COPY . .\nRUN pip install -r requirements.txt', {}],
    ['file outside copy', 'COPY . /src\nRUN pip install -r requirements.txt', { 'requirements.txt': 'flask\n' }],
  ])('no fix for %s', (_name, lines, extra) => {
    const files = { Dockerfile: `FROM python:3.12-slim\nWORKDIR /app\n${lines}\n`, ...extra };
    expect(unfixed(files, RULES)).toEqual({ changed: [], reported: RULES });
  });
});

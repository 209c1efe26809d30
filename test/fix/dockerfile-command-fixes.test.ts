import { allRules } from '../../rules';
import { fixSystem, type FixOutcome } from '../../src/fix/loop';
import { systemFromMemory } from '../../src/system';

const COMMAND_RULES = ['dockerfile-cmd-not-gunicorn', 'dockerfile-cmd-shell-form', 'dockerfile-cmd-invalid-json', 'dockerfile-shell-without-exec'];
const MODULE_APP = 'from flask import Flask\n\napp = Flask(__name__)\n';
const FACTORY_APP = 'from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n';

function fix(files: Record<string, string>, ruleIds: string[], unsafe = true): FixOutcome {
  const rules = allRules.filter((rule) => ruleIds.includes(rule.meta.id));
  return fixSystem(systemFromMemory(files), { rules, unsafe, existsOnDisk: () => false });
}

/** Applies the fixes, checks that the rules are silent and a second run changes nothing, and returns the fixed Dockerfile. */
function fixedDockerfile(files: Record<string, string>, ruleIds = COMMAND_RULES): string {
  const first = fix(files, ruleIds);
  const result: Record<string, string> = { ...files };
  for (const change of first.changes) result[change.relPath] = change.fixed.text;

  expect(first.remaining.filter((finding) => ruleIds.includes(finding.ruleId)).map((finding) => finding.ruleId)).toEqual([]);
  expect(fix(result, ruleIds).changes).toEqual([]);
  return result.Dockerfile;
}

/** Returns the rules that still report after fixing, when the fixes must back off. */
function unfixedRules(files: Record<string, string>, ruleIds = COMMAND_RULES): { changed: string[]; reported: string[] } {
  const outcome = fix(files, ruleIds);
  return { changed: outcome.changes.map((change) => change.relPath), reported: outcome.remaining.map((finding) => finding.ruleId).sort() };
}

describe('dockerfile-cmd-not-gunicorn fix', () => {
  test.each([
    [
      'shell-form python script',
      { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD python main.py\n', 'main.py': MODULE_APP },
      'CMD ["gunicorn", "--config", "gunicorn.conf.py", "main:app"]',
    ],
    [
      'flask run of wsgi object',
      {
        Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["flask", "run", "--host=0.0.0.0"]\n',
        'wsgi.py': 'from app import create_app\n\napp = create_app()\n',
        'app/__init__.py': FACTORY_APP,
      },
      'CMD ["gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"]',
    ],
    [
      'factory without wsgi object',
      { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY . /srv\nCMD ["python", "-m", "flask", "run"]\n', 'app/__init__.py': FACTORY_APP },
      'CMD ["gunicorn", "--config", "gunicorn.conf.py", "app:create_app()"]',
    ],
    [
      'application object name',
      {
        Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "-m", "flask", "--app", "wsgi", "run"]\n',
        'wsgi.py': 'from app import create_app\n\napplication = create_app()\n',
        'app/__init__.py': 'from flask import Flask\n\n\ndef create_app(config=None):\n    return Flask(__name__)\n',
      },
      'CMD ["gunicorn", "--config", "gunicorn.conf.py", "wsgi:application"]',
    ],
    [
      'module path relative to workdir',
      { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY src/ /app/\nCMD ["python", "main.py"]\n', 'src/main.py': MODULE_APP },
      'CMD ["gunicorn", "--config", "gunicorn.conf.py", "main:app"]',
    ],
    [
      'existing config file',
      {
        Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "main.py"]\n',
        'main.py': MODULE_APP,
        'deploy/gunicorn.conf.py': 'bind = "0.0.0.0:8000"\n',
      },
      'CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "main:app"]',
    ],
    [
      'port variable kept',
      { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD python main.py --port $PORT\n', 'main.py': MODULE_APP },
      'CMD ["sh", "-c", "exec gunicorn --config gunicorn.conf.py --bind 0.0.0.0:${PORT:-8000} main:app"]',
    ],
    [
      'port default kept',
      { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD flask run --port ${PORT:-5000}\n', 'main.py': MODULE_APP },
      'CMD ["sh", "-c", "exec gunicorn --config gunicorn.conf.py --bind 0.0.0.0:${PORT:-5000} main:app"]',
    ],
    [
      'port default from expose',
      { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nEXPOSE 8080\nCMD python main.py --port=$PORT\n', 'main.py': MODULE_APP },
      'CMD ["sh", "-c", "exec gunicorn --config gunicorn.conf.py --bind 0.0.0.0:${PORT:-8080} main:app"]',
    ],
    [
      'commands before server kept',
      { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD flask db upgrade && python main.py\n', 'main.py': MODULE_APP },
      'CMD ["sh", "-c", "flask db upgrade && exec gunicorn --config gunicorn.conf.py main:app"]',
    ],
    [
      'factory target quoted in shell',
      { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nCMD python -m flask run --port $PORT\n', 'app/__init__.py': FACTORY_APP },
      'CMD ["sh", "-c", "exec gunicorn --config gunicorn.conf.py --bind 0.0.0.0:${PORT:-8000} \'app:create_app()\'"]',
    ],
    [
      'wrapper entrypoint kept',
      { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["tini", "--"]\nCMD ["python", "main.py"]\n', 'main.py': MODULE_APP },
      'ENTRYPOINT ["tini", "--"]\nCMD ["gunicorn", "--config", "gunicorn.conf.py", "main:app"]',
    ],
    [
      'entrypoint script runs cmd',
      {
        Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["/app/entrypoint.sh"]\nCMD ["python", "main.py"]\n',
        'main.py': MODULE_APP,
        'entrypoint.sh': '#!/bin/sh\nexec "$@"\n',
      },
      'ENTRYPOINT ["/app/entrypoint.sh"]\nCMD ["gunicorn", "--config", "gunicorn.conf.py", "main:app"]',
    ],
  ])('%s', (_name, files, expected) => {
    const dockerfile = fixedDockerfile(files);
    expect(dockerfile.endsWith(`${expected}\n`)).toBe(true);
  });

  test('crlf kept', () => {
    const dockerfile = fixedDockerfile({ Dockerfile: 'FROM python:3.12-slim\r\nWORKDIR /app\r\nCOPY . .\r\nCMD python main.py\r\n', 'main.py': MODULE_APP });
    expect(dockerfile).toBe('FROM python:3.12-slim\r\nWORKDIR /app\r\nCOPY . .\r\nCMD ["gunicorn", "--config", "gunicorn.conf.py", "main:app"]\r\n');
  });

  test('only with unsafe fixes', () => {
    const outcome = fix({ Dockerfile: 'FROM python:3.12-slim\nCOPY . .\nCMD ["python", "main.py"]\n', 'main.py': MODULE_APP }, COMMAND_RULES, false);
    expect(outcome.changes).toEqual([]);
  });

  test.each([
    ['script not exec-ing cmd', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["/app/entrypoint.sh"]\n', 'main.py': MODULE_APP, 'entrypoint.sh': '#!/bin/sh\npython main.py\n' }],
    ['cd before server', { Dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nCMD cd /app && python main.py\n', 'main.py': MODULE_APP }],
    ['no flask app', { Dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nWORKDIR /app\nCMD python main.py\n', 'main.py': 'print("hello")\n' }],
    ['two flask apps', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD python main.py\n', 'main.py': MODULE_APP, 'admin.py': MODULE_APP }],
    ['workdir not copied', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . /srv\nCMD python /srv/main.py\n', 'main.py': MODULE_APP }],
    ['server in entrypoint', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["python", "main.py"]\n', 'main.py': MODULE_APP }],
    ['factory needs arguments', { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["flask", "run"]\n', 'app/__init__.py': 'from flask import Flask\n\n\ndef create_app(config):\n    return Flask(__name__)\n' }],
  ])('no fix for %s', (_name, files) => {
    const { changed, reported } = unfixedRules(files, ['dockerfile-cmd-not-gunicorn']);
    expect(changed).toEqual([]);
    expect(reported).toEqual(['dockerfile-cmd-not-gunicorn']);
  });
});

describe('dockerfile-cmd-shell-form fix', () => {
  test.each([
    ['plain words', 'CMD gunicorn -c gunicorn.conf.py main:app', 'CMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]'],
    ['quoted words', "CMD gunicorn --access-logfile '-' \"main:create_app()\"", 'CMD ["gunicorn", "--access-logfile", "-", "main:create_app()"]'],
    ['continuation lines', 'CMD gunicorn \\\n    --workers 2 \\\n    main:app', 'CMD ["gunicorn", "--workers", "2", "main:app"]'],
    ['port variable', 'CMD gunicorn --bind 0.0.0.0:$PORT main:app', 'CMD ["sh", "-c", "exec gunicorn --bind 0.0.0.0:$PORT main:app"]'],
    ['redirection', 'CMD gunicorn main:app 2>&1', 'CMD ["sh", "-c", "exec gunicorn main:app 2>&1"]'],
    ['two commands', 'CMD flask db upgrade && gunicorn main:app', 'CMD ["sh", "-c", "flask db upgrade && exec gunicorn main:app"]'],
    ['shell entrypoint', 'ENTRYPOINT gunicorn main:app', 'ENTRYPOINT ["gunicorn", "main:app"]'],
    [
      'custom shell',
      'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\nCMD gunicorn -b 0.0.0.0:${PORT} main:app',
      'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\nCMD ["/bin/bash", "-o", "pipefail", "-c", "exec gunicorn -b 0.0.0.0:${PORT} main:app"]',
    ],
  ])('%s', (_name, command, expected) => {
    const dockerfile = fixedDockerfile({ Dockerfile: `FROM python:3.12-slim\n${command}\n`, 'main.py': MODULE_APP }, ['dockerfile-cmd-shell-form']);
    expect(dockerfile).toBe(`FROM python:3.12-slim\n${expected}\n`);
  });

  test('dev server becomes gunicorn', () => {
    const files = { Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD python main.py\n', 'main.py': MODULE_APP };
    const dockerfile = fixedDockerfile(files, ['dockerfile-cmd-shell-form']);
    expect(dockerfile).toBe('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "--config", "gunicorn.conf.py", "main:app"]\n');
  });

  test.each([
    ['entrypoint with cmd', 'FROM python:3.12-slim\nENTRYPOINT gunicorn main:app\nCMD ["--workers", "2"]\n'],
    ['comment inside continuation', 'FROM python:3.12-slim\nCMD gunicorn \\\n# two workers\n    --workers 2 \\\n    main:app\n'],
  ])('no fix for %s', (_name, dockerfile) => {
    const { changed, reported } = unfixedRules({ Dockerfile: dockerfile, 'main.py': MODULE_APP }, ['dockerfile-cmd-shell-form']);
    expect(changed).toEqual([]);
    expect(reported).toEqual(['dockerfile-cmd-shell-form']);
  });
});

describe('dockerfile-cmd-invalid-json fix', () => {
  test.each([
    ['single quotes', "CMD ['gunicorn', '-c', 'gunicorn.conf.py', 'main:app']", 'CMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]'],
    ['trailing comma and number', 'CMD ["gunicorn", "-w", 4, "main:app",]', 'CMD ["gunicorn", "-w", "4", "main:app"]'],
    ['typographic quotes', 'CMD [\u201Cgunicorn\u201D, \u201Cmain:app\u201D]', 'CMD ["gunicorn", "main:app"]'],
    ['missing comma', 'CMD ["gunicorn" "main:app"]', 'CMD ["gunicorn", "main:app"]'],
    ['unquoted word', 'CMD [gunicorn, "main:app"]', 'CMD ["gunicorn", "main:app"]'],
    [
      'invalid escape in healthcheck',
      'HEALTHCHECK CMD ["python", "-c", "import re; re.compile(\'\\d\')"]\nCMD ["gunicorn", "main:app"]',
      'HEALTHCHECK CMD ["python", "-c", "import re; re.compile(\'\\\\d\')"]\nCMD ["gunicorn", "main:app"]',
    ],
  ])('%s', (_name, command, expected) => {
    const dockerfile = fixedDockerfile({ Dockerfile: `FROM python:3.12-slim\n${command}\n`, 'main.py': MODULE_APP }, ['dockerfile-cmd-invalid-json']);
    expect(dockerfile).toBe(`FROM python:3.12-slim\n${expected}\n`);
  });

  test.each([
    ['unclosed quote', 'CMD ["gunicorn, "main:app"]'],
    ['two commas', 'CMD ["gunicorn",, "main:app"]'],
  ])('no fix for %s', (_name, command) => {
    const { changed, reported } = unfixedRules({ Dockerfile: `FROM python:3.12-slim\n${command}\n` }, ['dockerfile-cmd-invalid-json']);
    expect(changed).toEqual([]);
    expect(reported).toEqual(['dockerfile-cmd-invalid-json']);
  });
});

describe('dockerfile-shell-without-exec fix', () => {
  test.each([
    ['sh -c', 'CMD ["sh", "-c", "gunicorn --bind \\"0.0.0.0:$PORT\\" main:app"]', 'CMD ["sh", "-c", "exec gunicorn --bind \\"0.0.0.0:$PORT\\" main:app"]'],
    ['after other commands', 'CMD ["/bin/bash", "-ec", "echo start; PORT=8000 gunicorn main:app"]', 'CMD ["/bin/bash", "-ec", "echo start; PORT=8000 exec gunicorn main:app"]'],
    ['in entrypoint', 'ENTRYPOINT ["sh", "-c", "gunicorn main:app"]', 'ENTRYPOINT ["sh", "-c", "exec gunicorn main:app"]'],
  ])('%s', (_name, command, expected) => {
    const dockerfile = fixedDockerfile({ Dockerfile: `FROM python:3.12-slim\n${command}\n`, 'main.py': MODULE_APP }, ['dockerfile-shell-without-exec']);
    expect(dockerfile).toBe(`FROM python:3.12-slim\n${expected}\n`);
  });

  test('no fix for entrypoint script', () => {
    const files = {
      Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["/app/entrypoint.sh"]\nCMD ["gunicorn", "main:app"]\n',
      'entrypoint.sh': '#!/bin/sh\nset -e\n"$@"\n',
      'main.py': MODULE_APP,
    };
    const { changed, reported } = unfixedRules(files, ['dockerfile-shell-without-exec']);
    expect(changed).toEqual([]);
    expect(reported).toEqual(['dockerfile-shell-without-exec']);
  });
});

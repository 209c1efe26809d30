import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'prodcheck.mjs');

function prodcheck(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: '1' },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Writes files into a new temporary folder and returns it. */
function project(files: Record<string, string>): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-cli-config-'));
  for (const [relPath, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, relPath)), { recursive: true });
    fs.writeFileSync(path.join(folder, relPath), text);
  }
  return folder;
}

/** Copies the dev-grade sample service to `svc/` of a new folder, with extra files. */
function devService(files: Record<string, string> = {}): string {
  const folder = project(files);
  fs.cpSync(path.join(ROOT, 'fixtures', 'dev-server'), path.join(folder, 'svc'), { recursive: true });
  return folder;
}

/** Only warnings: no error, so it passes at the default `fail-on`. */
const WARNINGS_ONLY = { 'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n', 'requirements.txt': 'flask==3.0.3\n' };

const PROXY_SERVICE = {
  'main.py': 'from flask import Flask\nfrom werkzeug.middleware.proxy_fix import ProxyFix\n\napp = Flask(__name__)\napp.wsgi_app = ProxyFix(app.wsgi_app, x_for=2, x_proto=1)\n',
  'requirements.txt': 'flask==3.0.3\n',
};

describe('configuration file on the command line', () => {
  test('found above the target', () => {
    const folder = devService({ '.prodcheck.yaml': 'rules:\n  python-secret-literal: off\n  flask-dev-server: info\n' });
    const result = prodcheck(['svc'], folder);
    expect(result.stdout).not.toContain('python-secret-literal');
    expect(result.stdout).toMatch(/\d+:\d+\s+info\s+.*flask-dev-server/);
    expect(result.status).toBe(1);
  });

  test('named with --config', () => {
    const folder = devService({ 'ci/strict.yaml': 'rules:\n  python-secret-literal: off\n' });
    expect(prodcheck(['svc'], folder).stdout).toContain('python-secret-literal');
    expect(prodcheck(['svc', '--config', 'ci/strict.yaml'], folder).stdout).not.toContain('python-secret-literal');
  });

  test('invalid file stops the run', () => {
    const folder = devService({ '.prodcheck.yaml': 'fail-on: sometimes\nrules:\n  flask-debug-enable: off\n  flask-proxyfix-trusts-too-many:\n    options: { trustedProxies: many }\n' });
    const result = prodcheck(['svc'], folder);

    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toEqual([
      '.prodcheck.yaml:1:10: Invalid `fail-on` value `sometimes`; use one of `error`, `warning`, `info`.',
      '.prodcheck.yaml:3:3: Unknown rule `flask-debug-enable` (did you mean `flask-debug-enabled`?); `prodcheck rules` lists the rule ids.',
      '.prodcheck.yaml:5:32: Invalid value `"many"` for option `trustedProxies` of rule `flask-proxyfix-trusts-too-many`: it must be a whole number of 0 or more.',
      'prodcheck: the configuration file has 3 errors, so nothing was checked.',
      '',
    ]);
  });

  test('bad glob stops the run', () => {
    const folder = devService({ '.prodcheck.yaml': 'exclude:\n  - "tests/[z-a]*.py"\n' });
    const result = prodcheck(['svc'], folder);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('.prodcheck.yaml:2:5: Invalid pattern `tests/[z-a]*.py` in `exclude`: the range `z-a` runs backwards.');
  });

  test('missing --config file stops the run', () => {
    const folder = devService();
    const result = prodcheck(['svc', '--config', 'nowhere.yaml'], folder);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('nowhere.yaml:1:1: The configuration file cannot be read: no such file.');
  });

  test('unreadable file stops the run', () => {
    const folder = devService();
    fs.mkdirSync(path.join(folder, '.prodcheck.yaml'));
    const result = prodcheck(['svc', '--config', '.prodcheck.yaml'], folder);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('.prodcheck.yaml:1:1: The configuration file cannot be read: it is a folder.');
  });

  test('fail-on from the file, flag wins', () => {
    const folder = project({ ...WARNINGS_ONLY, '.prodcheck.yaml': 'fail-on: warning\n' });
    expect(prodcheck(['.'], folder).status).toBe(1);
    expect(prodcheck(['.', '--fail-on', 'error'], folder).status).toBe(0);
  });

  test('no file: fail-on defaults to error', () => {
    const folder = project(WARNINGS_ONLY);
    expect(prodcheck(['.'], folder).status).toBe(0);
  });

  test('target-stage from the file, flag wins', () => {
    const dockerfile = 'FROM python:3.12-slim AS base\nUSER 10001\nCMD ["gunicorn", "main:app"]\n\nFROM base AS debug\nUSER root\n';
    const folder = project({ ...WARNINGS_ONLY, Dockerfile: dockerfile, '.prodcheck.yaml': 'target-stage: base\n' });

    expect(prodcheck(['.'], folder).stdout).not.toContain('dockerfile-user-root');
    expect(prodcheck(['.', '--target-stage', 'debug'], folder).stdout).toContain('dockerfile-user-root');

    fs.writeFileSync(path.join(folder, '.prodcheck.yaml'), 'fail-on: error\ntarget-stage: nosuch\n');
    const unknown = prodcheck(['.'], folder);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('prodcheck: .prodcheck.yaml:2:15: `target-stage` `nosuch` is not a stage of `Dockerfile`: its stages are `base`, `debug`.');
  });

  test('rule options reach the rule', () => {
    const folder = project(PROXY_SERVICE);
    expect(prodcheck(['.'], folder).stdout).toContain('flask-proxyfix-trusts-too-many');

    fs.writeFileSync(path.join(folder, '.prodcheck.yaml'), 'rules:\n  flask-proxyfix-trusts-too-many:\n    options:\n      trustedProxies: 2\n');
    expect(prodcheck(['.'], folder).stdout).not.toContain('flask-proxyfix-trusts-too-many');
  });

  test('excluded files are not read', () => {
    const folder = devService({ 'svc/legacy/broken.py': 'def broken(:\n', 'svc/scratch.py': 'def also_broken(:\n' });
    expect(prodcheck(['svc'], folder).stdout).toContain('parse-error');

    fs.writeFileSync(path.join(folder, '.prodcheck.yaml'), 'exclude:\n  - svc/legacy/\n  - scratch.py\n');
    const result = prodcheck(['svc'], folder);
    expect(result.stdout).not.toContain('parse-error');
    expect(result.stdout).toContain('svc/main.py');
  });

  test('include limits the files', () => {
    const folder = devService({ '.prodcheck.yaml': 'include:\n  - "*.py"\n' });
    const result = prodcheck(['svc'], folder);
    expect(result.stdout).toContain('svc/main.py');
    expect(result.stdout).not.toContain('svc/Dockerfile');
    expect(result.stdout).not.toContain('svc/requirements.txt');
  });

  describe('configuration of each service', () => {
    /** Two services under `services/`; `api` turns `async-call-without-bridge` off in its own file. */
    function monorepo(apiConfig = 'rules:\n  async-call-without-bridge: off\n'): string {
      const folder = project({ 'services/api/.prodcheck.yaml': apiConfig });
      fs.cpSync(path.join(ROOT, 'fixtures', 'dev-server'), path.join(folder, 'services', 'api'), { recursive: true });
      fs.cpSync(path.join(ROOT, 'fixtures', 'dev-server'), path.join(folder, 'services', 'web'), { recursive: true });
      return folder;
    }

    function asyncFindings(stdout: string): string[] {
      return JSON.parse(stdout)
        .systems.flatMap((system: { root: string; findings: Array<{ ruleId: string }> }) => system.findings.filter((finding) => finding.ruleId === 'async-call-without-bridge').map(() => system.root));
    }

    test.each([
      ['one file', ['services/api/main.py']],
      ['files of two services', ['services/api/main.py', 'services/web/main.py']],
      ['the repository', ['.']],
    ])('own file applies: %s', (_name, targets) => {
      const folder = monorepo();
      const findings = asyncFindings(prodcheck([...targets, '--format', 'json'], folder).stdout);

      expect(findings.filter((root) => root.endsWith('api'))).toEqual([]);
    });

    test('other service keeps defaults', () => {
      const folder = monorepo();
      const findings = asyncFindings(prodcheck(['.', '--format', 'json'], folder).stdout);

      expect(findings.filter((root) => root.endsWith('web')).length).toBeGreaterThan(0);
    });

    test('error in a service file stops the run', () => {
      const folder = monorepo('rules:\n  async-call-without-brige: off\n');
      const result = prodcheck(['.', '--format', 'json'], folder);

      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('services/api/.prodcheck.yaml:2:3: Unknown rule `async-call-without-brige`');
    });

    test('--config applies to every service', () => {
      const folder = monorepo();
      fs.writeFileSync(path.join(folder, 'shared.yaml'), 'fail-on: error\n');
      const findings = asyncFindings(prodcheck(['.', '--format', 'json', '--config', 'shared.yaml'], folder).stdout);

      expect(findings.filter((root) => root.endsWith('api')).length).toBeGreaterThan(0);
    });
  });

  test('excluded include still read', () => {
    const main = 'import requests\nfrom flask import Flask\n\napp = Flask(__name__)\n';
    const folder = project({ ...WARNINGS_ONLY, 'main.py': main, 'requirements.txt': 'flask==3.0.3\n-r vendor/extra.txt\n', 'vendor/extra.txt': 'requests\n', '.prodcheck.yaml': 'exclude: [vendor/]\n' });
    const result = prodcheck(['.'], folder);

    expect(result.stdout).not.toContain('parse-error');
    expect(result.stdout).not.toContain('requirements-import-undeclared');
    expect(result.stdout).not.toContain('vendor/extra.txt');
  });

  test('excluded Gunicorn config still counts', () => {
    const folder = project({ '.prodcheck.yaml': 'exclude: [gunicorn.conf.py]\n' });
    fs.cpSync(path.join(ROOT, 'fixtures', 'production'), folder, { recursive: true });
    fs.appendFileSync(path.join(folder, 'gunicorn.conf.py'), 'reload = True\n');
    const result = prodcheck(['.', '--format', 'json'], folder);
    const findings: Array<{ ruleId: string; file: string }> = JSON.parse(result.stdout).systems[0].findings;

    expect(findings).toEqual([]);
    expect(result.status).toBe(0);
  });

  test('excluded system left out', () => {
    const folder = project({ 'legacy/Dockerfile': 'FROM python:3.12\nCMD python app.py\n', 'legacy/app.py': 'x = 1\n', 'api/Dockerfile': 'FROM python:3.12-slim\n', 'api/main.py': 'x = 1\n', '.prodcheck.yaml': 'exclude: [legacy/]\n' });
    const systems: Array<{ root: string }> = JSON.parse(prodcheck(['.', '--format', 'json'], folder).stdout).systems;

    expect(systems.map((system) => system.root)).toEqual(['api']);
  });

  test('per-file ignores', () => {
    const folder = devService({ '.prodcheck.yaml': 'per-file-ignores:\n  "svc/main.py": [python-secret-literal]\n  "svc/Dockerfile": all\n' });
    const result = prodcheck(['svc'], folder);
    expect(result.stdout).not.toContain('python-secret-literal');
    expect(result.stdout).not.toContain('svc/Dockerfile');
    expect(result.stdout).toContain('flask-dev-server');
  });

  test('cache follows the configuration', () => {
    const folder = devService();
    expect(prodcheck(['svc', '--cache'], folder).stdout).toContain('python-secret-literal');

    fs.writeFileSync(path.join(folder, '.prodcheck.yaml'), 'rules:\n  python-secret-literal: off\n');
    expect(prodcheck(['svc', '--cache'], folder).stdout).not.toContain('python-secret-literal');

    fs.writeFileSync(path.join(folder, '.prodcheck.yaml'), 'per-file-ignores:\n  "svc/main.py": [flask-dev-server]\n');
    const ignored = prodcheck(['svc', '--cache'], folder).stdout;
    expect(ignored).toContain('python-secret-literal');
    expect(ignored).not.toContain('flask-dev-server');
  });
});

describe('suppression comments on the command line', () => {
  const SECRET_LINE = 'app.config["SECRET_KEY"] = "inventory-secret-key-2024"  # expect: python-secret-literal';

  function suppressedService(comment: string): string {
    const folder = devService();
    const main = path.join(folder, 'svc', 'main.py');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace(SECRET_LINE, `app.config["SECRET_KEY"] = "inventory-secret-key-2024"  ${comment}`));
    return folder;
  }

  test('comment hides the finding', () => {
    const folder = suppressedService('# prodcheck: ignore[python-secret-literal] -- demo data');
    const result = prodcheck(['svc'], folder);
    expect(result.stdout).not.toContain('python-secret-literal');
    expect(result.stdout).not.toContain('suppression-');
  });

  test('suppressed finding listed in SARIF', () => {
    const folder = suppressedService('# prodcheck: ignore[python-secret-literal] -- demo data');
    const sarif = JSON.parse(prodcheck(['svc', '--format', 'sarif'], folder).stdout);
    const run = sarif.runs[0];
    const result = run.results.find((entry: { ruleId: string }) => entry.ruleId === 'python-secret-literal');
    expect(result.suppressions).toEqual([expect.objectContaining({ kind: 'inSource', justification: 'demo data' })]);
    expect(run.tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual(expect.arrayContaining(['suppression-invalid', 'suppression-unused']));
  });

  test('--require-reason and require-reason', () => {
    const folder = suppressedService('# prodcheck: ignore[python-secret-literal]');
    expect(prodcheck(['svc'], folder).stdout).not.toContain('suppression-invalid');
    expect(prodcheck(['svc', '--require-reason'], folder).stdout).toMatch(/warning\s+Suppression without a reason; add one after `--`.*suppression-invalid/);

    fs.writeFileSync(path.join(folder, '.prodcheck.yaml'), 'require-reason: true\n');
    expect(prodcheck(['svc'], folder).stdout).toContain('suppression-invalid');
    expect(prodcheck(['svc', '--no-require-reason'], folder).stdout).not.toContain('suppression-invalid');
  });

  test('malformed comment reported', () => {
    const folder = suppressedService('# prodcheck: ignore[python-secret-literl]');
    const result = prodcheck(['svc'], folder);
    expect(result.stdout).toContain('python-secret-literal');
    expect(result.stdout).toMatch(/warning\s+Malformed suppression comment, so it silences nothing: `python-secret-literl` is not a rule id.*suppression-invalid/);
  });

  test('--fix removes unused comments', () => {
    const folder = devService();
    const store = path.join(folder, 'svc', 'store.py');
    const original = fs.readFileSync(store, 'utf8');
    fs.writeFileSync(store, `# prodcheck: ignore[python-secret-literal] -- nothing to silence\n${original}`);

    expect(prodcheck(['svc'], folder).stdout).toMatch(/1:1\s+info\s+Suppression of `python-secret-literal` silences nothing here; remove it\.\s+suppression-unused/);
    prodcheck(['svc', '--fix'], folder);
    expect(fs.readFileSync(store, 'utf8')).not.toContain('prodcheck: ignore');
    expect(prodcheck(['svc'], folder).stdout).not.toContain('suppression-unused');
  });

  test('rules list shows the suppression rules', () => {
    const result = prodcheck(['rules'], ROOT);
    expect(result.stdout).toMatch(/^suppression-invalid\s+warning\s+/m);
    expect(result.stdout).toMatch(/^suppression-unused\s+info\s+safe\s+/m);
  });
});

describe('baseline on the command line', () => {
  test('update, hide, report new, count stale', () => {
    const folder = devService();
    const first = prodcheck(['svc', '--baseline', 'prodcheck-baseline.json', '--update-baseline'], folder);
    expect(first.status).toBe(0);
    expect(first.stderr).toMatch(/^prodcheck: wrote \d+ entries to the baseline `prodcheck-baseline\.json`\.\n$/);
    const baseline = JSON.parse(fs.readFileSync(path.join(folder, 'prodcheck-baseline.json'), 'utf8'));
    expect(baseline.version).toBe(1);
    expect(baseline.findings[0]).toEqual({ ruleId: expect.any(String), path: expect.stringMatching(/^svc\//), lineHash: expect.stringMatching(/^[0-9a-f]{16}$/), occurrence: 1 });

    const clean = prodcheck(['svc', '--baseline', 'prodcheck-baseline.json'], folder);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('No problems found.');

    const main = path.join(folder, 'svc', 'main.py');
    fs.writeFileSync(main, `${fs.readFileSync(main, 'utf8')}API_TOKEN = "another-literal-token-1234"\n`);
    const changed = prodcheck(['svc', '--baseline', 'prodcheck-baseline.json'], folder);
    expect(changed.status).toBe(1);
    expect(changed.stdout).toMatch(/`API_TOKEN` is set to a literal string.*python-secret-literal/);
    expect(changed.stdout.match(/python-secret-literal/g)).toHaveLength(1);

    fs.writeFileSync(path.join(folder, 'svc', 'Dockerfile'), 'FROM python:3.12-slim\nUSER 10001\nCMD ["gunicorn", "main:app"]\n');
    const stale = prodcheck(['svc', '--baseline', 'prodcheck-baseline.json'], folder);
    expect(stale.stderr).toMatch(/^prodcheck: \d+ baseline entries no longer match; run with --update-baseline to drop them\.\n$/);
  });

  test('baselined findings listed in SARIF as external', () => {
    const folder = devService();
    prodcheck(['svc', '--baseline', 'b.json', '--update-baseline'], folder);
    const sarif = JSON.parse(prodcheck(['svc', '--baseline', 'b.json', '--format', 'sarif'], folder).stdout);
    const kinds = sarif.runs[0].results.map((result: { suppressions?: Array<{ kind: string }> }) => result.suppressions?.[0]?.kind);
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds)).toEqual(new Set(['external']));
  });

  test('--update-baseline needs --baseline', () => {
    const result = prodcheck(['svc', '--update-baseline'], devService());
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--update-baseline needs --baseline FILE');
  });

  test('invalid baseline is a usage error', () => {
    const folder = devService({ 'b.json': '{"version": 7, "findings": []}' });
    const result = prodcheck(['svc', '--baseline', 'b.json'], folder);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('prodcheck: the baseline `b.json` is not a prodcheck baseline: `version` is 7, but this prodcheck reads version 1. Write it again with `--update-baseline`.\n');
  });
});

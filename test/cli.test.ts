import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'prodcheck.mjs');
const ESCAPE = '\u001b[';

function prodcheck(args: string[], env: Record<string, string> = {}, cwd = ROOT) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env },
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function temporaryFolder(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-cli-'));
}

describe('built CLI', () => {
  test('dev-grade system fails', () => {
    const result = prodcheck(['fixtures/dev-server']);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('fixtures/dev-server/main.py');
    expect(result.stdout).toMatch(/\d+:\d+\s+error\s+.*flask-dev-server/);
    expect(result.stdout).toMatch(/\d+ problems \(\d+ errors, \d+ warnings, \d+ infos?\)/);
    expect(result.stderr).toBe('');
  });

  test('production system passes', () => {
    const result = prodcheck(['fixtures/production']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('No problems found.');
  });

  test('json output parses', () => {
    const result = prodcheck(['fixtures/dev-server', '--format', 'json']);
    expect(result.status).toBe(1);
    const document = JSON.parse(result.stdout);
    expect(document.version).toBe(1);
    expect(document.systems).toHaveLength(1);
    const finding = document.systems[0].findings.find((entry: { ruleId: string }) => entry.ruleId === 'flask-dev-server');
    expect(finding).toMatchObject({ severity: 'error', file: 'main.py' });
    expect(Object.keys(finding).sort()).toEqual(['column', 'endColumn', 'endLine', 'file', 'fixable', 'line', 'message', 'ruleId', 'severity']);
    expect(document.summary.errors).toBeGreaterThan(0);
  });

  test('fail-on warning', () => {
    const folder = temporaryFolder();
    fs.writeFileSync(path.join(folder, 'main.py'), 'from flask import Flask\n\napp = Flask(__name__)\n');
    fs.writeFileSync(path.join(folder, 'requirements.txt'), 'flask==3.0.3\n');
    expect(prodcheck([folder]).status).toBe(0);
    expect(prodcheck([folder, '--fail-on', 'warning']).status).toBe(1);
  });

  test('missing target exits 2', () => {
    const result = prodcheck(['does/not/exist']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('`does/not/exist` cannot be read: no such file');
    expect(result.stdout).toBe('');
  });

  test('unknown option exits 2', () => {
    const result = prodcheck(['fixtures/production', '--bogus']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Unknown argument');
  });

  test('bad format value exits 2', () => {
    expect(prodcheck(['fixtures/production', '--format', 'xml']).status).toBe(2);
  });

  test('rules subcommand lists rules', () => {
    const result = prodcheck(['rules']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^flask-dev-server\s+error/m);
    expect(result.stdout).toMatch(/^gunicorn-target-missing\s+error/m);
  });

  test('version prints', () => {
    const result = prodcheck(['--version']);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('colors forced and disabled', () => {
    expect(prodcheck(['fixtures/dev-server', '--color']).stdout).toContain(ESCAPE);
    expect(prodcheck(['fixtures/dev-server', '--no-color']).stdout).not.toContain(ESCAPE);
    expect(prodcheck(['fixtures/dev-server'], { NO_COLOR: '1', FORCE_COLOR: '1' }).stdout).not.toContain(ESCAPE);
  });

  test('empty folder passes with note', () => {
    const result = prodcheck([temporaryFolder()]);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('no files to check');
  });

  test('single file reports that file only', () => {
    const result = prodcheck(['fixtures/dev-server/main.py', '--format', 'json']);
    const files = new Set(JSON.parse(result.stdout).systems[0].findings.map((entry: { file: string }) => entry.file));
    expect([...files]).toEqual(['main.py']);
  });

  test('bad input reported, rest checked', () => {
    const folder = temporaryFolder();
    fs.writeFileSync(path.join(folder, 'main.py'), 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n');
    fs.writeFileSync(path.join(folder, 'broken.py'), 'def broken(:\n    pass\n');
    fs.writeFileSync(path.join(folder, 'junk.py'), Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x89, 0x50, 0x4e, 0x47]));
    fs.mkdirSync(path.join(folder, 'Dockerfile'));
    const result = prodcheck([folder, '--format', 'json']);
    const findings = JSON.parse(result.stdout).systems[0].findings as Array<{ ruleId: string; file: string; line: number; message: string }>;

    expect(result.status).toBe(1);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(findings).toContainEqual(expect.objectContaining({ ruleId: 'parse-error', file: 'broken.py', line: 1 }));
    expect(findings).toContainEqual(expect.objectContaining({ ruleId: 'file-skipped', file: 'junk.py' }));
    expect(findings).toContainEqual(expect.objectContaining({ ruleId: 'flask-dev-server', file: 'main.py', line: 3 }));
    expect(findings.some((finding) => finding.file === 'Dockerfile' && finding.ruleId === 'file-skipped')).toBe(true);
  });

  test('unreadable file reported', () => {
    if (process.getuid?.() === 0) {
      // root reads every file regardless of its mode, so the case cannot be produced here.
      return;
    }
    const folder = temporaryFolder();
    const file = path.join(folder, 'main.py');
    fs.writeFileSync(file, 'x = 1\n');
    fs.chmodSync(file, 0o000);
    const result = prodcheck([folder, '--format', 'json']);
    expect(JSON.parse(result.stdout).systems[0].findings[0]).toMatchObject({ ruleId: 'file-skipped', file: 'main.py' });
  });
});

interface JsonFinding {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  fixable: string | null;
}

interface JsonSystem {
  root: string;
  findings: JsonFinding[];
}

/**
 * Builds a monorepo: `services/orders` (production-grade) with an admin app nested in it,
 * `services/inventory` (dev-grade) beside it, and a requirements file at the top that the
 * orders service includes and no system holds.
 */
function writeMonorepo(): string {
  const folder = temporaryFolder();
  const copy = (fixture: string, relPath: string) =>
    fs.cpSync(path.join(ROOT, 'fixtures', fixture), path.join(folder, relPath), { recursive: true });
  copy('production', 'services/orders');
  copy('dev-server', 'services/orders/admin');
  copy('dev-server', 'services/inventory');
  fs.appendFileSync(path.join(folder, 'services/orders/requirements.txt'), '-r ../../requirements-common.txt\n');
  fs.writeFileSync(path.join(folder, 'requirements-common.txt'), 'requests\n');
  return folder;
}

function systemsOf(stdout: string): JsonSystem[] {
  return JSON.parse(stdout).systems as JsonSystem[];
}

describe('built CLI on many systems', () => {
  test('nested and sibling systems', () => {
    const folder = writeMonorepo();
    const result = prodcheck(['.', '--format', 'json'], {}, folder);
    const systems = systemsOf(result.stdout);

    expect(result.status).toBe(1);
    expect(systems.map((system) => system.root)).toEqual(['services/inventory', 'services/orders', 'services/orders/admin']);
    expect(systems[2].findings).toContainEqual(expect.objectContaining({ ruleId: 'flask-dev-server', file: 'main.py' }));
    expect(systems[0].findings).toContainEqual(expect.objectContaining({ ruleId: 'flask-dev-server', file: 'main.py' }));
  });

  test('nested system not in parent', () => {
    const folder = writeMonorepo();
    const orders = systemsOf(prodcheck(['.', '--format', 'json'], {}, folder).stdout)[1];

    expect(orders.findings.filter((finding) => finding.file.startsWith('admin/'))).toEqual([]);
    expect(orders.findings.filter((finding) => finding.severity === 'error')).toEqual([]);
  });

  test('included file above root checked', () => {
    const folder = writeMonorepo();
    const orders = systemsOf(prodcheck(['.', '--format', 'json'], {}, folder).stdout)[1];

    expect(orders.findings).toContainEqual(expect.objectContaining({ ruleId: 'requirements-unpinned', file: '../../requirements-common.txt', line: 1 }));
  });

  test('stylish paths from working folder', () => {
    const folder = writeMonorepo();
    const result = prodcheck(['.', '--no-color'], {}, folder);

    expect(result.stdout).toMatch(/^services\/inventory\/main\.py$/m);
    expect(result.stdout).toMatch(/^services\/orders\/admin\/Dockerfile$/m);
    expect(result.stdout).toMatch(/^requirements-common\.txt$/m);
    expect(result.stdout).not.toMatch(/^services\/orders\/main\.py$/m);
  });

  test('summary and exit code over all systems', () => {
    const folder = writeMonorepo();
    const all = JSON.parse(prodcheck(['.', '--format', 'json'], {}, folder).stdout);
    const counted = (all.systems as JsonSystem[]).flatMap((system) => system.findings).filter((finding) => finding.severity === 'error').length;

    expect(all.summary.errors).toBe(counted);
    expect(prodcheck(['services/orders', '--format', 'json'], {}, folder).status).toBe(1);
    fs.rmSync(path.join(folder, 'services/orders/admin'), { recursive: true });
    fs.rmSync(path.join(folder, 'services/inventory'), { recursive: true });
    expect(prodcheck(['.'], {}, folder).status).toBe(0);
    expect(prodcheck(['.', '--fail-on', 'warning'], {}, folder).status).toBe(1);
  });

  test('json written system by system is standard', () => {
    const folder = writeMonorepo();
    const outputs = [prodcheck(['.', '--format', 'json'], {}, folder).stdout, prodcheck([temporaryFolder(), '--format', 'json']).stdout];

    for (const output of outputs) expect(output).toBe(`${JSON.stringify(JSON.parse(output), null, 2)}\n`);
  });

  test('target root keeps one system', () => {
    const folder = writeMonorepo();
    const systems = systemsOf(prodcheck(['services/inventory', '--format', 'json'], {}, folder).stdout);

    expect(systems.map((system) => system.root)).toEqual(['services/inventory']);
  });

  test('no root checks target as one', () => {
    const folder = temporaryFolder();
    fs.writeFileSync(path.join(folder, 'requirements.txt'), 'flask\n');
    fs.mkdirSync(path.join(folder, 'lib'));
    fs.writeFileSync(path.join(folder, 'lib', 'util.py'), 'import os\n');
    const systems = systemsOf(prodcheck(['.', '--format', 'json'], {}, folder).stdout);

    expect(systems).toHaveLength(1);
    expect(systems[0].root).toBe('.');
    expect(systems[0].findings).toContainEqual(expect.objectContaining({ ruleId: 'requirements-unpinned', file: 'requirements.txt' }));
  });

  test('diff per system', () => {
    const folder = writeMonorepo();
    const result = prodcheck(['.', '--diff'], {}, folder);

    expect(result.status).toBe(1);
    expect(result.stdout).toContain('+++ b/services/inventory/');
    expect(result.stdout).toContain('+++ b/services/orders/admin/');
    expect(result.stderr).toMatch(/^`services\/inventory`: Would fix \d+ problems? in \d+ files?\.$/m);
    expect(result.stderr).toMatch(/^`services\/orders\/admin`: Would fix \d+ problems? in \d+ files?\.$/m);
    expect(fs.readFileSync(path.join(folder, 'services/inventory/main.py'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'fixtures/dev-server/main.py'), 'utf8'));
  });

  test('fix per system', () => {
    const folder = writeMonorepo();
    const before = systemsOf(prodcheck(['.', '--format', 'json'], {}, folder).stdout);
    const fixed = prodcheck(['.', '--fix', '--format', 'json'], {}, folder);
    const after = systemsOf(fixed.stdout);
    const safeFixes = (systems: JsonSystem[], root: string) => systems.find((system) => system.root === root)!.findings.filter((finding) => finding.fixable === 'safe');

    expect(fixed.stderr).toMatch(/^`services\/inventory`: Fixed \d+ problems? in \d+ files?\.$/m);
    expect(fixed.stderr).toMatch(/^`services\/orders\/admin`: Fixed \d+ problems? in \d+ files?\.$/m);
    for (const root of ['services/inventory', 'services/orders/admin']) {
      expect(safeFixes(before, root).length).toBeGreaterThan(0);
      expect(safeFixes(after, root).length).toBeLessThan(safeFixes(before, root).length);
    }
    expect(fs.readFileSync(path.join(folder, 'services/orders/main.py'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'fixtures/production/main.py'), 'utf8'));
  });
});

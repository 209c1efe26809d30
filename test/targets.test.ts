import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NO_COLORS } from '../src/report/colors';
import { run, type RunOptions } from '../src/run';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'prodcheck.mjs');

interface JsonFinding {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
}

interface JsonSystem {
  root: string;
  findings: JsonFinding[];
}

function temporaryFolder(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-targets-'));
}

/** Copies a sample system from `fixtures/` to `relPath` under `folder`. */
function copyFixture(folder: string, fixture: string, relPath: string): void {
  fs.cpSync(path.join(ROOT, 'fixtures', fixture), path.join(folder, relPath), { recursive: true });
}

/** Builds a Git repository with a dev-grade service in `services/api` and a production-grade one in `services/web`. */
function writeRepository(): string {
  const folder = temporaryFolder();
  copyFixture(folder, 'dev-server', 'services/api');
  copyFixture(folder, 'production', 'services/web');
  const init = spawnSync('git', ['init', '-q', folder], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`git init failed: ${init.stderr}`);
  return folder;
}

function check(cwd: string, targets: string[], options: Partial<RunOptions> = {}) {
  const result = run({ targets, cwd, format: 'json', failOn: 'error', colors: NO_COLORS, jobs: 1, ...options });
  const systems = result.stdout ? (JSON.parse(result.stdout).systems as JsonSystem[]) : [];
  return { ...result, systems };
}

function filesOf(system: JsonSystem): string[] {
  return [...new Set(system.findings.map((finding) => finding.file))].sort();
}

/** Returns every file under `folder` with its content, skipping `.git`. */
function snapshot(folder: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (relFolder: string): void => {
    for (const entry of fs.readdirSync(path.join(folder, relFolder), { withFileTypes: true })) {
      const relPath = path.join(relFolder, entry.name);
      if (entry.name === '.git') continue;
      if (entry.isDirectory()) walk(relPath);
      else files.set(relPath, fs.readFileSync(path.join(folder, relPath), 'utf8'));
    }
  };
  walk('');
  return files;
}

function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort();
}

describe('file targets', () => {
  test('named file checked with its system', () => {
    const folder = writeRepository();
    const result = check(folder, ['services/api/main.py']);

    expect(result.exitCode).toBe(1);
    expect(result.systems.map((system) => system.root)).toEqual(['services/api']);
    expect(filesOf(result.systems[0])).toEqual(['main.py']);
    // The missing flask-cors requirement is found in main.py by reading requirements.txt.
    expect(result.systems[0].findings).toContainEqual(expect.objectContaining({ ruleId: 'requirements-package-missing', file: 'main.py' }));
  });

  test('cross-file finding in named Dockerfile', () => {
    const folder = writeRepository();
    const dockerfile = path.join(folder, 'services/web/Dockerfile');
    const targetMissing = (result: ReturnType<typeof check>) =>
      result.systems.flatMap((system) => system.findings).filter((finding) => finding.ruleId === 'gunicorn-target-missing');

    expect(targetMissing(check(folder, ['services/web/Dockerfile']))).toEqual([]);

    fs.writeFileSync(dockerfile, fs.readFileSync(dockerfile, 'utf8').replace('"main:app"', '"main:application"'));
    const renamed = check(folder, ['services/web/Dockerfile']);

    expect(renamed.exitCode).toBe(1);
    expect(targetMissing(renamed)).toEqual([expect.objectContaining({ file: 'Dockerfile' })]);
    expect(targetMissing(check(folder, ['services/web/main.py']))).toEqual([]);
  });

  test('unpinned line in named requirements', () => {
    const folder = writeRepository();
    fs.appendFileSync(path.join(folder, 'services/web/requirements.txt'), 'flask-limiter\n');
    const result = check(folder, ['services/web/requirements.txt'], { failOn: 'warning' });

    expect(result.exitCode).toBe(1);
    expect(filesOf(result.systems[0])).toEqual(['requirements.txt']);
    expect(result.systems[0].findings).toContainEqual(expect.objectContaining({ ruleId: 'requirements-unpinned', file: 'requirements.txt', line: 6 }));
  });

  test('findings of other files left out', () => {
    const folder = writeRepository();
    const result = check(folder, ['services/web/main.py', 'services/api/requirements.txt']);

    expect(result.systems.map((system) => system.root)).toEqual(['services/api', 'services/web']);
    expect(filesOf(result.systems[0])).toEqual(['requirements.txt']);
    expect(result.systems[1].findings).toEqual([]);
  });

  test('clean named files pass', () => {
    const folder = writeRepository();
    const result = check(folder, ['services/web/main.py', 'services/web/Dockerfile']);

    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
  });

  test('each system checked once', () => {
    const folder = writeRepository();
    const result = check(folder, ['services/api/store.py', 'services/api/main.py', 'services/api/Dockerfile', 'services/api/main.py']);

    expect(result.systems.map((system) => system.root)).toEqual(['services/api']);
    expect(filesOf(result.systems[0])).toEqual(['Dockerfile', 'main.py']);
    expect(result.systems[0].findings.filter((finding) => finding.ruleId === 'flask-dev-server')).toHaveLength(1);
  });

  test('folder target shows every finding', () => {
    const folder = writeRepository();
    const result = check(folder, ['services/api/main.py', 'services/api']);

    expect(result.systems.map((system) => system.root)).toEqual(['services/api']);
    expect(filesOf(result.systems[0])).toEqual(filesOf(check(folder, ['services/api']).systems[0]));
    expect(filesOf(result.systems[0])).toContain('Dockerfile');
  });

  test('unread kinds ignored silently', () => {
    const folder = writeRepository();
    fs.writeFileSync(path.join(folder, 'README.md'), '# services\n');
    fs.writeFileSync(path.join(folder, 'services/api/client.js'), 'export {};\n');
    const result = check(folder, ['README.md', 'services/api/client.js']);

    expect(result.exitCode).toBe(0);
    expect(result.systems).toEqual([]);
    expect(result.stderr).toBe('');
  });

  test('missing file is usage error', () => {
    const folder = writeRepository();
    const result = check(folder, ['services/api/main.py', 'services/api/gone.py']);

    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('`services/api/gone.py` cannot be read: no such file');
  });

  test('missing file of unread kind is usage error', () => {
    const folder = writeRepository();
    const result = check(folder, ['NOTES.md']);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('`NOTES.md` cannot be read: no such file');
  });

  test('nearest root owns the file', () => {
    const folder = writeRepository();
    copyFixture(folder, 'dev-server', 'services/web/admin');

    expect(check(folder, ['services/web/admin/main.py']).systems.map((system) => system.root)).toEqual(['services/web/admin']);
    expect(check(folder, ['services/web/config/system_config.yaml']).systems.map((system) => system.root)).toEqual(['services/web']);
  });

  test('search stops at working folder', () => {
    const folder = writeRepository();
    fs.mkdirSync(path.join(folder, 'services/api/tools'));
    fs.writeFileSync(path.join(folder, 'services/api/tools/seed.py'), 'import requests\n');

    expect(check(folder, ['services/api/tools/seed.py']).systems.map((system) => system.root)).toEqual(['services/api']);

    const inside = check(path.join(folder, 'services/api/tools'), ['seed.py']);
    expect(inside.systems.map((system) => system.root)).toEqual(['.']);
  });

  test('search stops at repository root', () => {
    const outer = temporaryFolder();
    fs.writeFileSync(path.join(outer, 'Dockerfile'), 'FROM python:3.12-slim\n');
    const folder = path.join(outer, 'checkout');
    fs.mkdirSync(path.join(folder, '.git'), { recursive: true });
    for (const name of ['main.py', 'store.py', 'requirements.txt']) fs.copyFileSync(path.join(ROOT, 'fixtures/dev-server', name), path.join(folder, name));

    // Above the checkout, the outer Dockerfile would make `outer` the root of one system with it.
    expect(check(outer, ['.']).systems.map((system) => system.root)).toEqual(['.']);

    const result = check(outer, ['checkout/main.py']);
    expect(result.systems.map((system) => system.root)).toEqual(['checkout']);
    expect(result.systems[0].findings).toContainEqual(expect.objectContaining({ ruleId: 'requirements-package-missing', file: 'main.py' }));
  });

  test('file outside working folder and repository', () => {
    const folder = temporaryFolder();
    copyFixture(folder, 'dev-server', 'api');
    const elsewhere = temporaryFolder();
    const result = check(elsewhere, [path.join(folder, 'api/main.py')]);

    expect(result.systems.map((system) => system.root)).toEqual([path.join(folder, 'api').split(path.sep).join('/')]);
    expect(filesOf(result.systems[0])).toEqual(['main.py']);
  });

  test('shared requirements above systems', () => {
    const folder = writeRepository();
    fs.appendFileSync(path.join(folder, 'services/web/requirements.txt'), '-r ../../requirements-common.txt\n');
    fs.writeFileSync(path.join(folder, 'requirements-common.txt'), 'requests\n');
    const result = check(folder, ['requirements-common.txt'], { failOn: 'warning' });
    const findings = result.systems.flatMap((system) => system.findings.map((finding) => ({ root: system.root, ...finding })));

    expect(result.exitCode).toBe(1);
    expect(new Set(findings.map((finding) => `${finding.root} ${finding.file}`))).toEqual(new Set(['services/web ../../requirements-common.txt']));
    expect(findings).toContainEqual(expect.objectContaining({ ruleId: 'requirements-unpinned', line: 1 }));
  });

  test('file the listing leaves out ignored', () => {
    const folder = writeRepository();
    fs.writeFileSync(path.join(folder, '.gitignore'), 'generated/\n');
    fs.mkdirSync(path.join(folder, 'services/api/generated'));
    fs.writeFileSync(path.join(folder, 'services/api/generated/client.py'), 'SECRET_KEY = "hunter2-hunter2"\n');
    fs.mkdirSync(path.join(folder, '.github/workflows'), { recursive: true });
    fs.writeFileSync(path.join(folder, '.github/workflows/ci.yml'), 'on: push\n');
    const result = check(folder, ['services/api/generated/client.py', '.github/workflows/ci.yml']);

    expect(result.exitCode).toBe(0);
    expect(result.systems).toEqual([]);
  });
});

describe('fixing file targets', () => {
  test('fix edits named files only', () => {
    const folder = writeRepository();
    const before = snapshot(folder);
    const result = run({ targets: ['services/api/main.py'], cwd: folder, format: 'stylish', failOn: 'error', colors: NO_COLORS, fix: 'safe', jobs: 1 });
    const changed = changedFiles(before, snapshot(folder));

    expect(result.exitCode).toBe(1);
    expect(changed).toEqual([path.join('services', 'api', 'main.py')]);
    expect(result.stdout).toMatch(/^Fixed \d+ problems? in 1 file\.$/m);
    expect(result.stdout).toMatch(/^`services\/api`: \d+ fix(es were|was) left out because (it changes|they change) files that were not named \(.*`requirements\.txt`.*\); run `prodcheck --fix services\/api` to apply (it|them) on the whole system\.$/m);
  });

  test('full-system fix reaches other files', () => {
    const folder = writeRepository();
    const before = snapshot(folder);
    run({ targets: ['services/api'], cwd: folder, format: 'stylish', failOn: 'error', colors: NO_COLORS, fix: 'safe', jobs: 1 });
    const changed = changedFiles(before, snapshot(folder));

    expect(changed).toContain(path.join('services', 'api', 'main.py'));
    expect(changed).toContain(path.join('services', 'api', 'requirements.txt'));
  });

  test('fix across two named files', () => {
    const folder = writeRepository();
    const requirements = path.join(folder, 'services/api/requirements.txt');
    const targets = ['services/api/main.py', 'services/api/requirements.txt'];
    const before = snapshot(folder);
    run({ targets, cwd: folder, format: 'stylish', failOn: 'error', colors: NO_COLORS, fix: 'safe', jobs: 1 });

    expect(changedFiles(before, snapshot(folder))).toEqual(targets.map((target) => target.split('/').join(path.sep)));
    expect(fs.readFileSync(requirements, 'utf8')).toMatch(/^flask-cors\b/im);
  });

  test('diff shows named files only', () => {
    const folder = writeRepository();
    const before = snapshot(folder);
    const result = run({ targets: ['services/api/Dockerfile'], cwd: folder, format: 'stylish', failOn: 'error', colors: NO_COLORS, fix: 'safe', diff: true, jobs: 1 });
    const patched = [...result.stdout.matchAll(/^\+\+\+ b\/(.*)$/gm)].map((match) => match[1]);

    expect(result.exitCode).toBe(1);
    expect(patched).toEqual(['services/api/Dockerfile']);
    expect(changedFiles(before, snapshot(folder))).toEqual([]);
  });
});

describe('built CLI with several targets', () => {
  test('files of two systems', () => {
    const folder = writeRepository();
    const result = spawnSync(process.execPath, [BIN, 'services/api/Dockerfile', 'services/web/main.py', 'README.md', '--format', 'json'], {
      cwd: folder,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '' },
      timeout: 30_000,
    });
    fs.writeFileSync(path.join(folder, 'README.md'), '# services\n');
    const again = spawnSync(process.execPath, [BIN, 'services/api/Dockerfile', 'services/web/main.py', 'README.md', '--format', 'json'], {
      cwd: folder,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '' },
      timeout: 30_000,
    });
    const systems = JSON.parse(again.stdout).systems as JsonSystem[];

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('`README.md` cannot be read: no such file');
    expect(again.status).toBe(1);
    expect(systems.map((system) => system.root)).toEqual(['services/api', 'services/web']);
    expect(filesOf(systems[0])).toEqual(['Dockerfile']);
    expect(systems[1].findings).toEqual([]);
  });
});

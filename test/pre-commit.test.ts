import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { classifyPath } from '../src/discovery';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'prodcheck.mjs');
const MANIFEST = path.join(ROOT, '.pre-commit-hooks.yaml');

/** A hook as `.pre-commit-hooks.yaml` declares it; pre-commit reads the same keys. */
interface Hook {
  id: string;
  name: string;
  entry: string;
  language: string;
  files: string;
  require_serial?: boolean;
  pass_filenames?: boolean;
}

function loadHooks(): Hook[] {
  return yaml.load(fs.readFileSync(MANIFEST, 'utf8')) as Hook[];
}

function hook(id: string): Hook {
  const found = loadHooks().find((candidate) => candidate.id === id);
  if (!found) throw new Error(`.pre-commit-hooks.yaml has no hook \`${id}\``);
  return found;
}

/**
 * Converts a hook's `files` pattern, a Python regular expression, to JavaScript. The pattern
 * uses no syntax the two engines read differently apart from the leading `(?i)` flag.
 */
function filesPattern(files: string): RegExp {
  const caseless = files.startsWith('(?i)');
  return new RegExp(caseless ? files.slice('(?i)'.length) : files, caseless ? 'i' : '');
}

function temporaryFolder(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `prodcheck-${prefix}-`));
}

function runChecked(command: string, args: string[], cwd: string, timeout = 60_000): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' } });
  if (result.status !== 0) throw new Error(`\`${command} ${args.join(' ')}\` in ${cwd} failed with ${result.status ?? result.signal}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

function git(cwd: string, ...args: string[]): string {
  return runChecked('git', ['-c', 'user.name=prodcheck tests', '-c', 'user.email=tests@prodcheck.invalid', '-c', 'commit.gpgsign=false', ...args], cwd).stdout;
}

/** Builds a Git repository with a dev-grade service in `api/` and a production-grade one in `web/`, all committed. */
function writeRepository(): string {
  const folder = temporaryFolder('hooked');
  fs.cpSync(path.join(ROOT, 'fixtures', 'dev-server'), path.join(folder, 'api'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'fixtures', 'production'), path.join(folder, 'web'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'README.md'), '# services\n');
  git(folder, 'init', '-q');
  git(folder, 'add', '-A');
  git(folder, 'commit', '-q', '-m', 'Add the services');
  return folder;
}

function edit(folder: string, relPath: string, change: (text: string) => string): void {
  const file = path.join(folder, relPath);
  fs.writeFileSync(file, change(fs.readFileSync(file, 'utf8')));
}

/** Returns the staged files that a hook receives: the names git gives, filtered by the hook's `files` pattern. */
function stagedFiles(folder: string, files: string): string[] {
  const pattern = filesPattern(files);
  return git(folder, 'diff', '--cached', '--name-only')
    .split('\n')
    .filter((name) => name !== '' && pattern.test(name));
}

/** Returns a folder containing a `prodcheck` command that runs this checkout's build, for PATH. */
function commandFolder(): string {
  const folder = temporaryFolder('bin');
  fs.symlinkSync(BIN, path.join(folder, 'prodcheck'));
  return folder;
}

/** Runs a hook's `entry` as pre-commit does: split on spaces, the staged files appended, from the repository root. */
function runEntry(entry: string, files: string[], cwd: string, binFolder: string) {
  const [command, ...args] = entry.split(' ');
  const result = spawnSync(command, [...args, ...files], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PATH: `${binFolder}${path.delimiter}${process.env.PATH ?? ''}`, NO_COLOR: '1', FORCE_COLOR: '' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, error: result.error };
}

/** Returns the file headings of stylish output, the paths of the files with findings. */
function reportedFiles(stdout: string): string[] {
  return stdout.split('\n').filter((line) => /^[\w./-]+$/.test(line) && !/^\d/.test(line));
}

describe('.pre-commit-hooks.yaml', () => {
  test('declares check and fix hooks', () => {
    const hooks = loadHooks();

    expect(hooks.map((entry) => entry.id)).toEqual(['prodcheck', 'prodcheck-fix']);
    expect(hook('prodcheck').entry).toBe('prodcheck');
    expect(hook('prodcheck-fix').entry).toBe('prodcheck --fix');
    for (const entry of hooks) {
      expect(entry.language).toBe('node');
      expect(entry.require_serial).toBe(true);
      expect(entry.pass_filenames).toBeUndefined();
      expect(entry.files).toBe(hooks[0].files);
    }
  });

  test('entry names the package bin', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; files?: string[]; scripts: Record<string, string> };

    expect(Object.keys(manifest.bin)).toContain(hook('prodcheck').entry);
    expect(manifest.scripts.prepare).toMatch(/\btsc\b/);
    expect(manifest.files).toEqual(expect.arrayContaining(['bin/', 'dist/src/']));
  });

  // Each name is matched as pre-commit passes it: a path from the repository root.
  const names = [
    'main.py',
    'services/api/app/__init__.py',
    'gunicorn.conf.py',
    'deploy/gunicorn_config.py',
    'Dockerfile',
    'services/api/Dockerfile.prod',
    'api.dockerfile',
    'Containerfile',
    'requirements.txt',
    'requirements-dev.in',
    'constraints.txt',
    'requirements/base.txt',
    'REQUIREMENTS.TXT',
    'pyproject.toml',
    'docker-compose.yml',
    'k8s/deployment.yaml',
    'config/app.YML',
    'chart/templates/deployment.yaml',
    'chart/values.yaml',
    '.prodcheck.yaml',
    'services/api/.prodcheck.yml',
    'docker/entrypoint.sh',
    'entrypoint',
    'README.md',
    'web/static/app.js',
    'package.json',
    'setup.cfg',
    'Makefile',
    'requirements.md',
    'docs/requirements.txt.bak',
    'Dockerfile-old/notes.md',
    'tox.ini',
  ];

  test('files pattern agrees with prodcheck', () => {
    const pattern = filesPattern(hook('prodcheck').files);

    for (const name of names) {
      expect({ name, matched: pattern.test(name) }).toEqual({ name, matched: classifyPath(name) !== null });
    }
  });

  test('files pattern agrees in Python', () => {
    const script = 'import json, re, sys\nrequest = json.load(sys.stdin)\nprint(json.dumps([re.search(request["files"], name) is not None for name in request["names"]]))\n';
    const result = spawnSync('python3', ['-c', script], { input: JSON.stringify({ files: hook('prodcheck').files, names }), encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    expect(result.stderr).toBe('');

    const matched = JSON.parse(result.stdout) as boolean[];
    names.forEach((name, index) => expect({ name, matched: matched[index] }).toEqual({ name, matched: classifyPath(name) !== null }));
  });
});

describe('hook entries on staged files', () => {
  let binFolder = '';

  beforeAll(() => {
    binFolder = commandFolder();
  });

  test('check reports staged files only', () => {
    const folder = writeRepository();
    edit(folder, 'api/main.py', (text) => `${text}\n# Served by the container's CMD.\n`);
    edit(folder, 'web/Dockerfile', (text) => text.replace('"main:app"', '"main:application"'));
    edit(folder, 'README.md', (text) => `${text}\nTwo services.\n`);
    git(folder, 'add', 'api/main.py', 'web/Dockerfile', 'README.md');
    const files = stagedFiles(folder, hook('prodcheck').files);
    const result = runEntry(hook('prodcheck').entry, files, folder, binFolder);

    expect(files).toEqual(['api/main.py', 'web/Dockerfile']);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(1);
    expect(reportedFiles(result.stdout)).toEqual(['api/main.py', 'web/Dockerfile']);
    expect(result.stderr).toBe('');
  });

  test('cross-file findings in staged files', () => {
    const folder = writeRepository();
    edit(folder, 'web/Dockerfile', (text) => text.replace('"main:app"', '"main:application"'));
    edit(folder, 'api/main.py', (text) => `${text}\n`);
    git(folder, 'add', '-A');
    const result = runEntry(hook('prodcheck').entry, stagedFiles(folder, hook('prodcheck').files), folder, binFolder);

    // Both findings come from files that were not staged: web/main.py and api/requirements.txt.
    expect(result.stdout).toMatch(/^ +28:\d+ +error +Gunicorn loads `main:application`, but `main\.py` defines no top-level `application`.* gunicorn-target-missing$/m);
    expect(result.stdout).toMatch(/^ +\d+:\d+ +error +The code imports `flask_cors`, but no production requirement declares `flask-cors`\. +requirements-package-missing$/m);
  });

  test('clean staged files pass', () => {
    const folder = writeRepository();
    edit(folder, 'api/store.py', (text) => `${text}\n`);
    edit(folder, 'web/gunicorn.conf.py', (text) => `${text}\n`);
    git(folder, 'add', '-A');
    const result = runEntry(hook('prodcheck').entry, stagedFiles(folder, hook('prodcheck').files), folder, binFolder);

    // api/ is dev-grade, but its findings are in files that were not staged.
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('No problems found.');
  });

  test('no staged file of a read kind', () => {
    const folder = writeRepository();
    edit(folder, 'README.md', (text) => `${text}\n`);
    git(folder, 'add', '-A');

    expect(stagedFiles(folder, hook('prodcheck').files)).toEqual([]);
  });

  test('fix changes staged files only', () => {
    const folder = writeRepository();
    edit(folder, 'api/main.py', (text) => `${text}\n# Served by the container's CMD.\n`);
    git(folder, 'add', 'api/main.py');
    const staged = fs.readFileSync(path.join(folder, 'api/main.py'), 'utf8');
    const result = runEntry(hook('prodcheck-fix').entry, stagedFiles(folder, hook('prodcheck-fix').files), folder, binFolder);

    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^Fixed \d+ problems? in 1 file\.$/m);
    expect(result.stdout).toMatch(/^`api`: \d+ fix(es were|was) left out because .* run `prodcheck --fix api` to apply/m);
    expect(fs.readFileSync(path.join(folder, 'api/main.py'), 'utf8')).not.toBe(staged);
    expect(git(folder, 'status', '--porcelain', '--untracked-files=all')).toBe('MM api/main.py\n');
  });

  test('second fix changes nothing', () => {
    const folder = writeRepository();
    edit(folder, 'api/main.py', (text) => `${text}\n`);
    git(folder, 'add', 'api/main.py');
    const files = stagedFiles(folder, hook('prodcheck-fix').files);
    runEntry(hook('prodcheck-fix').entry, files, folder, binFolder);
    const fixed = fs.readFileSync(path.join(folder, 'api/main.py'), 'utf8');
    const again = runEntry(hook('prodcheck-fix').entry, files, folder, binFolder);

    expect(again.stdout).not.toMatch(/^Fixed /m);
    expect(fs.readFileSync(path.join(folder, 'api/main.py'), 'utf8')).toBe(fixed);
  });
});

const preCommitInstalled = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;

/**
 * Writes a `.pre-commit-config.yaml` that declares the hooks of `.pre-commit-hooks.yaml` as
 * `repo: local` hooks with `language: system`, so pre-commit runs their `entry`, `files` and
 * `require_serial` with the `prodcheck` command on PATH instead of installing this repository.
 */
function writeLocalHooksConfig(folder: string): void {
  const hooks = loadHooks().map(({ id, name, entry, files, require_serial }) => ({ id, name, entry, files, require_serial, language: 'system' }));
  fs.writeFileSync(path.join(folder, '.pre-commit-config.yaml'), yaml.dump({ repos: [{ repo: 'local', hooks }] }));
}

function runPreCommit(folder: string, binFolder: string, ...args: string[]) {
  const result = spawnSync('pre-commit', ['run', ...args], {
    cwd: folder,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, PATH: `${binFolder}${path.delimiter}${process.env.PATH ?? ''}`, PRE_COMMIT_HOME: temporaryFolder('pre-commit-home'), NO_COLOR: '1' },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

if (!preCommitInstalled) {
  test.skip('pre-commit runs the hooks (skipped: the `pre-commit` command is missing; install Debian\'s pre-commit package)', () => {});
  console.warn('pre-commit: the real pre-commit tests are skipped because the `pre-commit` command is missing');
} else {
  // These run the hooks as `language: system` with this checkout's build, so they need no
  // install from the npm registry. The install test below runs pre-commit's own Node install.
  describe('pre-commit runs the hooks', () => {
    let binFolder = '';

    beforeAll(() => {
      binFolder = commandFolder();
    });

    test('manifest is valid', () => {
      const result = spawnSync('pre-commit', ['validate-manifest', MANIFEST], { encoding: 'utf8' });

      expect(result.stdout).toBe('');
      expect(result.status).toBe(0);
    });

    test('check hook on staged files', () => {
      const folder = writeRepository();
      writeLocalHooksConfig(folder);
      git(folder, 'add', '.pre-commit-config.yaml');
      git(folder, 'commit', '-q', '-m', 'Add the hooks');
      edit(folder, 'web/Dockerfile', (text) => text.replace('"main:app"', '"main:application"'));
      edit(folder, 'README.md', (text) => `${text}\nTwo services.\n`);
      git(folder, 'add', '-A');
      // An unstaged change that pre-commit stashes while the hook runs: a secret in a staged file.
      edit(folder, 'web/Dockerfile', (text) => `${text}ENV API_TOKEN=sk_live_51HqLyjWDarjtT1zdp7dc\n`);
      const result = runPreCommit(folder, binFolder, 'prodcheck');

      expect(result.status).toBe(1);
      expect(result.output).toMatch(/^web\/Dockerfile$/m);
      expect(result.output).toContain('gunicorn-target-missing');
      expect(result.output).not.toContain('dockerfile-secret-in-env');
      expect(result.output).not.toMatch(/^api\//m);
      expect(fs.readFileSync(path.join(folder, 'web/Dockerfile'), 'utf8')).toContain('API_TOKEN');
    });

    test('check hook passes clean files', () => {
      const folder = writeRepository();
      writeLocalHooksConfig(folder);
      edit(folder, 'api/store.py', (text) => `${text}\n`);
      git(folder, 'add', '-A');
      const result = runPreCommit(folder, binFolder, 'prodcheck');

      expect(result.status).toBe(0);
      expect(result.output).toMatch(/^prodcheck\.+Passed$/m);
    });

    test('fix hook changes staged files only', () => {
      const folder = writeRepository();
      writeLocalHooksConfig(folder);
      git(folder, 'add', '.pre-commit-config.yaml');
      git(folder, 'commit', '-q', '-m', 'Add the hooks');
      edit(folder, 'api/main.py', (text) => `${text}\n`);
      git(folder, 'add', '-A');
      edit(folder, 'api/requirements.txt', (text) => `${text}requests\n`);
      const result = runPreCommit(folder, binFolder, 'prodcheck-fix');

      expect(result.status).toBe(1);
      expect(result.output).toContain('files were modified by this hook');
      expect(git(folder, 'status', '--porcelain', '--untracked-files=all')).toBe('MM api/main.py\n M api/requirements.txt\n');
      expect(fs.readFileSync(path.join(folder, 'api/requirements.txt'), 'utf8')).toMatch(/^requests$/m);
      expect(fs.readFileSync(path.join(folder, 'api/requirements.txt'), 'utf8')).not.toMatch(/flask-cors/i);
    });
  });
}

/**
 * Copies this checkout's files as Git lists them (tracked and untracked, without what
 * `.gitignore` excludes) into a new repository, as the repository a pre-commit user names.
 */
function writeHookRepository(): string {
  const folder = temporaryFolder('hook-repo');
  const listed = runChecked('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT).stdout.split('\0');
  for (const relPath of listed) {
    const source = path.join(ROOT, relPath);
    if (relPath === '' || !fs.existsSync(source) || !fs.lstatSync(source).isFile()) continue;
    fs.mkdirSync(path.dirname(path.join(folder, relPath)), { recursive: true });
    fs.copyFileSync(source, path.join(folder, relPath));
  }
  git(folder, 'init', '-q');
  git(folder, 'add', '-A');
  git(folder, 'commit', '-q', '-m', 'prodcheck');
  return folder;
}

// Installing from a clone downloads the dependencies from the npm registry twice, for the
// clone and for the packed file, which took 142 s in one run on a 2-core machine. So the test
// runs where CI is set or PRODCHECK_INSTALL_TEST=1 (`.ci/run` sets it).
const installTest = process.env.CI || process.env.PRODCHECK_INSTALL_TEST === '1' ? test : test.skip;

describe('hook installed from a clone', () => {
  const preCommitInstallTest = preCommitInstalled ? installTest : test.skip;

  preCommitInstallTest(
    'pre-commit installs the node hook',
    () => {
      const hookRepository = writeHookRepository();
      const folder = writeRepository();
      edit(folder, 'api/main.py', (text) => `${text}\n# staged change\n`);
      git(folder, 'add', '-A');

      // `try-repo` clones the hook repository and installs the hook as `language: node`, with the
      // machine's Node.js because node and npm are on PATH, then runs it on the staged files.
      const result = spawnSync('pre-commit', ['try-repo', hookRepository, 'prodcheck'], {
        cwd: folder,
        encoding: 'utf8',
        timeout: 1_200_000,
        env: { ...process.env, PRE_COMMIT_HOME: temporaryFolder('pre-commit-home'), NO_COLOR: '1', FORCE_COLOR: '' },
      });

      expect(result.stderr).not.toMatch(/An unexpected error has occurred/);
      expect(result.stdout).toMatch(/^prodcheck\.+Failed$/m);
      // pre-commit's own status line (`prodcheck....Failed`) looks like a file heading.
      expect(reportedFiles(result.stdout).filter((line) => !line.includes('...'))).toEqual(['api/main.py']);
      expect(result.stdout).toMatch(/^ +\d+:\d+ +error .* flask-dev-server$/m);
      expect(result.status).toBe(1);
    },
    1_200_000,
  );

  // These are the steps pre-commit takes for a `language: node` hook: clone the repository,
  // `npm install` in it (which runs the `prepare` script, `tsc`), `npm pack`, then
  // `npm install -g` of the packed file. This test reads the file name from `npm pack --json`;
  // pre-commit reads it from the plain output, which the repository's `.npmrc` keeps to the name.
  installTest(
    'clone installs working bin',
    () => {
      const clone = temporaryFolder('clone');
      runChecked('git', ['clone', '-q', writeHookRepository(), clone], ROOT);
      runChecked('npm', ['install', '--include=dev', '--no-audit', '--no-fund', '--no-save', '--no-progress'], clone, 600_000);

      expect(runChecked(process.execPath, [path.join(clone, 'bin', 'prodcheck.mjs'), '--version'], clone).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);

      const packed = JSON.parse(runChecked('npm', ['pack', '--json', '--ignore-scripts'], clone).stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
      expect(packed[0].files.map((file) => file.path)).toContain('dist/src/cli.mjs');

      const prefix = temporaryFolder('prefix');
      runChecked('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', path.join(clone, packed[0].filename)], clone, 600_000);

      const folder = writeRepository();
      edit(folder, 'api/requirements.txt', (text) => `${text}requests\n`);
      git(folder, 'add', '-A');
      const result = runEntry(hook('prodcheck').entry, stagedFiles(folder, hook('prodcheck').files), folder, path.join(prefix, 'bin'));

      expect(result.error).toBeUndefined();
      expect(result.stderr).toBe('');
      expect(reportedFiles(result.stdout)).toEqual(['api/requirements.txt']);
      expect(result.stdout).toMatch(/`requests` is not pinned to an exact version.* requirements-unpinned$/m);
    },
    1_200_000,
  );
});

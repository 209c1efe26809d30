/**
 * Fixing under faults: a `--fix` run killed at any point, two runs on one tree at once, a full or
 * read-only file system, and a file edited while prodcheck runs. Each must leave every file either
 * wholly as it was or wholly fixed. No partial file may remain, and no temporary file other than
 * prodcheck's own. Each case works on its own copy of a dev-grade fixture.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allRules } from '../rules';
import { discoverSystem, readSystemFile } from '../src/discovery';
import { fixSystem, type FileChange } from '../src/fix/loop';
import { writeChanges } from '../src/fix/write';
import type { SystemInput } from '../src/system';
import { seededRandom } from './helpers';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'prodcheck.mjs');
const KILL_HELPER = path.join(__dirname, 'faults', 'write-killed-at.js');
const FIXTURE = path.join(ROOT, 'fixtures', 'dev-server');
/** The random kill delays and start offsets come from this seed, so a failing run can be repeated. */
const SEED = 20261205;
const KILLED_RUNS = 20;
const CONCURRENT_ROUNDS = 3;
/** prodcheck's own temporary files, `.NAME.prodcheck-PID-HEX.tmp` beside the file they replace. */
const PRODCHECK_TEMPORARY = /^\.[^/]+\.prodcheck-\d+-[0-9a-f]+\.tmp$/;
const RUN_TIME_LIMIT_MS = 60_000;

interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function copyFixture(parent: string = os.tmpdir()): string {
  const folder = fs.mkdtempSync(path.join(parent, 'prodcheck-faults-'));
  fs.cpSync(FIXTURE, folder, { recursive: true });
  return folder;
}

/** Reads every file under a folder, keyed by its path with `/` separators. */
function snapshot(folder: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const relPath of fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort()) {
    const absolute = path.join(folder, relPath);
    if (fs.lstatSync(absolute).isFile()) files.set(relPath.split(path.sep).join('/'), fs.readFileSync(absolute));
  }
  return files;
}

interface TreeState {
  /** Files that are neither the old nor the fixed content, and old files that are gone. */
  unexpected: string[];
  /** prodcheck's temporary files left behind. */
  temporaries: string[];
  /** Files with the fixed content that differs from the old one, created files included. */
  fixed: string[];
}

/** Compares each file of `folder` with its old bytes and the bytes a complete fix run writes. */
function compareTree(folder: string, before: Map<string, Buffer>, after: Map<string, Buffer>): TreeState {
  const state: TreeState = { unexpected: [], temporaries: [], fixed: [] };
  const current = snapshot(folder);
  for (const [relPath, bytes] of current) {
    const old = before.get(relPath);
    const fixed = after.get(relPath);
    if (PRODCHECK_TEMPORARY.test(path.posix.basename(relPath))) state.temporaries.push(relPath);
    else if (old && bytes.equals(old)) continue;
    else if (fixed && bytes.equals(fixed)) state.fixed.push(relPath);
    else state.unexpected.push(`${relPath}: ${bytes.length} bytes, neither the old nor the fixed content`);
  }
  for (const relPath of before.keys()) {
    if (!current.has(relPath)) state.unexpected.push(`${relPath}: missing`);
  }
  return state;
}

function prodcheck(args: string[]): RunResult {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: RUN_TIME_LIMIT_MS, env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the CLI and calls `started` with its process, so a test can signal it while it runs. */
function prodcheckAsync(args: string[], started: (child: ReturnType<typeof spawn>) => void = () => {}, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
    started(child);
  });
}

function parseErrors(folder: string): string[] {
  const result = prodcheck([folder, '--format', 'json']);
  const systems: Array<{ findings: Array<{ ruleId: string; file: string; message: string }> }> = JSON.parse(result.stdout).systems;
  return systems.flatMap((system) => system.findings).filter((finding) => finding.ruleId === 'parse-error').map((finding) => `${finding.file}: ${finding.message}`);
}

function inputFor(root: string): SystemInput {
  const discovered = discoverSystem(root);
  return { root, files: discovered.files, skipped: discovered.skipped, load: (relPath, kind) => readSystemFile(root, relPath, kind) };
}

function fixInMemory(root: string): FileChange[] {
  return fixSystem(inputFor(root), { rules: allRules, unsafe: true, existsOnDisk: (relPath) => fs.existsSync(path.join(root, relPath)) }).changes;
}

/** Returns the first build file older than its source, or null. The CLI and the kill helper run the build in dist/. */
function staleBuild(): string | null {
  for (const name of ['write', 'loop']) {
    const source = path.join(ROOT, 'src', 'fix', `${name}.ts`);
    const built = path.join(ROOT, 'dist', 'src', 'fix', `${name}.js`);
    if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < fs.statSync(source).mtimeMs) return `dist/src/fix/${name}.js`;
  }
  return null;
}

/** A small tmpfs mounted by the test, for the full-disk and read-only cases. */
interface SmallFileSystem {
  folder: string;
  remountReadOnly(): void;
  unmount(): void;
}

/** Mounts a tmpfs of `sizeKiB` on a new temporary folder, or returns why it cannot. */
function mountTmpfs(sizeKiB: number): SmallFileSystem | string {
  if (process.platform !== 'linux') return `tmpfs needs Linux, and this is ${process.platform}`;
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root, and the tests run as a normal user';

  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-tmpfs-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', folder], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    fs.rmdirSync(folder);
    return `\`mount -t tmpfs\` failed: ${(mounted.stderr || mounted.error?.message || '').trim()}`;
  }

  return {
    folder,
    remountReadOnly() {
      const result = spawnSync('mount', ['-o', 'remount,ro', folder], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`Remounting ${folder} read-only failed: ${result.stderr.trim()}`);
    },
    unmount() {
      spawnSync('umount', [folder]);
      fs.rmdirSync(folder);
    },
  };
}

function tmpfsUnavailable(): string | null {
  const probe = mountTmpfs(64);
  if (typeof probe === 'string') return probe;
  probe.unmount();
  return null;
}

/**
 * Fills the file system of `folder` with a filler file until a write fails with ENOSPC, then
 * frees `freeBytes` by shortening it. tmpfs counts whole 4 KiB pages, so 0 leaves no page free.
 */
function fillFileSystem(folder: string, freeBytes: number): void {
  const filler = path.join(folder, 'filler');
  const descriptor = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 0x78);
  let size = 0;
  try {
    for (;;) size += fs.writeSync(descriptor, chunk);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(descriptor);
  }
  fs.truncateSync(filler, Math.max(0, size - freeBytes));
}

const temporaryFolders: string[] = [];
function track(folder: string): string {
  temporaryFolders.push(folder);
  return folder;
}

afterAll(() => {
  for (const folder of temporaryFolders) fs.rmSync(folder, { recursive: true, force: true });
});

let before = new Map<string, Buffer>();
let after = new Map<string, Buffer>();
let fixDurationMs = 0;

beforeAll(() => {
  const stale = staleBuild();
  if (stale) throw new Error(`${stale} is older than its source; run \`npx tsc -p .\` before these tests.`);

  const reference = track(copyFixture());
  before = snapshot(reference);
  const started = Date.now();
  const result = prodcheck([reference, '--fix', '--unsafe-fixes']);
  fixDurationMs = Date.now() - started;
  if (!/Fixed \d+ problems/.test(result.stdout)) throw new Error(`The reference fix run did not fix anything:\n${result.stdout}${result.stderr}`);
  after = snapshot(reference);
}, RUN_TIME_LIMIT_MS);

describe('killed while writing', () => {
  test('every crash point of writeChanges', () => {
    const changes = fixInMemory(FIXTURE);
    const changesPath = path.join(track(fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-changes-'))), 'changes.json');
    fs.writeFileSync(changesPath, JSON.stringify(changes));
    const created = changes.filter((change) => !change.original).map((change) => change.relPath);
    const edited = changes.filter((change) => change.original).map((change) => change.relPath);

    const complete = track(copyFixture());
    const finished = spawnSync(process.execPath, [KILL_HELPER, complete, changesPath, '0'], { encoding: 'utf8' });
    expect(finished.stderr).toBe('');
    const { calls, result } = JSON.parse(finished.stdout);
    expect(result.failed).toEqual([]);
    expect(compareTree(complete, before, after)).toEqual({ unexpected: [], temporaries: [], fixed: [...after.keys()].filter((relPath) => !before.get(relPath)?.equals(after.get(relPath)!)) });

    const partial: Array<{ folder: string; context: string }> = [];
    for (let killAt = 1; killAt <= calls; killAt++) {
      const folder = track(copyFixture());
      const killed = spawnSync(process.execPath, [KILL_HELPER, folder, changesPath, String(killAt)], { encoding: 'utf8' });
      const state = compareTree(folder, before, after);
      const context = `killed before file system call ${killAt} of ${calls}`;

      expect({ context, signal: killed.signal }).toEqual({ context, signal: 'SIGKILL' });
      expect({ context, unexpected: state.unexpected }).toEqual({ context, unexpected: [] });
      // A fixed file may import a created one (`main.py` imports `operations.py`), so created files come first.
      const editedFixed = edited.filter((relPath) => state.fixed.includes(relPath));
      const createdMissing = created.filter((relPath) => !state.fixed.includes(relPath));
      if (editedFixed.length > 0) expect({ context, editedFixed, createdMissing }).toEqual({ context, editedFixed, createdMissing: [] });
      if (state.fixed.length > 0 && state.fixed.length < changes.length) partial.push({ folder, context });
      else fs.rmSync(folder, { recursive: true, force: true });
    }

    // A later run finishes the fix from a half-written tree: the first, middle and last such states.
    expect(partial.length).toBeGreaterThan(0);
    for (const { folder, context } of new Set([partial[0], partial[Math.floor(partial.length / 2)], partial[partial.length - 1]])) {
      const rerun = prodcheck([folder, '--fix', '--unsafe-fixes']);
      expect({ context, stderr: rerun.stderr }).toEqual({ context, stderr: '' });
      expect({ context, diff: prodcheck([folder, '--diff', '--unsafe-fixes']).stdout }).toEqual({ context, diff: '' });
      expect({ context, parseErrors: parseErrors(folder) }).toEqual({ context, parseErrors: [] });
    }
  }, 180_000);

  test('CLI killed at random moments', async () => {
    const random = seededRandom(SEED);
    const changedFiles = [...after.keys()].filter((relPath) => !before.get(relPath)?.equals(after.get(relPath)!));
    for (let run = 0; run < KILLED_RUNS; run++) {
      const folder = track(copyFixture());
      const delayMs = Math.round(5 + random() * fixDurationMs);
      const result = await prodcheckAsync([folder, '--fix', '--unsafe-fixes'], (child) => {
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      });
      const state = compareTree(folder, before, after);
      const context = `seed ${SEED}, run ${run}, killed after ${delayMs} ms`;

      expect({ context, stderr: result.stderr }).toEqual({ context, stderr: '' });
      expect({ context, unexpected: state.unexpected }).toEqual({ context, unexpected: [] });
      const partial = state.temporaries.length > 0 || (state.fixed.length > 0 && state.fixed.length < changedFiles.length);
      if (partial) {
        const rerun = prodcheck([folder, '--fix', '--unsafe-fixes']);
        expect({ context, stderr: rerun.stderr }).toEqual({ context, stderr: '' });
        expect({ context, diff: prodcheck([folder, '--diff', '--unsafe-fixes']).stdout }).toEqual({ context, diff: '' });
      }
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }, KILLED_RUNS * RUN_TIME_LIMIT_MS);
});

describe('two fix runs at once', () => {
  test('no file corrupted', async () => {
    const random = seededRandom(SEED + 1);
    for (let round = 0; round < CONCURRENT_ROUNDS; round++) {
      const folder = track(copyFixture());
      const offsetMs = Math.round(random() * fixDurationMs * 0.5);
      const context = `seed ${SEED + 1}, round ${round}, second run started ${offsetMs} ms later`;
      const first = prodcheckAsync([folder, '--fix', '--unsafe-fixes']);
      await new Promise((resolve) => setTimeout(resolve, offsetMs));
      const second = prodcheckAsync([folder, '--fix', '--unsafe-fixes']);
      const results = await Promise.all([first, second]);
      const state = compareTree(folder, before, after);

      expect({ context, stderr: results.map((result) => result.stderr) }).toEqual({ context, stderr: ['', ''] });
      expect({ context, status: results.map((result) => result.status) }).toEqual({ context, status: [expect.any(Number), expect.any(Number)] });
      expect({ context, unexpected: state.unexpected, temporaries: state.temporaries }).toEqual({ context, unexpected: [], temporaries: [] });
      expect({ context, parseErrors: parseErrors(folder) }).toEqual({ context, parseErrors: [] });

      prodcheck([folder, '--fix', '--unsafe-fixes']);
      expect({ context, diff: prodcheck([folder, '--diff', '--unsafe-fixes']).stdout }).toEqual({ context, diff: '' });
    }
  }, CONCURRENT_ROUNDS * 3 * RUN_TIME_LIMIT_MS);
});

describe('full or read-only file system', () => {
  const unavailable = tmpfsUnavailable();
  if (unavailable) console.warn(`faults: the tmpfs cases are skipped because ${unavailable}`);
  const tmpfsTest = unavailable ? test.skip : test;

  /** Copies the fixture onto a new 1 MiB tmpfs, runs `prepare`, then runs `--fix --unsafe-fixes` there. */
  function fixOnTmpfs(prepare: (fileSystem: SmallFileSystem, folder: string) => void): { result: RunResult; folder: string; state: TreeState; snapshotEqual: boolean } {
    const fileSystem = mountTmpfs(1024) as SmallFileSystem;
    try {
      const folder = path.join(fileSystem.folder, 'system');
      fs.cpSync(FIXTURE, folder, { recursive: true });
      prepare(fileSystem, folder);
      const result = prodcheck([folder, '--fix', '--unsafe-fixes']);
      const state = compareTree(folder, before, after);
      const current = snapshot(folder);
      const snapshotEqual = current.size === before.size && [...before].every(([relPath, bytes]) => current.get(relPath)?.equals(bytes));
      return { result, folder, state, snapshotEqual };
    } finally {
      fileSystem.unmount();
    }
  }

  tmpfsTest('full disk', () => {
    const { result, state, snapshotEqual } = fixOnTmpfs((fileSystem) => fillFileSystem(fileSystem.folder, 0));

    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/Did not write `[^`]+`: the disk is full; the file is unchanged\./);
    expect(state).toEqual({ unexpected: [], temporaries: [], fixed: [] });
    expect(snapshotEqual).toBe(true);
  });

  tmpfsTest('room for some files only', () => {
    const { result, state, snapshotEqual } = fixOnTmpfs((fileSystem) => fillFileSystem(fileSystem.folder, 3 * 4096));

    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/the disk is full/);
    expect(state).toEqual({ unexpected: [], temporaries: [], fixed: [] });
    expect(snapshotEqual).toBe(true);
  });

  tmpfsTest('read-only file system', () => {
    const { result, state, snapshotEqual } = fixOnTmpfs((fileSystem) => fileSystem.remountReadOnly());

    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/Did not write `[^`]+`: the file system is read-only; the file is unchanged\./);
    expect(state).toEqual({ unexpected: [], temporaries: [], fixed: [] });
    expect(snapshotEqual).toBe(true);
  });
});

describe('read-only folder', () => {
  // Root writes into folders without write permission, so only a normal user sees this case.
  const normalUser = process.getuid?.() !== 0;
  if (!normalUser) console.warn('faults: the read-only folder case is skipped because the tests run as root, and the tmpfs case covers root');
  const folderTest = normalUser ? test : test.skip;

  folderTest('no file changed', () => {
    const folder = track(copyFixture());
    const folders = [folder, ...fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }).map((relPath) => path.join(folder, relPath)).filter((absolute) => fs.statSync(absolute).isDirectory())];
    for (const absolute of folders) fs.chmodSync(absolute, 0o555);
    const result = prodcheck([folder, '--fix', '--unsafe-fixes']);
    for (const absolute of folders) fs.chmodSync(absolute, 0o755);

    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/Did not write `[^`]+`: it could not be written \(permission denied\); the file is unchanged\./);
    expect(compareTree(folder, before, after)).toEqual({ unexpected: [], temporaries: [], fixed: [] });
  });
});

describe('short writes', () => {
  // The namespace import above has read-only bindings, so the spies go on the module object.
  const nodeFs: typeof fs = require('node:fs');
  afterEach(() => jest.restoreAllMocks());

  function changedFolder(): { folder: string; changes: FileChange[] } {
    const folder = track(copyFixture());
    return { folder, changes: fixInMemory(folder) };
  }

  test('short write completed', () => {
    const { folder, changes } = changedFolder();
    const write = nodeFs.writeSync;
    jest.spyOn(nodeFs, 'writeSync').mockImplementation(((descriptor: number, buffer: Buffer, offset?: number, length?: number) =>
      write(descriptor, buffer, offset ?? 0, Math.min(length ?? buffer.length - (offset ?? 0), 100))) as typeof fs.writeSync);
    const result = writeChanges(folder, changes);

    expect(result.failed).toEqual([]);
    expect(compareTree(folder, before, after).unexpected).toEqual([]);
    expect(snapshot(folder).get('main.py')?.equals(after.get('main.py')!)).toBe(true);
  });

  test('short write then ENOSPC', () => {
    const { folder, changes } = changedFolder();
    const write = nodeFs.writeSync;
    let calls = 0;
    jest.spyOn(nodeFs, 'writeSync').mockImplementation(((descriptor: number, buffer: Buffer, offset?: number, length?: number) => {
      calls++;
      if (calls > 1) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return write(descriptor, buffer, offset ?? 0, Math.min(length ?? buffer.length - (offset ?? 0), 10));
    }) as typeof fs.writeSync);
    const result = writeChanges(folder, changes);
    const state = compareTree(folder, before, after);

    expect(result.written).toEqual([]);
    expect(result.failed.map((failure) => failure.reason)).toContainEqual('the disk is full');
    expect(state).toEqual({ unexpected: [], temporaries: [], fixed: [] });
  });
});

describe('file edited during the run', () => {
  test('edited file left alone', async () => {
    const folder = track(copyFixture());
    const mainPath = path.join(folder, 'main.py');
    const edited = Buffer.concat([before.get('main.py')!, Buffer.from('# edited while prodcheck ran\n')]);
    let mainWhenStopped: Buffer | null = null;

    // The fix loop logs each pass after it has read every file and before it writes any. The
    // run is stopped at the first pass, main.py is edited, and the run goes on.
    const result = await prodcheckAsync(
      [folder, '--fix', '--unsafe-fixes'],
      (child) => {
        let log = '';
        child.stderr!.on('data', (text: string) => {
          log += text;
          if (mainWhenStopped || !log.includes('pass 1 applied')) return;
          child.kill('SIGSTOP');
          mainWhenStopped = fs.readFileSync(mainPath);
          fs.writeFileSync(mainPath, edited);
          child.kill('SIGCONT');
        });
      },
      { DEBUG: 'prodcheck:fix' },
    );
    const state = compareTree(folder, before, after);

    expect(mainWhenStopped).toEqual(before.get('main.py'));
    expect(result.stdout).toContain('Did not write `main.py`: it changed on disk while prodcheck was running; the file is unchanged.');
    expect(fs.readFileSync(mainPath)).toEqual(edited);
    expect(state.unexpected).toEqual(['main.py: ' + edited.length + ' bytes, neither the old nor the fixed content']);
    expect(state.temporaries).toEqual([]);
  }, RUN_TIME_LIMIT_MS);
});

/**
 * Starts the CLI with `DEBUG` set, stops it when its log first shows `marker`, calls `change`
 * while it is stopped, and lets it go on.
 */
function stopAtLogLine(args: string[], debug: string, marker: string, change: () => void): Promise<RunResult & { stopped: boolean }> {
  let stopped = false;
  return prodcheckAsync(
    args,
    (child) => {
      let log = '';
      child.stderr!.on('data', (text: string) => {
        log += text;
        if (stopped || !log.includes(marker)) return;
        child.kill('SIGSTOP');
        stopped = true;
        change();
        child.kill('SIGCONT');
      });
    },
    { DEBUG: debug },
  ).then((result) => ({ ...result, stopped }));
}

/** Two systems side by side: a dev-grade one in `dev/` and a production-grade one in `prod/`. */
function twoSystems(): string {
  const folder = track(fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-faults-')));
  fs.cpSync(FIXTURE, path.join(folder, 'dev'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'fixtures', 'production'), path.join(folder, 'prod'), { recursive: true });
  return folder;
}

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  message: string;
}

function findingsBySystem(stdout: string): Map<string, JsonFinding[]> {
  const systems: Array<{ root: string; findings: JsonFinding[] }> = JSON.parse(stdout).systems;
  return new Map(systems.map((system) => [path.basename(system.root), system.findings]));
}

// The roots log line comes after the tree is listed and split into systems, and before any
// system's files are read, so what is deleted then was listed but is gone when it is read.
describe('file deleted during the run', () => {
  test('deleted module', async () => {
    const folder = twoSystems();
    const result = await stopAtLogLine([folder, '--format', 'json', '--jobs', '1'], 'prodcheck:roots', 'found 2 systems', () => fs.rmSync(path.join(folder, 'prod', 'main.py')));
    const skipped = findingsBySystem(result.stdout).get('prod')!.filter((finding) => finding.ruleId === 'file-skipped');

    expect(result.stopped).toBe(true);
    expect(result.status).toBe(1);
    expect(skipped).toEqual([expect.objectContaining({ file: 'main.py', line: 1, message: '`main.py` cannot be read: no such file.' })]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, RUN_TIME_LIMIT_MS);

  test('deleted system folder', async () => {
    const folder = twoSystems();
    const result = await stopAtLogLine([folder, '--format', 'json', '--jobs', '1'], 'prodcheck:roots', 'found 2 systems', () => fs.rmSync(path.join(folder, 'dev'), { recursive: true }));
    const systems = findingsBySystem(result.stdout);
    const devFindings = systems.get('dev')!;

    // Unreadable files are warnings, and the production-grade system has no errors.
    expect(result.stopped).toBe(true);
    expect(result.status).toBe(0);
    expect(devFindings.length).toBeGreaterThan(0);
    expect(devFindings.every((finding) => finding.ruleId === 'file-skipped' && finding.message.endsWith('cannot be read: no such file.'))).toBe(true);
    expect(systems.get('prod')!.filter((finding) => finding.ruleId === 'file-skipped')).toEqual([]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, RUN_TIME_LIMIT_MS);

  test('deleted before a fix is written', async () => {
    const folder = track(copyFixture());
    const result = await stopAtLogLine([folder, '--fix', '--unsafe-fixes'], 'prodcheck:fix', 'pass 1 applied', () => fs.rmSync(path.join(folder, 'main.py')));
    const state = compareTree(folder, before, after);

    expect(result.stopped).toBe(true);
    expect(result.stdout).toContain('Did not write `main.py`: it cannot be read any more (no such file); the file is unchanged.');
    expect(fs.existsSync(path.join(folder, 'main.py'))).toBe(false);
    expect(state.unexpected).toEqual(['main.py: missing']);
    expect(state.temporaries).toEqual([]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, RUN_TIME_LIMIT_MS);
});

describe('file owner', () => {
  const ownerTest = process.getuid?.() === 0 ? test : test.skip;

  ownerTest('owner and group kept', () => {
    const folder = track(copyFixture());
    for (const relPath of before.keys()) fs.chownSync(path.join(folder, relPath), 1234, 2345);
    const result = writeChanges(folder, fixInMemory(folder));
    const stat = fs.statSync(path.join(folder, 'main.py'));

    expect(result.failed).toEqual([]);
    expect(stat.uid).toBe(1234);
    expect(stat.gid).toBe(2345);
  });
});

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheFingerprint, DEFAULT_CACHE_FOLDER } from '../src/cache';
import { listTree } from '../src/discovery';
import { checkJob, type SystemJob } from '../src/system-check';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'prodcheck.mjs');

/** Writes a dev-grade service under `api/` that includes a requirements file shared by the folder above it. */
function writeTree(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-cache-'));
  fs.cpSync(path.join(ROOT, 'fixtures', 'dev-server'), path.join(folder, 'api'), { recursive: true });
  fs.appendFileSync(path.join(folder, 'api', 'requirements.txt'), '-r ../requirements-common.txt\n');
  fs.writeFileSync(path.join(folder, 'requirements-common.txt'), 'requests==2.32.3\n');
  return folder;
}

function jobFor(folder: string, cacheFolder: string, fingerprint = cacheFingerprint(['all'], {})): SystemJob {
  const root = path.join(folder, 'api');
  const listing = listTree(root);
  return { index: 0, root, boundary: folder, files: listing.files, skipped: listing.skipped, cache: { folder: cacheFolder, fingerprint } };
}

describe('findings cache', () => {
  let folder = '';
  let cacheFolder = '';
  beforeEach(() => {
    folder = writeTree();
    cacheFolder = path.join(folder, '.cache');
  });

  test('unchanged system comes from cache', () => {
    const first = checkJob(jobFor(folder, cacheFolder));
    const second = checkJob(jobFor(folder, cacheFolder));

    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.findings).toEqual(first.findings);
    expect(first.findings.length).toBeGreaterThan(0);
  });

  test('edited file invalidates', () => {
    checkJob(jobFor(folder, cacheFolder));
    fs.appendFileSync(path.join(folder, 'api', 'store.py'), '\nEXTRA = 1\n');

    expect(checkJob(jobFor(folder, cacheFolder)).cached).toBe(false);
    expect(checkJob(jobFor(folder, cacheFolder)).cached).toBe(true);
  });

  test('new file invalidates', () => {
    checkJob(jobFor(folder, cacheFolder));
    fs.writeFileSync(path.join(folder, 'api', 'gunicorn.conf.py'), 'bind = "0.0.0.0:8080"\n');

    expect(checkJob(jobFor(folder, cacheFolder)).cached).toBe(false);
  });

  test('included file above root invalidates', () => {
    checkJob(jobFor(folder, cacheFolder));
    fs.writeFileSync(path.join(folder, 'requirements-common.txt'), 'requests\n');
    const third = checkJob(jobFor(folder, cacheFolder));

    expect(third.cached).toBe(false);
    expect(third.findings).toContainEqual(expect.objectContaining({ ruleId: 'requirements-unpinned', file: '../requirements-common.txt', line: 1 }));
  });

  test('other fingerprint invalidates', () => {
    checkJob(jobFor(folder, cacheFolder, cacheFingerprint(['a'], {})));

    expect(checkJob(jobFor(folder, cacheFolder, cacheFingerprint(['a'], { dockerTarget: 'runtime' }))).cached).toBe(false);
    expect(checkJob(jobFor(folder, cacheFolder, cacheFingerprint(['a', 'b'], {}))).cached).toBe(false);
  });

  test('corrupt entry ignored', () => {
    checkJob(jobFor(folder, cacheFolder));
    for (const entry of fs.readdirSync(cacheFolder)) fs.writeFileSync(path.join(cacheFolder, entry), '{"format": 1, "findi');

    const again = checkJob(jobFor(folder, cacheFolder));
    expect(again.cached).toBe(false);
    expect(again.findings.length).toBeGreaterThan(0);
  });
});

describe('built CLI with --cache', () => {
  function prodcheck(args: string[]) {
    const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DEBUG: 'prodcheck:run' }, timeout: 60_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  test('warm run reports the same', () => {
    const folder = writeTree();
    const cold = prodcheck([folder, '--cache', '--format', 'json']);
    const warm = prodcheck([folder, '--cache', '--format', 'json']);

    expect(fs.readdirSync(path.join(folder, DEFAULT_CACHE_FOLDER)).length).toBe(1);
    expect(cold.stderr).toContain('systems checked: 1, from the cache: 0');
    expect(warm.stderr).toContain('systems checked: 1, from the cache: 1');
    expect(warm.stdout).toBe(cold.stdout);
    expect(warm.status).toBe(cold.status);
  });

  test('cache location option', () => {
    const folder = writeTree();
    const location = fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-cache-location-'));
    prodcheck([folder, '--cache', '--cache-location', location]);

    expect(fs.existsSync(path.join(folder, DEFAULT_CACHE_FOLDER))).toBe(false);
    expect(fs.readdirSync(location).length).toBe(1);
  });

  test('no cache without the option', () => {
    const folder = writeTree();
    prodcheck([folder]);

    expect(fs.existsSync(path.join(folder, DEFAULT_CACHE_FOLDER))).toBe(false);
  });
});

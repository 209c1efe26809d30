import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkInOrder, MIN_SYSTEMS_FOR_WORKERS, OrderedQueue } from '../src/parallel';
import { checkJob, type SystemJob } from '../src/system-check';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'prodcheck.mjs');

describe('OrderedQueue', () => {
  test('passes values on in index order', () => {
    const emitted: string[] = [];
    const queue = new OrderedQueue<string>((value, index) => emitted.push(`${index}:${value}`));

    queue.add(2, 'c');
    queue.add(1, 'b');
    expect(emitted).toEqual([]);
    expect(queue.held).toBe(2);

    queue.add(0, 'a');
    expect(emitted).toEqual(['0:a', '1:b', '2:c']);
    expect(queue.held).toBe(0);
    expect(queue.next).toBe(3);
  });

  test('holds only early values', () => {
    const emitted: number[] = [];
    const queue = new OrderedQueue<number>((value) => emitted.push(value));

    queue.add(0, 10);
    queue.add(3, 13);
    queue.add(1, 11);

    expect(emitted).toEqual([10, 11]);
    expect(queue.held).toBe(1);
    expect(queue.next).toBe(2);
  });
});

describe('checkInOrder', () => {
  test('main thread keeps job order', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-parallel-'));
    const jobs: SystemJob[] = ['b', 'a'].map((name, index) => {
      fs.mkdirSync(path.join(folder, name));
      fs.writeFileSync(path.join(folder, name, 'main.py'), 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n');
      return { index, root: path.join(folder, name), boundary: folder, files: [{ relPath: 'main.py', kind: 'python', linked: false }], skipped: [] };
    });
    const order: number[] = [];

    await checkInOrder(jobs, 4, (outcome) => order.push(outcome.index));

    expect(order).toEqual([0, 1]);
  });
});

describe('checkJob fix detail', () => {
  const root = path.join(ROOT, 'fixtures', 'dev-server');
  const files = fs
    .readdirSync(root)
    .filter((name) => name.endsWith('.py'))
    .map((name) => ({ relPath: name, kind: 'python' as const, linked: false }));
  const job: SystemJob = { index: 0, root, boundary: root, files, skipped: [] };

  test('full fixes by default', () => {
    const fixed = checkJob(job).findings.filter((finding) => finding.fix);

    expect(fixed.length).toBeGreaterThan(0);
    for (const finding of fixed) {
      expect(finding.fix!.title).toEqual(expect.any(String));
      expect(finding.fix!.edits).toEqual(expect.any(Array));
    }
  });

  test('safety only when asked', () => {
    const full = checkJob(job).findings;
    const trimmed = checkJob({ ...job, fixSafetyOnly: true }).findings;

    expect(trimmed.map(({ fix, ...rest }) => rest)).toEqual(full.map(({ fix, ...rest }) => rest));
    expect(trimmed.map((finding) => finding.fix)).toEqual(full.map((finding) => (finding.fix ? { safety: finding.fix.safety } : undefined)));
  });
});

/** Writes `count` small systems, each a copy of a dev-grade or production-grade sample system. */
function writeSystems(count: number): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-parallel-'));
  for (let i = 0; i < count; i++) {
    const sample = ['dev-server', 'production', 'dev-async-store'][i % 3];
    fs.cpSync(path.join(ROOT, 'fixtures', sample), path.join(folder, `service-${String(i).padStart(2, '0')}`), { recursive: true });
  }
  return folder;
}

function prodcheck(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DEBUG: '', ...env }, timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('built CLI with worker threads', () => {
  const count = MIN_SYSTEMS_FOR_WORKERS + 2;
  let folder = '';
  beforeAll(() => {
    folder = writeSystems(count);
  });

  test.each([['json'], ['stylish']])('%s output same on threads', (format) => {
    const threads = prodcheck([folder, '--format', format, '--jobs', '3']);
    const single = prodcheck([folder, '--format', format, '--jobs', '1']);

    expect(threads.status).toBe(1);
    expect(single.status).toBe(1);
    expect(threads.stdout).toBe(single.stdout);
    expect(threads.stderr).toBe(single.stderr);
  });

  test('systems listed in path order', () => {
    const result = prodcheck([folder, '--format', 'json', '--jobs', '2'], { DEBUG: 'prodcheck:parallel' });
    const roots = JSON.parse(result.stdout).systems.map((system: { root: string }) => path.basename(system.root));

    expect(result.stderr).toContain(`checking ${count} systems on 2 worker threads`);
    expect(roots).toHaveLength(count);
    expect(roots).toEqual([...roots].sort());
  });

  test('sarif file keeps fix edits', () => {
    const sarifFile = path.join(folder, 'report.sarif');
    const result = prodcheck([folder, '--format', 'json', '--format', `sarif:${sarifFile}`, '--jobs', '2']);
    const results = JSON.parse(fs.readFileSync(sarifFile, 'utf8')).runs[0].results as Array<{ fixes?: Array<{ artifactChanges: unknown[] }> }>;
    const fixable = JSON.parse(result.stdout).systems.flatMap((system: { findings: Array<{ fixable: string | null }> }) => system.findings.filter((finding) => finding.fixable !== null));

    expect(result.status).toBe(1);
    expect(fixable.length).toBeGreaterThan(0);
    expect(results.filter((entry) => entry.fixes?.[0].artifactChanges.length).length).toBe(fixable.length);
  });

  test('jobs must be positive', () => {
    const result = prodcheck([folder, '--jobs', '0']);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--jobs must be a whole number of 1 or more, not `0`');
  });
});

/**
 * The proof of `--fix`: each dev-grade sample system is copied, fixed with unsafe fixes, and then
 * must check clean, stay unchanged under a second fix, compile, boot under Debian's Gunicorn with
 * its generated config, answer /health, /ready and /metrics, serve a bounded concurrent load on
 * 127.0.0.1 without a failed request, and stop cleanly on SIGTERM.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  compileModules,
  get,
  GUNICORN,
  gracefulTimeoutSeconds,
  requireServer,
  startGunicorn,
  withTimeout,
  type RunningServer,
} from './gunicorn-server';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'prodcheck.mjs');
const DEV_FIXTURES = ['dev-server', 'dev-factory', 'dev-async-store'];
const LOAD_REQUESTS = 500;
const LOAD_CONCURRENCY = 20;
const EXIT_MARGIN_MS = 5000;

interface Finding {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  message: string;
}

function prodcheck(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function findingsOf(folder: string): Finding[] {
  const result = prodcheck([folder, '--format', 'json']);
  return JSON.parse(result.stdout).systems.flatMap((system: { findings: Finding[] }) => system.findings);
}

/** Reads every file under a folder, so two snapshots can be compared byte for byte. */
function snapshot(folder: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const relPath of fs.readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
    const absolute = path.join(folder, relPath);
    if (fs.statSync(absolute).isFile() && !relPath.includes('__pycache__')) files.set(relPath, fs.readFileSync(absolute));
  }
  return files;
}

describe.each(DEV_FIXTURES)('fixed %s', (fixture) => {
  let folder = '';
  let metricsDir = '';
  let firstFix = { status: null as number | null, stdout: '', stderr: '' };

  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), `prodcheck-fix-${fixture}-`));
    metricsDir = fs.mkdtempSync(path.join(os.tmpdir(), `prodcheck-fix-${fixture}-metrics-`));
    fs.cpSync(path.join(ROOT, 'fixtures', fixture), folder, { recursive: true });
    firstFix = prodcheck([folder, '--fix', '--unsafe-fixes']);
  }, 120_000);

  afterAll(() => {
    fs.rmSync(folder, { recursive: true, force: true });
    fs.rmSync(metricsDir, { recursive: true, force: true });
  });

  test('fix run completes', () => {
    expect(firstFix.stderr).not.toMatch(/internal error/);
    expect(firstFix.stdout).toMatch(/Fixed \d+ problems? in \d+ files?\./);
  });

  test('no errors after fixing', () => {
    const errors = findingsOf(folder).filter((finding) => finding.severity === 'error');
    expect(errors.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}: ${finding.message}`)).toEqual([]);
  });

  test('second fix changes nothing', () => {
    const before = snapshot(folder);
    prodcheck([folder, '--fix', '--unsafe-fixes']);
    const after = snapshot(folder);

    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [relPath, bytes] of before) expect({ relPath, same: after.get(relPath)!.equals(bytes) }).toEqual({ relPath, same: true });
  }, 60_000);

  test('every module compiles', () => {
    const result = compileModules(folder);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  const bootTest = fs.existsSync(GUNICORN) ? test : test.skip;
  bootTest('boots, serves load and stops', async () => {
    let server: RunningServer | null = null;
    try {
      server = await startGunicorn(folder, metricsDir);
      const running = requireServer(server);

      for (const route of ['/health', '/ready', '/metrics']) {
        const response = await get(running, route);
        expect({ route, status: response.status }).toEqual({ route, status: 200 });
      }
      const metrics = await get(running, '/metrics');
      expect(metrics.contentType).toMatch(/^text\/plain/);
      expect(metrics.body).toMatch(/^# (HELP|TYPE) /m);

      const failures = await load(running, ['/health', '/ready'], LOAD_REQUESTS, LOAD_CONCURRENCY);
      expect(failures).toEqual([]);

      const graceMs = gracefulTimeoutSeconds(folder) * 1000 + EXIT_MARGIN_MS;
      running.child.kill('SIGTERM');
      const exit = await withTimeout(running.exit, graceMs, `Gunicorn did not exit within ${graceMs} ms of SIGTERM`);
      expect(exit.signal).toBeNull();
      expect(exit.code).toBe(0);
    } finally {
      if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    }
  }, 120_000);
});

/** Sends `total` GET requests over the paths, `concurrency` at a time, and returns a line for each failed one. */
async function load(server: RunningServer, paths: string[], total: number, concurrency: number): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;

  const worker = async (): Promise<void> => {
    while (next < total) {
      const index = next++;
      const route = paths[index % paths.length];
      try {
        const response = await get(server, route);
        if (response.status !== 200) failures.push(`request ${index} ${route}: status ${response.status}`);
      } catch (error) {
        failures.push(`request ${index} ${route}: ${(error as Error).message}`);
      }
    }
  };

  await Promise.all(Array.from({ length: concurrency }, worker));
  return failures;
}

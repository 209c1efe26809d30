/**
 * Boots the production-grade sample systems under a real Gunicorn: the fixtures that prodcheck
 * must pass are themselves working services, not text that only looks right.
 *
 * Uses Debian's packages (`apt-get install -y gunicorn python3-flask python3-prometheus-client
 * python3-flask-cors python3-yaml`), so it runs `/usr/bin/python3`, which may differ from the
 * `python3` first on PATH. Servers listen on 127.0.0.1 only and every wait is bounded.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  compileModules,
  get,
  GUNICORN,
  gracefulTimeoutSeconds,
  pythonSources,
  requireServer,
  startGunicorn,
  withTimeout,
  type RunningServer,
} from './gunicorn-server';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const REFERENCE_FIXTURE = 'production';

/** Time allowed beyond `graceful_timeout` for the master to reap workers and exit. */
const EXIT_MARGIN_MS = 5000;

interface HttpResponse {
  status: number;
  contentType: string;
  body: string;
}

interface RunningServer {
  child: ChildProcess;
  port: number;
  output: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const gunicornInstalled = fs.existsSync(GUNICORN);

// An editor or a git setting that converts text would turn this fixture into an ordinary UTF-8 file.
test('UTF-16 requirements fixture keeps its bytes', () => {
  const bytes = fs.readFileSync(path.join(FIXTURES, 'trap-utf16-requirements', 'requirements.txt'));
  const text = new TextDecoder('utf-16le').decode(bytes.subarray(2));

  expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
  expect(text).toContain('gunicorn==');
  expect(text.split('\r\n').length).toBeGreaterThan(2);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
});

if (!gunicornInstalled) {
  test.skip(`fixtures boot under Gunicorn (skipped: ${GUNICORN} is missing; install Debian's gunicorn and python3-flask packages)`, () => {});
  console.warn(`fixtures-boot: skipped because ${GUNICORN} is missing`);
} else {
  describe.each(bootableFixtures())('%s boots under Gunicorn', (fixture) => {
    let workDir = '';
    let metricsDir = '';
    let compile: { status: number | null; output: string } = { status: null, output: '' };
    let server: RunningServer | null = null;

    beforeAll(async () => {
      workDir = fs.mkdtempSync(path.join(os.tmpdir(), `prodcheck-${fixture}-`));
      metricsDir = fs.mkdtempSync(path.join(os.tmpdir(), `prodcheck-${fixture}-metrics-`));
      fs.cpSync(path.join(FIXTURES, fixture), workDir, { recursive: true });

      compile = compileModules(workDir);
      if (compile.status !== 0) return;

      server = await startGunicorn(workDir, metricsDir);
    }, 30000);

    afterAll(() => {
      if (server && server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
      }
      fs.rmSync(workDir, { recursive: true, force: true });
      fs.rmSync(metricsDir, { recursive: true, force: true });
    });

    test('every module compiles', () => {
      expect(compile.output).toBe('');
      expect(compile.status).toBe(0);
    });

    test('/health returns 200', async () => {
      const response = await get(requireServer(server), '/health');

      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({ status: 'ok' });
    });

    test('/ready returns 200', async () => {
      const response = await get(requireServer(server), '/ready');

      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({ status: 'ready' });
    });

    test('/metrics returns Prometheus text', async () => {
      const response = await get(requireServer(server), '/metrics');

      expect(response.status).toBe(200);
      expect(response.contentType).toMatch(/^text\/plain/);
      expect(response.body).toMatch(/^# TYPE http_requests_total counter$/m);
      expect(response.body).toMatch(/^http_requests_total\{[^}]*route="\/health"[^}]*\} [1-9]/m);
    });

    test('SIGTERM stops it cleanly', async () => {
      const running = requireServer(server);
      const graceMs = gracefulTimeoutSeconds(workDir) * 1000 + EXIT_MARGIN_MS;

      running.child.kill('SIGTERM');
      const exit = await withTimeout(running.exit, graceMs, `Gunicorn did not exit within ${graceMs} ms of SIGTERM`);

      expect(exit.signal).toBeNull();
      expect(exit.code).toBe(0);
    }, 30000);
  });
}

/** The reference fixture, plus every trap whose Python modules differ from it. */
function bootableFixtures(): string[] {
  const reference = pythonSources(path.join(FIXTURES, REFERENCE_FIXTURE));
  const traps = fs
    .readdirSync(FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith('trap-'))
    .map((entry) => entry.name)
    .sort();

  const differing = traps.filter((trap) => !sameSources(reference, pythonSources(path.join(FIXTURES, trap))));
  return [REFERENCE_FIXTURE, ...differing];
}

function sameSources(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  return [...a].every(([relPath, text]) => b.get(relPath) === text);
}


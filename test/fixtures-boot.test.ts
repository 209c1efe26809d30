/**
 * Boots the production-grade sample systems under a real Gunicorn: the fixtures that prodcheck
 * must pass are themselves working services, not text that only looks right.
 *
 * Uses Debian's packages (`apt-get install -y gunicorn python3-flask python3-prometheus-client
 * python3-flask-cors python3-yaml`), so it runs `/usr/bin/python3`, which may differ from the
 * `python3` first on PATH. Servers listen on 127.0.0.1 only and every wait is bounded.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const GUNICORN = '/usr/bin/gunicorn';
const PYTHON = '/usr/bin/python3';
const FIXTURES = path.join(__dirname, '..', 'fixtures');
const REFERENCE_FIXTURE = 'production';

const STARTUP_POLLS = 150;
const POLL_INTERVAL_MS = 100;
const REQUEST_TIMEOUT_MS = 3000;
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

/** Maps each `.py` file under `root` (relative path) to its content. */
function pythonSources(root: string): Map<string, string> {
  const sources = new Map<string, string>();
  for (const relPath of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (relPath.endsWith('.py')) sources.set(relPath, fs.readFileSync(path.join(root, relPath), 'utf8'));
  }
  return sources;
}

function sameSources(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  return [...a].every(([relPath, text]) => b.get(relPath) === text);
}

function compileModules(root: string): { status: number | null; output: string } {
  const modules = [...pythonSources(root).keys()];
  const result = spawnSync(PYTHON, ['-m', 'py_compile', ...modules], { cwd: root, encoding: 'utf8', timeout: 30000 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** Returns the Gunicorn arguments of the Dockerfile's exec-form CMD, without the leading `gunicorn`. */
function gunicornArguments(root: string): string[] {
  const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  const cmdLines = dockerfile.split(/\r?\n/).filter((line) => /^CMD\s+\[/.test(line));
  if (cmdLines.length === 0) throw new Error(`${root}/Dockerfile has no exec-form CMD on one line`);

  const argv: unknown = JSON.parse(cmdLines[cmdLines.length - 1].replace(/^CMD\s+/, ''));
  if (!Array.isArray(argv) || argv[0] !== 'gunicorn') {
    throw new Error(`${root}/Dockerfile CMD does not start Gunicorn: ${JSON.stringify(argv)}`);
  }
  return argv.slice(1).map(String);
}

function gracefulTimeoutSeconds(root: string): number {
  const config = fs.readFileSync(path.join(root, 'gunicorn.conf.py'), 'utf8');
  const match = /^graceful_timeout\s*=\s*(\d+)\s*(#.*)?$/m.exec(config);
  if (!match) throw new Error(`${root}/gunicorn.conf.py sets no literal graceful_timeout`);
  return Number(match[1]);
}

async function startGunicorn(root: string, metricsDir: string): Promise<RunningServer> {
  const port = await freePort();
  const dockerArguments = gunicornArguments(root);
  const target = dockerArguments[dockerArguments.length - 1];
  // A --bind flag on the command line takes precedence over `bind` in the config file.
  const args = [...dockerArguments.slice(0, -1), '--bind', `127.0.0.1:${port}`, target];

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SECRET_KEY: 'fixture-boot-test-only',
    PROMETHEUS_MULTIPROC_DIR: metricsDir,
    WEB_CONCURRENCY: '2',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
  };
  delete env.PYTHONPATH;
  delete env.PYTHONHOME;

  const child = spawn(GUNICORN, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });

  const server = { child, port, output, exit };
  await waitUntilServing(server);
  return server;
}

async function waitUntilServing(server: RunningServer): Promise<void> {
  for (let attempt = 0; attempt < STARTUP_POLLS; attempt++) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`Gunicorn exited before serving:\n${server.output.join('')}`);
    }
    try {
      await get(server, '/health');
      return;
    } catch {
      await sleep(POLL_INTERVAL_MS);
    }
  }
  server.child.kill('SIGKILL');
  throw new Error(`Gunicorn did not respond on 127.0.0.1:${server.port} after ${STARTUP_POLLS} attempts:\n${server.output.join('')}`);
}

function requireServer(server: RunningServer | null): RunningServer {
  if (!server) throw new Error('Gunicorn was not started because a module failed to compile');
  return server;
}

function get(server: RunningServer, urlPath: string): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port: server.port, path: urlPath, timeout: REQUEST_TIMEOUT_MS }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: String(response.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${urlPath} timed out after ${REQUEST_TIMEOUT_MS} ms`)));
    request.on('error', reject);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address() as net.AddressInfo;
      probe.close(() => resolve(address.port));
    });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Starts a real Gunicorn (Debian's `/usr/bin/gunicorn`, run by `/usr/bin/python3`, which may differ
 * from the `python3` first on PATH) on a free 127.0.0.1 port and talks to it. Every wait is bounded.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';

export const GUNICORN = '/usr/bin/gunicorn';
export const PYTHON = '/usr/bin/python3';

const STARTUP_POLLS = 150;
const POLL_INTERVAL_MS = 100;
const REQUEST_TIMEOUT_MS = 3000;

export interface HttpResponse {
  status: number;
  contentType: string;
  body: string;
}

export interface RunningServer {
  child: ChildProcess;
  port: number;
  output: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Maps each `.py` file under `root` (relative path) to its content. */
export function pythonSources(root: string): Map<string, string> {
  const sources = new Map<string, string>();
  for (const relPath of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (relPath.endsWith('.py')) sources.set(relPath, fs.readFileSync(path.join(root, relPath), 'utf8'));
  }
  return sources;
}

export function compileModules(root: string): { status: number | null; output: string } {
  const modules = [...pythonSources(root).keys()];
  const result = spawnSync(PYTHON, ['-m', 'py_compile', ...modules], { cwd: root, encoding: 'utf8', timeout: 30000 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/**
 * Returns the Gunicorn arguments of the Dockerfile's last exec-form CMD, without the leading
 * `gunicorn`: `["gunicorn", ...]` directly, or `["sh", "-c", "exec gunicorn ..."]` split into words.
 */
export function gunicornArguments(root: string): string[] {
  const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  const cmdLines = dockerfile.split(/\r?\n/).filter((line) => /^CMD\s+\[/.test(line));
  if (cmdLines.length === 0) throw new Error(`${root}/Dockerfile has no exec-form CMD on one line`);

  const argv: unknown = JSON.parse(cmdLines[cmdLines.length - 1].replace(/^CMD\s+/, ''));
  if (!Array.isArray(argv)) throw new Error(`${root}/Dockerfile CMD is not an array`);
  if (argv[0] === 'gunicorn') return argv.slice(1).map(String);

  const script = /^(\/bin\/)?(ba)?sh$/.test(String(argv[0])) && argv[1] === '-c' ? String(argv[2]) : '';
  const words = script.trim().split(/\s+/);
  const start = words[0] === 'exec' ? 1 : 0;
  if (words[start] !== 'gunicorn') throw new Error(`${root}/Dockerfile CMD does not start Gunicorn: ${JSON.stringify(argv)}`);
  return words.slice(start + 1);
}

/** Drops `--bind`/`-b` options, which the test replaces with its own loopback address. */
function withoutBind(args: string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--bind' || arg === '-b') {
      index++;
      continue;
    }
    if (arg.startsWith('--bind=') || (arg.startsWith('-b') && arg.length > 2)) continue;
    kept.push(arg);
  }
  return kept;
}

export function gracefulTimeoutSeconds(root: string): number {
  const config = fs.readFileSync(path.join(root, 'gunicorn.conf.py'), 'utf8');
  const match = /^graceful_timeout\s*=\s*(\d+)\s*(#.*)?$/m.exec(config);
  if (!match) throw new Error(`${root}/gunicorn.conf.py sets no literal graceful_timeout`);
  return Number(match[1]);
}

export async function startGunicorn(root: string, metricsDir: string): Promise<RunningServer> {
  const port = await freePort();
  const dockerArguments = withoutBind(gunicornArguments(root));
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

export function requireServer(server: RunningServer | null): RunningServer {
  if (!server) throw new Error('Gunicorn was not started because a module failed to compile');
  return server;
}

export function get(server: RunningServer, urlPath: string): Promise<HttpResponse> {
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

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address() as net.AddressInfo;
      probe.close(() => resolve(address.port));
    });
  });
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

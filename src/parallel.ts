import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createLogger } from './log';
import type { SystemJob, SystemOutcome } from './system-check';

const log = createLogger('parallel');

/** Fewer systems than this are checked on the main thread: starting a worker costs about as much as checking a few systems. */
export const MIN_SYSTEMS_FOR_WORKERS = 8;

/**
 * The default number of workers is the number of CPUs available, up to this many. Each worker
 * holds its own copy of the rules and parsers: 50 to 75 MB resident on the benchmark corpus.
 */
const MAX_DEFAULT_WORKERS = 8;

/** Each worker may run this many systems ahead of the first one not yet written, which bounds the outcomes held for reordering. */
const JOBS_AHEAD_PER_WORKER = 4;

/** A worker's reply to a job: its outcome, or the error that stopped it. */
export type WorkerReply = { outcome: SystemOutcome } | { index: number; error: string; stack?: string };

/**
 * Passes values on in index order (0, 1, 2, ...) whatever order they arrive in, holding only those
 * that arrive early.
 */
export class OrderedQueue<T> {
  private readonly early = new Map<number, T>();
  private nextIndex = 0;

  constructor(private readonly emit: (value: T, index: number) => void) {}

  /** The index of the next value to pass on; every index below it has been passed on. */
  get next(): number {
    return this.nextIndex;
  }

  /** The number of values held until the ones before them arrive. */
  get held(): number {
    return this.early.size;
  }

  add(index: number, value: T): void {
    this.early.set(index, value);
    while (this.early.has(this.nextIndex)) {
      const ready = this.early.get(this.nextIndex)!;
      this.early.delete(this.nextIndex);
      this.emit(ready, this.nextIndex++);
    }
  }
}

/** Returns the number of worker threads used when `--jobs` is not given. */
export function defaultWorkerCount(): number {
  return Math.min(os.availableParallelism(), MAX_DEFAULT_WORKERS);
}

/**
 * Checks the systems and hands each outcome to `emit` in the order of `jobs`. With more than one
 * worker and enough systems, systems are checked on worker threads, at most a bounded number
 * ahead of the output, so memory holds only the systems in flight.
 */
export async function checkInOrder(jobs: readonly SystemJob[], workerCount: number, emit: (outcome: SystemOutcome) => void): Promise<void> {
  const script = workerScript();
  const count = Math.min(workerCount, jobs.length);
  if (count <= 1 || jobs.length < MIN_SYSTEMS_FOR_WORKERS || !script) {
    // Loaded here and not at the top: with worker threads, only the workers need the rules.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { checkJob } = require('./system-check') as typeof import('./system-check');
    for (const job of jobs) {
      emit(checkJob(job));
      await yieldToEventLoop();
    }
    return;
  }

  log('checking %d systems on %d worker threads', jobs.length, count);
  await runPool(script, jobs, count, emit);
}

function runPool(script: string, jobs: readonly SystemJob[], count: number, emit: (outcome: SystemOutcome) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    const idle: Worker[] = [];
    const window = count * JOBS_AHEAD_PER_WORKER;
    let dispatched = 0;
    let settled = false;

    const stop = (error?: Error): void => {
      if (settled) return;
      settled = true;
      for (const worker of workers) void worker.terminate();
      if (error) reject(error);
      else resolve();
    };

    const queue = new OrderedQueue<SystemOutcome>((outcome) => {
      try {
        emit(outcome);
      } catch (error) {
        stop(error instanceof Error ? error : new Error(String(error)));
      }
    });

    const feed = (): void => {
      while (idle.length > 0 && dispatched < jobs.length && dispatched < queue.next + window) {
        idle.pop()!.postMessage(jobs[dispatched++]);
      }
      if (queue.next === jobs.length) stop();
    };

    for (let i = 0; i < count; i++) {
      const worker = new Worker(script);
      workers.push(worker);
      worker.on('message', (reply: WorkerReply) => {
        if (settled) return;
        if ('error' in reply) {
          log('system %d failed in a worker: %s', reply.index, reply.stack ?? reply.error);
          stop(new Error(reply.error));
          return;
        }
        idle.push(worker);
        queue.add(reply.outcome.index, reply.outcome);
        feed();
      });
      worker.on('error', (error) => stop(error));
      worker.on('exit', (code) => {
        if (code !== 0 && queue.next < jobs.length) stop(new Error(`a worker thread stopped with exit code ${code}`));
      });
      idle.push(worker);
    }
    feed();
  });
}

/**
 * Lets the event loop run once. tree-sitter frees a parsed tree's native memory in a finalizer
 * that Node runs from the event loop. A loop that checks system after system without yielding
 * keeps every tree it parsed until it ends: about 2 MB per system of the benchmark corpus.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Returns the compiled worker script beside this file, or null when running from TypeScript sources, which a worker cannot load. */
function workerScript(): string | null {
  const script = path.join(__dirname, 'worker.js');
  return __filename.endsWith('.js') && fs.existsSync(script) ? script : null;
}

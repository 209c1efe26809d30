import { parentPort } from 'node:worker_threads';
import type { WorkerReply } from './parallel';
import { checkJob, type SystemJob } from './system-check';

// The body of each worker thread of `checkInOrder`: checks the systems it is sent, one at a time.
parentPort?.on('message', (job: SystemJob) => {
  let reply: WorkerReply;
  try {
    reply = { outcome: checkJob(job) };
  } catch (error) {
    reply = { index: job.index, error: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined };
  }
  parentPort!.postMessage(reply);
});

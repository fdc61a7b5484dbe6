/**
 * The worker thread with a big stack, for programs that need more JS stack than the main
 * thread has (bin/main-thread-run.ts): the interpreter is recursive (one JS activation chain
 * per SOM send) and SOM programs may recurse deeply. The worker runs bin/som-worker.mjs, which
 * loads the VM bundle again and calls `workerMain`; it writes the program's output
 * synchronously and reports the exit status back, and the main thread exits with it.
 *
 * node:worker_threads is imported only when a worker is needed: loading it is a noticeable
 * part of start-up, which most runs never need it for.
 */
import { runProgram, type RunOptions } from '../runtime/vm.ts';
import { EXIT_CODES } from './exit-codes.ts';
import { SyncOutput } from './sync-output.ts';

/** JS stack for the VM thread; enough for the default SOM depth limit with room to spare. */
const WORKER_STACK_MB = 2000;

/** Runs `run` in a new worker started on `entry`; the process exits when the worker is done. */
export async function runInWorker(run: RunOptions, entry: URL): Promise<void> {
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(entry, {
    workerData: run,
    resourceLimits: { stackSizeMb: WORKER_STACK_MB },
    stdout: false,
    stderr: false,
  });
  worker.on('message', (code: number) => process.exit(code));
  worker.on('error', (e) => {
    process.stderr.write(`VM internal error (this is a VM bug, please report it):\n${e.stack ?? String(e)}\n`);
    process.exit(EXIT_CODES.internal);
  });
}

/** In the worker: runs the program it was given and posts back the exit status. */
export async function workerMain(): Promise<void> {
  const { parentPort, workerData } = await import('node:worker_threads');
  const output = new SyncOutput();
  let code: number;
  try {
    code = runProgram(workerData as RunOptions, output);
  } finally {
    output.flush();
  }
  parentPort!.postMessage(code);
}

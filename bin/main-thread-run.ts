/**
 * The fast path of the `som` command: run the program on the main thread first.
 *
 * The interpreter is recursive, so deep SOM recursion needs a JS stack far bigger than the main
 * thread's (about 1 MB: some 1000 SOM activations); the worker thread that has one
 * (bin/som-main.ts) costs about as much to start as Node itself, and most programs never go
 * that deep. So the program runs here with its output held (bin/held-output.ts). If it
 * completes, or fails in a way the worker would reproduce, its output and report are written
 * and that is the run. If the JS stack runs out before the SOM depth limit, or it prints more
 * than the output holder keeps, the run is abandoned unseen and the caller starts the program
 * again in the worker. SOM programs have no side effects but their output (System reads files
 * but never writes them), so the second run sees the world as the first did.
 */
import { reportEnd, runToEnd, type RunOptions } from '../runtime/vm.ts';
import { isJsStackExhaustion } from '../interpreter/invoke.ts';
import { EXIT_CODES } from './exit-codes.ts';
import { HeldOutput, OutputOverflow } from './held-output.ts';
import { SyncOutput } from './sync-output.ts';

/**
 * Whether the run may start on the main thread: not when it writes files of its own as it
 * goes (a JIT log, tier-1 or trace dumps), which an abandoned run would leave half-written.
 */
export function mayRunOnMainThread(run: RunOptions): boolean {
  const tiers = run.tiers;
  return tiers?.jitLog === undefined && tiers?.dumpTier1 === undefined && tiers?.dumpTraces === undefined;
}

/** Runs the program here; answers its exit status, or null if it must run in the worker. */
export function runOnMainThread(run: RunOptions): number | null {
  const held = new HeldOutput();
  const ending = runToEnd(run, held);
  if (ending !== null && (ending.cause instanceof OutputOverflow || isJsStackExhaustion(ending.cause))) return null;
  const output = new SyncOutput();
  held.release(output);
  const code = ending === null ? EXIT_CODES.success : reportEnd(ending.cause, output);
  output.flush();
  return code;
}

/**
 * Entry point of the `som` command (bundled by build.mjs into dist/som.cjs, which bin/som.mjs
 * loads with its V8 code cache, see bin/load-vm.mjs).
 *
 * The main thread parses the command line and validates it, then runs the program itself
 * (bin/main-thread-run.ts) unless that run would need more JS stack than the main thread has.
 * Then the program runs again in a worker thread created with a large stack, because the
 * interpreter is recursive (one JS activation chain per SOM send) and SOM programs recurse
 * deeply. The worker writes its output synchronously and reports the exit status back.
 */
import { existsSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { CommanderError } from 'commander';
import { buildCommand, parseCli, type CliOptions } from './cli-options.ts';
import { EXIT_CODES } from './exit-codes.ts';
import { SyncOutput } from './sync-output.ts';
import { mayRunOnMainThread, runOnMainThread } from './main-thread-run.ts';
import { MODES } from '../runtime/modes.ts';
import { checkClasspath, programClasspath, reportEnd, runProgram, type RunOptions } from '../interpreter/vm.ts';
import { Universe } from '../interpreter/universe.ts';
import { disassembleClass } from '../interpreter/compiler/disassembler.ts';

/** JS stack for the VM thread; enough for the default SOM depth limit with room to spare. */
const WORKER_STACK_MB = 2000;

/**
 * Starts the command in this thread: `entry` is the script that loaded the bundle (the worker
 * runs it too). On the main thread the process exits with the program's status, at once or
 * when the worker reports it.
 */
export function start(entry: URL): void {
  if (!isMainThread) {
    workerMain(workerData as RunOptions);
    return;
  }
  const code = main(process.argv.slice(2), entry);
  if (code !== null) process.exit(code);
}

/** Runs the command line `argv`; answers the exit status, or null if the worker will exit. */
export function main(argv: readonly string[], entry: URL): number | null {
  const command = buildCommand().exitOverride();
  let options: CliOptions;
  try {
    options = parseCli(command, argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_CODES.success : EXIT_CODES.usage;
    throw e;
  }
  const problem = validate(options);
  if (problem !== null) {
    process.stderr.write(`som: ${problem}\n`);
    return EXIT_CODES.usage;
  }
  const run: RunOptions = {
    classpath: options.classpath,
    args: options.program === undefined ? [] : [options.program, ...options.args],
    maxStackDepth: options.maxStackDepth,
    tiers: { mode: options.mode, params: options.params, jitLog: options.jitLog, dumpTier1: options.dumpTier1 },
  };
  if (options.disassemble) return disassemble(run);
  const code = mayRunOnMainThread(run) ? runOnMainThread(run) : null;
  if (code !== null) return code;
  runInWorker(run, entry);
  return null;
}

function validate(options: CliOptions): string | null {
  if (!MODES[options.mode].available) {
    return `mode '${options.mode}' is not available yet (${MODES[options.mode].doc})`;
  }
  if (options.program === undefined)
    return 'no program given (usage: som [options] [-cp path] ClassName|File.som [args...])';
  if (options.program.endsWith('.som') && !existsSync(options.program))
    return `program file '${options.program}' not found`;
  return checkClasspath(options.classpath);
}

function disassemble(run: RunOptions): number {
  const output = new SyncOutput();
  const { classpath, args } = programClasspath(run);
  try {
    const universe = new Universe({ classpath, output, maxStackDepth: run.maxStackDepth ?? 0 });
    universe.bootstrap();
    const name = args[0]!;
    const cls = universe.resolveClass(universe.symbol(name));
    if (cls === null) {
      output.writeErr(`som: class '${name}' not found on the classpath ${classpath.join(':')}\n`);
      return EXIT_CODES.somError;
    }
    output.writeOut(disassembleClass(cls));
    output.flush();
    return EXIT_CODES.success;
  } catch (e) {
    const code = reportEnd(e, output);
    output.flush();
    return code;
  }
}

function runInWorker(run: RunOptions, entry: URL): void {
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

function workerMain(run: RunOptions): void {
  const output = new SyncOutput();
  let code: number;
  try {
    code = runProgram(run, output);
  } finally {
    output.flush();
  }
  parentPort!.postMessage(code);
}

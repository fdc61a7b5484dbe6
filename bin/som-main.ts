/**
 * Entry point of the `som` command (bundled by build.mjs into dist/som.cjs, which bin/som.mjs
 * loads with its start-up caches, see bin/load-vm.mjs).
 *
 * The main thread parses the command line and validates it, then runs the program itself
 * (bin/main-thread-run.ts) unless that run would need more JS stack than the main thread has;
 * then the program runs again in a worker thread with a big stack (bin/vm-worker.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { CommanderError } from 'commander';
import { buildCommand, parseCli, type CliOptions } from './cli-options.ts';
import { EXIT_CODES } from './exit-codes.ts';
import { SyncOutput } from './sync-output.ts';
import { mayRunOnMainThread, runOnMainThread } from './main-thread-run.ts';
import { runInWorker } from './vm-worker.ts';
import { MODES } from '../runtime/modes.ts';
import { checkClasspath, programClasspath, reportEnd, type RunOptions } from '../runtime/vm.ts';
import { Universe } from '../interpreter/universe.ts';
import { disassembleClass } from '../interpreter/compiler/disassembler.ts';
import { parserFor } from '../runtime/startup/parsed-classes.ts';

/** How bin/load-vm.mjs launched this bundle. */
export interface Launch {
  /** The script that starts the VM in a worker thread (it calls `workerMain`). */
  readonly workerEntry: URL;
  /** The bundle's build id. */
  readonly build: string;
  /** Where the build stored the parsed library (runtime/startup/parsed-classes.ts). */
  readonly storedClasses: string;
}

export { workerMain } from './vm-worker.ts';
/** For the build (bin/make-caches.mjs). */
export { storeParsedClasses } from '../runtime/startup/parsed-classes.ts';

/**
 * Runs the command line of this process; the process exits with the program's status, at once
 * or when the worker reports it.
 */
export function start(launch: Launch): void {
  let code: number | null;
  try {
    code = main(process.argv.slice(2), launch);
  } catch (e) {
    // A VM bug, or output that could not be written: reported as the worker's would be.
    code = reportEnd(e, new SyncOutput());
  }
  if (code !== null) process.exit(code);
}

/** Runs the command line `argv`; answers the exit status, or null if the worker will exit. */
export function main(argv: readonly string[], launch: Launch): number | null {
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
    tiers: {
      mode: options.mode,
      params: options.params,
      jitLog: options.jitLog,
      dumpTier1: options.dumpTier1,
      dumpTraces: options.dumpTraces,
    },
    storedClasses: { file: launch.storedClasses, build: launch.build },
  };
  if (options.disassemble) return disassemble(run);
  const code = mayRunOnMainThread(run) ? runOnMainThread(run) : null;
  if (code !== null) return code;
  void runInWorker(run, launch.workerEntry);
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
  if (options.dumpTraces !== undefined && existsSync(options.dumpTraces) && !statSync(options.dumpTraces).isDirectory())
    return `--dump-traces: '${options.dumpTraces}' is not a directory`;
  return checkClasspath(options.classpath);
}

function disassemble(run: RunOptions): number {
  const output = new SyncOutput();
  const { classpath, args } = programClasspath(run);
  try {
    const universe = new Universe({
      classpath,
      output,
      maxStackDepth: run.maxStackDepth ?? 0,
      parse: parserFor(run.storedClasses),
    });
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

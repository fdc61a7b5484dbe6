/**
 * Running a SOM program: builds the classpath from the program argument (SOM.md §3.10),
 * configures the tiers (which installs the runtime's hooks into the interpreter), creates and
 * bootstraps a Universe, starts the program, and turns every way a run can end into an exit
 * status and the right report on stderr. Used by the CLI (through a worker thread with a large
 * stack) and, in-process, by the tests (`runSom`).
 *
 * It lives in runtime/, not interpreter/, because it puts the interpreter and the tiers
 * together: the interpreter never imports the runtime (interpreter/tier-hooks.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { Universe, type OutputStreams } from '../interpreter/universe.ts';
import { SomParseError } from '../interpreter/errors.ts';
import { SomRuntimeError, SystemExit } from '../interpreter/signals.ts';
import { activations, formatBacktrace, methodName } from '../interpreter/backtrace.ts';
import { EXIT_CODES } from '../bin/exit-codes.ts';
import { configureTiers, defaultTierOptions, finishTiers, type TierOptions } from './tier-manager.ts';
import { parserFor, type StoredClassesRef } from './startup/parsed-classes.ts';

export interface RunOptions {
  /** The -cp entries. */
  readonly classpath: readonly string[];
  /** The program (class name or .som file) followed by its arguments. */
  readonly args: readonly string[];
  readonly maxStackDepth?: number;
  /** Execution mode and JIT parameters (default: the interpreter only). */
  readonly tiers?: TierOptions;
  /** Parsed library classes stored by the build (runtime/startup/parsed-classes.ts). */
  readonly storedClasses?: StoredClassesRef;
}

export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Default SOM call-depth limit; the CLI's worker thread has the JS stack for it. */
export const DEFAULT_MAX_STACK_DEPTH = 100_000;

/** Runs a program in this thread, collecting its output (for tests). */
export function runSom(options: RunOptions): RunResult {
  let stdout = '';
  let stderr = '';
  const exitCode = runProgram(options, {
    writeOut: (text) => (stdout += text),
    writeErr: (text) => (stderr += text),
  });
  return { exitCode, stdout, stderr };
}

/** The program's class name and the classpath it runs with: its directory, -cp, then `.`. */
export function programClasspath(options: RunOptions): { classpath: string[]; args: string[] } {
  const [program, ...rest] = options.args;
  if (program === undefined) return { classpath: [...options.classpath, '.'], args: [] };
  const dir = program.includes('/') ? dirname(program) : null;
  const className = basename(program).replace(/\.som$/, '');
  const classpath = [...(dir === null ? [] : [dir]), ...options.classpath, '.'];
  return { classpath, args: [className, ...rest] };
}

/** Checks that every classpath entry is a directory; answers a message for the first bad one. */
export function checkClasspath(entries: readonly string[]): string | null {
  for (const entry of entries) {
    if (!existsSync(entry) || !statSync(entry).isDirectory()) return `classpath entry '${entry}' is not a directory`;
  }
  return null;
}

/** Runs a program to its end and answers the exit status; reports go to `output`. */
export function runProgram(options: RunOptions, output: OutputStreams): number {
  const ending = runToEnd(options, output);
  return ending === null ? EXIT_CODES.success : reportEnd(ending.cause, output);
}

/**
 * Runs a program; answers null if it completed, otherwise what ended it (a signal or error),
 * not yet reported. The CLI uses this to judge a run before reporting it (bin/main-thread-run.ts).
 */
export function runToEnd(options: RunOptions, output: OutputStreams): { readonly cause: unknown } | null {
  const { classpath, args } = programClasspath(options);
  configureTiers(options.tiers ?? defaultTierOptions());
  const universe = new Universe({
    classpath,
    output,
    maxStackDepth: options.maxStackDepth ?? DEFAULT_MAX_STACK_DEPTH,
    parse: parserFor(options.storedClasses),
  });
  try {
    universe.bootstrap();
    universe.start(args);
    return null;
  } catch (e) {
    return { cause: e };
  } finally {
    finishTiers();
  }
}

/** Maps how a run ended to an exit status, printing what the user needs to see. */
export function reportEnd(e: unknown, output: OutputStreams): number {
  if (e instanceof SystemExit) {
    if (
      e.code !== 0 &&
      e.frame !== null &&
      activations(e.frame).some((f) => methodName(f.method) === 'Object>>error:')
    ) {
      output.writeErr(`${formatBacktrace(e.frame, `Program exited with status ${e.code} from Object>>error:`)}\n`);
    }
    return e.code;
  }
  if (e instanceof SomRuntimeError) {
    output.writeErr(`${formatBacktrace(e.frame, e.message)}\n`);
    return EXIT_CODES.somError;
  }
  if (e instanceof SomParseError) {
    output.writeErr(`${e.report()}\n`);
    return EXIT_CODES.somError;
  }
  const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
  output.writeErr(`VM internal error (this is a VM bug, please report it):\n${detail}\n`);
  return EXIT_CODES.internal;
}

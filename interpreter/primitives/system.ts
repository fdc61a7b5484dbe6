/**
 * System primitives (SOM.md §8.2, §9.9): globals, class loading, output, exiting, time and
 * garbage collection. The receiver is the global `system`; these primitives never look at it
 * beyond answering it.
 *
 * Output goes through `vm.services.writeOut`/`writeErr`, which buffer and keep the order of
 * each stream; `exit:` throws `SystemExit`, and the runner flushes both streams before the
 * process ends. Names of globals must be Symbols (a String is fatal, as SOM.md recommends).
 */
import { readFileSync } from 'node:fs';
import { SomClass } from '../model/class.ts';
import { SomString, type SomValue } from '../model/objects.ts';
import { intToString } from '../model/integers.ts';
import { formatBacktrace } from '../backtrace.ts';
import { vm } from '../vm-state.ts';
import { SomRuntimeError, SystemExit } from '../signals.ts';
import { integerOperand, stringOperand, symbolOperand } from './operands.ts';
import type { ClassPrimitives } from './registry.ts';
import { tiers } from '../tier-hooks.ts';

/** Exit statuses the OS can report (POSIX keeps the low 8 bits); others are fatal. */
const MAX_EXIT_STATUS = 255;

/** `load:`: the bound class if there is one (§8.2), else whatever the classpath gives. */
function load(name: SomValue): SomValue {
  const sym = symbolOperand(name);
  const bound = vm.globals.get(sym);
  if (bound instanceof SomClass) return bound;
  return vm.services.loadClass(sym);
}

function exit(status: SomValue): never {
  const code = integerOperand(status);
  if (typeof code !== 'number' || code < 0 || code > MAX_EXIT_STATUS) {
    throw new SomRuntimeError(`Domain error: exit status ${intToString(code)} is not in 0..${MAX_EXIT_STATUS}.`);
  }
  throw new SystemExit(code);
}

/** The file's text, or nil when it cannot be read. */
function loadFile(path: SomValue): SomValue {
  const name = stringOperand(path).s;
  try {
    return new SomString(readFileSync(name, 'utf8'));
  } catch {
    return null;
  }
}

/** Answers whether a collection ran: only when node exposes `gc` (`--expose-gc`). */
function fullGC(): boolean {
  const gc: unknown = (globalThis as { gc?: unknown }).gc;
  if (typeof gc !== 'function') return false;
  gc();
  return true;
}

export const SYSTEM_PRIMITIVES: ClassPrimitives = {
  instance: {
    'global:': (_caller, _rcvr, name) => vm.globals.get(symbolOperand(name)) ?? null,
    'global:put:': (_caller, rcvr, name, value) => {
      vm.globals.set(symbolOperand(name), value);
      return rcvr;
    },
    'hasGlobal:': (_caller, _rcvr, name) => vm.globals.has(symbolOperand(name)),
    'loadFile:': (_caller, _rcvr, path) => loadFile(path),
    'load:': (_caller, _rcvr, name) => load(name),
    'exit:': (_caller, _rcvr, status) => exit(status),
    'printString:': (_caller, rcvr, text) => {
      vm.services.writeOut(stringOperand(text).s);
      return rcvr;
    },
    printNewline: (_caller, rcvr) => {
      vm.services.writeOut('\n');
      return rcvr;
    },
    'errorPrintln:': (_caller, rcvr, text) => {
      vm.services.writeErr(`${stringOperand(text).s}\n`);
      return rcvr;
    },
    'errorPrint:': (_caller, rcvr, text) => {
      vm.services.writeErr(stringOperand(text).s);
      return rcvr;
    },
    printStackTrace: (caller) => {
      vm.services.writeErr(`${formatBacktrace(caller, 'Stack trace printed by System>>printStackTrace')}\n`);
      return true;
    },
    time: () => Math.floor(vm.services.elapsedMicros() / 1000),
    ticks: () => Math.floor(vm.services.elapsedMicros()),
    fullGC: () => fullGC(),
  },
  classSide: {},
};

/**
 * Library methods of System replaced natively (registry.ts NATIVE_OVERRIDES):
 * `totalCompilationTime` answers the milliseconds the JIT has spent compiling in this run
 * (SOM.md §8.2 allows a real figure; the library answers 0), so the AWFY harness's
 * `Compile time:` line shows tier-1 compile time.
 */
export const SYSTEM_OVERRIDES: ClassPrimitives = {
  instance: {
    totalCompilationTime: () => Math.round(tiers.compileStatistics().reduce((total, c) => total + c.micros, 0) / 1000),
  },
  classSide: {},
};

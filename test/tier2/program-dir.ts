/**
 * SOM programs written by a test: a temporary directory holding the program's classes, one
 * `.som` file each, and runs of it in-process with tier 2 on or off (the interpreter's run is
 * the oracle of the traced one).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultParams, type JitParams } from '../../runtime/params.ts';
import type { TierOptions } from '../../runtime/tier-manager.ts';
import { runSom, type RunResult } from '../../runtime/vm.ts';

/** Writes `classes` (name -> source) into a new directory; answers the path of the first one's file. */
export function programFiles(classes: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'som-t2-'));
  for (const [name, source] of Object.entries(classes)) writeFileSync(join(dir, `${name}.som`), source);
  return join(dir, `${Object.keys(classes)[0]!}.som`);
}

/** Runs the program `file` in `mode` with the parameters changed by `params`, plus other tier options. */
export function runProgram(
  file: string,
  mode: TierOptions['mode'],
  params: Partial<JitParams> = {},
  options: Omit<TierOptions, 'mode' | 'params'> = {},
): RunResult {
  return runSom({
    classpath: ['Smalltalk'],
    args: [file],
    tiers: { mode, params: { ...defaultParams(), ...params }, ...options },
  });
}

/** The program run by the interpreter alone: the oracle. */
export function interpreted(file: string): RunResult {
  return runProgram(file, 'interp');
}

/** One line of a jit log, parsed. */
export type LoggedEvent = Record<string, unknown> & { readonly event: string };

/** Runs like `runProgram` with a jit log; answers the run and the logged events, in order. */
export function runLogged(
  file: string,
  mode: TierOptions['mode'],
  params: Partial<JitParams> = {},
  options: Omit<TierOptions, 'mode' | 'params' | 'jitLog'> = {},
): { run: RunResult; events: LoggedEvent[] } {
  const jitLog = join(mkdtempSync(join(tmpdir(), 'som-t2-log-')), 'jit.jsonl');
  const run = runProgram(file, mode, params, { ...options, jitLog });
  return { run, events: readJitLog(jitLog) };
}

export function readJitLog(path: string): LoggedEvent[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LoggedEvent);
}

/** The events named `event` about loop headers in `method` (e.g. 'Loop>>run'). */
export function eventsOf(events: readonly LoggedEvent[], event: string, method: string): LoggedEvent[] {
  return events.filter((e) => e.event === event && e.method === method);
}

/**
 * SOM methods for a test program's main class: `self put: #sel of: From into: To` stores From's
 * method `sel` into To's method array (`Class>>methods`), in place of To's own `sel`.
 */
export const PUT_METHOD = `
  put: selector of: from into: to = (
    (to methods) at: (self indexOf: selector in: to methods) put: (from methods at: (self indexOf: selector in: from methods))
  )
  indexOf: selector in: methods = (
    1 to: methods length do: [ :i | ((methods at: i) signature == selector) ifTrue: [ ^i ] ].
    ^0
  )`;

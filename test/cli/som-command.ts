/**
 * Running the `som` command as a user does, for the CLI tests: `node bin/som.mjs` (the bundle
 * `npm test` builds first) in the repository root. Whatever goes wrong, the user must never see
 * a JavaScript stack trace (SOM.md 0), so every run is checked for one.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { JS_STACK_LINE } from '../som/oracle.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How long one run may take before it is killed (a limit, not a measurement). */
const KILL_AFTER_MS = 120_000;

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function som(...args: string[]): CliRun {
  const child = spawnSync('node', ['bin/som.mjs', ...args], { cwd: ROOT, encoding: 'utf8', timeout: KILL_AFTER_MS });
  const run = { status: child.status, stdout: child.stdout, stderr: child.stderr };
  expect(JS_STACK_LINE.test(run.stdout) || JS_STACK_LINE.test(run.stderr), `JS stack trace in:\n${run.stderr}`).toBe(
    false,
  );
  return run;
}

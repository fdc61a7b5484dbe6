/**
 * Runs one (benchmark, mode, invocation) in a process of its own and reads its output.
 *
 * The harnesses print one `<Name>: iterations=1 runtime: <N>us` line per outer iteration
 * (SOM.md 12.1); those lines are the measurements. A run is verified when the process
 * exits with 0 and printed one such line per requested iteration: a failed verification
 * exits with 1 through `error:`, and a crash prints fewer lines.
 */
import { spawn } from 'node:child_process';
import { commandArgs, type Invocation } from './suite.ts';

export interface InvocationResult {
  readonly exitCode: number | null;
  /** The run time of each outer iteration, in microseconds, in order. */
  readonly iterationsUs: readonly number[];
  readonly verified: boolean;
  /** Why the run did not verify (exit status, timeout, last output lines), or null. */
  readonly failure: string | null;
}

/** Lines of output kept to explain a failure. */
const FAILURE_CONTEXT_LINES = 12;

/** Parses the per-iteration run times of benchmark `name` from harness output. */
export function parseIterationTimes(stdout: string, name: string): number[] {
  const times: number[] = [];
  const prefix = `${name}: iterations=1 runtime: `;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith(prefix) || !line.endsWith('us')) continue;
    const value = Number(line.slice(prefix.length, -2));
    if (Number.isInteger(value) && value >= 0) times.push(value);
  }
  return times;
}

/** Spawns the invocation under `root` and waits for it, killing it after `timeoutMs`. */
export function runInvocation(root: string, inv: Invocation, timeoutMs: number): Promise<InvocationResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, commandArgs(inv), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(toResult(inv, code, stdout, stderr, timedOut ? timeoutMs : null));
    });
  });
}

function toResult(
  inv: Invocation,
  exitCode: number | null,
  stdout: string,
  stderr: string,
  timedOutAfterMs: number | null,
): InvocationResult {
  const iterationsUs = parseIterationTimes(stdout, inv.benchmark);
  const verified = timedOutAfterMs === null && exitCode === 0 && iterationsUs.length === inv.outer;
  let failure: string | null = null;
  if (!verified) {
    const reason =
      timedOutAfterMs !== null
        ? `timed out after ${timedOutAfterMs / 1000} s`
        : `exit status ${exitCode}, ${iterationsUs.length} of ${inv.outer} iterations reported`;
    failure = `${reason}\n${lastLines(`${stdout}\n${stderr}`)}`;
  }
  return { exitCode, iterationsUs, verified, failure };
}

function lastLines(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.slice(-FAILURE_CONTEXT_LINES).join('\n');
}

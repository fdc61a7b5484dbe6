/**
 * When a loop header is recorded (again): the back-off and blacklisting policy of tier 2.
 *
 * Recording costs far more than interpreting an iteration, and some loops never give a trace
 * (their iteration is longer than `--trace-limit`, or does something the recorder cannot
 * follow), or give traces that keep being thrown away (a method array or global that changes
 * again and again). Without a policy such a loop is recorded at every threshold, for ever. So,
 * per header (loop-headers.ts), by setting its `trigger`:
 * - a recording that gives no trace backs the header off: the next attempt waits
 *   `RETRY_WAIT` back-edges, doubling with each failure in a row;
 * - after `FAILED_RECORDING_LIMIT` failures in a row, or `INVALIDATION_LIMIT` invalidations of
 *   its traces in all, the header is **blacklisted**: it waits `BLACKLIST_WAIT` back-edges,
 *   doubling with each blacklisting (LuaJIT's penalty, PyPy's "don't trace here", but with a
 *   way back: programs change phase). After the wait it is recorded once more; if that fails
 *   too, or that trace is invalidated too, it is blacklisted again at once, for twice as long.
 * - a trace compiled ends the failures in a row, not the invalidations.
 * The waits stay finite, so the counter compare of tier-1 code is the only cost of a
 * blacklisted loop, and in `multi` mode its method simply stays in tier 1.
 */
import type { LoopHeader } from './loop-headers.ts';

/** Recordings in a row that give no trace before the header is blacklisted. */
export const FAILED_RECORDING_LIMIT = 5;
/** Traces of one header invalidated before it is blacklisted. */
export const INVALIDATION_LIMIT = 5;
/** Back-edges waited after the first failed recording; doubled for each later one in a row. */
const RETRY_WAIT = 16;
/** Back-edges a blacklisted header waits the first time; doubled for each later time. */
const BLACKLIST_WAIT = 10_000;
/** Doublings at most, so waits stay finite numbers that tier-1 code compares cheaply. */
const MAX_DOUBLINGS = 16;

/** What the policy decided for a header: it may be recorded again after `wait` back-edges. */
export interface Verdict {
  readonly blacklisted: boolean;
  readonly wait: number;
  /** Why it was blacklisted (for the jit log); empty when it was not. */
  readonly reason: string;
}

function waitFor(base: number, doublings: number): number {
  return base * 2 ** Math.min(doublings, MAX_DOUBLINGS);
}

function blacklist(header: LoopHeader, reason: string): Verdict {
  const wait = waitFor(BLACKLIST_WAIT, header.blacklistings);
  header.blacklistings++;
  header.trigger = header.backEdges + wait;
  return { blacklisted: true, wait, reason };
}

/** A recording at `header` gave no trace. */
export function afterFailedRecording(header: LoopHeader): Verdict {
  header.failedRecordings++;
  if (header.failedRecordings >= FAILED_RECORDING_LIMIT) {
    return blacklist(header, `${header.failedRecordings} recordings in a row gave no trace`);
  }
  const wait = waitFor(RETRY_WAIT, header.failedRecordings - 1);
  header.trigger = header.backEdges + wait;
  return { blacklisted: false, wait, reason: '' };
}

/**
 * Failed recordings of a loop after which the next one may end where the method returns (a loop
 * left after a few iterations each time; recorder.ts `finishAtReturn`). The first recordings
 * still try for a trace that closes the loop.
 */
const FINISH_AT_RETURN_AFTER = 2;

/** Whether the next recording at the loop `header` may end where its method returns. */
export function mayFinishAtReturn(header: LoopHeader): boolean {
  return header.failedRecordings >= FINISH_AT_RETURN_AFTER;
}

/** The trace of `header` was dropped as invalid; the loop may be recorded after `threshold` back-edges. */
export function afterInvalidation(header: LoopHeader, threshold: number): Verdict {
  header.invalidations++;
  if (header.invalidations >= INVALIDATION_LIMIT) {
    return blacklist(header, `${header.invalidations} traces of the loop were invalidated`);
  }
  header.trigger = header.backEdges + threshold;
  return { blacklisted: false, wait: threshold, reason: '' };
}

/** Runs of a loop trace in one window of its exit rate (the rate is judged window by window). */
export const EXIT_RATE_RUNS = 1000;

/**
 * What the exit-storm rule reads of a loop trace: its running counts, and their values where
 * the current window began.
 */
export interface ExitRate {
  readonly entries: number;
  readonly slowExits: number;
  /** Bridges attached to the trace's own exits so far. */
  readonly bridges: number;
  readonly window: { entries: number; slowExits: number; bridges: number };
}

/**
 * Whether `trace` left through slow side exits in most of the runs of a window of
 * `EXIT_RATE_RUNS` runs that has ended, and got no new bridge in it; a window that has ended
 * is closed and the next begins. A storm of exits that bridges are taking over is progress, not
 * a reason to drop the trace: with a high `--bridge-threshold`, a loop left at several exits in
 * turn (Queens' `placeQueen:`) takes most of its first window to get its bridges, and judging
 * its counts since installation dropped the trace before they could pay off.
 */
export function exitsTooOften(trace: ExitRate): boolean {
  const window = trace.window;
  const runs = trace.entries - window.entries;
  if (runs < EXIT_RATE_RUNS) return false;
  const storm = (trace.slowExits - window.slowExits) * 2 > runs && trace.bridges === window.bridges;
  if (!storm) {
    window.entries = trace.entries;
    window.slowExits = trace.slowExits;
    window.bridges = trace.bridges;
  }
  return storm;
}

/** The trace of `header` was dropped because it kept leaving through side exits: blacklisted. */
export function afterExitStorm(header: LoopHeader, trace: ExitRate): Verdict {
  const slowExits = trace.slowExits - trace.window.slowExits;
  const runs = trace.entries - trace.window.entries;
  return blacklist(header, `its trace left through side exits in ${slowExits} of ${runs} runs`);
}

/** A trace was installed at `header`: every back-edge enters it. */
export function afterCompile(header: LoopHeader): void {
  header.failedRecordings = 0;
  header.trigger = 0;
}

/** The trace of `header` was evicted from the code cache: it may be recorded again when hot. */
export function afterEviction(header: LoopHeader, threshold: number): void {
  header.trigger = header.backEdges + threshold;
}

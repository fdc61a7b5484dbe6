/**
 * Loop headers: tier 2's state per loop of the program, keyed by (method, pc of the loop's
 * first instruction, where its back-edge jumps to).
 *
 * The interpreter's back-edges reach the header through the trace runtime (trace-runtime.ts);
 * tier-1 code holds the header object as a constant of its code and counts `backEdges` on it
 * itself, calling the runtime only when the count passes `trigger` (runtime/tier1/, its
 * `LoopCounter`). So `trigger` is the one number through which the policy speaks to compiled
 * code: 0 while the loop has a trace (enter it at every back-edge), the tracing threshold or a
 * back-off while it has none, far away while it is blacklisted (blacklist.ts). A loop that is
 * not due for anything costs an increment and a compare per iteration, in every tier.
 */
import type { SomMethod } from '../../interpreter/model/method.ts';
import type { InstalledTrace } from './installed-trace.ts';

export class LoopHeader {
  /** Back-edges taken to this header so far (the interpreter's and tier-1 code's). */
  backEdges = 0;
  /** The runtime is called when `backEdges` passes this (see the module header). */
  trigger: number;
  /** Recordings in a row that gave no trace (blacklist.ts). */
  failedRecordings = 0;
  /** Traces of this loop dropped because something they folded changed (blacklist.ts). */
  invalidations = 0;
  /** Times the header was blacklisted; each makes the next wait longer. */
  blacklistings = 0;
  /** The loop's installed trace, if it has one. */
  trace: InstalledTrace | null = null;

  constructor(
    readonly method: SomMethod,
    readonly pc: number,
    threshold: number,
    /** The run it belongs to (trace-runtime.ts keeps entry headers on methods across runs). */
    readonly generation = 0,
  ) {
    this.trigger = threshold;
  }
}

/** The headers of one run, made at their first back-edge. */
export class LoopHeaders {
  private readonly byMethod = new Map<SomMethod, Map<number, LoopHeader>>();

  constructor(
    /** Back-edges before a new header's loop is recorded (`--tier2-threshold`). */
    private readonly threshold: number,
    /** The run these headers belong to (trace-runtime.ts `generation`). */
    private readonly generation = 0,
  ) {}

  /** The header of the loop at (method, pc). */
  at(method: SomMethod, pc: number): LoopHeader {
    let headers = this.byMethod.get(method);
    if (headers === undefined) this.byMethod.set(method, (headers = new Map()));
    let header = headers.get(pc);
    if (header === undefined) headers.set(pc, (header = new LoopHeader(method, pc, this.threshold, this.generation)));
    return header;
  }

  /** Whether a loop of `method` has a trace installed. */
  hasTraceIn(method: SomMethod): boolean {
    const headers = this.byMethod.get(method);
    if (headers === undefined) return false;
    for (const header of headers.values()) if (header.trace !== null) return true;
    return false;
  }

  /** The header at (method, pc) if that pc is a loop header seen so far, else null. */
  find(method: SomMethod, pc: number): LoopHeader | null {
    return this.byMethod.get(method)?.get(pc) ?? null;
  }
}

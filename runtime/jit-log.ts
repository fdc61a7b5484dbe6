/**
 * The JIT event log (`--jit-log FILE`): one JSON object per line, so users can see how a
 * program warms up. The first line records the mode and parameters; then one line per event,
 * each with its time in microseconds since start.
 *
 * The events are a closed union (`JitEvent`): every tier change, and what tier 2 decides.
 * - tier 1: `tier1-compile` (a method gets tier-1 code), `osr` (a running activation moves
 *   into it at a loop header);
 * - tier 2, per loop header (method, pc), or method entry (`entry: true`, pc 0): `trace-start`
 *   (a recording begins), `trace-abort` (it gave no trace, and why), `trace-compile` (a trace was installed: its size before and
 *   after optimisation, its guards, and the time each step took), `invalidate` (something the
 *   trace folded changed: it is dropped), `evict` (dropped to keep the code cache bounded),
 *   `blacklist` (the header stops being traced for a while); per bridge (at the pc a hot exit
 *   resumes, in the innermost activation it left): `bridge-start`, `bridge-abort`,
 *   `bridge-compile` (attached to that exit);
 * - `trace-exits`, once per trace when it leaves the cache or the run ends: how often it was
 *   entered, how often each of its exits was taken, where the exits without a bridge went on
 *   (tier-1 code or the interpreter), and the same counts for each bridge attached under it.
 *   Entries and side exits happen millions of times, so they are counted, not logged one by one;
 * - `trace-budget`, at the end of a run with `--trace-budget` below 100 that put recordings off:
 *   how many.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Where a loop header is: `Class>>selector` and the pc of the loop's first instruction; or, with
 * `entry`, a method's start (pc 0), which mode tier2 traces in methods without loops.
 */
interface LoopAt {
  readonly method: string;
  readonly pc: number;
  readonly entry?: true;
}

/** A compiled trace: its number (as in its JS function's name and its dump file) and header. */
interface TraceAt extends LoopAt {
  readonly trace: number;
}

/** What compiling a trace or a bridge cost, and what it gave. */
export interface CompileCost {
  /** IR instructions as recorded, and after the optimiser. */
  readonly opsRecorded: number;
  readonly opsOptimized: number;
  /** Guards of the compiled trace: its side exits. */
  readonly guards: number;
  readonly recordMicros: number;
  readonly optimizeMicros: number;
  /** Emitting the JavaScript and `new Function`. */
  readonly compileMicros: number;
  /** Characters of JavaScript emitted (V8 parses and compiles them: part of `compileMicros`). */
  readonly emittedBytes: number;
}

export type JitEvent =
  | {
      readonly event: 'tier1-compile';
      readonly method: string;
      readonly bytecodes: number;
      readonly emittedBytes: number;
      readonly compileMicros: number;
    }
  | ({ readonly event: 'osr' } & LoopAt)
  | ({ readonly event: 'trace-start' } & LoopAt)
  | ({ readonly event: 'trace-abort'; readonly reason: string; readonly recordMicros: number } & LoopAt)
  | ({ readonly event: 'trace-compile' } & CompileCost & TraceAt)
  /** `levels`: the activations the exit left (1: the entry frame; more: inlined ones too). */
  | ({ readonly event: 'bridge-start'; readonly levels: number } & LoopAt)
  | ({ readonly event: 'bridge-abort'; readonly reason: string; readonly recordMicros: number } & LoopAt)
  | ({
      readonly event: 'bridge-compile';
      /** The JS function name of the trace whose exit the bridge is attached to, and that exit. */
      readonly parent: string;
      readonly exit: number;
    } & CompileCost &
      TraceAt)
  /** The bridge `trace` was compiled into the function of its root trace `into` (inlined-bridges.ts). */
  | ({
      readonly event: 'bridge-inline';
      readonly into: number;
      /** Compiling the root's function again, and its JavaScript's length. */
      readonly compileMicros: number;
      readonly emittedBytes: number;
    } & TraceAt)
  | ({ readonly event: 'invalidate'; readonly reason: string } & TraceAt)
  | ({ readonly event: 'evict' } & TraceAt)
  | ({
      readonly event: 'blacklist';
      readonly reason: string;
      /** Back-edges to the header before it may be recorded once more. */
      readonly waitBackEdges: number;
    } & LoopAt)
  | ({
      readonly event: 'trace-exits';
      readonly entries: number;
      /** Exit number -> times taken, for the exits taken at least once. */
      readonly exits: Readonly<Record<string, number>>;
      /**
       * Exits with no bridge, the trace's own and those of the bridges attached under it (which
       * report nothing themselves), by the code the entry frame went on in: its method's tier-1
       * code or the interpreter (the tier the trace was entered from).
       */
      readonly resumedIn: { readonly tier1: number; readonly interpreter: number };
      /**
       * The bridges attached under the trace (to its exits, to theirs, and so on), which report
       * nothing themselves: the trace and exit each is attached to, whether it was compiled into
       * this trace's function, its runs as a function of its own (its runs inside the root's
       * function are not counted), and how often each of its own exits was taken, wherever its
       * code ran.
       */
      readonly bridges: readonly {
        readonly trace: number;
        readonly parent: number;
        readonly exit: number;
        readonly inlined: boolean;
        readonly entries: number;
        readonly exits: Readonly<Record<string, number>>;
      }[];
    } & TraceAt)
  | {
      readonly event: 'trace-budget';
      /** Recordings of loops, entries and bridges the budget put off (`--trace-budget`). */
      readonly deferred: number;
    };

export class JitLog {
  private readonly fd: number;
  private readonly start = process.hrtime.bigint();

  constructor(path: string, header: Readonly<Record<string, unknown>>) {
    this.fd = openSync(path, 'w');
    this.write({ event: 'start', ...header });
  }

  /** Microseconds since the log was opened. */
  now(): number {
    return Number((process.hrtime.bigint() - this.start) / 1000n);
  }

  record(event: JitEvent): void {
    this.write({ time: this.now(), ...event });
  }

  private write(record: Readonly<Record<string, unknown>>): void {
    writeSync(this.fd, `${JSON.stringify(record, infinityAsText)}\n`);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** JSON has no Infinity (it would write null): a threshold that is off is logged as "Infinity". */
function infinityAsText(_key: string, value: unknown): unknown {
  return value === Infinity ? 'Infinity' : value;
}

/**
 * Compiled traces and their exit protocol: what the backend (backend.ts) hands the runtime.
 *
 * A trace compiles to one JavaScript function, `TraceCode = (inputs, out, entry) => code`. It
 * reads its inputs into locals, runs (a loop trace runs until a guard fails), and leaves by
 * returning a number. A bridge compiled with its InputPlan (bridge-inputs.ts) reads its inputs
 * itself, from its parent's exit values in `out` and from the entry frame `entry`, so the
 * runtime calls it straight after the exit, with `out` as it is; every other trace ignores
 * `entry`. The codes:
 * - `code >= 0`: side exit number `code` (`CompiledTrace.exits[code]`) was taken; `out[i]` holds
 *   the value of `exit.live[i]`, the values its snapshot names, in the fixed order the SideExit
 *   records. The runtime rebuilds the frames from the snapshot (`exitFrames`, through the IR's
 *   one `materialize`); the compiled code never does. An exit is either a guard's (the guard
 *   failed: resume at the snapshot) or an exception exit (`SideExit.onThrow`: a residual call
 *   with a snapshot threw, which the code caught; the exception follows the live values, in
 *   `out[exit.live.length]`, and the runtime resumes the snapshot with it pending: deopt.ts
 *   `resumeAfterThrow`). A call without a snapshot is not wrapped: what it throws leaves the
 *   trace function as it is.
 * - `TRACE_FINISH`: `finish v...` ran; `out[i]` holds its i-th value.
 * - `TRACE_JUMP`: `jump_trace #target v...` ran; `out[i]` holds the target's i-th input, and the
 *   target is `CompiledTrace.jumpTarget` (issue #10 may make this a direct call).
 * - `TRACE_LIMIT`: only when compiled with `iterationLimit` (tests): the loop jumped back that
 *   many times; `out` holds the last jump's values, as the reference evaluator's 'limit'.
 * `out` is allocated once by the runtime (`CompiledTrace.outSize` entries) and reused, so the
 * hot path allocates nothing but what the trace itself allocates. A trace reads every input
 * into a local before it does anything else, so `out` may be the next trace's `inputs`
 * (the runtime passes the values of `jump_trace` on so).
 *
 * Why a guard returns its exit number instead of calling through a per-exit slot (a bridge
 * function the runtime could replace): the failure path stays a few stores and a `return`,
 * which V8 leaves out of the optimised loop altogether while it is never taken; the loop body
 * holds no call site whose target changes when a bridge is attached (which would cost a deopt,
 * and a megamorphic call in every trace with bridges); and a bridge that jumps back into its
 * loop does not grow the JS stack, because the runtime dispatches it after the loop function
 * has returned. Attaching a bridge is therefore setting `SideExit.bridge`: the runtime looks
 * there when the exit is taken. Exits are numbered per guard (not per snapshot), because
 * bridges attach to guards and counts of taken exits are per guard; a call with an exception
 * exit has its own number too, after the guards before it.
 */
import { VmInternalError } from '../../interpreter/errors.ts';
import { type ExitFrame, type Snapshot, materialize } from '../ir/snapshot.ts';
import type { ConstantPool, Trace } from '../ir/trace.ts';
import type { ExitId, IrRef } from '../ir/types.ts';

/** The compiled form of a trace (see the module header for the protocol). */
export type TraceCode = (inputs: readonly unknown[], out: unknown[], entry?: unknown) => number;

/** `finish` ran: `out` holds its values. */
export const TRACE_FINISH = -1;
/** `jump_trace` ran: `out` holds the target's inputs. */
export const TRACE_JUMP = -2;
/** The iteration limit (tests only) was reached: `out` holds the last jump's values. */
export const TRACE_LIMIT = -3;

/**
 * One guard of a compiled trace, or one call with an exception exit, for the runtime: where it
 * resumes, and how often it was taken.
 */
export class SideExit {
  /** How many times the exit was taken (counted by the runtime, not the compiled code). */
  taken = 0;
  /** A trace compiled for this exit, once it is hot (issue #10): the runtime dispatches to it. */
  bridge: unknown = null;
  /** Where each live value is in `out` (the inverse of `live`). */
  readonly liveIndex: ReadonlyMap<IrRef, number>;

  constructor(
    readonly exitId: ExitId,
    /** The guard's snapshot: the frames to rebuild. */
    readonly snapshot: Snapshot,
    /** Index in `trace.ops` of the guard (of the call, for an exception exit). */
    readonly guard: number,
    /** The values the snapshot names, distinct, in order of first mention: `out[i]` is `live[i]`. */
    readonly live: readonly IrRef[],
    /**
     * An exception exit: the call at `guard` threw, and the exception is in `out[live.length]`.
     * False for a guard's exit.
     */
    readonly onThrow: boolean,
    /**
     * The constants of the trace the guard is in (its snapshot's operands name them): the
     * trace's own, also when its code is inlined into another trace's function (backend.ts).
     */
    readonly constants: ConstantPool,
  ) {
    this.liveIndex = new Map(live.map((ref, i) => [ref, i]));
  }
}

export class CompiledTrace {
  constructor(
    readonly trace: Trace,
    readonly code: TraceCode,
    /** The JS function's name, e.g. `trace3$Loop$run$pc4` (profiles and DevTools show it). */
    readonly functionName: string,
    /** Indexed by ExitId; one per guard and per call with an exception exit, in trace order. */
    readonly exits: readonly SideExit[],
    /** The `jump_trace` target, or null when the trace ends otherwise. */
    readonly jumpTarget: unknown,
    /** The least length of `out`: the most values any exit (with its exception), finish, jump or limit hands out. */
    readonly outSize: number,
    /** The text given to `new Function` (without comments). */
    readonly source: string,
    /**
     * The length `source` would have with every exit's stores inline (no shared writer:
     * exit-writers.ts): the measure of a function's size that the limit on inlined bridges
     * was tuned in (inlined-bridges.ts `MAX_INLINED_SOURCE`).
     */
    readonly sizeWithInlineStores: number = source.length,
  ) {}
}

/** How a run of a compiled trace ended, decoded for the runtime (the evaluator's EvalResult shape). */
export type TraceOutcome =
  | { readonly kind: 'exit'; readonly exit: SideExit; readonly frames: ExitFrame[] }
  /** An exception exit: resume `frames` with `exception` pending (deopt.ts `resumeAfterThrow`). */
  | { readonly kind: 'throw'; readonly exit: SideExit; readonly frames: ExitFrame[]; readonly exception: unknown }
  | { readonly kind: 'finish'; readonly values: unknown[] }
  | { readonly kind: 'jump_trace'; readonly target: unknown; readonly values: unknown[] }
  | { readonly kind: 'limit'; readonly values: unknown[] };

/** The frames side exit `exit` resumes, from the live values `code` left in `out`. */
export function exitFrames(compiled: CompiledTrace, exit: SideExit, out: readonly unknown[]): ExitFrame[] {
  return materialize(exit.snapshot, exit.constants, (ref) => out[exit.liveIndex.get(ref)!]);
}

/** Decodes what `compiled.code` returned (`code`, with its values in `out`); counts a taken exit. */
export function leaveTrace(compiled: CompiledTrace, code: number, out: readonly unknown[]): TraceOutcome {
  if (code >= 0) {
    const exit = compiled.exits[code];
    if (exit === undefined) throw new VmInternalError(`trace ${compiled.functionName} has no exit ${code}`);
    exit.taken++;
    const frames = exitFrames(compiled, exit, out);
    return exit.onThrow
      ? { kind: 'throw', exit, frames, exception: out[exit.live.length] }
      : { kind: 'exit', exit, frames };
  }
  const count = endValueCount(compiled, code);
  const values = out.slice(0, count);
  if (code === TRACE_FINISH) return { kind: 'finish', values };
  if (code === TRACE_JUMP) return { kind: 'jump_trace', target: compiled.jumpTarget, values };
  return { kind: 'limit', values };
}

/** How many values the trace's last instruction (finish, jump_trace, or the limited jump) hands out. */
function endValueCount(compiled: CompiledTrace, code: number): number {
  const end = compiled.trace.ops[compiled.trace.ops.length - 1];
  const count = end === undefined ? 0 : end.args.length;
  return code === TRACE_JUMP ? count - 1 : count;
}

/** Runs `compiled` once on `inputs` with a fresh `out` (tests and tools; the runtime reuses one). */
export function runTrace(compiled: CompiledTrace, inputs: readonly unknown[]): TraceOutcome {
  const out = new Array<unknown>(compiled.outSize);
  return leaveTrace(compiled, compiled.code(inputs, out), out);
}

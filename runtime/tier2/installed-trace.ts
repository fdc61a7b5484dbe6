/**
 * A compiled trace as the runtime keeps it: installed at its loop header, in the code cache
 * (trace-cache.ts), with the validity that tells whether it may still run and the counts the
 * jit log and the cache's eviction order need.
 */
import type { InputPlan } from './bridge-inputs.ts';
import type { CompiledTrace, SideExit } from './trace-code.ts';
import type { InlinedBridge } from './inlined-bridges.ts';
import type { LoopHeader } from './loop-headers.ts';
import type { TraceDependencies } from './trace-dependencies.ts';
import type { TraceValidity } from './trace-validity.ts';

export class InstalledTrace {
  /** Times the trace was entered. */
  entries = 0;
  /** Runs that left through a side exit without a bridge (an exit the interpreter finishes). */
  slowExits = 0;
  /** Of those, the ones after which the entry frame went on in its method's tier-1 code. */
  slowExitsIntoTier1 = 0;
  /** Bridges attached to the trace's own exits (and to the exits of bridges inlined into it). */
  bridges = 0;
  /** Where the current window of the exit-storm rule began (blacklist.ts `exitsTooOften`). */
  readonly window = { entries: 0, slowExits: 0, bridges: 0 };
  /** The code cache's clock at the last entry (or at installation): the eviction order. */
  lastEntered = 0;
  /**
   * For a bridge whose exit's snapshot has no virtual objects but value structs: how its inputs
   * are read from the exit's live values (bridge-inputs.ts), so that taking the exit
   * materialises no frames.
   */
  inputPlan: InputPlan | null = null;
  /** The trace's own exits (its compiled code's exits are these, then its inlined bridges'). */
  readonly ownExits: readonly SideExit[];
  /** The bridges compiled into this trace's function, by the exit they are attached to (inlined-bridges.ts). */
  readonly inlined = new Map<SideExit, InlinedBridge>();

  constructor(
    /** The trace's number in the run: in its function's name, its dump file and the log. */
    readonly id: number,
    readonly header: LoopHeader,
    /** Its code: replaced when the trace is compiled again with a bridge inlined. */
    public compiled: CompiledTrace,
    /** Becomes invalid when a lookup or global the trace folded changes (trace-dependencies.ts). */
    readonly validity: TraceValidity,
    /** What `validity` is registered with, to unregister it when the trace goes. */
    readonly dependencies: TraceDependencies,
  ) {
    this.ownExits = compiled.exits;
  }
}

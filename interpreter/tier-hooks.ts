/**
 * How the interpreter reaches the compiled tiers: one small interface, which the runtime installs
 * at start-up (runtime/tier-manager.ts, when a run is configured).
 *
 * Dependencies point one way (DESIGN.md, "The interpreter"): the runtime and the generated
 * modules import the interpreter, never the reverse. The interpreter only marks *where* a tier
 * change may happen: every activation starts through `tiers.enterMethod` (invoke.ts), and the
 * interpreter build lowers `jit.backEdge` into a call of `tiers.backEdge`
 * (transformer/erase-directives.ts). Until the runtime installs its hooks, `INTERPRETER_ONLY`
 * is in force, so the interpreter loads and runs on its own: every activation is interpreted
 * and no back-edge leaves the loop.
 */
import type { Frame } from './model/frame.ts';
import type { SomMethod } from './model/method.ts';
import type { SomValue } from './model/objects.ts';
import { interpret } from './interpreter.ts';

/** What `backEdge` answers when the activation stays in the interpreter. */
export const NO_OSR: unique symbol = Symbol('no OSR');

/**
 * What `backEdge` answers when compiled code ran part of the activation (a trace, up to a side
 * exit) and left `frame` ready to go on at `frame.pc`: the caller continues there itself.
 */
export const RESUME_AT_FRAME_PC: unique symbol = Symbol('resume at frame.pc');

/** What a back-edge check answers: the activation's result, or one of the two signals. */
export type BackEdgeOutcome = SomValue | typeof NO_OSR | typeof RESUME_AT_FRAME_PC;

/** One compilation of a method, for System>>totalCompilationTime. */
export interface CompileRecord {
  readonly micros: number;
  readonly bytecodes: number;
}

export interface TierHooks {
  /** Runs a new activation to its end with the best code its method has; answers the result. */
  enterMethod(frame: Frame): SomValue;
  /**
   * The interpreter takes a loop back-edge to `pc` in `frame` (method `method`). Answers the
   * activation's result if it went on in compiled code (on-stack replacement) to its end,
   * RESUME_AT_FRAME_PC if it ran part of it (a trace) and the interpreter goes on at `frame.pc`,
   * else NO_OSR.
   */
  backEdge(method: SomMethod, pc: number, frame: Frame): BackEdgeOutcome;
  /** The compilations of this run so far. */
  compileStatistics(): readonly CompileRecord[];
}

/** The interpreter on its own: no compiled code, no on-stack replacement. */
export const INTERPRETER_ONLY: TierHooks = {
  // An arrow, not `interpret` itself: this module and interpreter.ts import each other.
  enterMethod: (frame) => interpret(frame),
  backEdge: () => NO_OSR,
  compileStatistics: () => [],
};

/** The hooks in force (an ES live binding: readers see what was installed last). */
export let tiers: TierHooks = INTERPRETER_ONLY;

/** Installs the runtime's hooks (or `INTERPRETER_ONLY` again). */
export function installTierHooks(hooks: TierHooks): void {
  tiers = hooks;
}

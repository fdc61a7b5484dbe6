/**
 * Bridges inlined into their root trace's function: trace trees, as TraceMonkey grew them.
 *
 * A bridge is a trace of its own (trace-runtime.ts): a guard of the root that fails hands its
 * live values out, the runtime's dispatch loop reads the bridge's inputs from them (its
 * InputPlan) and calls the bridge, and when the bridge ends in `jump_trace` back to the root's
 * loop header the loop calls the root again. In a loop whose iterations take both ways of a
 * branch (Richards' scheduler, DeltaBlue's constraint kinds) that is two calls through the
 * dispatch loop per iteration, and V8 sees neither the bridge nor the way back as part of the
 * loop. So when a bridge of a root trace (a loop or entry trace, not a bridge) is compiled, the
 * runtime compiles the root again, with the bridge's code in the guard's failure branch:
 *
 * ```
 * if (failure) {
 *   if (k9.valid) {                      // the bridge may run (else: the exit, as before)
 *     const b7_r0 = r0; ...              // its inputs, from the root's values (the InputPlan)
 *     ...the bridge's code, its locals prefixed b7_, its exits numbered after the root's...
 *     r0 = b7_r0; r1 = b7_r15; ...       // jump_trace back to the root: its inputs ...
 *     continue outer;                    // ... and the root from its start
 *   }
 *   out[0] = r0; ...; return 4;          // the exit
 * }
 * ```
 *
 * A bridge that ends in `finish` hands its result out as it would alone, and one that ends in
 * `jump_trace` to another loop's header too, if that is the one header the root's function
 * leaves to (a function has one `jump_trace` target). Bridges of bridges are inlined inside
 * theirs. Bridges whose inputs need materialised objects stay traces of their own, as do those
 * of a bridge that is not inlined. Every exit keeps its SideExit object across
 * the recompilations (what is attached to it stays), and an inlined bridge's exits are those of
 * its own compiled trace, so a bridge of an inlined bridge attaches as before.
 */
import { VmInternalError } from '../../interpreter/errors.ts';
import type { Instruction, Trace } from '../ir/trace.ts';
import type { IrRef } from '../ir/types.ts';
import type { InputPlan, PlanWords } from './bridge-inputs.ts';
import { type SideExit, TRACE_JUMP } from './trace-code.ts';
import { type EmitterPlace, TraceEmitter } from './trace-emitter.ts';

/** A bridge to inline at an exit of its root. */
export interface InlinedBridge {
  /** Its number in the run (the prefix of its locals). */
  readonly id: number;
  /** Its optimised IR. */
  readonly trace: Trace;
  /** How its inputs are read from the exit's values. */
  readonly plan: InputPlan;
  /** Its compiled trace's exits, reused (bridges attach to them). */
  readonly exits: readonly SideExit[];
  /** Its validity: the inlined code runs only while the bridge may. */
  readonly validity: { readonly valid: boolean };
  /** Its `jump_trace` goes back to the root's loop: the root starts over (else it hands out to its target). */
  readonly restarts: boolean;
}

/** Bridges inlined at most into one root: each costs a compilation of the whole root. */
export const MAX_INLINED_BRIDGES = 16;

/**
 * The longest source a root's function may grow to with its bridges (characters). TurboFan
 * leaves functions beyond a bytecode size (`--max-optimized-bytecode-size`, 60 KB) to the
 * baseline tiers, and optimises large ones late and less well: at 100,000 and 200,000 the
 * steady state of Richards, CD and DeltaBlue was up to 2x slower than at 60,000, and at 25,000
 * too few bridges fit (measured on this shared machine, noisy: see the session note).
 * Measured with every exit's stores inline: since exits call shared writers (exit-writers.ts),
 * a character of source is more bytecode, so the limit applies to the length the source would
 * have with the stores inline (`CompiledTrace.sizeWithInlineStores`). Against the source's own
 * length, Json's iterations 9 to 15 in `tier2` were 2-3x slower: more bridges fit, and its
 * roots grew past what TurboFan optimises.
 */
export const MAX_INLINED_SOURCE = 60_000;

/**
 * Whether `bridge` can be inlined into `root` (see the module header): it hands its result out,
 * it jumps back to the root's loop (`restarts`), or it jumps to the one loop header the root's
 * function may leave to (`rootTarget`: null while it has none).
 */
export function inlinable(
  root: Trace,
  bridge: Trace,
  how: { readonly restarts: boolean; readonly rootTarget: unknown; readonly bridgeTarget: unknown },
): boolean {
  const end = bridge.ops[bridge.ops.length - 1]?.op;
  if (root.kind === 'bridge' || bridge.label !== null) return false;
  if (end === 'finish' || (end === 'jump_trace' && how.restarts)) return true;
  return end === 'jump_trace' && (how.rootTarget === null || how.rootTarget === how.bridgeTarget);
}

/** Whether any of `bridges` jumps back to its root's start (the root then loops over `outer`). */
export function restartsRoot(bridges: ReadonlyMap<SideExit, InlinedBridge>): boolean {
  for (const bridge of bridges.values()) if (bridge.restarts) return true;
  return false;
}

/**
 * The place of a root trace in its function, compiled again with `bridges` at the exits they
 * are attached to: the root's own exits (`rootExits`, reused) and those of bridges inlined
 * already (a bridge of an inlined bridge is inlined inside it). The root's exits come first;
 * each inlined bridge's follow, in the order the code meets them. `emitBody` writes a trace's
 * instructions (backend.ts); `inlinedExits` collects the bridges' exits, in code order.
 */
export function rootPlace(
  rootExits: readonly SideExit[],
  bridges: ReadonlyMap<SideExit, InlinedBridge>,
  emitBody: (trace: Trace, e: TraceEmitter) => void,
  inlinedExits: SideExit[],
): EmitterPlace {
  const atExit = (exit: SideExit): ((e: TraceEmitter) => void) | null => {
    const bridge = bridges.get(exit);
    if (bridge === undefined) return null;
    return (outer) => {
      // The bridge's exits get their codes first: bridges inlined inside it come after them.
      const codeBase = rootExits.length + inlinedExits.length;
      inlinedExits.push(...bridge.exits);
      emitInlined(outer.place.root ?? outer, outer, exit, bridge, { codeBase, atExit, emitBody });
    };
  };
  return { prefix: '', codeBase: 0, reuse: rootExits, jumpTrace: null, atExit, root: null };
}

/** Writes `bridge`'s code at `exit` of `outer` (the root, or a bridge inlined in it), inside the guard's failure branch. */
function emitInlined(
  root: TraceEmitter,
  outer: TraceEmitter,
  exit: SideExit,
  bridge: InlinedBridge,
  how: {
    readonly codeBase: number;
    readonly atExit: EmitterPlace['atExit'];
    readonly emitBody: (trace: Trace, e: TraceEmitter) => void;
  },
): void {
  const w = root.w;
  const place: EmitterPlace = {
    prefix: `b${bridge.id}_`,
    codeBase: how.codeBase,
    reuse: bridge.exits,
    atExit: how.atExit,
    jumpTrace: (child, instruction) =>
      bridge.restarts ? restartRoot(root, child, instruction) : jumpOut(root, child, instruction),
    root,
  };
  const child = new TraceEmitter(bridge.trace, w, null, root.heap, place);
  w.comment(`bridge ${bridge.id} inlined`);
  w.open(`if (${w.lit(bridge.validity)}.valid) {`);
  const words: PlanWords = {
    input: (i) => child.name(bridge.trace.inputs[i] as IrRef),
    live: (at) => outer.name(exit.live[at] as IrRef),
    constant: (value) => w.lit(value),
    entry: root.name(root.trace.inputs[0] as IrRef),
    virtual: (i) => `b${bridge.id}_v${i}`,
  };
  for (const line of bridge.plan.assignments(words, 'const ')) w.line(line);
  how.emitBody(bridge.trace, child);
  w.close('}');
  if (child.exits.length !== bridge.exits.length) {
    throw new VmInternalError(
      `inlined bridge ${bridge.id}: ${child.exits.length} exits, compiled with ${bridge.exits.length}`,
    );
  }
  root.adopt(child);
}

/** The bridge's `jump_trace` to another loop's header: out of the root's function, as the bridge alone would leave. */
function jumpOut(root: TraceEmitter, child: TraceEmitter, instruction: Instruction): void {
  const target = child.constArg(instruction, 0);
  if (root.jumpTarget !== null && root.jumpTarget !== target) {
    throw new VmInternalError('inlined bridge: a second jump_trace target in one function');
  }
  root.jumpTarget = target;
  child.handOut(instruction.args.slice(1), TRACE_JUMP);
}

/** The bridge's `jump_trace` back to its root: the root's inputs take its values, and the root starts over. */
function restartRoot(root: TraceEmitter, child: TraceEmitter, instruction: Instruction): void {
  const values = instruction.args.slice(1);
  const inputs = root.trace.inputs;
  if (values.length !== inputs.length) {
    throw new VmInternalError(`inlined bridge: jump_trace with ${values.length} values into ${inputs.length} inputs`);
  }
  // (The values are the bridge's locals and constants: no assignment reads a root input.)
  inputs.forEach((input, j) => root.w.line(`${root.name(input)} = ${child.operand(values[j]!)};`));
  root.w.line('continue outer;');
}

/**
 * Which sends the recorder follows into the callee (inlines), and which it leaves as calls.
 *
 * Inlining a send makes the callee's bytecode part of the trace, with a virtual frame
 * (level.ts): its arguments and locals become IR values, its allocations may be removed, its
 * guards exit into rebuilt frames. A send is inlined when:
 * - the method is known: the trace has it as a constant (the send's lookup folded, because the
 *   receiver's class was promoted);
 * - it is a SOM method, or a primitive that only evaluates its receiver block (`value`,
 *   `value:`, `value:with:`: the block's bytecode is followed, as a block activation) with as
 *   many arguments as the block takes; any other primitive is a residual call;
 * - its code has no loop: a loop in a callee is traced on its own, when it gets hot, and the
 *   trace calls the method (RPython does the same for functions with loops: their loops are
 *   separate traces), so the recording of the caller's loop stays one iteration long;
 * - it is not recursive (the method is not on the recording's levels already), and the levels
 *   stay below `maxInlineDepth`.
 * A trivial method (a getter, a setter, a constant, `^self`) needs no activation at all: the
 * send becomes what it does (a field access, of an instance or of a class object).
 */
import { Op, instructionLength } from '../../interpreter/compiler/opcodes.ts';
import { SomClass } from '../../interpreter/model/class.ts';
import { type Invokable, SomMethod, SomPrimitive } from '../../interpreter/model/method.ts';
import { SomBlock, SomObject } from '../../interpreter/model/objects.ts';
import { BLOCK_EVALUATION } from '../../interpreter/primitives/block.ts';
import { isConstant, type Operand } from '../ir/types.ts';
import type { Level } from './level.ts';

export type InlineDecision = 'inline' | 'block' | 'trivial' | 'call';

/**
 * How the recorder makes a send of `invokable` (whose shadow is `shadow`) to `receiver` with
 * `numArgs` arguments from `caller`.
 */
export function inlineDecision(
  invokable: Invokable,
  shadow: unknown,
  receiver: unknown,
  numArgs: number,
  caller: Level,
  maxDepth: number,
): InlineDecision {
  if (!isConstant(shadow as Operand)) return 'call';
  if (invokable instanceof SomPrimitive) {
    const evaluates = BLOCK_EVALUATION.has(invokable.fn) && receiver instanceof SomBlock;
    return evaluates && receiver.method.numArgs === numArgs && followable(receiver.method, caller, maxDepth)
      ? 'block'
      : 'call';
  }
  if (invokable.trivial !== null) {
    // A getter or setter reads or writes `receiver.fields`: an instance's fields, or a class
    // object's class-side fields (a SomClass keeps them in a `fields` array too, made when the
    // class is loaded, before any trace). Anything else stays a call.
    const fieldAccess = invokable.trivial.kind === 'getter' || invokable.trivial.kind === 'setter';
    return fieldAccess && !(receiver instanceof SomObject || receiver instanceof SomClass) ? 'call' : 'trivial';
  }
  return followable(invokable, caller, maxDepth) ? 'inline' : 'call';
}

/** Whether an activation of `method` may become a level above `caller`. */
function followable(method: SomMethod, caller: Level, maxDepth: number): boolean {
  if (hasLoop(method) || caller.depth + 1 > maxDepth) return false;
  for (let level: Level | null = caller; level !== null; level = level.caller) {
    if (level.frame.method === method) return false;
  }
  return true;
}

const loops = new WeakMap<SomMethod, boolean>();

/** Whether `method`'s code jumps backward (any loop the compiler inlined into it). */
export function hasLoop(method: SomMethod): boolean {
  let known = loops.get(method);
  if (known === undefined) {
    known = false;
    for (let pc = 0; pc < method.code.length; pc += instructionLength(method.code[pc] as Op)) {
      if (method.code[pc] === Op.JUMP_BACKWARD) known = true;
    }
    loops.set(method, known);
  }
  return known;
}

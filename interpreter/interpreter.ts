/**
 * The bytecode interpreter: one dispatch loop over a frame's method, the single source of SOM
 * semantics from which the compilers are generated.
 *
 * Shape (what the transformer relies on, see jit.ts and DESIGN.md):
 * - green variables: `method` and `pc` (they determine which code runs); red: `frame`.
 * - `jit.dispatchLoop` marks the loop head; every operand is read through `jit.ct(...)`, since
 *   it depends only on (method, pc); `jit.backEdge` marks loop back-edges.
 * - each case is one to three statements: read operands, call a handler (`@jit.handler`), move
 *   `pc`. The stack pointer is an operand too (`stackTop`): it is static per pc, so pushes and
 *   pops are slot indices known at compile time, and tier 1 turns them into literals. Logic lives in the handlers under `handlers/`; conditional jumps stay here because
 *   they decide the next pc.
 * - no try/catch here: non-local returns and errors are handled around activations
 *   (`invoke.ts`). `frame.pc` is kept current before anything that can call out, for
 *   backtraces and for moving between tiers in the middle of a method.
 */
import { Op } from './compiler/opcodes.ts';
import { jit } from './jit.ts';
import type { Frame } from './model/frame.ts';
import type { SomValue } from './model/objects.ts';
import type { InlineFallback, SomMethod } from './model/method.ts';
import {
  dup,
  push,
  pushBlock,
  pushField,
  pushGlobal,
  pushLocal,
  pushOuter,
  storeField,
  storeLocal,
  storeOuter,
  top,
} from './handlers/variables.ts';
import {
  send,
  superSend,
  sendAdd,
  sendSub,
  sendMul,
  sendLessThan,
  sendGreaterThan,
  sendLessOrEqual,
  sendGreaterOrEqual,
  sendEquals,
} from './handlers/sends.ts';
import {
  booleanFallback,
  nilTestFallback,
  nilTestInlinable,
  returnNonLocal,
  toDoContinues,
  toDoIncrement,
  downToContinues,
  toDoDecrement,
  toDoFallback,
  toDoPrep,
} from './handlers/control.ts';

/** Operand `n` (1-based) of the instruction at `pc`. */
export function operand(method: SomMethod, pc: number, n: number): number {
  // Invariant: the compiler writes every operand the opcode table declares.
  return method.code[pc + n]!;
}

/**
 * The frame slot of the first free stack slot before the instruction at `pc`: the stack pointer,
 * a compile-time value (the compiler's stack analysis proves it is the same on every path).
 */
export function stackTop(method: SomMethod, pc: number): number {
  return method.stackTop[pc]!;
}

/** The inlining fallback an operand refers to (-1: none). */
export function fallbackAt(method: SomMethod, index: number): InlineFallback | null {
  return index < 0 ? null : method.fallbacks[index]!;
}

/** Runs `frame` from `frame.pc` until its method or block returns; answers the result. */
export function interpret(frame: Frame): SomValue {
  const method = frame.method;
  let pc = frame.pc;
  for (;;) {
    jit.dispatchLoop(method, pc, frame);
    switch (jit.ct(method.code[pc] as Op)) {
      case Op.DUP:
        dup(frame, jit.ct(stackTop(method, pc)));
        pc += 1;
        break;
      case Op.POP:
        pc += 1;
        break;
      case Op.PUSH_LOCAL:
        pushLocal(frame, jit.ct(stackTop(method, pc)), jit.ct(operand(method, pc, 1)));
        pc += 2;
        break;
      case Op.PUSH_OUTER:
        pushOuter(frame, jit.ct(stackTop(method, pc)), jit.ct(operand(method, pc, 1)), jit.ct(operand(method, pc, 2)));
        pc += 3;
        break;
      case Op.PUSH_FIELD:
        pushField(frame, jit.ct(stackTop(method, pc)), jit.ct(operand(method, pc, 1)));
        pc += 2;
        break;
      case Op.PUSH_SELF:
        push(frame, jit.ct(stackTop(method, pc)), frame.receiver);
        pc += 1;
        break;
      case Op.PUSH_NIL:
        push(frame, jit.ct(stackTop(method, pc)), null);
        pc += 1;
        break;
      case Op.PUSH_TRUE:
        push(frame, jit.ct(stackTop(method, pc)), true);
        pc += 1;
        break;
      case Op.PUSH_FALSE:
        push(frame, jit.ct(stackTop(method, pc)), false);
        pc += 1;
        break;
      case Op.PUSH_CONSTANT:
        push(frame, jit.ct(stackTop(method, pc)), jit.ct(method.constants[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.PUSH_GLOBAL:
        frame.pc = pc;
        pushGlobal(frame, jit.ct(stackTop(method, pc)), jit.ct(method.globals[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.PUSH_BLOCK:
        pushBlock(frame, jit.ct(stackTop(method, pc)), jit.ct(method.blocks[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.STORE_LOCAL:
        storeLocal(frame, jit.ct(stackTop(method, pc)), jit.ct(operand(method, pc, 1)));
        pc += 2;
        break;
      case Op.STORE_OUTER:
        storeOuter(frame, jit.ct(stackTop(method, pc)), jit.ct(operand(method, pc, 1)), jit.ct(operand(method, pc, 2)));
        pc += 3;
        break;
      case Op.STORE_FIELD:
        storeField(frame, jit.ct(stackTop(method, pc)), jit.ct(operand(method, pc, 1)));
        pc += 2;
        break;
      case Op.POP_LOCAL:
        storeLocal(frame, jit.ct(stackTop(method, pc)), jit.ct(operand(method, pc, 1)));
        pc += 2;
        break;
      case Op.POP_OUTER:
        storeOuter(frame, jit.ct(stackTop(method, pc)), jit.ct(operand(method, pc, 1)), jit.ct(operand(method, pc, 2)));
        pc += 3;
        break;
      case Op.POP_FIELD:
        storeField(frame, jit.ct(stackTop(method, pc)), jit.ct(operand(method, pc, 1)));
        pc += 2;
        break;
      case Op.SEND:
        frame.pc = pc;
        send(frame, jit.ct(stackTop(method, pc)), jit.ct(method.sites[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.SUPER_SEND:
        frame.pc = pc;
        superSend(frame, jit.ct(stackTop(method, pc)), jit.ct(method.sites[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.SEND_ADD:
        frame.pc = pc;
        sendAdd(frame, jit.ct(stackTop(method, pc)), jit.ct(method.sites[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.SEND_SUB:
        frame.pc = pc;
        sendSub(frame, jit.ct(stackTop(method, pc)), jit.ct(method.sites[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.SEND_MUL:
        frame.pc = pc;
        sendMul(frame, jit.ct(stackTop(method, pc)), jit.ct(method.sites[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.SEND_LT:
        frame.pc = pc;
        sendLessThan(frame, jit.ct(stackTop(method, pc)), jit.ct(method.sites[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.SEND_GT:
        frame.pc = pc;
        sendGreaterThan(frame, jit.ct(stackTop(method, pc)), jit.ct(method.sites[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.SEND_LE:
        frame.pc = pc;
        sendLessOrEqual(frame, jit.ct(stackTop(method, pc)), jit.ct(method.sites[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.SEND_GE:
        frame.pc = pc;
        sendGreaterOrEqual(frame, jit.ct(stackTop(method, pc)), jit.ct(method.sites[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.SEND_EQ:
        frame.pc = pc;
        sendEquals(frame, jit.ct(stackTop(method, pc)), jit.ct(method.sites[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.RETURN_LOCAL:
        return top(frame, jit.ct(stackTop(method, pc)));
      case Op.RETURN_SELF:
        return frame.receiver;
      case Op.RETURN_NON_LOCAL:
        frame.pc = pc;
        return returnNonLocal(frame, top(frame, jit.ct(stackTop(method, pc))));
      case Op.JUMP:
        pc = jit.ct(operand(method, pc, 1));
        break;
      case Op.JUMP_IF_FALSE: {
        const condition = top(frame, jit.ct(stackTop(method, pc)));
        if (condition === false) pc = jit.ct(operand(method, pc, 1));
        else if (condition === true) pc += 3;
        else {
          frame.pc = pc;
          pc = booleanFallback(frame, jit.ct(stackTop(method, pc)), jit.ct(fallbackAt(method, operand(method, pc, 2))));
        }
        break;
      }
      case Op.JUMP_IF_TRUE: {
        const condition = top(frame, jit.ct(stackTop(method, pc)));
        if (condition === true) pc = jit.ct(operand(method, pc, 1));
        else if (condition === false) pc += 3;
        else {
          frame.pc = pc;
          pc = booleanFallback(frame, jit.ct(stackTop(method, pc)), jit.ct(fallbackAt(method, operand(method, pc, 2))));
        }
        break;
      }
      case Op.JUMP_IF_NIL: {
        const value = top(frame, jit.ct(stackTop(method, pc)));
        const fallback = jit.ct(method.fallbacks[operand(method, pc, 2)]!);
        if (value === null) pc = jit.ct(operand(method, pc, 1));
        else if (nilTestInlinable(value, fallback)) pc += 3;
        else {
          frame.pc = pc;
          pc = nilTestFallback(frame, jit.ct(stackTop(method, pc)), fallback);
        }
        break;
      }
      case Op.JUMP_IF_NOT_NIL: {
        const value = top(frame, jit.ct(stackTop(method, pc)));
        const fallback = jit.ct(method.fallbacks[operand(method, pc, 2)]!);
        if (value === null) pc += 3;
        else if (nilTestInlinable(value, fallback)) pc = jit.ct(operand(method, pc, 1));
        else {
          frame.pc = pc;
          pc = nilTestFallback(frame, jit.ct(stackTop(method, pc)), fallback);
        }
        break;
      }
      case Op.JUMP_BACKWARD:
        jit.backEdge(method, jit.ct(operand(method, pc, 1)), frame);
        pc = jit.ct(operand(method, pc, 1));
        break;
      case Op.TO_DO_PREP:
        frame.pc = pc;
        if (
          toDoPrep(frame, jit.ct(stackTop(method, pc)), jit.ct(operand(method, pc, 1)), jit.ct(operand(method, pc, 2)))
        )
          pc += 4;
        else pc = toDoFallback(frame, jit.ct(stackTop(method, pc)), jit.ct(method.fallbacks[operand(method, pc, 3)]!));
        break;
      case Op.TO_DO_TEST:
        frame.pc = pc;
        if (toDoContinues(frame, jit.ct(operand(method, pc, 1)), jit.ct(operand(method, pc, 2)))) pc += 4;
        else pc = jit.ct(operand(method, pc, 3));
        break;
      case Op.TO_DO_INC:
        toDoIncrement(frame, jit.ct(operand(method, pc, 1)));
        pc += 2;
        break;
      case Op.DOWN_TO_TEST:
        frame.pc = pc;
        if (downToContinues(frame, jit.ct(operand(method, pc, 1)), jit.ct(operand(method, pc, 2)))) pc += 4;
        else pc = jit.ct(operand(method, pc, 3));
        break;
      case Op.TO_DO_DEC:
        toDoDecrement(frame, jit.ct(operand(method, pc, 1)));
        pc += 2;
        break;
    }
  }
}

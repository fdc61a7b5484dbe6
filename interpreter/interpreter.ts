/**
 * The bytecode interpreter: one dispatch loop over a frame's method, the single source of SOM
 * semantics from which the compilers are generated.
 *
 * Shape (what the transformer relies on, see jit.ts and DESIGN.md):
 * - green variables: `method` and `pc` (they determine which code runs); red: `frame`.
 * - `jit.dispatchLoop` marks the loop head; every operand is read through `jit.ct(...)`, since
 *   it depends only on (method, pc); `jit.backEdge` marks loop back-edges.
 * - each case is one to three statements: read operands, call a handler (`@jit.handler`), move
 *   `pc`. Logic lives in the handlers under `handlers/`; conditional jumps stay here because
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
  pop,
  push,
  pushBlock,
  pushField,
  pushGlobal,
  pushLocal,
  pushOuter,
  popField,
  popLocal,
  popOuter,
  storeField,
  storeLocal,
  storeOuter,
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
  toDoFallback,
  toDoPrep,
} from './handlers/control.ts';

/** Operand `n` (1-based) of the instruction at `pc`. */
export function operand(method: SomMethod, pc: number, n: number): number {
  // Invariant: the compiler writes every operand the opcode table declares.
  return method.code[pc + n]!;
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
        dup(frame);
        pc += 1;
        break;
      case Op.POP:
        pop(frame);
        pc += 1;
        break;
      case Op.PUSH_LOCAL:
        pushLocal(frame, jit.ct(operand(method, pc, 1)));
        pc += 2;
        break;
      case Op.PUSH_OUTER:
        pushOuter(frame, jit.ct(operand(method, pc, 1)), jit.ct(operand(method, pc, 2)));
        pc += 3;
        break;
      case Op.PUSH_FIELD:
        pushField(frame, jit.ct(operand(method, pc, 1)));
        pc += 2;
        break;
      case Op.PUSH_SELF:
        push(frame, frame.receiver);
        pc += 1;
        break;
      case Op.PUSH_NIL:
        push(frame, null);
        pc += 1;
        break;
      case Op.PUSH_TRUE:
        push(frame, true);
        pc += 1;
        break;
      case Op.PUSH_FALSE:
        push(frame, false);
        pc += 1;
        break;
      case Op.PUSH_CONSTANT:
        push(frame, jit.ct(method.constants[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.PUSH_GLOBAL:
        frame.pc = pc;
        pushGlobal(frame, jit.ct(method.globals[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.PUSH_BLOCK:
        pushBlock(frame, jit.ct(method.blocks[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.STORE_LOCAL:
        storeLocal(frame, jit.ct(operand(method, pc, 1)));
        pc += 2;
        break;
      case Op.STORE_OUTER:
        storeOuter(frame, jit.ct(operand(method, pc, 1)), jit.ct(operand(method, pc, 2)));
        pc += 3;
        break;
      case Op.STORE_FIELD:
        storeField(frame, jit.ct(operand(method, pc, 1)));
        pc += 2;
        break;
      case Op.POP_LOCAL:
        popLocal(frame, jit.ct(operand(method, pc, 1)));
        pc += 2;
        break;
      case Op.POP_OUTER:
        popOuter(frame, jit.ct(operand(method, pc, 1)), jit.ct(operand(method, pc, 2)));
        pc += 3;
        break;
      case Op.POP_FIELD:
        popField(frame, jit.ct(operand(method, pc, 1)));
        pc += 2;
        break;
      case Op.SEND:
        frame.pc = pc;
        send(frame, jit.ct(method.sites[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.SUPER_SEND:
        frame.pc = pc;
        superSend(frame, jit.ct(method.sites[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.SEND_ADD:
        frame.pc = pc;
        sendAdd(frame, jit.ct(method.sites[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.SEND_SUB:
        frame.pc = pc;
        sendSub(frame, jit.ct(method.sites[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.SEND_MUL:
        frame.pc = pc;
        sendMul(frame, jit.ct(method.sites[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.SEND_LT:
        frame.pc = pc;
        sendLessThan(frame, jit.ct(method.sites[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.SEND_GT:
        frame.pc = pc;
        sendGreaterThan(frame, jit.ct(method.sites[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.SEND_LE:
        frame.pc = pc;
        sendLessOrEqual(frame, jit.ct(method.sites[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.SEND_GE:
        frame.pc = pc;
        sendGreaterOrEqual(frame, jit.ct(method.sites[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.SEND_EQ:
        frame.pc = pc;
        sendEquals(frame, jit.ct(method.sites[operand(method, pc, 1)]!));
        pc += 2;
        break;
      case Op.RETURN_LOCAL:
        return pop(frame);
      case Op.RETURN_SELF:
        return frame.receiver;
      case Op.RETURN_NON_LOCAL:
        frame.pc = pc;
        return returnNonLocal(frame, pop(frame));
      case Op.JUMP:
        pc = jit.ct(operand(method, pc, 1));
        break;
      case Op.JUMP_IF_FALSE: {
        const condition = pop(frame);
        if (condition === false) pc = jit.ct(operand(method, pc, 1));
        else if (condition === true) pc += 3;
        else {
          frame.pc = pc;
          pc = booleanFallback(frame, condition, jit.ct(fallbackAt(method, operand(method, pc, 2))));
        }
        break;
      }
      case Op.JUMP_IF_TRUE: {
        const condition = pop(frame);
        if (condition === true) pc = jit.ct(operand(method, pc, 1));
        else if (condition === false) pc += 3;
        else {
          frame.pc = pc;
          pc = booleanFallback(frame, condition, jit.ct(fallbackAt(method, operand(method, pc, 2))));
        }
        break;
      }
      case Op.JUMP_IF_NIL: {
        const value = pop(frame);
        const fallback = jit.ct(method.fallbacks[operand(method, pc, 2)]!);
        if (value === null) pc = jit.ct(operand(method, pc, 1));
        else if (nilTestInlinable(value, fallback)) pc += 3;
        else {
          frame.pc = pc;
          pc = nilTestFallback(frame, value, fallback);
        }
        break;
      }
      case Op.JUMP_IF_NOT_NIL: {
        const value = pop(frame);
        const fallback = jit.ct(method.fallbacks[operand(method, pc, 2)]!);
        if (value === null) pc += 3;
        else if (nilTestInlinable(value, fallback)) pc = jit.ct(operand(method, pc, 1));
        else {
          frame.pc = pc;
          pc = nilTestFallback(frame, value, fallback);
        }
        break;
      }
      case Op.JUMP_BACKWARD:
        jit.backEdge(method, jit.ct(operand(method, pc, 1)), frame);
        pc = jit.ct(operand(method, pc, 1));
        break;
      case Op.TO_DO_PREP:
        frame.pc = pc;
        if (toDoPrep(frame, jit.ct(operand(method, pc, 1)), jit.ct(operand(method, pc, 2)))) pc += 4;
        else pc = toDoFallback(frame, jit.ct(method.fallbacks[operand(method, pc, 3)]!));
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
    }
  }
}

/**
 * An instruction's operands and result checked against its operation's entry in ops.ts.
 *
 * One set of rules for the three places that need them: the TraceBuilder (a wrong instruction
 * is a bug in the recorder or a pass: VmInternalError), the parser (a wrong line is a parse
 * error at its position) and verify (a list of problems). Each check answers a message or null.
 */
import { CallDescr, FieldDescr, StructDescr } from './descriptors.ts';
import { type ArgKind, type IrOp, type OperandKind, OPS, snapshotUse } from './ops.ts';
import type { OperandContext } from './trace.ts';
import { type Operand, type ValueKind, NO_SNAPSHOT, isConstant } from './types.ts';
import { operandText } from './syntax.ts';

const DESCR_TYPES = { field: FieldDescr, struct: StructDescr, call: CallDescr, elidable: CallDescr } as const;

/** Position of each operation's descriptor operand (field, struct, call), or -1. */
const DESCR_POSITION = Object.fromEntries(
  Object.entries(OPS).map(([op, info]) => [op, info.args.findIndex((kind) => Object.hasOwn(DESCR_TYPES, kind))]),
) as Record<IrOp, number>;

/** The descriptor an instruction carries (its field, struct or call constant), or undefined. */
export function descriptorOf(op: IrOp, args: readonly Operand[], context: OperandContext): unknown {
  const operand = args[DESCR_POSITION[op]];
  return operand !== undefined && isConstant(operand) && -1 - operand < context.constants.size
    ? context.constants.value(operand)
    : undefined;
}

/** The kind of the value a descriptor stands for: a field's kind, a call's result. */
function descrValueKind(descr: unknown): ValueKind | null | undefined {
  if (descr instanceof FieldDescr) return descr.kind;
  if (descr instanceof CallDescr) return descr.result;
  return undefined;
}

/** The kinds of the values a descriptor takes: a struct's fields, a call's arguments. */
function descrArgKinds(descr: unknown): readonly ValueKind[] | undefined {
  if (descr instanceof StructDescr) return descr.fieldKinds;
  if (descr instanceof CallDescr) return descr.args;
  return undefined;
}

/**
 * The kind of the value an instruction defines: null for none, 'params' for a label. Call only
 * after `argsProblem` found nothing wrong (a 'descr' result needs its descriptor).
 */
export function resultKind(op: IrOp, args: readonly Operand[], context: OperandContext): ValueKind | 'params' | null {
  const result = OPS[op].result;
  if (result !== 'descr') return result;
  return descrValueKind(descriptorOf(op, args, context)) ?? null;
}

/** What is wrong with reading `operand` here (not defined yet), or null. */
export function operandProblem(operand: Operand, context: OperandContext): string | null {
  if (isConstant(operand))
    return -1 - operand < context.constants.size ? null : `constant ${operand} is not in the pool`;
  return Number.isInteger(operand) && operand < context.valueCount ? null : `value ${operand} is not defined yet`;
}

function describeKind(kind: ArgKind): string {
  switch (kind) {
    case 'int':
    case 'float':
    case 'bool':
    case 'ref':
      return `a value of kind ${kind}`;
    case 'any':
      return 'a value';
    case 'const':
      return 'a constant of the kind of the operand before it';
    case 'class':
    case 'target':
      return `a ref constant (the ${kind})`;
    case 'field':
    case 'struct':
    case 'call':
      return `a ${DESCR_TYPES[kind].name} constant`;
    case 'elidable':
      return 'a CallDescr constant of an elidable function';
    case 'descr':
      return 'a value of the kind its descriptor gives';
  }
}

/** Whether one operand fits one non-variadic operand kind; `previous` is the operand before it. */
function fits(kind: ArgKind, operand: Operand, previous: Operand | undefined, context: OperandContext): boolean {
  switch (kind) {
    case 'int':
    case 'float':
    case 'bool':
    case 'ref':
      return context.kindOf(operand) === kind;
    case 'any':
      return true;
    case 'const':
      return isConstant(operand) && previous !== undefined && context.kindOf(operand) === context.kindOf(previous);
    case 'class':
    case 'target':
      return isConstant(operand) && context.kindOf(operand) === 'ref';
    case 'field':
    case 'struct':
    case 'call':
      return isConstant(operand) && context.constants.value(operand) instanceof DESCR_TYPES[kind];
    case 'elidable': {
      const descr = isConstant(operand) ? context.constants.value(operand) : undefined;
      return descr instanceof CallDescr && descr.elidable;
    }
    case 'descr':
      return previous !== undefined && context.kindOf(operand) === descrValueKind(valueOf(previous, context));
  }
}

/** The value of a constant operand; undefined for a value or no operand. */
function valueOf(operand: Operand | undefined, context: OperandContext): unknown {
  return operand !== undefined && isConstant(operand) ? context.constants.value(operand) : undefined;
}

/** A problem with an instruction's operands: which operand (0-based; -1: their number) and what. */
export class ArgsProblem {
  constructor(
    readonly operand: number,
    readonly message: string,
  ) {}

  toString(): string {
    return this.operand < 0 ? this.message : `operand ${this.operand + 1}: ${this.message}`;
  }
}

/** What is wrong with the operands of `op`, or null: arity, definedness, kinds, descriptors. */
export function argsProblem(op: IrOp, args: readonly Operand[], context: OperandContext): ArgsProblem | null {
  // Index loops: this runs for every instruction a pass appends, and entries() would allocate.
  for (let i = 0; i < args.length; i++) {
    const problem = operandProblem(args[i] as Operand, context);
    if (problem !== null) return new ArgsProblem(i, problem);
  }
  const kinds = OPS[op].args;
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i] as OperandKind;
    if (kind === '...any') return null;
    if (kind === '...descr') return variadicProblem(args, i, descrArgKinds(valueOf(args[i - 1], context)), context);
    const operand = args[i];
    if (operand === undefined) return new ArgsProblem(-1, `expected ${kinds.length} operands, found ${args.length}`);
    if (!fits(kind, operand, args[i - 1], context)) {
      return new ArgsProblem(i, `expected ${describeKind(kind)}, found ${operandText(context, operand)}`);
    }
  }
  return args.length > kinds.length
    ? new ArgsProblem(kinds.length, `expected ${kinds.length} operands, found ${args.length}`)
    : null;
}

function variadicProblem(
  args: readonly Operand[],
  start: number,
  kinds: readonly ValueKind[] | undefined,
  context: OperandContext,
): ArgsProblem | null {
  if (kinds === undefined) return new ArgsProblem(start - 1, 'expected a descriptor');
  if (args.length - start !== kinds.length) {
    const at = args.length > start + kinds.length ? start + kinds.length : -1;
    return new ArgsProblem(at, `the descriptor takes ${kinds.length} values, found ${args.length - start}`);
  }
  for (let i = 0; i < kinds.length; i++) {
    const operand = args[start + i] as Operand;
    if (context.kindOf(operand) !== kinds[i]) {
      return new ArgsProblem(start + i, `expected a value of kind ${kinds[i]}, found ${operandText(context, operand)}`);
    }
  }
  return null;
}

/** What is wrong with an instruction about to be appended, or null. */
export function instructionProblem(
  op: IrOp,
  args: readonly Operand[],
  snapshot: number,
  context: OperandContext,
  snapshotCount: number,
): string | null {
  const problem = argsProblem(op, args, context) ?? snapshotPresenceProblem(op, snapshot !== NO_SNAPSHOT);
  if (problem !== null) return String(problem);
  return snapshot === NO_SNAPSHOT || (Number.isInteger(snapshot) && snapshot >= 0 && snapshot < snapshotCount)
    ? null
    : `snapshot s${snapshot} is not defined`;
}

/**
 * What is wrong with an instruction of `op` carrying a snapshot (`has`) or not, or null: a guard
 * needs one, an operation that may throw may have one (its exception exit), others have none.
 */
export function snapshotPresenceProblem(op: IrOp, has: boolean): string | null {
  switch (snapshotUse(op)) {
    case 'required':
      return has ? null : 'a guard needs a snapshot';
    case 'optional':
      return null;
    case 'none':
      return has ? `${op} carries no snapshot (only guards and operations that may throw do)` : null;
  }
}

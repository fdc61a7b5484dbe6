/**
 * The opcode table: the one place where SOM bytecodes are defined.
 *
 * Everything that needs to know about bytecodes reads this table: the bytecode compiler (operand
 * layout, stack-depth computation), the disassembler, the interpreter's dispatch loop (which
 * switches on `Op`), and, in later stages, the generated tier-1 and tracing compilers.
 *
 * Encoding: a method's code is a `number[]`; each instruction is its opcode followed by one
 * number per operand, in the order the table lists them. A `pc` always indexes an opcode.
 *
 * Why an `enum` plus a table instead of a table alone: esbuild inlines TypeScript enum members
 * as number literals, so the interpreter's `switch` compiles to a jump table over constants.
 * The table is typed `Record<Op, OpcodeInfo>`, so tsc refuses to compile while an opcode lacks
 * its entry: the names are still checked to agree in one place.
 */

/** Opcodes. Numbers follow declaration order; code names opcodes, never their numbers. */
export enum Op {
  DUP,
  POP,
  PUSH_LOCAL,
  PUSH_OUTER,
  PUSH_FIELD,
  PUSH_SELF,
  PUSH_NIL,
  PUSH_TRUE,
  PUSH_FALSE,
  PUSH_CONSTANT,
  PUSH_GLOBAL,
  PUSH_BLOCK,
  STORE_LOCAL,
  STORE_OUTER,
  STORE_FIELD,
  POP_LOCAL,
  POP_OUTER,
  POP_FIELD,
  SEND,
  SUPER_SEND,
  SEND_ADD,
  SEND_SUB,
  SEND_MUL,
  SEND_LT,
  SEND_GT,
  SEND_LE,
  SEND_GE,
  SEND_EQ,
  RETURN_LOCAL,
  RETURN_SELF,
  RETURN_NON_LOCAL,
  JUMP,
  JUMP_IF_FALSE,
  JUMP_IF_TRUE,
  JUMP_IF_NIL,
  JUMP_IF_NOT_NIL,
  JUMP_BACKWARD,
  TO_DO_PREP,
  TO_DO_TEST,
  TO_DO_INC,
  DOWN_TO_TEST,
  TO_DO_DEC,
}

/**
 * What an operand denotes:
 * - slot:     index into the frame's argument+local slots
 * - ctx:      how many lexical contexts outward (1 = the enclosing block or method)
 * - field:    0-based index into the receiver's fields
 * - constant: index into the method's constant pool
 * - global:   index into the method's global-read sites
 * - block:    index into the method's nested block methods
 * - site:     index into the method's send sites (each one an inline cache)
 * - target:   a pc to jump to
 * - fallback: index into the method's inlining fallbacks (-1: none), used when an inlined
 *             control structure meets a receiver it cannot handle and must become a real send
 */
export type Operand = 'slot' | 'ctx' | 'field' | 'constant' | 'global' | 'block' | 'site' | 'target' | 'fallback';

export interface OpcodeInfo {
  readonly operands: readonly Operand[];
  /** Values popped and pushed; 'send' pops receiver+arguments and pushes the result. */
  readonly effect: readonly [pops: number, pushes: number] | 'send';
  /** How control leaves the instruction, when it is not simply the next one. */
  readonly flow?: 'branch' | 'jump' | 'backEdge' | 'return';
  /** One line for the disassembler's legend and the generated compilers' comments. */
  readonly doc: string;
}

export const OPCODES: Readonly<Record<Op, OpcodeInfo>> = {
  [Op.DUP]: { operands: [], effect: [1, 2], doc: 'duplicate the top of stack' },
  [Op.POP]: { operands: [], effect: [1, 0], doc: 'drop the top of stack' },
  [Op.PUSH_LOCAL]: { operands: ['slot'], effect: [0, 1], doc: 'push an argument or local of this activation' },
  [Op.PUSH_OUTER]: { operands: ['slot', 'ctx'], effect: [0, 1], doc: 'push a variable of an enclosing activation' },
  [Op.PUSH_FIELD]: { operands: ['field'], effect: [0, 1], doc: 'push a field of self' },
  [Op.PUSH_SELF]: { operands: [], effect: [0, 1], doc: 'push self' },
  [Op.PUSH_NIL]: { operands: [], effect: [0, 1], doc: 'push nil' },
  [Op.PUSH_TRUE]: { operands: [], effect: [0, 1], doc: 'push true' },
  [Op.PUSH_FALSE]: { operands: [], effect: [0, 1], doc: 'push false' },
  [Op.PUSH_CONSTANT]: { operands: ['constant'], effect: [0, 1], doc: 'push a literal' },
  [Op.PUSH_GLOBAL]: { operands: ['global'], effect: [0, 1], doc: 'push a global (unknownGlobal: if unbound)' },
  [Op.PUSH_BLOCK]: { operands: ['block'], effect: [0, 1], doc: 'push a new closure over this activation' },
  [Op.STORE_LOCAL]: { operands: ['slot'], effect: [1, 1], doc: 'store the top of stack into a local, keep it' },
  [Op.STORE_OUTER]: { operands: ['slot', 'ctx'], effect: [1, 1], doc: 'store into an enclosing activation, keep it' },
  [Op.STORE_FIELD]: { operands: ['field'], effect: [1, 1], doc: 'store into a field of self, keep it' },
  [Op.POP_LOCAL]: { operands: ['slot'], effect: [1, 0], doc: 'pop into a local' },
  [Op.POP_OUTER]: { operands: ['slot', 'ctx'], effect: [1, 0], doc: 'pop into an enclosing activation' },
  [Op.POP_FIELD]: { operands: ['field'], effect: [1, 0], doc: 'pop into a field of self' },
  [Op.SEND]: { operands: ['site'], effect: 'send', doc: 'send a message through the inline cache' },
  [Op.SUPER_SEND]: { operands: ['site'], effect: 'send', doc: "send, looking up from the holder's superclass" },
  [Op.SEND_ADD]: { operands: ['site'], effect: 'send', doc: '+ with small-integer and Double fast paths' },
  [Op.SEND_SUB]: { operands: ['site'], effect: 'send', doc: '- with small-integer and Double fast paths' },
  [Op.SEND_MUL]: { operands: ['site'], effect: 'send', doc: '* with small-integer and Double fast paths' },
  [Op.SEND_LT]: { operands: ['site'], effect: 'send', doc: '< with small-integer and Double fast paths' },
  [Op.SEND_GT]: { operands: ['site'], effect: 'send', doc: '> with small-integer and Double fast paths' },
  [Op.SEND_LE]: { operands: ['site'], effect: 'send', doc: '<= with small-integer and Double fast paths' },
  [Op.SEND_GE]: { operands: ['site'], effect: 'send', doc: '>= with small-integer and Double fast paths' },
  [Op.SEND_EQ]: { operands: ['site'], effect: 'send', doc: '= with small-integer and Double fast paths' },
  [Op.RETURN_LOCAL]: {
    operands: [],
    effect: [1, 0],
    flow: 'return',
    doc: 'return the top of stack from this activation',
  },
  [Op.RETURN_SELF]: { operands: [], effect: [0, 0], flow: 'return', doc: 'return self from this method' },
  [Op.RETURN_NON_LOCAL]: {
    operands: [],
    effect: [1, 0],
    flow: 'return',
    doc: 'return from the home method (escapedBlock: if gone)',
  },
  [Op.JUMP]: { operands: ['target'], effect: [0, 0], flow: 'jump', doc: 'jump forward' },
  [Op.JUMP_IF_FALSE]: {
    operands: ['target', 'fallback'],
    effect: [1, 0],
    flow: 'branch',
    doc: 'pop; jump if false (non-Boolean: fallback send)',
  },
  [Op.JUMP_IF_TRUE]: {
    operands: ['target', 'fallback'],
    effect: [1, 0],
    flow: 'branch',
    doc: 'pop; jump if true (non-Boolean: fallback send)',
  },
  [Op.JUMP_IF_NIL]: {
    operands: ['target', 'fallback'],
    effect: [1, 0],
    flow: 'branch',
    doc: 'pop; jump if nil (class overriding the nil test: fallback send)',
  },
  [Op.JUMP_IF_NOT_NIL]: {
    operands: ['target', 'fallback'],
    effect: [1, 0],
    flow: 'branch',
    doc: 'pop; jump if not nil (class overriding the nil test: fallback send)',
  },
  [Op.JUMP_BACKWARD]: { operands: ['target'], effect: [0, 0], flow: 'backEdge', doc: 'loop back-edge' },
  [Op.TO_DO_PREP]: {
    operands: ['slot', 'slot', 'fallback'],
    effect: [2, 1],
    doc: 'to:do: entry: pop limit, counter := receiver (non-number: fallback send)',
  },
  [Op.TO_DO_TEST]: {
    operands: ['slot', 'slot', 'target'],
    effect: [0, 0],
    flow: 'branch',
    doc: 'to:do: exit test: jump unless counter <= limit',
  },
  [Op.TO_DO_INC]: { operands: ['slot'], effect: [0, 0], doc: 'to:do: step: counter := counter + 1' },
  [Op.DOWN_TO_TEST]: {
    operands: ['slot', 'slot', 'target'],
    effect: [0, 0],
    flow: 'branch',
    doc: 'downTo:do: exit test: jump unless counter >= limit',
  },
  [Op.TO_DO_DEC]: { operands: ['slot'], effect: [0, 0], doc: 'downTo:do: step: counter := counter - 1' },
};

/** Every opcode, in numbering order. */
export const OPCODE_LIST: readonly Op[] = Object.keys(OPCODES).map(Number) as Op[];

/** Instruction length in code units: the opcode plus its operands. */
export function instructionLength(op: Op): number {
  return 1 + OPCODES[op].operands.length;
}

/** The opcode's name, e.g. 'PUSH_LOCAL'. */
export function opcodeName(op: Op): string {
  return Op[op];
}

/**
 * The disassembler: a readable listing of a method's bytecode, derived from the opcode table
 * (`som --disassemble ClassName`). Each line shows the pc, the source line, the opcode and its
 * operands decoded by kind (slot names, field names, selectors, constants, jump targets).
 * Nested blocks are listed after their method, indented.
 */
import { Op, OPCODES, instructionLength, opcodeName, type Operand } from './opcodes.ts';
import type { SomClass } from '../model/class.ts';
import type { SomMethod, Invokable } from '../model/method.ts';
import { SomArray, SomDouble, SomBigInt, SomString, SomSymbol, type SomValue } from '../model/objects.ts';

/** A listing of every method of `cls` and its metaclass. */
export function disassembleClass(cls: SomClass): string {
  const parts: string[] = [];
  for (const holder of [cls, cls.clazz]) {
    for (const m of holder.localInvokables()) parts.push(disassembleInvokable(m));
  }
  return parts.join('\n');
}

function disassembleInvokable(m: Invokable): string {
  const title = `${m.holder.name.s}>>${m.signature.s}`;
  if (m.kind === 'primitive') return `${title} (primitive)\n`;
  return disassemble(m, title, '');
}

export function disassemble(method: SomMethod, title: string, indent: string): string {
  const lines = [`${indent}${title}  (args ${method.numArgs}, locals ${method.numLocals}, stack ${method.maxStack})`];
  const code = method.code;
  for (let pc = 0; pc < code.length; pc += instructionLength(code[pc] as Op)) {
    lines.push(`${indent}  ${instruction(method, pc)}`);
  }
  method.blocks.forEach((block, i) => {
    lines.push(disassemble(block, `block #${i}`, `${indent}    `).trimEnd());
  });
  return `${lines.join('\n')}\n`;
}

/** One instruction: `pc  line  NAME operands`. */
export function instruction(method: SomMethod, pc: number): string {
  const op = method.code[pc] as Op;
  const operands = OPCODES[op].operands.map((kind, i) => operandText(method, kind, method.code[pc + 1 + i]!));
  const line = method.lines[pc] ?? 0;
  return `${String(pc).padStart(4)}  ${String(line).padStart(4)}  ${opcodeName(op).padEnd(16)} ${operands.join(' ')}`.trimEnd();
}

function operandText(method: SomMethod, kind: Operand, value: number): string {
  switch (kind) {
    case 'slot':
      return `${value}:${method.slotNames[value] ?? '?'}`;
    case 'ctx':
      return `ctx${value}`;
    case 'field':
      return `${value}:${method.holder.instanceFieldNames[value]?.s ?? '?'}`;
    case 'constant':
      return valueText(method.constants[value] ?? null);
    case 'global':
      return method.globals[value]?.name.s ?? '?';
    case 'block':
      return `block #${value}`;
    case 'site':
      return `#${method.sites[value]?.selector.s ?? '?'}`;
    case 'target':
      return `-> ${value}`;
    case 'fallback':
      return value < 0 ? '' : `(else send #${method.fallbacks[value]?.site.selector.s ?? '?'})`;
  }
}

function valueText(v: SomValue): string {
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (v instanceof SomSymbol) return `#${v.s}`;
  if (v instanceof SomString) return JSON.stringify(v.s);
  if (v instanceof SomDouble) return String(v.value);
  if (v instanceof SomBigInt) return v.value.toString();
  if (v instanceof SomArray) return `#(${v.elements.map(valueText).join(' ')})`;
  return v.clazz.name.s;
}

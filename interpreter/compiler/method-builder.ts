/**
 * Accumulates one method's bytecode and pools while the compiler walks its AST.
 *
 * Operands are written in the order the opcode table lists them; forward jumps go through
 * `Label`s patched when the label is bound. The builder knows nothing about SOM semantics: it
 * only encodes, so the compiler reads as a list of what it emits.
 */
import { Op, OPCODES } from './opcodes.ts';
import type { SomValue } from '../model/objects.ts';
import type { GlobalSite, InlineFallback, SendSite, SomMethod } from '../model/method.ts';
import { VmInternalError } from '../errors.ts';

export class Label {
  pc = -1;
  /** Code positions of operands waiting for this label's pc. */
  readonly patches: number[] = [];
  /** Others waiting for the pc (inlining fallbacks record where to resume). */
  readonly listeners: ((pc: number) => void)[] = [];

  whenBound(listener: (pc: number) => void): void {
    if (this.pc >= 0) listener(this.pc);
    else this.listeners.push(listener);
  }
}

export class MethodBuilder {
  readonly code: number[] = [];
  readonly lines: number[] = [];
  readonly columns: number[] = [];
  readonly constants: SomValue[] = [];
  readonly globals: GlobalSite[] = [];
  readonly blocks: SomMethod[] = [];
  readonly sites: SendSite[] = [];
  readonly fallbacks: InlineFallback[] = [];
  /** Source position attributed to the next instructions. */
  private line = 0;
  private column = 0;

  /** Attributes the next instructions to `pos`. */
  at(pos: { readonly line: number; readonly column: number }): void {
    this.line = pos.line;
    this.column = pos.column;
  }

  get pc(): number {
    return this.code.length;
  }

  /** Emits `op` with its operands; a `Label` operand is patched when the label is bound. */
  emit(op: Op, ...operands: (number | Label)[]): number {
    const at = this.code.length;
    if (operands.length !== OPCODES[op].operands.length) {
      throw new VmInternalError(`${Op[op]} takes ${OPCODES[op].operands.length} operands`);
    }
    this.code.push(op);
    this.lines.push(this.line);
    this.columns.push(this.column);
    for (const operand of operands) {
      if (operand instanceof Label) {
        if (operand.pc >= 0) this.code.push(operand.pc);
        else {
          operand.patches.push(this.code.length);
          this.code.push(-1);
        }
      } else {
        this.code.push(operand);
      }
      this.lines.push(0);
      this.columns.push(0);
    }
    return at;
  }

  bind(label: Label): void {
    label.pc = this.code.length;
    for (const at of label.patches) this.code[at] = label.pc;
    for (const listener of label.listeners) listener(label.pc);
  }

  addConstant(value: SomValue): number {
    const existing = this.constants.indexOf(value);
    if (existing >= 0) return existing;
    this.constants.push(value);
    return this.constants.length - 1;
  }

  addGlobal(site: GlobalSite): number {
    return this.globals.push(site) - 1;
  }

  addBlock(block: SomMethod): number {
    return this.blocks.push(block) - 1;
  }

  addSite(site: SendSite): number {
    return this.sites.push(site) - 1;
  }

  addFallback(fallback: InlineFallback): number {
    return this.fallbacks.push(fallback) - 1;
  }
}

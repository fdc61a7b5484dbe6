/**
 * Computes a method's operand-stack layout from the opcode table, by following every
 * control-flow edge (including the edges of inlining fallbacks): the depth before each
 * instruction and the maximum. It checks the compiler's invariant that every path reaching an
 * instruction arrives with the same depth, so a compiler bug surfaces at compile time as a
 * VmInternalError rather than as a corrupted frame. Because that depth is the same on every
 * path, the stack pointer is a compile-time value: handlers take it as a static operand, and
 * tier 1 splices it in as a literal slot index.
 */
import { Op, OPCODES, instructionLength } from './opcodes.ts';
import type { InlineFallback, SendSite } from '../model/method.ts';
import { VmInternalError } from '../errors.ts';

export interface StackLayout {
  /** The deepest the operand stack gets. */
  readonly maxDepth: number;
  /** Stack depth before the instruction at each pc (0 for operand positions and dead code). */
  readonly depthAt: readonly number[];
}

export function analyseStack(
  code: readonly number[],
  sites: readonly SendSite[],
  fallbacks: readonly InlineFallback[],
): StackLayout {
  const depthAt = new Map<number, number>();
  const work: number[] = [0];
  depthAt.set(0, 0);
  let max = 0;
  const reach = (pc: number, depth: number): void => {
    const known = depthAt.get(pc);
    if (known === undefined) {
      depthAt.set(pc, depth);
      work.push(pc);
    } else if (known !== depth) {
      throw new VmInternalError(`stack depth mismatch at pc ${pc}: ${known} vs ${depth}`);
    }
  };
  while (work.length > 0) {
    const pc = work.pop()!; // non-empty, checked by the loop condition
    const op = code[pc] as Op;
    const info = OPCODES[op];
    const before = depthAt.get(pc)!; // every queued pc has a depth
    const [pops, pushes] = info.effect === 'send' ? [sites[code[pc + 1]!]!.numArgs + 1, 1] : info.effect;
    if (before < pops) throw new VmInternalError(`stack underflow at pc ${pc} (${Op[op]})`);
    const after = before - pops + pushes;
    max = Math.max(max, after, before);
    for (const target of targetsOf(code, pc)) reach(target, after);
    const fallback = fallbackOf(code, pc, fallbacks);
    if (fallback !== null) {
      reach(fallback.resumePc, before - pops - fallback.discard + 1);
      // The fallback send pushes its literal blocks, as closures, above what is on the stack.
      max = Math.max(max, before + fallback.blocks.length);
    }
    if (info.flow === undefined || info.flow === 'branch') reach(pc + instructionLength(op), after);
  }
  const depths = code.map((_, pc) => depthAt.get(pc) ?? 0);
  return { maxDepth: max, depthAt: depths };
}

function targetsOf(code: readonly number[], pc: number): number[] {
  const operands = OPCODES[code[pc] as Op].operands;
  const targets: number[] = [];
  operands.forEach((kind, i) => {
    if (kind === 'target') targets.push(code[pc + 1 + i]!);
  });
  return targets;
}

function fallbackOf(code: readonly number[], pc: number, fallbacks: readonly InlineFallback[]): InlineFallback | null {
  const operands = OPCODES[code[pc] as Op].operands;
  const i = operands.indexOf('fallback');
  if (i < 0) return null;
  const index = code[pc + 1 + i]!;
  return index < 0 ? null : fallbacks[index]!;
}

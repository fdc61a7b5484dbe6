/**
 * The counting loops a workload body runs in: `count` iterations (half as many when `to:by:do:`
 * steps by 2) written in each of SOM's looping forms, inlined by the compiler or not (`to:do:` on a literal block and on a
 * block variable, `whileTrue:` on a literal block and on a block variable, `whileFalse:`, `timesRepeat:`, `downTo:do:`, `to:by:do:`,
 * `do:` on the Array that `1 to: n` answers). Tier 1 and tier 2 handle each form through
 * different code (back-edges in the method, or a block called from a library method), so a
 * workload drawn twice rarely loops the same way twice.
 */
import type { Random } from './random.ts';

/** A loop body over the index variable `i` (an Integer from 1 to count, or count down to 1). */
export interface LoopBody {
  /** Block temporaries the body needs, declared at the start of the body's block. */
  readonly temps: readonly string[];
  readonly statements: string;
}

export interface Loop {
  readonly code: string;
  /** Method locals the loop needs (declared by the workload method). */
  readonly locals: readonly string[];
}

function temps(body: LoopBody): string {
  return body.temps.length === 0 ? '' : `| ${body.temps.join(' ')} | `;
}

/** `count` iterations of `body`, in a loop form chosen by `rng`. */
export function countingLoop(rng: Random, count: number, body: LoopBody): Loop {
  const withIndex = `[ :i | ${temps(body)}${body.statements} ]`;
  const counted = `[ ${temps(body)}i := i + 1. ${body.statements} ]`;
  switch (rng.int(0, 8)) {
    case 0:
    case 1:
      return { code: `1 to: ${count} do: ${withIndex}.`, locals: [] };
    case 2:
      return { code: `i := 0. [ i < ${count} ] whileTrue: ${counted}.`, locals: ['i'] };
    case 3:
      return { code: `i := 0. [ i >= ${count} ] whileFalse: ${counted}.`, locals: ['i'] };
    case 4:
      return { code: `i := 0. ${count} timesRepeat: ${counted}.`, locals: ['i'] };
    case 5:
      return { code: `${count} downTo: 1 do: ${withIndex}.`, locals: [] };
    case 6:
      return { code: `(1 to: ${count}) do: ${withIndex}.`, locals: [] };
    case 7:
      // A condition in a variable: Block>>#whileTrue: runs as a send, not inlined.
      return {
        code: `i := 0. condition := [ i < ${count} ]. condition whileTrue: ${counted}.`,
        locals: ['i', 'condition'],
      };
    default:
      return rng.chance(0.5)
        ? { code: `body := ${withIndex}. 1 to: ${count} do: body.`, locals: ['body'] }
        : { code: `1 to: ${count} by: ${rng.pick([1, 2])} do: ${withIndex}.`, locals: [] };
  }
}

/** An iteration count: mostly past tier 2's default threshold of 100 back-edges, sometimes below. */
export function hotCount(rng: Random): number {
  return rng.chance(0.75) ? rng.int(100, 200) : rng.int(50, 99);
}

/**
 * The primitives the tracer follows instead of calling them.
 *
 * A primitive is a residual call in a trace by default: the trace writes every slot of every
 * frame the callee could see back to memory, calls it, and reloads them (TRACING.md §2). For the
 * few primitives that are hot in loops and simple (an element load is two comparisons and a
 * load), that call costs more than the work. Each one listed here is a `@jit.handler`: the
 * transformer generates its recording twin from this source, as for the dispatch loop's
 * handlers, and the recording runtime (runtime/tier2/recording-context.ts, `portal`) runs the
 * twin where the send calls the primitive, so the trace holds the primitive's operations
 * (guards, loads, stores) instead of a call. A primitive not listed is called as before.
 *
 * The list is read by the transformer (transformer/analysis/traced-code.ts, rule T16): every
 * entry must be a function declaration annotated `@jit.handler`, and everything it calls keeps
 * to the rules of traced code. It is also the runtime's list (generated/tracer.js exports
 * PRIMITIVE_RECORDERS, keyed by these functions), so the two cannot disagree.
 */
import { arrayAt, arrayAtPut, arrayLength, arrayNew } from './array.ts';
import { newInstance } from './class.ts';
import { doubleDivide, doubleSqrt } from './double.ts';
import { integerAnd, integerModulo, integerQuotient, integerRemainder, integerXor } from './integer.ts';
import { identical } from './object.ts';
import { stringEquals, stringLength, stringSubstring } from './string.ts';

export const TRACED_PRIMITIVES = [
  arrayAt,
  arrayAtPut,
  arrayLength,
  arrayNew,
  identical,
  stringEquals,
  stringLength,
  stringSubstring,
  newInstance,
  integerAnd,
  integerXor,
  integerModulo,
  integerQuotient,
  integerRemainder,
  doubleDivide,
  doubleSqrt,
];

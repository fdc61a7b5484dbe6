/**
 * The optimiser's pipeline: which passes run on a recorded trace, in which order, and a spec
 * string to switch some off (`-cse,-heap`), for bisecting a wrong trace to the pass that broke
 * it (the future `--jit-opt` flag; PyPy's `--jit enable_opts`, LuaJIT's `-O-cse`).
 *
 * `PIPELINE` is the one list: every pass is `Trace -> Trace` (one per file in runtime/opt/), and
 * a pass may appear twice (folding and CSE are cheap and find more after the others ran). The
 * intended order, as the passes arrive: peel, fold, cse, unbox, dce, virtualize, heap, guards, fold,
 * cse, dce.
 * The names a spec may use are those in the list, so a spec naming a pass that does not exist is
 * rejected rather than silently doing nothing.
 */
import type { HeapModel } from '../ir/descriptors.ts';
import type { Trace } from '../ir/trace.ts';
import { cse } from './cse.ts';
import { eliminateDeadCode } from './dce.ts';
import { fold } from './fold.ts';
import { removeRedundantGuards } from './guards.ts';
import { heapCache } from './heap-cache.ts';
import { peelLoop } from './peel.ts';
import { unboxLoopValues } from './unbox-loop.ts';
import { virtualize } from './virtualize.ts';

/** What the VM may tell the passes beyond the trace itself. */
export interface OptContext {
  /** The heap model (guards.ts: a guard_class on any class but nil's proves a ref non-null). */
  readonly heap?: HeapModel;
}

export interface OptPass {
  /** What a spec calls it: `-fold` switches off every entry of this name. */
  readonly name: string;
  readonly run: (trace: Trace, context: OptContext) => Trace;
  readonly doc: string;
}

const FOLD: OptPass = { name: 'fold', run: fold, doc: 'constant folding and algebraic simplification' };
const CSE: OptPass = {
  name: 'cse',
  run: cse,
  doc: 'common-subexpression elimination of pure operations and elidable calls',
};

const DCE: OptPass = {
  name: 'dce',
  run: eliminateDeadCode,
  doc: 'dead-code elimination, dead loop-carried values included',
};

export const PIPELINE: readonly OptPass[] = [
  { name: 'peel', run: peelLoop, doc: 'loop peeling: a preamble, then the loop body after a label' },
  FOLD,
  CSE,
  {
    name: 'unbox',
    run: unboxLoopValues,
    doc: 'loop-carried refs that are ints or bools on both edges carried unboxed',
  },
  // Before virtualize: a dead label parameter that receives the same new object as a live one
  // (a frame slot and a stack slot holding one Double) would make that object escape at the label.
  DCE,
  { name: 'virtualize', run: virtualize, doc: 'allocation removal: objects that do not escape live in IR values' },
  { name: 'heap', run: heapCache, doc: 'heap caching: load and store forwarding, redundant and dead stores' },
  {
    name: 'guards',
    run: (trace, context) => removeRedundantGuards(trace, context),
    doc: 'redundant guard removal from known classes, values, null-ness and integer ranges',
  },
  FOLD,
  CSE,
  DCE,
];

/** The pass names a spec may use, in pipeline order, each once. */
export const PASS_NAMES: readonly string[] = [...new Set(PIPELINE.map((pass) => pass.name))];

/** A spec that does not parse: a user error (a bad flag value), reported by its message alone. */
export class OptSpecError extends Error {
  constructor(detail: string) {
    super(`${detail} (known passes: ${PASS_NAMES.join(', ')}; write e.g. -cse,-dce)`);
    this.name = 'OptSpecError';
  }
}

/** What a spec asks for: the passes switched off. */
export interface OptSpec {
  readonly disabled: ReadonlySet<string>;
}

/**
 * Parses a spec: comma-separated `-name` items, spaces around them ignored; '' runs everything.
 * Throws OptSpecError for anything else, an unknown name above all.
 */
export function parseOptSpec(spec: string): OptSpec {
  const disabled = new Set<string>();
  if (spec.trim() === '') return { disabled };
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    if (!item.startsWith('-')) throw new OptSpecError(`'${item}' in the optimiser spec should be -name`);
    const name = item.slice(1);
    if (!PASS_NAMES.includes(name)) throw new OptSpecError(`unknown optimiser pass '${name}'`);
    disabled.add(name);
  }
  return { disabled };
}

/** Runs the pipeline on `trace`, leaving out the passes `spec` switches off. */
export function optimize(trace: Trace, spec: string | OptSpec = '', context: OptContext = {}): Trace {
  const { disabled } = typeof spec === 'string' ? parseOptSpec(spec) : spec;
  let result = trace;
  for (const pass of PIPELINE) if (!disabled.has(pass.name)) result = pass.run(result, context);
  return result;
}

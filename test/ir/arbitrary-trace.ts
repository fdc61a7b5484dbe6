/**
 * A fast-check arbitrary of well-formed traces, with inputs to run them on: the generator for
 * the IR's round-trip property and for the differential tests of the optimiser and the backend
 * (reference evaluator vs optimised trace vs compiled JavaScript).
 *
 * A generated trace is a plan (input specs, a loop bound, a list of steps, each a step kind and
 * a seed) interpreted against a TraceBuilder, so it shrinks structurally (fewer inputs, fewer
 * steps, smaller seeds). The steps (trace-steps.ts) track what is known about each value so that
 * every trace is defined (runs in the evaluator without a VmInternalError) whatever the inputs:
 * - ints carry a bound on their magnitude: unchecked int_add/int_sub/int_mul are used only when
 *   the bounds prove the result safe, the `_ovf` forms otherwise; divisors are non-zero constants;
 * - refs carry a shape (point, double, cell, array, any): fields are read only from refs known to
 *   have them (inputs promised so, allocations, or after a guard_class), stored only into objects
 *   that are not constants, and immutable fields are never stored;
 * - array indexes are constants below a known length, or guarded by guard_in_bounds.
 * Loops ("loop", and "label": a preamble, a label, a body) count an int from 0 and leave through
 * a guard when it reaches the plan's bound (or earlier, through any other guard); "bridge"
 * traces end in finish or jump_trace. Guards share snapshots with several frames, constants,
 * dead slots and virtual objects (struct and array). Residual calls share them too, as their
 * exception exits, and a run may leave through one: the residual `risky` throws on some values.
 */
import fc from 'fast-check';
import type { IrOp } from '../../runtime/ir/ops.ts';
import { printTrace } from '../../runtime/ir/printer.ts';
import type { Trace } from '../../runtime/ir/trace.ts';
import { TraceBuilder } from '../../runtime/ir/trace-builder.ts';
import type { Operand } from '../../runtime/ir/types.ts';
import { FakeCell, FakeDouble, type FakeHeap, FakePoint } from './fake-heap.ts';
import { Generator, MAX_SAFE, Rand, STEPS, type Shape } from './trace-steps.ts';

type Form = 'loop' | 'label' | 'bridge';

type InputSpec =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  /** `alias` > 0: the same object as an earlier ref input of this shape, if there is one. */
  | { readonly kind: 'ref'; readonly shape: Shape; readonly seed: number; readonly alias: number };

interface Plan {
  readonly form: Form;
  readonly iterations: number;
  readonly inputs: readonly InputSpec[];
  readonly preamble: readonly Step[];
  readonly body: readonly Step[];
  readonly endSeed: number;
}

type Step = readonly [kind: number, seed: number];

export interface TraceOptions {
  /** Most steps in the loop body (default 30); a step adds one to four instructions. */
  readonly maxSteps?: number;
  /** Fewest steps in the loop body (default 0): for long traces, e.g. compile-cost measurements. */
  readonly minSteps?: number;
  /** Which forms to generate (default all three). */
  readonly forms?: readonly Form[];
}

/** A generated trace and a way to make fresh inputs for it (traces mutate their objects). */
export class GeneratedTrace {
  constructor(
    readonly trace: Trace,
    private readonly specs: readonly InputSpec[],
    readonly makeInputs: () => unknown[],
  ) {}

  /** How fast-check shows a counterexample: the trace as text and its input specs. */
  [fc.toStringMethod](): string {
    return `${printTrace(this.trace)}inputs: ${JSON.stringify(this.specs)}`;
  }
}

export function arbitraryTrace(fake: FakeHeap, options: TraceOptions = {}): fc.Arbitrary<GeneratedTrace> {
  const step: fc.Arbitrary<Step> = fc.tuple(fc.nat({ max: STEPS.length - 1 }), fc.nat());
  const plan: fc.Arbitrary<Plan> = fc.record({
    form: fc.constantFrom(...(options.forms ?? (['loop', 'label', 'bridge'] as const))),
    iterations: fc.nat({ max: 6 }),
    inputs: fc.array(inputSpec, { maxLength: 5 }),
    preamble: fc.array(step, { maxLength: 6 }),
    body: fc.array(step, { minLength: options.minSteps ?? 0, maxLength: options.maxSteps ?? 30, size: 'medium' }),
    endSeed: fc.nat(),
  });
  return plan.map((p) => buildTrace(fake, p));
}

const intValue = fc.oneof(
  fc.integer({ min: -20, max: 20 }),
  fc.integer({ min: -(2 ** 32), max: 2 ** 32 }),
  fc.constantFrom(MAX_SAFE, -MAX_SAFE, MAX_SAFE - 1, 2 ** 31 - 1, -(2 ** 31)),
);
const floatValue = fc.oneof(fc.double(), fc.constantFrom(0, -0, 0.5, -1.5, NaN, Infinity));
const inputSpec: fc.Arbitrary<InputSpec> = fc.oneof(
  intValue.map((value) => ({ kind: 'int', value }) as const),
  floatValue.map((value) => ({ kind: 'float', value }) as const),
  fc.boolean().map((value) => ({ kind: 'bool', value }) as const),
  fc
    .tuple(fc.constantFrom<Shape>('point', 'double', 'cell', 'array', 'any'), fc.nat(), fc.nat({ max: 2 }))
    .map(([shape, seed, alias]) => ({ kind: 'ref', shape, seed, alias }) as const),
);

/** mulberry32: a step's choices, reproducible from its seed. */
// ---- input values ----

function refValue(shape: Shape, seed: number): unknown {
  const r = new Rand(seed);
  const anyRef = (): unknown =>
    r.pick([null, r.below(10), true, new FakeDouble(r.below(5) / 2), new FakePoint(1, null)]);
  switch (shape) {
    case 'point':
      return new FakePoint(anyRef(), anyRef());
    case 'double':
      return new FakeDouble(r.pick([0, -0, 1.5, NaN, -7]));
    case 'cell':
      return new FakeCell(r.pick([0, 1, -5, MAX_SAFE]));
    case 'array':
      return Array.from({ length: r.below(4) }, anyRef);
    case 'any':
      return r.pick([anyRef(), new FakeCell(3), [1, 2]]);
  }
}

function makeInputs(plan: Plan): unknown[] {
  const values: unknown[] = plan.form === 'bridge' ? [] : [0];
  const refs: { shape: Shape; value: unknown }[] = [];
  for (const spec of plan.inputs) {
    if (spec.kind !== 'ref') {
      values.push(spec.value);
      continue;
    }
    const earlier = refs.filter((ref) => ref.shape === spec.shape);
    const value = spec.alias > 0 && earlier.length > 0 ? earlier[spec.alias % earlier.length]?.value : undefined;
    const ref = { shape: spec.shape, value: value ?? refValue(spec.shape, spec.seed) };
    refs.push(ref);
    values.push(ref.value);
  }
  return values;
}

interface Carried {
  readonly kind: 'int' | 'float' | 'bool' | 'ref';
  readonly shape: Shape;
}

// ---- the trace ----

function defineInputs(g: Generator, plan: Plan): Carried[] {
  const carried: Carried[] = [];
  if (plan.form !== 'bridge') {
    g.addInt(g.b.input('int'), 16); // the loop counter: 0..iterations
    carried.push({ kind: 'int', shape: 'any' });
  }
  for (const spec of plan.inputs) {
    const operand = g.b.input(spec.kind);
    const shape = spec.kind === 'ref' ? spec.shape : 'any';
    if (spec.kind === 'int') g.addInt(operand, MAX_SAFE);
    else if (spec.kind === 'ref') g.addRef(operand, shape);
    else g.add(spec.kind, operand);
    carried.push({ kind: spec.kind, shape });
  }
  return carried;
}

/** A value that may take the place of a loop-carried one: same kind, and the shape it promises. */
function replacement(g: Generator, r: Rand, slot: Carried, current: Operand): Operand {
  switch (slot.kind) {
    case 'int':
      return g.int(r).operand;
    case 'float':
      return g.float(r);
    case 'bool':
      return g.bool(r);
    case 'ref':
      return (slot.shape === 'any' ? g.ref(r) : g.ref(r, slot.shape))?.operand ?? current;
  }
}

function runSteps(g: Generator, steps: readonly Step[]): void {
  for (const [kind, seed] of steps) STEPS[kind]?.(g, new Rand(seed));
}

/** Loop-carried values for the next iteration: the counter plus one, then replacements. */
function nextValues(g: Generator, r: Rand, carried: readonly Carried[], current: readonly Operand[]): Operand[] {
  const counter = current[0] as Operand;
  const next = g.b.emit('int_add_ovf', [counter, g.b.int(1)], g.snap(r)) ?? counter;
  return [next, ...carried.slice(1).map((slot, i) => replacement(g, r, slot, current[i + 1] as Operand))];
}

function buildTrace(fake: FakeHeap, plan: Plan): GeneratedTrace {
  const b = new TraceBuilder(plan.form === 'bridge' ? 'bridge' : 'loop', 'Loop>>run');
  let g = new Generator(b, fake);
  const r = new Rand(plan.endSeed);
  const carried = defineInputs(g, plan);
  let current: Operand[] = carried.map((_, i) => i as Operand);
  if (plan.form === 'label') {
    runSteps(g, plan.preamble);
    current = b.label([
      current[0] as Operand,
      ...carried.slice(1).map((slot, i) => replacement(g, r, slot, current[i + 1] as Operand)),
    ]);
    g = afterLabel(g, carried, current);
  }
  if (plan.form === 'bridge') {
    runSteps(g, plan.body);
    endBridge(g, r);
  } else {
    const inRange = b.emit('int_lt', [current[0] as Operand, b.int(plan.iterations)]) as Operand;
    b.emit('guard_true', [inRange], g.takeSnapshot(r));
    runSteps(g, plan.body);
    b.emit('jump', nextValues(g, r, carried, current));
  }
  return new GeneratedTrace(b.finish(), plan.inputs, () => makeInputs(plan));
}

/** After the label: the preamble's values stay usable; the parameters replace the carried values. */
function afterLabel(g: Generator, carried: readonly Carried[], params: readonly Operand[]): Generator {
  const next = new Generator(g.b, g.fake);
  next.ints.push(...g.ints);
  next.floats.push(...g.floats);
  next.bools.push(...g.bools);
  next.refs.push(...g.refs);
  carried.forEach((slot, i) => {
    const param = params[i] as Operand;
    if (slot.kind === 'int') next.addInt(param, i === 0 ? 16 : MAX_SAFE);
    else if (slot.kind === 'ref') next.addRef(param, slot.shape);
    else next.add(slot.kind, param);
  });
  return next;
}

function endBridge(g: Generator, r: Rand): void {
  const values = [g.int(r).operand, g.float(r), g.ref(r)?.operand ?? g.b.nullRef()].slice(0, r.below(4));
  const op: IrOp = r.below(3) === 0 ? 'jump_trace' : 'finish';
  g.b.emit(op, op === 'jump_trace' ? [g.b.constants.ref(g.fake.otherTrace, 'trace7'), ...values] : values);
}

/**
 * The steps of the trace generator (arbitrary-trace.ts): what it knows about the values built so
 * far (`Generator`), and the steps that append a few instructions each, choosing operands so that
 * every trace is defined whatever its inputs: ints carry a bound on their magnitude (unchecked
 * arithmetic only when the bounds prove it safe), refs a shape (fields read only from objects
 * known to have them, stored only into objects that are not constants), array indexes are
 * constants below a known length or guarded by guard_in_bounds. Residual calls may carry a
 * snapshot (an exception exit), and one of them (risky) throws on some values, always through
 * its snapshot.
 */
import {
  FrameState,
  type SnapValue,
  VirtualArray,
  type VirtualObject,
  VirtualStruct,
  virtualRef,
} from '../../runtime/ir/snapshot.ts';
import type { TraceBuilder } from '../../runtime/ir/trace-builder.ts';
import { NO_SNAPSHOT, type Operand, type SnapshotId } from '../../runtime/ir/types.ts';
import type { FakeHeap } from './fake-heap.ts';

export const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** What a ref is known to be: which fields it has, or nothing (`any`). */
export type Shape = 'point' | 'double' | 'cell' | 'array' | 'any';
export class Rand {
  constructor(private state: number) {}

  /** An integer in [0, n). */
  below(n: number): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) % n) | 0;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }
}

// ---- what the generator knows about values ----

export interface IntValue {
  readonly operand: Operand;
  /** |value| <= bound. */
  readonly bound: number;
}

export interface RefValue {
  readonly operand: Operand;
  readonly shape: Shape;
  /** A constant length known for an array, else -1. */
  readonly length: number;
  /** May be stored into (not a constant). */
  readonly mutable: boolean;
}

/** A loop-carried value: an input or a label parameter, and what any value replacing it must be. */
export class Generator {
  readonly ints: IntValue[] = [];
  readonly floats: Operand[] = [];
  readonly bools: Operand[] = [];
  readonly refs: RefValue[] = [];
  snapshot: SnapshotId | null = null;

  constructor(
    readonly b: TraceBuilder,
    readonly fake: FakeHeap,
  ) {}

  int(r: Rand): IntValue {
    if (this.ints.length === 0 || r.below(5) === 0) {
      const value = r.pick([0, 1, -1, 2, 7, 1000, MAX_SAFE, -MAX_SAFE]);
      return { operand: this.b.int(value), bound: Math.abs(value) };
    }
    return r.pick(this.ints);
  }

  float(r: Rand): Operand {
    if (this.floats.length === 0 || r.below(5) === 0) return this.b.float(r.pick([0, -0, 1.5, NaN, -Infinity, 1e300]));
    return r.pick(this.floats);
  }

  bool(r: Rand): Operand {
    if (this.bools.length === 0 || r.below(6) === 0) return this.b.bool(r.below(2) === 0);
    return r.pick(this.bools);
  }

  ref(r: Rand, shape: Shape | null = null): RefValue | null {
    const fits = this.refs.filter((ref) => shape === null || ref.shape === shape);
    if (shape === null && (fits.length === 0 || r.below(6) === 0)) return this.constantRef(r);
    return fits.length === 0 ? null : r.pick(fits);
  }

  private constantRef(r: Rand): RefValue {
    const pool = this.b.constants;
    const choice = r.below(4);
    if (choice === 0) return { operand: pool.ref(this.fake.pi, 'pi'), shape: 'double', length: -1, mutable: false };
    const operand = [pool.nullRef(), pool.ref(5), pool.ref(true), pool.nullRef()][choice] ?? pool.nullRef();
    return { operand, shape: 'any', length: -1, mutable: false };
  }

  addInt(operand: Operand | null, bound: number): void {
    if (operand !== null) this.ints.push({ operand, bound: Math.min(bound, MAX_SAFE) });
  }

  addRef(operand: Operand | null, shape: Shape, length = -1): void {
    if (operand !== null) this.refs.push({ operand, shape, length, mutable: true });
  }

  add(kind: 'float' | 'bool', operand: Operand | null): void {
    if (operand !== null) (kind === 'float' ? this.floats : this.bools).push(operand);
  }

  /** The current snapshot, taking one first if there is none. */
  snap(r: Rand): SnapshotId {
    this.snapshot ??= this.takeSnapshot(r);
    return this.snapshot;
  }

  takeSnapshot(r: Rand): SnapshotId {
    const virtuals = this.virtuals(r);
    const frames = Array.from({ length: 1 + r.below(3) }, (_, depth) => {
      const method = depth === 0 ? this.fake.methods.run : this.fake.methods.step;
      return new FrameState(this.b.constants.ref(method, method.name), r.below(20), this.slots(r, virtuals.length));
    });
    this.snapshot = this.b.snapshot(frames, virtuals);
    return this.snapshot;
  }

  private slots(r: Rand, virtualCount: number): SnapValue[] {
    return Array.from({ length: r.below(5) }, () => this.snapValue(r, virtualCount));
  }

  private virtuals(r: Rand): VirtualObject[] {
    const virtuals: VirtualObject[] = [];
    const pool = this.b.constants;
    if (r.below(2) === 0) virtuals.push(new VirtualStruct(pool.descr(this.fake.Double), [this.float(r)]));
    if (r.below(3) === 0) {
      const x: SnapValue = virtuals.length > 0 && r.below(2) === 0 ? virtualRef(0) : (this.ref(r)?.operand ?? null);
      virtuals.push(new VirtualStruct(pool.descr(this.fake.Point), [x, pool.nullRef()]));
    }
    if (r.below(3) === 0) virtuals.push(new VirtualArray([this.ref(r)?.operand ?? null, null]));
    return virtuals;
  }

  private snapValue(r: Rand, virtualCount: number): SnapValue {
    switch (r.below(7)) {
      case 0:
        return null;
      case 1:
        return virtualCount > 0 ? virtualRef(r.below(virtualCount)) : null;
      case 2:
        return this.float(r);
      case 3:
        return this.bool(r);
      case 4:
        return this.ref(r)?.operand ?? null;
      default:
        return this.int(r).operand;
    }
  }
}

// ---- steps: each appends a few instructions, using and adding known values ----

const UNCHECKED = { int_add_ovf: 'int_add', int_sub_ovf: 'int_sub', int_mul_ovf: 'int_mul' } as const;

function intArith(g: Generator, r: Rand): void {
  const op = r.pick(['int_add_ovf', 'int_sub_ovf', 'int_mul_ovf'] as const);
  const [a, b] = [g.int(r), g.int(r)];
  const bound = op === 'int_mul_ovf' ? a.bound * b.bound : a.bound + b.bound;
  if (bound <= MAX_SAFE && r.below(2) === 0) g.addInt(g.b.emit(UNCHECKED[op], [a.operand, b.operand]), bound);
  else g.addInt(g.b.emit(op, [a.operand, b.operand], g.snap(r)), bound);
}

function intBits(g: Generator, r: Rand): void {
  const a = g.int(r);
  if (r.below(2) === 0) {
    const mask = r.below(256);
    g.addInt(g.b.emit('int_and', [a.operand, g.b.int(mask)]), mask);
  } else {
    g.addInt(g.b.emit(r.pick(['int_or', 'int_xor'] as const), [a.operand, g.int(r).operand]), 2 ** 31);
  }
}

function intDivide(g: Generator, r: Rand): void {
  const a = g.int(r);
  const divisor = (1 + r.below(7)) * (r.below(2) === 0 ? 1 : -1);
  const op = r.pick(['int_div', 'int_mod', 'int_rem'] as const);
  g.addInt(g.b.emit(op, [a.operand, g.b.int(divisor)]), op === 'int_div' ? a.bound : Math.abs(divisor));
  if (r.below(3) === 0) {
    const b = g.int(r);
    g.addInt(g.b.emit('int_neg', [b.operand]), b.bound);
  }
}

function compare(g: Generator, r: Rand): void {
  const choice = r.below(3);
  if (choice === 0) {
    const op = r.pick(['int_lt', 'int_le', 'int_gt', 'int_ge', 'int_eq', 'int_ne'] as const);
    g.add('bool', g.b.emit(op, [g.int(r).operand, g.int(r).operand]));
  } else if (choice === 1) {
    const op = r.pick(['float_lt', 'float_le', 'float_gt', 'float_ge', 'float_eq', 'float_ne'] as const);
    g.add('bool', g.b.emit(op, [g.float(r), g.float(r)]));
  } else {
    const [a, b] = [g.ref(r), g.ref(r)];
    const op = r.pick(['ref_eq', 'ref_ne', 'ref_is_null'] as const);
    if (a !== null && b !== null)
      g.add('bool', g.b.emit(op, op === 'ref_is_null' ? [a.operand] : [a.operand, b.operand]));
  }
}

function floatArith(g: Generator, r: Rand): void {
  const op = r.pick(['float_add', 'float_sub', 'float_mul', 'float_div', 'float_neg', 'float_sqrt'] as const);
  const unary = op === 'float_neg' || op === 'float_sqrt';
  g.add('float', g.b.emit(op, unary ? [g.float(r)] : [g.float(r), g.float(r)]));
}

function convert(g: Generator, r: Rand): void {
  switch (r.below(5)) {
    case 0:
      return g.add('float', g.b.emit('int_to_float', [g.int(r).operand]));
    case 1:
      return g.addInt(g.b.emit('float_to_int', [g.float(r)], g.snap(r)), MAX_SAFE);
    case 2:
      return g.addRef(g.b.emit('int_to_ref', [g.int(r).operand]), 'any');
    case 3:
      return g.addRef(g.b.emit('bool_to_ref', [g.bool(r)]), 'any');
    default:
      return g.add('bool', g.b.emit('bool_not', [g.bool(r)]));
  }
}

function guardBool(g: Generator, r: Rand): void {
  // A guard on a constant only ever passes or fails at once; guard a computed bool.
  if (g.bools.length === 0) g.add('bool', g.b.emit('int_le', [g.int(r).operand, g.int(r).operand]));
  const b = r.pick(g.bools);
  if (r.below(4) === 0) g.b.emit('guard_value', [b, g.b.bool(true)], g.snap(r));
  else g.b.emit(r.pick(['guard_true', 'guard_false'] as const), [b], g.snap(r));
}

function allocate(g: Generator, r: Rand): void {
  const { b, fake } = g;
  switch (r.below(3)) {
    case 0:
      return g.addRef(b.emit('new_struct', [b.constants.descr(fake.Double), g.float(r)]), 'double');
    case 1:
      return g.addRef(b.emit('new_struct', [b.constants.descr(fake.Cell), g.int(r).operand]), 'cell');
    default: {
      const [x, y] = [g.ref(r), g.ref(r)];
      if (x !== null && y !== null)
        g.addRef(b.emit('new_struct', [b.constants.descr(fake.Point), x.operand, y.operand]), 'point');
    }
  }
}

function load(g: Generator, r: Rand): void {
  const { b, fake } = g;
  const target = g.ref(r, r.pick(['point', 'double', 'cell'] as const));
  if (target === null) return;
  if (target.shape === 'double')
    g.add('float', b.emit('getfield', [target.operand, b.constants.descr(fake.DoubleValue)]));
  else if (target.shape === 'cell')
    g.addInt(b.emit('getfield', [target.operand, b.constants.descr(fake.CellValue)]), MAX_SAFE);
  else g.addRef(b.emit('getfield', [target.operand, b.constants.descr(r.pick([fake.PointX, fake.PointY]))]), 'any');
}

function store(g: Generator, r: Rand): void {
  const { b, fake } = g;
  const target = g.ref(r, r.pick(['point', 'cell'] as const));
  if (target === null || !target.mutable) return;
  if (target.shape === 'cell') {
    b.emit('setfield', [target.operand, b.constants.descr(fake.CellValue), g.int(r).operand]);
    return;
  }
  const value = g.ref(r);
  if (value !== null)
    b.emit('setfield', [target.operand, b.constants.descr(r.pick([fake.PointX, fake.PointY])), value.operand]);
}

function refGuard(g: Generator, r: Rand): void {
  const target = g.ref(r, 'any');
  if (target === null) return;
  const { b, fake } = g;
  const choice = r.below(5);
  if (choice === 0) b.emit(r.pick(['guard_nonnull', 'guard_isnull'] as const), [target.operand], g.snap(r));
  else if (choice === 1) g.addInt(b.emit('ref_to_int', [target.operand], g.snap(r)), MAX_SAFE);
  else if (choice === 2) g.add('bool', b.emit('ref_to_bool', [target.operand], g.snap(r)));
  else {
    const shape = r.pick(['point', 'double', 'cell'] as const);
    const cls = { point: fake.classes.Point, double: fake.classes.Double, cell: fake.classes.Cell }[shape];
    b.emit('guard_class', [target.operand, b.constants.ref(cls, `${cls.name}Class`)], g.snap(r));
    g.refs.push({ operand: target.operand, shape, length: -1, mutable: target.mutable });
  }
}

function arrayNew(g: Generator, r: Rand): void {
  if (r.below(2) === 0) {
    const length = r.below(4);
    g.addRef(g.b.emit('new_array', [g.b.int(length)]), 'array', length);
  } else {
    const length = g.b.emit('int_and', [g.int(r).operand, g.b.int(3)]);
    if (length !== null) g.addRef(g.b.emit('new_array', [length]), 'array');
  }
}

/** An index into `array` that is in bounds: a constant below its known length, or guarded. */
function arrayIndex(g: Generator, r: Rand, array: RefValue): Operand | null {
  if (array.length > 0 && r.below(2) === 0) return g.b.int(r.below(array.length));
  const index = g.b.emit('int_and', [g.int(r).operand, g.b.int(3)]);
  const length = g.b.emit('arraylen', [array.operand]);
  if (index === null || length === null) return null;
  g.addInt(length, 2 ** 32);
  g.b.emit('guard_in_bounds', [index, length], g.snap(r));
  return index;
}

function arrayAccess(g: Generator, r: Rand): void {
  const array = g.ref(r, 'array');
  if (array === null) return;
  const index = arrayIndex(g, r, array);
  if (index === null) return;
  const value = g.ref(r);
  if (r.below(2) === 0 && value !== null) g.b.emit('setarrayitem', [array.operand, index, value.operand]);
  else g.addRef(g.b.emit('getarrayitem', [array.operand, index]), 'any');
}

/**
 * Calls: elidable (max, sqrt) or residual (tick, poke, log, risky). A residual call gets a
 * snapshot, its exception exit, half the time; risky, which throws on some values, always.
 */
function calls(g: Generator, r: Rand): void {
  const { b, fake } = g;
  const call = (descr: typeof fake.max, args: Operand[]): Operand | null => {
    if (descr.elidable) return b.emit('call_pure', [b.constants.descr(descr), ...args]);
    const snapshot = descr === fake.risky || r.below(2) === 0 ? g.snap(r) : NO_SNAPSHOT;
    return b.emit('call', [b.constants.descr(descr), ...args], snapshot);
  };
  switch (r.below(7)) {
    case 0: {
      const [x, y] = [g.int(r), g.int(r)];
      return g.addInt(call(fake.max, [x.operand, y.operand]), Math.max(x.bound, y.bound));
    }
    case 1:
      return g.add('float', call(fake.sqrt, [g.float(r)]));
    case 2:
      return g.addInt(call(fake.tick, []), 2 ** 31);
    case 3: {
      const [target, value] = [g.ref(r, 'point'), g.ref(r)];
      if (target !== null && value !== null) call(fake.poke, [target.operand, value.operand]);
      return;
    }
    case 4:
    case 5:
      return g.addInt(call(fake.risky, [g.int(r).operand]), 999);
    default: {
      const value = g.ref(r);
      if (value !== null) call(fake.logCall, [value.operand]);
    }
  }
}

function newSnapshot(g: Generator, r: Rand): void {
  g.takeSnapshot(r);
}

export const STEPS: readonly ((g: Generator, r: Rand) => void)[] = [
  intArith,
  intBits,
  intDivide,
  compare,
  floatArith,
  convert,
  guardBool,
  allocate,
  load,
  store,
  refGuard,
  arrayNew,
  arrayAccess,
  calls,
  newSnapshot,
];

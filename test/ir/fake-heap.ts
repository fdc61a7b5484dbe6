/**
 * A small fake heap for trace-IR tests: a few struct types with their descriptors, fake
 * classes and a classOf, pure and residual functions to call, methods to name in snapshots, and
 * the label registry the parser needs. It stands in for the SOM object model, which the IR
 * never sees (runtime/ir/descriptors.ts).
 *
 * Shared by the IR tests, the arbitrary-trace generator and, later, the optimiser and backend
 * differential tests: a trace built against one FakeHeap prints, parses and runs against it.
 */
import { CallDescr, FieldDescr, type HeapModel, StructDescr } from '../../runtime/ir/descriptors.ts';

/** A class as guard_class sees it; only identity matters. */
export class FakeClass {
  constructor(readonly name: string) {}
}

/** A boxed double, like SOM's Double. */
export class FakeDouble {
  constructor(readonly value: number) {}
}

/** An object with two reference fields. */
export class FakePoint {
  constructor(
    public x: unknown,
    public y: unknown,
  ) {}
}

/** An object with one mutable int field. */
export class FakeCell {
  constructor(public value: number) {}
}

/** An activation: a struct holding an array of slots (allocation removal must see through both). */
export class FakeFrame {
  pc = 0;
  constructor(readonly slots: unknown) {}
}

/** What the residual `risky` throws (a SOM error or a non-local return in the VM). */
export class FakeError {
  constructor(readonly value: number) {}
}

/** A method, as snapshot frames name it. */
export class FakeMethod {
  constructor(readonly name: string) {}
}

export interface FakeHeap {
  readonly heap: HeapModel;
  /** Label -> value for every object constant a test trace may name. */
  readonly registry: Map<string, unknown>;
  /** What the residual `log` appended; `reset` empties it between runs. */
  readonly log: unknown[];
  reset(): void;
  readonly Double: StructDescr;
  readonly Point: StructDescr;
  readonly Cell: StructDescr;
  readonly Frame: StructDescr;
  readonly DoubleValue: FieldDescr;
  readonly PointX: FieldDescr;
  readonly PointY: FieldDescr;
  readonly CellValue: FieldDescr;
  /** Frame.slots: an immutable ref to the frame's array of slots. */
  readonly FrameSlots: FieldDescr;
  /** Like a SOM frame's pc: every side exit writes it from its snapshot. */
  readonly FramePc: FieldDescr;
  /** Pure: max(int, int) -> int. */
  readonly max: CallDescr;
  /** Pure: sqrt(float) -> float. */
  readonly sqrt: CallDescr;
  /** Residual: log(ref) appends to `log`, no result. */
  readonly logCall: CallDescr;
  /** Residual: tick() -> int, the length of `log` (so it depends on earlier calls). */
  readonly tick: CallDescr;
  /** Residual: poke(ref, ref) sets the x of a FakePoint (a store the optimiser cannot see). */
  readonly poke: CallDescr;
  /**
   * Residual: risky(int) -> int logs its argument, then throws a FakeError when the argument is 3
   * modulo 4, floored, so -1 too (`riskyThrows`); else answers it modulo 1000 (|result| < 1000).
   */
  readonly risky: CallDescr;
  readonly classes: Readonly<
    Record<'Double' | 'Point' | 'Cell' | 'Frame' | 'Integer' | 'Boolean' | 'Nil' | 'Array', FakeClass>
  >;
  readonly methods: Readonly<Record<'run' | 'step', FakeMethod>>;
  /** An immutable object constant (`#pi`), a FakeDouble. */
  readonly pi: FakeDouble;
  /** A jump_trace target (`#trace7`). */
  readonly otherTrace: object;
}

function makeClasses(): FakeHeap['classes'] {
  const names = ['Double', 'Point', 'Cell', 'Frame', 'Integer', 'Boolean', 'Nil', 'Array'] as const;
  return Object.fromEntries(names.map((name) => [name, new FakeClass(name)])) as FakeHeap['classes'];
}

function makeStructs(classes: FakeHeap['classes']) {
  const DoubleValue = new FieldDescr('Double.value', 'value', 'float', true);
  const PointX = new FieldDescr('Point.x', 'x', 'ref', false);
  const PointY = new FieldDescr('Point.y', 'y', 'ref', false);
  const CellValue = new FieldDescr('Cell.value', 'value', 'int', false);
  const FrameSlots = new FieldDescr('Frame.slots', 'slots', 'ref', true);
  const FramePc = new FieldDescr('Frame.pc', 'pc', 'int', false, true);
  return {
    DoubleValue,
    PointX,
    PointY,
    CellValue,
    FrameSlots,
    FramePc,
    Double: new StructDescr('Double', FakeDouble, [DoubleValue], classes.Double),
    Point: new StructDescr('Point', FakePoint, [PointX, PointY], classes.Point),
    Cell: new StructDescr('Cell', FakeCell, [CellValue], classes.Cell),
    Frame: new StructDescr('Frame', FakeFrame, [FrameSlots], classes.Frame),
  };
}

function makeCalls(log: unknown[]) {
  return {
    max: new CallDescr('max', (a: number, b: number) => Math.max(a, b), ['int', 'int'], 'int', true),
    sqrt: new CallDescr('sqrt', (a: number) => Math.sqrt(a), ['float'], 'float', true),
    logCall: new CallDescr('log', (value: unknown) => void log.push(value), ['ref'], null, false),
    tick: new CallDescr('tick', () => log.length, [], 'int', false),
    poke: new CallDescr(
      'poke',
      (target: unknown, value: unknown) => {
        if (target instanceof FakePoint) target.x = value;
      },
      ['ref', 'ref'],
      null,
      false,
    ),
    risky: new CallDescr(
      'risky',
      (value: number) => {
        log.push(value);
        if (riskyThrows(value)) throw new FakeError(value);
        return (value % 1000) + 0;
      },
      ['int'],
      'int',
      false,
    ),
  };
}

/** Whether `risky(value)` throws. */
export function riskyThrows(value: number): boolean {
  return ((value % 4) + 4) % 4 === 3;
}

/** The class of any value, as a VM's classOf would answer it. */
function classOfWith(classes: FakeHeap['classes'], structs: readonly StructDescr[]): (value: unknown) => unknown {
  const byConstructor = new Map<unknown, unknown>(structs.map((descr) => [descr.ctor, descr.cls]));
  return (value) => {
    if (value === null) return classes.Nil;
    if (typeof value === 'number') return classes.Integer;
    if (typeof value === 'boolean') return classes.Boolean;
    if (Array.isArray(value)) return classes.Array;
    return typeof value === 'object' ? byConstructor.get(value.constructor) : undefined;
  };
}

export function makeFakeHeap(): FakeHeap {
  const log: unknown[] = [];
  const classes = makeClasses();
  const structs = makeStructs(classes);
  const calls = makeCalls(log);
  const methods = { run: new FakeMethod('Loop>>run'), step: new FakeMethod('Loop>>step') };
  const pi = new FakeDouble(3.14);
  const otherTrace = { name: 'trace7' };
  const registry = new Map<string, unknown>([
    ...[structs.Double, structs.Point, structs.Cell, structs.Frame].map((d): [string, unknown] => [d.label, d]),
    ...[
      structs.DoubleValue,
      structs.PointX,
      structs.PointY,
      structs.CellValue,
      structs.FrameSlots,
      structs.FramePc,
    ].map((d): [string, unknown] => [d.label, d]),
    ...Object.values(calls).map((d): [string, unknown] => [d.label, d]),
    ...Object.values(classes).map((c): [string, unknown] => [`${c.name}Class`, c]),
    ...Object.values(methods).map((m): [string, unknown] => [m.name, m]),
    ['pi', pi],
    ['trace7', otherTrace],
  ]);
  const heap: HeapModel = {
    classOf: classOfWith(classes, [structs.Double, structs.Point, structs.Cell, structs.Frame]),
  };
  const reset = (): void => void (log.length = 0);
  return { heap, registry, log, reset, ...structs, ...calls, classes, methods, pi, otherTrace };
}

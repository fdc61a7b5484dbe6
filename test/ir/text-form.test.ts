/**
 * The IR text form: the printer writes what the brief specifies, the parser reads it back, and
 * `print(parse(s)) === s` holds for every operation in ops.ts (the list is derived from the
 * table, so an operation without syntax support fails here), for snapshots with several frames,
 * dead slots and virtual objects, for every kind of constant, for label/jump, and for generated
 * traces. Malformed text is an IrParseError naming line, column and what was expected.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DescrKind, IR_OPS, type IrOp, OPS, isEnd, isGuard } from '../../runtime/ir/ops.ts';
import { CallDescr, FieldDescr, StructDescr } from '../../runtime/ir/descriptors.ts';
import { IrParseError, parseTrace } from '../../runtime/ir/parser.ts';
import { printTrace } from '../../runtime/ir/printer.ts';
import { FrameState } from '../../runtime/ir/snapshot.ts';
import type { Trace } from '../../runtime/ir/trace.ts';
import { TraceBuilder } from '../../runtime/ir/trace-builder.ts';
import { type Operand, type ValueKind, NO_SNAPSHOT, VALUE_KINDS, isConstant } from '../../runtime/ir/types.ts';
import { verify } from '../../runtime/ir/verify.ts';
import { arbitraryTrace } from './arbitrary-trace.ts';
import { makeFakeHeap } from './fake-heap.ts';

const fake = makeFakeHeap();
const roundTrip = (text: string): string => printTrace(parseTrace(text, fake.registry));

describe('printer', () => {
  it('prints a trace built with the builder in the documented layout, snapshots before their first guard', () => {
    const b = new TraceBuilder('loop', 'Loop>>run');
    const [i0, r1] = [b.input('int'), b.input('ref')];
    const s0 = b.snapshot([new FrameState(b.constants.ref(fake.methods.run, 'Loop>>run'), 4, [r1, i0])]);
    const b2 = b.value('int_lt', [i0, b.int(1000)]);
    b.emit('guard_true', [b2], s0);
    const i3 = b.value('int_add_ovf', [i0, b.int(1)], s0);
    b.emit('jump', [i3, r1]);
    expect(printTrace(b.finish())).toBe(`trace loop Loop>>run
  in  i0 r1
  b2  int_lt       i0 #1000
  s0  snap [#Loop>>run @4 | r1 i0]
      guard_true   b2             ->s0
  i3  int_add_ovf  i0 #1          ->s0
      jump         i3 r1
`);
  });

  it('writes every kind of constant so that it reads back as the same kind and value', () => {
    const b = new TraceBuilder('bridge', 'constants');
    const pool = b.constants;
    const constants: [Operand, string][] = [
      [pool.int(-12), '#-12'],
      [pool.int(9007199254740991), '#9007199254740991'],
      [pool.float(1), '#1.0'],
      [pool.float(-0), '#-0.0'],
      [pool.float(1e21), '#1.0e+21'],
      [pool.float(1.5e-7), '#1.5e-7'],
      [pool.float(NaN), '#NaN'],
      [pool.float(-Infinity), '#-Infinity'],
      [pool.bool(false), '#false'],
      [pool.nullRef(), '#null'],
      [pool.ref(5), '#5:ref'],
      [pool.ref(true), '#true:ref'],
      [pool.ref(fake.methods.run, 'Loop>>run'), '#Loop>>run'],
      [pool.ref({}, "Integer>>+ it's"), "#'Integer>>+ it''s'"],
      [pool.ref({}, 'null'), "#'null'"],
      [pool.descr(fake.PointX), '#Point.x'],
    ];
    b.emit(
      'finish',
      constants.map(([operand]) => operand),
    );
    const trace = b.finish();
    const text = printTrace(trace);
    expect(text).toBe(`trace bridge constants\n  in\n      finish       ${constants.map(([, t]) => t).join(' ')}\n`);
    const registry = new Map([...fake.registry, ...trace.constants.labels()]);
    const parsed = parseTrace(text, registry);
    const values = (t: Trace): unknown[] => (t.ops[0]?.args ?? []).map((c) => isConstant(c) && t.constants.get(c));
    expect(values(parsed)).toEqual(values(trace));
    expect(printTrace(parsed)).toBe(text);
  });
});

/** Operands fitting each operand kind of `op` (read from ops.ts), in a trace with inputs i0 f1 b2 r3. */
function sampleArgs(b: TraceBuilder, op: IrOp): Operand[] {
  const pool = b.constants;
  const value = (kind: ValueKind): Operand => VALUE_KINDS.indexOf(kind) as Operand;
  const descriptors: Record<DescrKind, FieldDescr | StructDescr | CallDescr> = {
    field: fake.PointX,
    struct: fake.Point,
    call: fake.poke,
    elidable: fake.max,
  };
  let descr: FieldDescr | StructDescr | CallDescr = fake.PointX;
  const args: Operand[] = [];
  for (const kind of OPS[op].args) {
    switch (kind) {
      case '...any':
        args.push(value('int'), pool.ref(fake.pi, 'pi'), value('bool'));
        break;
      case '...descr':
        args.push(
          ...(descr instanceof StructDescr ? descr.fields.map((f) => f.kind) : (descr as CallDescr).args).map(value),
        );
        break;
      case 'descr':
        args.push(value((descr as FieldDescr).kind));
        break;
      case 'field':
      case 'struct':
      case 'call':
      case 'elidable':
        descr = descriptors[kind];
        args.push(pool.descr(descr));
        break;
      case 'any':
        args.push(value('float'));
        break;
      case 'const':
        args.push(pool.float(2.5));
        break;
      case 'class':
        args.push(pool.ref(fake.classes.Point, 'PointClass'));
        break;
      case 'target':
        args.push(pool.ref(fake.otherTrace, 'trace7'));
        break;
      default:
        args.push(value(kind));
    }
  }
  return args;
}

/** A trace around one instance of `op`: inputs, a snapshot, the op, and a jump unless it ends the trace. */
function traceWith(op: IrOp): Trace {
  const b = new TraceBuilder('loop', 'every op');
  const inputs = VALUE_KINDS.map((kind) => b.input(kind));
  const method = b.constants.ref(fake.methods.run, 'Loop>>run');
  const snapshot = isGuard(op) ? b.snapshot([new FrameState(method, 1, [inputs[0] ?? null, null])]) : NO_SNAPSHOT;
  // A jump goes back to the start: its operands must match the inputs.
  const instruction = b.append(op, op === 'jump' ? inputs : sampleArgs(b, op), snapshot);
  if (!isEnd(op)) b.emit('jump', instruction.params.length > 0 ? instruction.params : inputs);
  return b.finish();
}

describe('round trip over every operation in ops.ts', () => {
  it.each(IR_OPS)('%s', (op) => {
    const trace = traceWith(op);
    expect(verify(trace)).toEqual([]);
    const text = printTrace(trace);
    expect(text).toContain(` ${op} `);
    const parsed = parseTrace(text, fake.registry);
    expect(parsed.ops.map((instruction) => instruction.op)).toEqual(trace.ops.map((instruction) => instruction.op));
    // Constant ids depend on the order constants were met; compare what the operands stand for.
    const meanings = (t: Trace): unknown[][] =>
      t.ops.map((instruction) => instruction.args.map((a) => (isConstant(a) ? t.constants.get(a) : a)));
    expect(meanings(parsed)).toEqual(meanings(trace));
    expect(printTrace(parsed)).toBe(text);
  });
});

describe('round trip of hand-written text', () => {
  it('keeps the snapshot of a residual call (its exception exit), with or without a result', () => {
    const text = `trace bridge Loop>>run
  in  i0 r1
  s0  snap [#Loop>>run @4 | r1 i0] [#Loop>>step @2 | v0 i0] v0=new #Cell(i0)
  i2  call         #risky i0      ->s0
      call         #log r1        ->s0
  i3  call         #tick
      finish       i2 i3
`;
    expect(roundTrip(text)).toBe(text);
  });

  it('keeps snapshots with several frames, dead slots and virtual structs and arrays', () => {
    const text = `trace loop Loop>>run
  in  i0 r1 f2
  b3  int_lt       i0 #1000
  s0  snap [#Loop>>run @4 | r1 i0 _ #null v0] [#Loop>>step @12 | v1 _ #2.5 #true] [#Loop>>step @0 |] v0=new #Double(f2) v1=new #Point(v0 #7:ref) v2=new [v1 _ #pi]
      guard_true   b3             ->s0
  i4  int_add_ovf  i0 #1          ->s0
  s1  snap [#Loop>>run @9 | r1 i4 v0] v0=new [#null]
      guard_class  r1 #PointClass ->s1
  r5  getfield     r1 #Point.x
      setfield     r1 #Point.y r5
  i6  call_pure    #max i4 #-3
      call         #log r5
  i7 f8 r9 label        i6 f2 r1
  b10 float_lt     f8 #-0.0
      guard_false  b10            ->s1
      jump         i7 f8 r9
`;
    expect(roundTrip(text)).toBe(text);
  });

  it('renumbers values and snapshots in order of definition', () => {
    const text = `trace bridge Loop>>run
  in  i7 r3
  s5  snap [#Loop>>run @1 | i7]
  i9  int_add_ovf  i7 #1   ->s5   ; a comment
      finish i9 r3
`;
    expect(roundTrip(text)).toBe(`trace bridge Loop>>run
  in  i0 r1
  s0  snap [#Loop>>run @1 | i0]
  i2  int_add_ovf  i0 #1          ->s0
      finish       i2 r1
`);
  });

  it('holds for generated traces: print(parse(print(t))) === print(t), and they verify', () => {
    fc.assert(
      fc.property(arbitraryTrace(fake), (generated) => {
        const text = printTrace(generated.trace);
        expect(verify(generated.trace)).toEqual([]);
        expect(roundTrip(text)).toBe(text);
      }),
      { seed: 9, numRuns: 300 },
    );
  });
});

describe('parse errors name the line, the column and what was expected', () => {
  const header = 'trace loop Loop>>run\n  in  i0 r1\n';
  const cases: [string, string, number, number, string][] = [
    ['no header', '  in i0\n', 1, 3, "expected a trace header 'trace <kind> <name>', found 'in'"],
    ['an unknown trace kind', 'trace lop X\n', 1, 7, "expected a trace kind (loop, bridge, entry), found 'lop'"],
    ['an unknown operation', `${header}  i2  int_plus i0 #1\n`, 3, 7, "expected an operation, found 'int_plus'"],
    ['an undefined value', `${header}  i2  int_add i0 i5\n`, 3, 18, 'i5 is not defined'],
    ['a value named with the wrong kind', `${header}  i2  int_add i0 f1\n`, 3, 18, 'f1 is a ref: r1'],
    [
      'an operand of the wrong kind',
      `${header}  i2  int_add i0 r1\n`,
      3,
      18,
      'int_add: expected a value of kind int, found r1',
    ],
    [
      'a result named with the wrong kind',
      `${header}  f2  int_add i0 #1\n`,
      3,
      3,
      'int_add defines a value of kind int, named f2',
    ],
    [
      'a missing result name',
      `${header}      int_add i0 #1\n`,
      3,
      7,
      'int_add defines 1 value(s) (int), found no name before it',
    ],
    [
      'a guard without snapshot',
      `${header}      guard_nonnull r1\n`,
      3,
      23,
      'expected ->sN: guard_nonnull is a guard and carries a snapshot, found end of line',
    ],
    ['an undefined snapshot', `${header}      guard_nonnull r1 ->s4\n`, 3, 26, 'snapshot s4 is not defined'],
    [
      'a snapshot on an operation that cannot throw',
      `${header}  s0  snap [#Loop>>run @1 | i0]\n  i2  call_pure #max i0 i0 ->s0\n`,
      4,
      28,
      'call_pure carries no snapshot (only guards and operations that may throw do)',
    ],
    [
      'an unknown label',
      `${header}  r2  getfield r1 #Point.z\n`,
      3,
      19,
      'expected a known label, found #Point.z (not in the registry)',
    ],
    [
      'a float without a dot',
      `${header}  f2  float_add #1e5 #1.0\n`,
      3,
      17,
      "expected a constant (a number, true, false, null or a label), found '#1e5'",
    ],
    ['an unterminated quote', `${header}      call #'log r1\n`, 3, 13, 'expected a closing quote, found end of line'],
    [
      'a frame without its pc',
      `${header}  s0  snap [#Loop>>run | i0]\n`,
      3,
      24,
      "expected '@' before the pc, found '|'",
    ],
    [
      'a struct virtual of the wrong size',
      `${header}  s0  snap [#Loop>>run @1 | v0] v0=new #Point(r1)\n`,
      3,
      3,
      'Point has 2 fields, the virtual gives 1',
    ],
    ['an unclosed frame', `${header}  s0  snap [#Loop>>run @1 | i0\n`, 3, 31, "expected ']', found end of line"],
  ];

  it.each(cases)('%s', (_, text, line, column, detail) => {
    let error: unknown;
    try {
      parseTrace(text, fake.registry);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IrParseError);
    expect(error).toMatchObject({ line, column, detail });
  });
});

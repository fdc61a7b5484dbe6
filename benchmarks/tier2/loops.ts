/**
 * Typical loops as a recorder would trace them (an integer sum, a Double loop that boxes each
 * intermediate result, a loop that allocates a temporary object), compiled after `optimize`,
 * timed side by side with the same loop written in plain JavaScript. The aim (issue #9): the
 * trace within 1.5x of plain JavaScript. The unoptimised trace is timed too, to show what the
 * optimiser buys.
 *
 * Each run executes the whole loop once (`n` iterations, leaving through the loop guard); runs
 * alternate between the three versions after a warm-up, and the figures are the median and the
 * minimum of the repetitions, in CPU time of the process (user + system), which other processes
 * on a shared machine disturb less than wall time. The results of the versions are compared, so
 * a wrong trace cannot look fast.
 *
 * Expect the trace figures to differ between runs of this script, though hardly within one: on
 * Node 20, depending on when V8's concurrent (OSR) compilations finish against the feedback the
 * loop has gathered, a loop-carried number that a guard's exit path also reads is sometimes
 * kept tagged, and a loop whose values exceed int32 then allocates a HeapNumber per iteration
 * (3-5x slower; visible as scavenges with --trace-gc). Plain JS loops have no exit paths inside
 * the loop and are not affected. Compare several runs.
 */
import { parseTrace } from '../../runtime/ir/parser.ts';
import { optimize } from '../../runtime/opt/pipeline.ts';
import { compileTrace } from '../../runtime/tier2/backend.ts';
import { type CompiledTrace, leaveTrace } from '../../runtime/tier2/trace-code.ts';
import { FakeDouble, type FakeHeap, FakePoint } from '../../test/ir/fake-heap.ts';
import { median } from '../runner/statistics.ts';

interface Loop {
  readonly name: string;
  readonly trace: string;
  /** The trace's inputs for `n` iterations. */
  readonly inputs: (n: number) => unknown[];
  /** The loop's result, from the frames of the exit the trace leaves through. */
  readonly result: (slots: readonly unknown[]) => unknown;
  /** The same loop in plain JavaScript. */
  readonly plain: (n: number) => unknown;
}

const LOOPS: readonly Loop[] = [
  {
    name: 'integer sum',
    trace: `trace loop 'Loop>>sum @4'
  in  i0 i1 i2
  s0  snap [#Loop>>run @4 | i0 i1 i2]
  b3  int_lt       i0 i2
      guard_true   b3             ->s0
  i4  int_add_ovf  i1 i0          ->s0
  i5  int_add_ovf  i0 #1          ->s0
      jump         i5 i4 i2
`,
    inputs: (n) => [0, 0, n],
    result: (slots) => slots[1],
    plain: (n) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += i;
      return sum;
    },
  },
  {
    name: 'Double loop, boxed',
    trace: `trace loop 'Loop>>decay @7'
  in  i0 r1 i2
  s0  snap [#Loop>>run @7 | i0 r1 i2]
  b3  int_lt       i0 i2
      guard_true   b3             ->s0
      guard_class  r1 #DoubleClass ->s0
  f4  getfield     r1 #Double.value
  f5  float_mul    f4 #0.999999
  f6  float_add    f5 #1.0
  r7  new_struct   #Double f6
  i8  int_add_ovf  i0 #1          ->s0
      jump         i8 r7 i2
`,
    inputs: (n) => [0, new FakeDouble(0.5), n],
    result: (slots) => (slots[1] as FakeDouble).value,
    plain: (n) => {
      let x = 0.5;
      for (let i = 0; i < n; i++) x = x * 0.999999 + 1.0;
      return x;
    },
  },
  {
    name: 'temporary object',
    trace: `trace loop 'Loop>>pairs @9'
  in  i0 i1 i2
  s0  snap [#Loop>>run @9 | i0 i1 i2]
  b3  int_lt       i0 i2
      guard_true   b3             ->s0
  i4  int_add_ovf  i0 #1          ->s0
  r5  int_to_ref   i0
  r6  int_to_ref   i4
  r7  new_struct   #Point r5 r6
  r8  getfield     r7 #Point.x
  i9  ref_to_int   r8             ->s0
  r10 getfield     r7 #Point.y
  i11 ref_to_int   r10            ->s0
  i12 int_add_ovf  i9 i11         ->s0
  i13 int_add_ovf  i1 i12         ->s0
      jump         i4 i13 i2
`,
    inputs: (n) => [0, 0, n],
    result: (slots) => slots[1],
    plain: (n) => {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const p = new FakePoint(i, i + 1);
        sum += (p.x as number) + (p.y as number);
      }
      return sum;
    },
  },
];

export interface LoopTiming {
  readonly loop: string;
  readonly iterations: number;
  readonly repetitions: number;
  /** Median CPU milliseconds per run of the whole loop. */
  readonly traceMs: number;
  readonly unoptimisedTraceMs: number;
  readonly plainJsMs: number;
  /** Fastest run of each. */
  readonly minTraceMs: number;
  readonly minUnoptimisedTraceMs: number;
  readonly minPlainJsMs: number;
  /** traceMs / plainJsMs (medians): the aim is at most 1.5. */
  readonly traceOverPlain: number;
  readonly unoptimisedOverPlain: number;
  /** The same ratio of the fastest runs. */
  readonly minTraceOverPlain: number;
  /** Operations in the trace as recorded and after optimisation. */
  readonly opsBefore: number;
  readonly opsAfter: number;
}

/** Runs `compiled` to its exit and answers the loop's result. */
function runLoop(compiled: CompiledTrace, loop: Loop, n: number, out: unknown[]): unknown {
  const outcome = leaveTrace(compiled, compiled.code(loop.inputs(n), out), out);
  if (outcome.kind !== 'exit') throw new Error(`${loop.name}: the trace left through ${outcome.kind}`);
  return loop.result(outcome.frames[0]?.slots ?? []);
}

/** CPU milliseconds of `run`, and its result. */
function timed(run: () => unknown): [ms: number, result: unknown] {
  const start = process.cpuUsage();
  const result = run();
  const used = process.cpuUsage(start);
  return [(used.user + used.system) / 1000, result];
}

function timeLoop(fake: FakeHeap, loop: Loop, n: number, repetitions: number): LoopTiming {
  const recorded = parseTrace(loop.trace, fake.registry);
  const optimised = optimize(recorded);
  const versions = [compileTrace(optimised, fake.heap), compileTrace(recorded, fake.heap)].map((compiled) => {
    const out = new Array<unknown>(compiled.outSize);
    return (m: number): unknown => runLoop(compiled, loop, m, out);
  });
  const all = [...versions, loop.plain];
  for (let i = 0; i < 20; i++) for (const run of all) run(Math.min(n, 100_000));
  const times: number[][] = all.map(() => []);
  for (let r = 0; r < repetitions; r++) {
    const results = all.map((run, v) => {
      const [ms, result] = timed(() => run(n));
      times[v]?.push(ms);
      return result;
    });
    if (results.some((result) => !Object.is(result, results[2]))) {
      throw new Error(`${loop.name}: the versions disagree: ${results.map(String).join(', ')}`);
    }
  }
  const [traceMs, unoptimisedTraceMs, plainJsMs] = times.map((t) => median(t)) as [number, number, number];
  const [minTraceMs, minUnoptimisedTraceMs, minPlainJsMs] = times.map((t) => Math.min(...t)) as [
    number,
    number,
    number,
  ];
  return {
    loop: loop.name,
    iterations: n,
    repetitions,
    traceMs: round(traceMs),
    unoptimisedTraceMs: round(unoptimisedTraceMs),
    plainJsMs: round(plainJsMs),
    minTraceMs: round(minTraceMs),
    minUnoptimisedTraceMs: round(minUnoptimisedTraceMs),
    minPlainJsMs: round(minPlainJsMs),
    traceOverPlain: round(traceMs / plainJsMs),
    unoptimisedOverPlain: round(unoptimisedTraceMs / plainJsMs),
    minTraceOverPlain: round(minTraceMs / minPlainJsMs),
    opsBefore: recorded.ops.length,
    opsAfter: optimised.ops.length,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function measureLoops(fake: FakeHeap, n: number, repetitions: number): LoopTiming[] {
  return LOOPS.map((loop) => timeLoop(fake, loop, n, repetitions));
}

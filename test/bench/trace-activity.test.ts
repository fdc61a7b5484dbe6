/**
 * `npm run bench:traces` (benchmarks/tier2/trace-activity.ts): what it reads out of a jit log.
 * A log written by hand, so every figure is known: counts of traces, bridges and aborts, the
 * time spent making traces (each compilation's record + optimise + compile, aborted recordings,
 * recompiled roots), the JavaScript emitted, and the slow exits of the traces' reports.
 */
import { describe, expect, it } from 'vitest';
import { type Event, summarise } from '../../benchmarks/tier2/trace-activity.ts';

const at = { method: 'Main>>run', pc: 4 };

const LOG: Event[] = [
  { event: 'start', mode: 'tier2' },
  { event: 'trace-start', ...at },
  {
    event: 'trace-compile',
    trace: 0,
    ...at,
    opsRecorded: 40,
    opsOptimized: 30,
    recordMicros: 100,
    optimizeMicros: 200,
    compileMicros: 300,
    emittedBytes: 5000,
  },
  { event: 'bridge-start', ...at, levels: 1 },
  {
    event: 'bridge-compile',
    trace: 1,
    ...at,
    opsRecorded: 10,
    opsOptimized: 8,
    recordMicros: 10,
    optimizeMicros: 20,
    compileMicros: 30,
    emittedBytes: 1000,
  },
  { event: 'bridge-inline', trace: 1, into: 0, ...at, compileMicros: 400, emittedBytes: 6000 },
  { event: 'trace-start', ...at, pc: 9 },
  { event: 'trace-abort', ...at, pc: 9, reason: 'longer than 5 instructions', recordMicros: 50 },
  { event: 'trace-exits', trace: 0, ...at, entries: 7, exits: { 2: 3 }, resumedIn: { tier1: 2, interpreter: 5 } },
];

describe('bench:traces', () => {
  it('sums what making the traces cost and how often they left without a bridge', () => {
    const activity = summarise('Main', true, 10_000, LOG);
    expect(activity).toMatchObject({
      benchmark: 'Main',
      verified: true,
      traces: 1,
      bridges: 1,
      aborts: 1,
      inlined: 1,
      // 600 + 60 for the two compilations, 50 for the aborted recording, 400 for the recompile.
      jitUs: 1110,
      runUs: 10_000,
      emittedChars: 12_000,
      slowExits: 7,
      abortReasons: { 'longer than 5 instructions': 1 },
    });
  });
});

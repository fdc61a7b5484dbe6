/**
 * The Phases workload's oracle (benchmarks/som/Phases/Phases.som, issue #11 item 3): the
 * checksums its verifyResult: expects must be the ones an independent model computes
 * (phases-model.ts), for the schedule that Phases>>benchmark runs. The schedule and the
 * expected figures are read from the SOM source, so they are written down once, there.
 * Whether the VM computes the same in every mode is verification.test.ts's job (Phases is in
 * the runner's SUITE).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PHASE_MODELS } from './phases-model.ts';

const SOURCE = readFileSync(new URL('../../benchmarks/som/Phases/Phases.som', import.meta.url), 'utf8');

interface Step {
  readonly phase: string;
  readonly size: number;
}

/** The `results append: (XPhase size: N) run.` lines of Phases>>benchmark, in order. */
function schedule(source: string): Step[] {
  return [...source.matchAll(/results append: \((\w+) size: (\d+)\) run\./g)].map((m) => ({
    phase: m[1]!,
    size: Number(m[2]),
  }));
}

/** The literal array of Phases>>expectedResults. */
function expectedResults(source: string): number[] {
  const match = /expectedResults = \(\s*\^\s*#\(([\d\s]*)\)\s*\)/.exec(source);
  if (match === null) throw new Error('Phases.som has no expectedResults literal array');
  return match[1]!.trim().split(/\s+/).map(Number);
}

function model(step: Step): number {
  const phase = PHASE_MODELS[step.phase];
  if (phase === undefined) throw new Error(`no model of ${step.phase}`);
  return phase(step.size);
}

describe('the Phases workload', () => {
  it('runs every phase twice, large and then small', () => {
    const steps = schedule(SOURCE);
    expect(steps).toHaveLength(18);
    expect(new Set(steps.map((s) => s.phase))).toEqual(new Set(Object.keys(PHASE_MODELS)));
  });

  it('expects the checksums the independent model computes', () => {
    expect(expectedResults(SOURCE)).toEqual(schedule(SOURCE).map(model));
  });

  // Worked by hand: the first SomRandom value is (74755 * 1309 + 13849) mod 65536 = 22896,
  // so a one-word text phase of size 1 draws 22896 mod 3 = 0 (one syllable), then the
  // second, (22896 * 1309 + 13849) mod 65536 = 34761, mod 8 = 1 (syllable 2, 'lo'): vowels 1,
  // letters 2, one distinct word of code 2, counted once.
  it('agrees with checksums worked out by hand', () => {
    const fold = (checksum: number, value: number) => (checksum * 31 + value) % 1_000_003;
    expect(PHASE_MODELS['TextPhase']!(1)).toBe(fold(fold(fold(1, 2), 1), fold(0, 2 * 1)));
    // squares: 1 mod 1009 = 1; the walk: x = 75 + 74 = 149, then 75 * 149 + 74 = 11249
    expect(PHASE_MODELS['MachinePhase']!(1)).toBe(fold(1, 11249));
  });
});

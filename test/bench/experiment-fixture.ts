/**
 * A small hand-written experiment results file for the experiment's tests: Bounce in interp,
 * tier2 and multi, two processes each, 12 iterations whose times (in ms) are chosen so that
 * every figure can be worked out by hand:
 *
 *   interp  process 1: 400, then 300 × 11   process 2: 500, then 300 × 11
 *   tier2   process 1: 1000, then 100 × 11  process 2: 1200, then 100 × 11
 *   multi   process 1: 500, then 110 × 11   process 2: 600, then 106 × 11
 *
 * The tests state the figures these give (combined series, first-10 totals, ratios per round
 * and their intervals) as numbers computed by hand, not by the code under test.
 */
import type { Config } from '../../benchmarks/experiment/configs.ts';
import { EXPERIMENT_SCHEMA, type ExperimentResults, type ExperimentRun } from '../../benchmarks/experiment/results.ts';
import type { Mode } from '../../runtime/modes.ts';

export const FIXTURE_CONFIGS: Config[] = (['interp', 'tier2', 'multi'] as const).map((mode) => ({
  name: mode,
  mode,
  vmOptions: [],
}));

function run(config: Mode, invocation: number, firstMs: number, thenMs: number): ExperimentRun {
  return {
    benchmark: 'Bounce',
    config,
    mode: config,
    vmOptions: [],
    invocation,
    outer: 12,
    inner: 1,
    exitCode: 0,
    verified: true,
    iterationsUs: [firstMs, ...new Array<number>(11).fill(thenMs)].map((ms) => ms * 1000),
    failure: null,
  };
}

export const FIXTURE_RUNS: ExperimentRun[] = [
  run('interp', 1, 400, 300),
  run('tier2', 1, 1000, 100),
  run('multi', 1, 500, 110),
  run('interp', 2, 500, 300),
  run('tier2', 2, 1200, 100),
  run('multi', 2, 600, 106),
];

export function fixtureResults(runs: ExperimentRun[] = FIXTURE_RUNS): ExperimentResults {
  return {
    schema: EXPERIMENT_SCHEMA,
    startedAt: '2026-12-01T10:00:00.000Z',
    finishedAt: '2026-12-01T10:30:00.000Z',
    host: { node: 'v20.0.0', platform: 'linux', arch: 'x64', cpu: 'Test CPU', cpus: 2, memoryBytes: 4 * 1024 ** 3 },
    git: { commit: 'abc1234', dirty: false, changedPaths: [] },
    command: ['node', 'benchmarks/experiment/run.mjs', '--benchmarks', 'Bounce'],
    settings: {
      benchmarks: ['Bounce'],
      invocations: 2,
      iterations: 12,
      inner: 1,
      quick: false,
      timeoutSeconds: 60,
      vmOptions: [],
      sweeps: [],
    },
    configs: FIXTURE_CONFIGS,
    runs,
    analysis: null,
  };
}

/**
 * The README's experiment table (benchmarks/experiment/readme-table.ts), rendered from the
 * hand-written results of experiment-fixture.ts: every cell below was worked out by hand from
 * the fixture's iteration times (see the comments), and the table must come from the file's
 * runs alone. Also: the table goes between its own markers and leaves the runner's alone.
 */
import { describe, expect, it } from 'vitest';
import { EXPERIMENT_MARKERS, renderExperimentTable } from '../../benchmarks/experiment/readme-table.ts';
import { replaceMarkedTable, TABLE_BEGIN, TABLE_END } from '../../benchmarks/runner/readme-table.ts';
import { analyse } from '../../benchmarks/experiment/analysis.ts';
import { targetVerdict, tierTable } from '../../benchmarks/experiment/tables.ts';
import { FIXTURE_CONFIGS, FIXTURE_RUNS, fixtureResults } from './experiment-fixture.ts';

const SOURCE = 'benchmarks/results/warmup.json';

// Combined by the median: interp first (400 + 500) / 2 = 450; multi first 550; tier2 first 10:
// 1100 + 9 · 100 = 2000; multi first 10: 550 + 9 · 108 = 1522; steady states 100 and 108.
// Per round: first iteration 500/400 = 1.25 and 600/500 = 1.2, geometric mean √1.5 = 1.2247,
// 95% interval × exp(∓12.706 · |ln 1.25 − ln 1.2| / 2) = [0.945, 1.587]. Warm-up: 1490/1900 and
// 1554/2100, mean 0.76178, interval [0.5269, 1.1014], so the gain is +23.8% [−10.1, +47.3].
// Peak: 1.10 and 1.06, mean 1.07981, interval [0.8534, 1.3663]: a loss of +8.0% [−14.7, +36.6].
const ROW =
  '| Bounce (1 × 12) | 450 | 550 | 1.22× [0.94, 1.59] | 2000 | 1522 | +23.8% [−10.1, +47.3] | 100 | 108 | +8.0% [−14.7, +36.6] |';
const MEAN = '| geometric mean |  |  | 1.22× [0.94, 1.59] |  |  | +23.8% [−10.1, +47.3] |  |  | +8.0% [−14.7, +36.6] |';

describe('the README experiment table', () => {
  const table = renderExperimentTable(fixtureResults(), SOURCE);

  it('names the file, the machine, the commit and the command', () => {
    expect(table).toContain(
      `From [\`${SOURCE}\`](${SOURCE}), measured 2026-12-01 10:00 UTC to 2026-12-01 10:30 UTC on Test CPU (2 CPUs, 4.0 GiB), ` +
        'linux/x64, Node v20.0.0, at commit abc1234, by `node benchmarks/experiment/run.mjs --benchmarks Bounce`.',
    );
    expect(table).toContain('2 processes per benchmark and configuration');
  });

  it('holds the figures worked out by hand, and the targets they miss by the estimate only', () => {
    const lines = table.split('\n');
    expect(lines).toContain(ROW);
    expect(lines).toContain(MEAN);
    expect(lines).toContain(
      '- warm-up gain of multi over tier2 (geometric mean) at least 30%: +23.8% [−10.1, +47.3], ' +
        'missed by the estimate, not established (the interval reaches +47.3%)',
    );
    expect(lines).toContain(
      '- peak loss at most 2%: +8.0% [−14.7, +36.6], missed by the estimate, not established (the interval reaches −14.7%)',
    );
    expect(lines).toContain(
      '- first iteration never slower than interp: missed by the estimate only on Bounce (its interval reaches 1× or below)',
    );
    expect(table).not.toContain('Failed to verify');
  });

  it('calls a target met or missed only when the whole interval says so', () => {
    const change = (estimate: number, low: number | null, high: number | null) => ({ estimate, low, high, samples: 2 });
    // at least 30%:
    expect(targetVerdict(change(0.4, 0.32, 0.5), 0.3, true)).toBe('met');
    expect(targetVerdict(change(0.1, -0.05, 0.2), 0.3, true)).toBe('missed');
    expect(targetVerdict(change(0.35, 0.1, 0.6), 0.3, true)).toBe(
      'met by the estimate, not established (the interval reaches +10.0%)',
    );
    // at most 2%:
    expect(targetVerdict(change(-0.05, -0.1, 0.01), 0.02, false)).toBe('met');
    expect(targetVerdict(change(0.1, 0.05, 0.2), 0.02, false)).toBe('missed');
    expect(targetVerdict(change(-0.003, -0.174, 0.203), 0.02, false)).toBe(
      'met by the estimate, not established (the interval reaches +20.3%)',
    );
    expect(targetVerdict(change(0.01, null, null), 0.02, false)).toBe('met (one round: no interval)');
    expect(targetVerdict(null, 0.02, false)).toBe('not measured');
  });

  it('tells a first iteration slower beyond doubt from one slower by the estimate', () => {
    // multi's first iterations 1000 and 1100 ms against interp's 400 and 500: ratios 2.5 and
    // 2.2, an interval well above 1 (exp(±12.706 · 0.0639) = ×2.25 at most: [1.04, 5.28]).
    const slow = FIXTURE_RUNS.map((r) =>
      r.config === 'multi' ? { ...r, iterationsUs: r.iterationsUs.map((us, i) => (i === 0 ? us + 500_000 : us)) } : r,
    );
    expect(renderExperimentTable(fixtureResults(slow), SOURCE)).toContain(
      '- first iteration never slower than interp: missed on Bounce',
    );
    // 350 and 450 ms: ratios 0.875 and 0.9, both below 1, but an interval [0.74, 1.06] above it.
    const fast = FIXTURE_RUNS.map((r) =>
      r.config === 'multi' ? { ...r, iterationsUs: r.iterationsUs.map((us, i) => (i === 0 ? us - 150_000 : us)) } : r,
    );
    expect(renderExperimentTable(fixtureResults(fast), SOURCE)).toContain(
      '- first iteration never slower than interp: met by the estimate, not established on Bounce (its interval reaches above 1×)',
    );
  });

  it('says where tier 1 stands between interp and tier 2 at the steady state', () => {
    // Without tier1 runs, nothing.
    expect(renderExperimentTable(fixtureResults(), SOURCE)).not.toContain('tier-1 code runs');
    // tier1 settles at 150 ms (after 600 and 700): interp's 300 ÷ 150 = 2.00, 150 ÷ tier2's 100 = 1.50.
    const tier1 = FIXTURE_RUNS.filter((r) => r.config === 'interp').map((r) => ({
      ...r,
      config: 'tier1',
      mode: 'tier1' as const,
      iterationsUs: [r.invocation === 1 ? 600_000 : 700_000, ...new Array<number>(11).fill(150_000)],
    }));
    const configs = [...FIXTURE_CONFIGS, { name: 'tier1', mode: 'tier1' as const, vmOptions: [] }];
    const results = { ...fixtureResults([...FIXTURE_RUNS, ...tier1]), configs };
    expect(renderExperimentTable(results, SOURCE)).toContain(
      'At the steady state (processes combined by the median, geometric mean over 1 benchmark), ' +
        'tier-1 code runs 2.00× as fast as the interpreter and tier-2 traces 1.50× as fast as tier-1 code.',
    );
    expect(tierTable(analyse(results.runs, configs)).split('\n')).toContain(
      '| Bounce | 300 | 150 | 100 | 2.00× | 1.50× |',
    );
  });

  it('lists failed runs and leaves their round out', () => {
    const runs = FIXTURE_RUNS.map((r) => (r.config === 'tier2' && r.invocation === 2 ? { ...r, verified: false } : r));
    const rendered = renderExperimentTable(fixtureResults(runs), SOURCE);
    expect(rendered).toContain('Failed to verify, left out: Bounce in tier2 (invocation 2).');
    // only round 1 is left for warm-up: 1490 / 1900 = 0.7842, a gain of 21.6% without an interval
    expect(rendered).toContain('| +21.6% |');
  });

  it('adds the sweep table when there are variants of multi', () => {
    const variant = {
      name: 'multi[tier2Threshold=50]',
      mode: 'multi' as const,
      vmOptions: ['--tier2-threshold', '50'],
    };
    const results = fixtureResults([
      ...FIXTURE_RUNS,
      ...FIXTURE_RUNS.filter((r) => r.config === 'multi').map((r) => ({
        ...r,
        config: variant.name,
        vmOptions: variant.vmOptions,
      })),
    ]);
    const rendered = renderExperimentTable({ ...results, configs: [...FIXTURE_CONFIGS, variant] }, SOURCE);
    expect(rendered.split('\n')).toContain(
      '| multi[tier2Threshold=50] | `--tier2-threshold 50` | +23.8% [−10.1, +47.3] | +8.0% [−14.7, +36.6] | 1.22× [0.94, 1.59] | Bounce |',
    );
  });

  it('goes between its own markers and leaves the benchmark table alone', () => {
    const readme = [
      '# SOM',
      TABLE_BEGIN,
      'benchmark table',
      TABLE_END,
      EXPERIMENT_MARKERS.begin,
      'old experiment table',
      EXPERIMENT_MARKERS.end,
      'tail',
    ].join('\n');
    const updated = replaceMarkedTable(readme, table, EXPERIMENT_MARKERS);
    expect(updated).toContain(`${TABLE_BEGIN}\nbenchmark table\n${TABLE_END}`);
    expect(updated).toContain(`${EXPERIMENT_MARKERS.begin}\n\n${table}\n\n${EXPERIMENT_MARKERS.end}\ntail`);
    expect(updated).not.toContain('old experiment table');
    expect(() => replaceMarkedTable('# SOM without markers', table, EXPERIMENT_MARKERS)).toThrow(
      /experiment-table:begin/,
    );
  });
});

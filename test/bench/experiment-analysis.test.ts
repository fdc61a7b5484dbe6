/**
 * The warm-up experiment's analysis (benchmarks/experiment/analysis.ts and confidence.ts):
 * first-N totals, ratios per round of processes, warm-up gain and peak loss, geometric means
 * and their 95% t-intervals, on series whose figures are worked out by hand
 * (experiment-fixture.ts).
 */
import { describe, expect, it } from 'vitest';
import { analyse, asGain, asLoss, firstTotal, meanRatio } from '../../benchmarks/experiment/analysis.ts';
import { ratioInterval, tQuantile975 } from '../../benchmarks/experiment/confidence.ts';
import { FIXTURE_CONFIGS, FIXTURE_RUNS } from './experiment-fixture.ts';

/** The 95% interval of two log-ratios by hand: t(0.975, 1) = 12.706, sd = |a - b| / √2, half = t · sd / √2. */
function byHand(r1: number, r2: number): { estimate: number; low: number; high: number } {
  const estimate = Math.sqrt(r1 * r2);
  const half = (12.706 * Math.abs(Math.log(r1) - Math.log(r2))) / 2;
  return { estimate, low: estimate * Math.exp(-half), high: estimate * Math.exp(half) };
}

describe('confidence intervals of ratios', () => {
  it('takes t quantiles from the table and beyond it from the expansion', () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(2)).toBe(4.303);
    expect(tQuantile975(40)).toBeCloseTo(2.021, 3);
    expect(tQuantile975(120)).toBeCloseTo(1.98, 3);
    expect(() => tQuantile975(0)).toThrow(RangeError);
  });

  it('averages ratios geometrically with a t-interval on the log scale', () => {
    const e = ratioInterval([2, 8]);
    expect(e.estimate).toBeCloseTo(4, 12);
    // logs ln 2 and ln 8: sd = √2 ln 2, half-width = 12.706 · √2 ln 2 / √2 = 12.706 ln 2
    expect(e.low).toBeCloseTo(4 / 2 ** 12.706, 9);
    expect(e.high! / (4 * 2 ** 12.706)).toBeCloseTo(1, 9);
    expect(e.samples).toBe(2);
  });

  it('gives no interval for one sample and a point for equal samples', () => {
    expect(ratioInterval([3])).toEqual({ estimate: 3, low: null, high: null, samples: 1 });
    const same = ratioInterval([1.5, 1.5, 1.5]);
    expect([same.estimate, same.low, same.high].map((v) => v!.toFixed(12))).toEqual(Array(3).fill('1.500000000000'));
    expect(() => ratioInterval([])).toThrow(RangeError);
    expect(() => ratioInterval([1, 0])).toThrow(RangeError);
  });

  it('turns ratios into gains and losses, swapping the bounds of a gain', () => {
    const gain = asGain({ estimate: 0.8, low: 0.7, high: 0.9, samples: 3 });
    expect([gain.estimate, gain.low, gain.high].map((v) => v!.toFixed(6))).toEqual([
      '0.200000',
      '0.100000',
      '0.300000',
    ]);
    const loss = asLoss({ estimate: 1.05, low: 1.01, high: 1.1, samples: 3 });
    expect([loss.estimate, loss.low, loss.high].map((v) => v!.toFixed(6))).toEqual([
      '0.050000',
      '0.010000',
      '0.100000',
    ]);
  });
});

describe('first-N totals', () => {
  it('sums the first N iterations, or all of a shorter series with the count it had', () => {
    expect(firstTotal([5, 4, 3, 2, 1], 3)).toEqual({ n: 3, count: 3, totalUs: 12 });
    expect(firstTotal([5, 4], 10)).toEqual({ n: 10, count: 2, totalUs: 9 });
  });
});

describe('the geometric mean over benchmarks', () => {
  it('is taken per round, over the rounds every benchmark has', () => {
    // round 1: √(2 · 8) = 4; round 2: √(8 · 2) = 4; round 3 only in the first benchmark
    const mean = meanRatio([
      new Map([
        [1, 2],
        [2, 8],
        [3, 1],
      ]),
      new Map([
        [1, 8],
        [2, 2],
      ]),
    ]);
    expect(mean?.estimate).toBeCloseTo(4, 12);
    expect(mean?.samples).toBe(2);
    expect(mean?.low).toBeCloseTo(4, 9); // both rounds give 4: no spread
    expect(mean?.high).toBeCloseTo(4, 9);
    expect(meanRatio([new Map(), new Map()])).toBeNull();
  });
});

describe('analyse', () => {
  const analysis = analyse(FIXTURE_RUNS, FIXTURE_CONFIGS);

  it('computes the figures of each configuration from the processes combined by the median', () => {
    const multi = analysis.figures.find((f) => f.config === 'multi')!;
    // combined: (500 + 600) / 2 = 550, then (110 + 106) / 2 = 108; first 10 = 550 + 9 · 108 = 1522
    expect(multi.firstTotals).toEqual([
      { n: 1, count: 1, totalUs: 550_000 },
      { n: 5, count: 5, totalUs: 982_000 },
      { n: 10, count: 10, totalUs: 1_522_000 },
      { n: 50, count: 12, totalUs: 1_738_000 },
    ]);
    expect(multi.steadyUs).toBe(108_000);
    expect(multi.steadyFromIteration).toBe(2);
    expect(multi.processes).toBe(2);
  });

  it('compares multi with tier2 and interp per round of processes', () => {
    const c = analysis.comparisons.find((x) => x.candidate === 'multi' && x.benchmark === 'Bounce')!;
    // warm-up: 1490 / 1900 and 1554 / 2100; peak: 110 / 100 and 106 / 100; first: 500 / 400 and 600 / 500
    const warmup = byHand(1490 / 1900, 1554 / 2100);
    expect(c.warmup!.estimate).toBeCloseTo(warmup.estimate, 12);
    expect(c.warmup!.low).toBeCloseTo(warmup.low, 9);
    expect(c.warmup!.high).toBeCloseTo(warmup.high, 9);
    expect(c.peak!.estimate).toBeCloseTo(Math.sqrt(1.1 * 1.06), 12);
    expect(c.firstVsInterp!.estimate).toBeCloseTo(Math.sqrt(1.25 * 1.2), 12);
    expect(analysis.means).toHaveLength(1);
    expect(analysis.means[0]!.warmup!.estimate).toBeCloseTo(warmup.estimate, 12);
  });

  it('leaves out processes that did not verify, and their rounds', () => {
    const failed = FIXTURE_RUNS.map((r) =>
      r.config === 'tier2' && r.invocation === 2 ? { ...r, verified: false, iterationsUs: [] } : r,
    );
    const c = analyse(failed, FIXTURE_CONFIGS).comparisons[0]!;
    expect(c.warmup).toEqual({ estimate: 1490 / 1900, low: null, high: null, samples: 1 });
    expect(c.firstVsInterp!.samples).toBe(2);
  });
});

/**
 * The experiment's plots, as SVG: per benchmark the warm-up curves of every configuration
 * (the runner's chart: time per iteration, log scale, processes combined by the median), and
 * one summary chart: each candidate's warm-up gain and peak loss per benchmark and as a
 * geometric mean, bars with their 95% intervals as error bars.
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg, renderWarmupSvg } from '../runner/plots.ts';
import { combineInvocations } from '../runner/statistics.ts';
import { asGain, asLoss, type Analysis } from './analysis.ts';
import type { RatioEstimate } from './confidence.ts';
import type { Config } from './configs.ts';
import type { ExperimentRun } from './results.ts';

/** The warm-up chart of one benchmark: one curve per configuration with a verified process. */
export function renderBenchmarkPlot(
  benchmark: string,
  runs: readonly ExperimentRun[],
  configs: readonly Config[],
): Promise<string> {
  const curves = configs.flatMap((c) => {
    const series = runs.filter((r) => r.verified && r.benchmark === benchmark && r.config === c.name);
    return series.length === 0
      ? []
      : [{ mode: c.name, combinedUs: combineInvocations(series.map((r) => r.iterationsUs)) }];
  });
  return renderWarmupSvg(benchmark, curves);
}

interface Bar {
  readonly candidate: string;
  readonly benchmark: string;
  readonly measure: string;
  readonly percent: number;
  readonly low: number | null;
  readonly high: number | null;
}

function bar(candidate: string, benchmark: string, measure: string, change: RatioEstimate): Bar {
  const pct = (v: number | null) => (v === null ? null : v * 100);
  return {
    candidate,
    benchmark,
    measure,
    percent: change.estimate * 100,
    low: pct(change.low),
    high: pct(change.high),
  };
}

/** The two measures of the summary chart, in the order their bars stand. */
function measureNames(analysis: Analysis): readonly [gain: string, loss: string] {
  return [`warm-up gain (first ${analysis.warmupIterations}; higher is better)`, 'peak loss (lower is better)'];
}

/** Warm-up gain and peak loss of every candidate, per benchmark and geometric mean, in percent. */
export function summaryBars(analysis: Analysis): Bar[] {
  const [gain, loss] = measureNames(analysis);
  const bars = (candidate: string, benchmark: string, warmup: RatioEstimate | null, peak: RatioEstimate | null) => [
    ...(warmup === null ? [] : [bar(candidate, benchmark, gain, asGain(warmup))]),
    ...(peak === null ? [] : [bar(candidate, benchmark, loss, asLoss(peak))]),
  ];
  return [
    ...analysis.comparisons.flatMap((c) => bars(c.candidate, c.benchmark, c.warmup, c.peak)),
    ...analysis.means.flatMap((m) => bars(m.candidate, 'geometric mean', m.warmup, m.peak)),
  ];
}

function summarySpec(bars: readonly Bar[], measures: readonly string[]): TopLevelSpec {
  const x = { field: 'benchmark', type: 'nominal', sort: null, title: null } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Candidates against tier2: warm-up gain and peak loss (95% intervals)',
    data: { values: [...bars] },
    facet: { row: { field: 'candidate', type: 'nominal', title: null } },
    spec: {
      width: 640,
      height: 220,
      encoding: {
        x,
        xOffset: { field: 'measure', sort: [...measures] },
        color: {
          field: 'measure',
          type: 'nominal',
          title: null,
          scale: { domain: [...measures] },
          legend: { labelLimit: 400, orient: 'bottom' },
        },
      },
      layer: [
        { mark: 'bar', encoding: { y: { field: 'percent', type: 'quantitative', title: 'percent' } } },
        {
          mark: { type: 'rule', color: 'black' },
          encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } },
        },
      ],
    },
  };
}

export function renderSummaryPlot(analysis: Analysis): Promise<string> {
  return renderSvg(summarySpec(summaryBars(analysis), measureNames(analysis)));
}

/**
 * The tables that report.md and the README's experiment table share, so that a figure is
 * computed and rounded the same way in both: the comparison of a candidate with tier2 per
 * benchmark (warm-up gain, peak loss, first iteration against interp, with 95% intervals)
 * and its geometric-mean row, the sweep table (one row per candidate), and the lines saying
 * which of issue #11's targets were met. Every figure comes from an Analysis (analysis.ts).
 */
import { formatMs, markdownTable } from '../runner/tables.ts';
import {
  TARGETS,
  asGain,
  asLoss,
  type Analysis,
  type Comparison,
  type ConfigFigures,
  type FirstTotal,
} from './analysis.ts';
import type { RatioEstimate } from './confidence.ts';
import { BASELINE, FIRST_ITERATION_REFERENCE, type Config } from './configs.ts';

export function findFigures(analysis: Analysis, benchmark: string, config: string): ConfigFigures | undefined {
  return analysis.figures.find((f) => f.benchmark === benchmark && f.config === config);
}

/** Bounds beyond this many percent are shown as `>+999` or `<−999`: with two or three processes an interval can be that wide. */
const PERCENT_SHOWN = 999;

/** A signed percentage with its interval: `+23.4% [+10.1, +35.2]`; '—' if missing. */
export function formatChange(change: RatioEstimate | null): string {
  if (change === null) return '—';
  const pct = (v: number) => {
    const sign = v >= 0 ? '+' : '−';
    return Math.abs(v * 100) > PERCENT_SHOWN
      ? `${v >= 0 ? '>' : '<'}${sign}${PERCENT_SHOWN}`
      : `${sign}${Math.abs(v * 100).toFixed(1)}`;
  };
  const interval = change.low === null || change.high === null ? '' : ` [${pct(change.low)}, ${pct(change.high)}]`;
  return `${pct(change.estimate)}%${interval}`;
}

/** A ratio with its interval: `0.85× [0.80, 0.91]`; '—' if missing. */
export function formatRatioInterval(ratio: RatioEstimate | null): string {
  if (ratio === null) return '—';
  const interval =
    ratio.low === null || ratio.high === null ? '' : ` [${ratio.low.toFixed(2)}, ${ratio.high.toFixed(2)}]`;
  return `${ratio.estimate.toFixed(2)}×${interval}`;
}

/** A first-N total in ms, marked when the series had fewer than N iterations. */
export function formatFirstTotal(total: FirstTotal | undefined): string {
  if (total === undefined) return '—';
  return `${formatMs(total.totalUs)}${total.count < total.n ? ` (${total.count} it.)` : ''}`;
}

const gainOf = (r: RatioEstimate | null) => (r === null ? null : asGain(r));
const lossOf = (r: RatioEstimate | null) => (r === null ? null : asLoss(r));

/** The benchmarks of the analysis, in the order they were run. */
export function benchmarksOf(analysis: Analysis): string[] {
  return [...new Set(analysis.figures.map((f) => f.benchmark))];
}

/** One row per benchmark and a geometric-mean row: the candidate against tier2 and interp. */
export function comparisonTable(analysis: Analysis, candidate: string): string {
  const n = analysis.warmupIterations;
  const head = [
    'benchmark (inner × iterations)',
    `${FIRST_ITERATION_REFERENCE} first (ms)`,
    `${candidate} first (ms)`,
    `${candidate} ÷ ${FIRST_ITERATION_REFERENCE}, first`,
    `${BASELINE} first ${n} (ms)`,
    `${candidate} first ${n} (ms)`,
    `warm-up gain (first ${n})`,
    `${BASELINE} steady (ms)`,
    `${candidate} steady (ms)`,
    'peak loss (steady)',
  ];
  const rows = benchmarksOf(analysis).map((b) => comparisonRow(analysis, b, candidate));
  const mean = analysis.means.find((m) => m.candidate === candidate);
  if (mean !== undefined) {
    const [first, gain, loss] = [
      formatRatioInterval(mean.firstVsInterp),
      formatChange(gainOf(mean.warmup)),
      formatChange(lossOf(mean.peak)),
    ];
    rows.push(['geometric mean', '', '', first, '', '', gain, '', '', loss]);
  }
  return markdownTable(head, rows);
}

function comparisonRow(analysis: Analysis, benchmark: string, candidate: string): string[] {
  const c: Comparison | undefined = analysis.comparisons.find(
    (x) => x.benchmark === benchmark && x.candidate === candidate,
  );
  const fig = (config: string) => findFigures(analysis, benchmark, config);
  const firstN = (config: string) =>
    formatFirstTotal(fig(config)?.firstTotals.find((t) => t.n === analysis.warmupIterations));
  const first = (config: string) => formatMs(fig(config)?.firstTotals.find((t) => t.n === 1)?.totalUs ?? null);
  const steady = (config: string) => formatMs(fig(config)?.steadyUs ?? null);
  const any = fig(candidate) ?? fig(BASELINE);
  const label = any === undefined ? benchmark : `${benchmark} (${any.inner} × ${any.iterations})`;
  return [
    label,
    first(FIRST_ITERATION_REFERENCE),
    first(candidate),
    formatRatioInterval(c?.firstVsInterp ?? null),
    firstN(BASELINE),
    firstN(candidate),
    formatChange(gainOf(c?.warmup ?? null)),
    steady(BASELINE),
    steady(candidate),
    formatChange(lossOf(c?.peak ?? null)),
  ];
}

/** One row per candidate (multi and the sweep's variants): their geometric means. */
export function sweepTable(analysis: Analysis, candidates: readonly Config[]): string {
  const n = analysis.warmupIterations;
  const head = [
    'candidate',
    'VM options',
    `warm-up gain (first ${n})`,
    'peak loss (steady)',
    `÷ ${FIRST_ITERATION_REFERENCE}, first`,
    `first iteration slower than ${FIRST_ITERATION_REFERENCE}`,
  ];
  const rows = candidates.map((c) => {
    const mean = analysis.means.find((m) => m.candidate === c.name);
    return [
      c.name,
      c.vmOptions.length === 0 ? '(defaults)' : `\`${c.vmOptions.join(' ')}\``,
      formatChange(gainOf(mean?.warmup ?? null)),
      formatChange(lossOf(mean?.peak ?? null)),
      formatRatioInterval(mean?.firstVsInterp ?? null),
      slowerFirstIterations(analysis, c.name).join(', ') || 'none',
    ];
  });
  return markdownTable(head, rows);
}

/** The benchmarks on which the candidate's first iteration took longer than interp's. */
export function slowerFirstIterations(analysis: Analysis, candidate: string): string[] {
  return analysis.comparisons
    .filter(
      (c) => c.candidate === candidate && c.firstVsInterp !== null && c.firstVsInterp.estimate > TARGETS.firstVsInterp,
    )
    .map((c) => c.benchmark);
}

/** Issue #11's targets for one candidate, each with what was measured: reported, not asserted. */
export function targetLines(analysis: Analysis, candidate: string): string[] {
  const mean = analysis.means.find((m) => m.candidate === candidate);
  const gain = gainOf(mean?.warmup ?? null);
  const loss = lossOf(mean?.peak ?? null);
  const slower = slowerFirstIterations(analysis, candidate);
  const verdict = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : 'missed');
  return [
    `- warm-up gain of ${candidate} over ${BASELINE} (geometric mean) at least ${TARGETS.warmupGain * 100}%: ` +
      `${formatChange(gain)}, ${verdict(gain === null ? null : gain.estimate >= TARGETS.warmupGain)}`,
    `- peak loss at most ${TARGETS.peakLoss * 100}%: ${formatChange(loss)}, ${verdict(loss === null ? null : loss.estimate <= TARGETS.peakLoss)}`,
    `- first iteration never slower than ${FIRST_ITERATION_REFERENCE}: ` +
      (slower.length > 0
        ? `missed on ${slower.join(', ')}`
        : verdict((mean?.firstVsInterp ?? null) === null ? null : true)),
  ];
}

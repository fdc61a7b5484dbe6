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

/** A signed percentage, without the `%`: `+23.4`, `−1.0`, `>+999`. */
function formatPercent(v: number): string {
  const sign = v >= 0 ? '+' : '−';
  return Math.abs(v * 100) > PERCENT_SHOWN
    ? `${v >= 0 ? '>' : '<'}${sign}${PERCENT_SHOWN}`
    : `${sign}${Math.abs(v * 100).toFixed(1)}`;
}

/** A signed percentage with its interval: `+23.4% [+10.1, +35.2]`; '—' if missing. */
export function formatChange(change: RatioEstimate | null): string {
  if (change === null) return '—';
  const interval =
    change.low === null || change.high === null ? '' : ` [${formatPercent(change.low)}, ${formatPercent(change.high)}]`;
  return `${formatPercent(change.estimate)}%${interval}`;
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

/**
 * Whether `change` meets a target of at least (`atLeast`) or at most `target`, judged on its
 * 95% interval, not on the estimate alone: `met` when the whole interval is on the target's
 * side, `missed` when none of it is, and otherwise what the estimate says with the bound that
 * keeps the run from establishing it (with two or three processes on a noisy machine that is
 * common, and a reader must not take a lucky estimate for a result).
 */
export function targetVerdict(change: RatioEstimate | null, target: number, atLeast: boolean): string {
  if (change === null) return 'not measured';
  const meets = (v: number) => (atLeast ? v >= target : v <= target);
  const byEstimate = meets(change.estimate) ? 'met' : 'missed';
  if (change.low === null || change.high === null) return `${byEstimate} (one round: no interval)`;
  const worst = atLeast ? change.low : change.high;
  const best = atLeast ? change.high : change.low;
  if (meets(worst)) return 'met';
  if (!meets(best)) return 'missed';
  const bound = byEstimate === 'met' ? worst : best;
  return `${byEstimate} by the estimate, not established (the interval reaches ${formatPercent(bound)}%)`;
}

/** Issue #11's targets for one candidate, each with what was measured: reported, not asserted. */
export function targetLines(analysis: Analysis, candidate: string): string[] {
  const mean = analysis.means.find((m) => m.candidate === candidate);
  const gain = gainOf(mean?.warmup ?? null);
  const loss = lossOf(mean?.peak ?? null);
  return [
    `- warm-up gain of ${candidate} over ${BASELINE} (geometric mean) at least ${TARGETS.warmupGain * 100}%: ` +
      `${formatChange(gain)}, ${targetVerdict(gain, TARGETS.warmupGain, true)}`,
    `- peak loss at most ${TARGETS.peakLoss * 100}%: ${formatChange(loss)}, ${targetVerdict(loss, TARGETS.peakLoss, false)}`,
    `- first iteration never slower than ${FIRST_ITERATION_REFERENCE}: ${firstIterationVerdict(analysis, candidate)}`,
  ];
}

/**
 * The first-iteration target, judged as `targetVerdict` judges the others: the benchmarks whose
 * first iteration was slower than interp's, those whose whole interval is above 1× (or that
 * have no interval) apart from those slower by the estimate only.
 */
function firstIterationVerdict(analysis: Analysis, candidate: string): string {
  const ratios = analysis.comparisons.filter((c) => c.candidate === candidate && c.firstVsInterp !== null);
  if (ratios.length === 0) return 'not measured';
  const slower = slowerFirstIterations(analysis, candidate);
  if (slower.length === 0) {
    const unsure = ratios.filter((c) => (c.firstVsInterp!.high ?? 0) > TARGETS.firstVsInterp).map((c) => c.benchmark);
    if (unsure.length === 0) return 'met';
    const theirs = unsure.length === 1 ? 'its interval reaches' : 'their intervals reach';
    return `met by the estimate, not established on ${unsure.join(', ')} (${theirs} above 1×)`;
  }
  const clearly = new Set(
    ratios
      .filter((c) => (c.firstVsInterp!.low ?? c.firstVsInterp!.estimate) > TARGETS.firstVsInterp)
      .map((c) => c.benchmark),
  );
  const beyondDoubt = slower.filter((b) => clearly.has(b));
  const byEstimate = slower.filter((b) => !clearly.has(b));
  const parts: string[] = [];
  if (beyondDoubt.length > 0) parts.push(`missed on ${beyondDoubt.join(', ')}`);
  if (byEstimate.length > 0) {
    parts.push(
      `${beyondDoubt.length > 0 ? 'and' : 'missed'} by the estimate only on ${byEstimate.join(', ')} ` +
        `(${byEstimate.length === 1 ? 'its interval reaches' : 'their intervals reach'} 1× or below)`,
    );
  }
  return parts.join(' ');
}

/** Per benchmark with a steady state in interp, tier1 and tier2: interp ÷ tier1 and tier1 ÷ tier2. */
function tierSpeedups(analysis: Analysis): { benchmark: string; steady: number[]; tier1: number; tier2: number }[] {
  return benchmarksOf(analysis).flatMap((b) => {
    const steady = TIERS.map((mode) => findFigures(analysis, b, mode)?.steadyUs ?? null);
    if (steady.some((us) => us === null || !(us > 0))) return [];
    const [interp, tier1, tier2] = steady as [number, number, number];
    return [{ benchmark: b, steady: [interp, tier1, tier2], tier1: interp / tier1, tier2: tier1 / tier2 }];
  });
}

/** The modes whose steady states say how much room `multi` has: tier 1 between interp and tier 2. */
const TIERS = ['interp', 'tier1', 'tier2'] as const;

const geometricMean = (values: readonly number[]) =>
  Math.exp(values.reduce((a, v) => a + Math.log(v), 0) / values.length);

/**
 * Where tier 1 stands between interp and tier 2 at the steady state, per benchmark and as a
 * geometric mean (the processes combined by the median, no intervals): `multi` runs tier-1
 * code until traces exist, so this bounds what it can win before them. '' without the three modes.
 */
export function tierTable(analysis: Analysis): string {
  const rows = tierSpeedups(analysis);
  if (rows.length === 0) return '';
  const head = [
    'benchmark',
    ...TIERS.map((m) => `${m} steady (ms)`),
    'tier1 speed-up over interp',
    'tier2 speed-up over tier1',
  ];
  const body = rows.map((r) => [
    r.benchmark,
    ...r.steady.map(formatMs),
    `${r.tier1.toFixed(2)}×`,
    `${r.tier2.toFixed(2)}×`,
  ]);
  const mean = [
    'geometric mean',
    '',
    '',
    '',
    `${geometricMean(rows.map((r) => r.tier1)).toFixed(2)}×`,
    `${geometricMean(rows.map((r) => r.tier2)).toFixed(2)}×`,
  ];
  return markdownTable(head, [...body, mean]);
}

/** `tierTable`'s geometric means in a sentence, for the README; '' without the three modes. */
export function tierLine(analysis: Analysis): string {
  const rows = tierSpeedups(analysis);
  if (rows.length === 0) return '';
  const tier1 = geometricMean(rows.map((r) => r.tier1)).toFixed(2);
  const tier2 = geometricMean(rows.map((r) => r.tier2)).toFixed(2);
  return (
    `At the steady state (processes combined by the median, geometric mean over ${rows.length} benchmark${rows.length === 1 ? '' : 's'}), ` +
    `tier-1 code runs ${tier1}× as fast as the interpreter and tier-2 traces ${tier2}× as fast as tier-1 code.`
  );
}

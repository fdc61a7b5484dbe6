/**
 * What report.md and the README table share: looking up a benchmark's series in one mode,
 * the steady-state ratio columns (each mode against native, each JIT mode's speed-up over
 * interp), their geometric means, and the number formats and markdown table syntax. Both
 * tables use these, so a ratio or a rounding rule means the same in both.
 */
import { NATIVE, type RunnerMode } from './modes.ts';
import type { ModeSeries } from './results.ts';
import { geometricMean } from './statistics.ts';

export const INTERP = 'interp';

export interface RatioColumn {
  readonly title: string;
  readonly of: (series: readonly ModeSeries[], benchmark: string) => number | null;
}

/** "m ÷ native" for every non-native mode; "interp ÷ m" (speed-up) for the other VM modes. */
export function ratioColumns(modes: readonly RunnerMode[]): RatioColumn[] {
  const columns: RatioColumn[] = [];
  const vmModes = modes.filter((m) => m !== NATIVE);
  if (modes.includes(NATIVE)) {
    for (const m of vmModes) columns.push({ title: `${m} ÷ native`, of: (s, b) => steadyRatio(s, b, m, NATIVE) });
  }
  if (modes.includes(INTERP)) {
    for (const m of vmModes.filter((v) => v !== INTERP)) {
      columns.push({ title: `speed-up of ${m} over interp`, of: (s, b) => steadyRatio(s, b, INTERP, m) });
    }
  }
  return columns;
}

/** Steady state of `num` divided by that of `den`; null if either is missing. */
export function steadyRatio(
  series: readonly ModeSeries[],
  benchmark: string,
  num: RunnerMode,
  den: RunnerMode,
): number | null {
  const a = findSeries(series, benchmark, num)?.summary.steadyUs;
  const b = findSeries(series, benchmark, den)?.summary.steadyUs;
  return a === undefined || b === undefined || b === 0 ? null : a / b;
}

/** The benchmarks that have at least one verified series, in the order they were run. */
export function benchmarkNames(series: readonly ModeSeries[]): string[] {
  return [...new Set(series.map((s) => s.benchmark))];
}

export function findSeries(series: readonly ModeSeries[], benchmark: string, mode: RunnerMode): ModeSeries | undefined {
  return series.find((s) => s.benchmark === benchmark && s.mode === mode);
}

/** The geometric mean of the values present; null if none is. */
export function geometricMeanOrNull(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : geometricMean(present);
}

/** Microseconds as milliseconds with three significant digits (at least), '—' if missing. */
export function formatMs(us: number | null): string {
  if (us === null) return '—';
  const ms = us / 1000;
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

export function formatRatio(value: number | null): string {
  if (value === null) return '—';
  return value < 10 ? `${value.toFixed(2)}×` : `${value.toFixed(1)}×`;
}

export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

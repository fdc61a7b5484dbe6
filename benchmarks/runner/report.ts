/**
 * The markdown report (report.md in the output directory). It starts with the steady-state
 * comparison of all modes and their ratios (to native, and the speed-up over interp), then
 * has one section per mode with the warm-up figures of statistics.ts, then the failed runs
 * and the warm-up plots. benchmarks/README.md explains how to read it.
 */
import { NATIVE, type RunnerMode } from './modes.ts';
import { describeCommit, formatGiB, shellLine } from './provenance.ts';
import type { Provenance } from './readme-table.ts';
import type { ModeSeries, ResultsFile } from './results.ts';
import { FIRST_N, STEADY_TOLERANCE, WARMUP_WINDOW } from './statistics.ts';
import {
  benchmarkNames,
  findSeries,
  formatMs,
  formatRatio,
  geometricMeanOrNull,
  markdownTable,
  ratioColumns,
  steadyRatio,
} from './tables.ts';

export interface PlotLink {
  readonly benchmark: string;
  /** Path of the SVG relative to the report. */
  readonly path: string;
}

export function renderReport(results: ResultsFile, series: readonly ModeSeries[], plots: readonly PlotLink[]): string {
  const sections = [
    header(results),
    comparison(results.modes, series),
    ...results.modes.map((mode) => modeSection(mode, series)),
    failures(results),
    notes(results),
    plotSection(plots),
  ];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}

/** The report's lines on when, where and how a results file was measured. */
export function provenanceLines(results: Provenance): string[] {
  const h = results.host;
  return [
    `Started ${results.startedAt}, finished ${results.finishedAt ?? '(unfinished)'}.`,
    `Host: ${h.cpu} (${h.cpus} CPUs, ${formatGiB(h.memoryBytes)}), ${h.platform}/${h.arch}, node ${h.node}.`,
    `Commit: ${describeCommit(results.git)}. Command: \`${shellLine(results.command)}\`.`,
  ];
}

function header(results: ResultsFile): string {
  const s = results.settings;
  return [
    '# Benchmark report',
    '',
    ...provenanceLines(results),
    `Modes: ${results.modes.join(', ')}. Invocations per benchmark and mode: ${s.invocations}` +
      `${s.quick ? ' (quick run: smallest verifiable sizes, not meant for timing)' : ''}.`,
    '',
    'Times are milliseconds per outer iteration. Steady state is the median of the last half of the',
    `iterations; warm-up ends at the first iteration that is within ${STEADY_TOLERANCE * 100}% of it and starts`,
    `${WARMUP_WINDOW} iterations whose median is within ${STEADY_TOLERANCE * 100}% too. See benchmarks/README.md.`,
  ].join('\n');
}

/** Steady-state times of every mode side by side, with ratio columns and geometric means. */
function comparison(modes: readonly RunnerMode[], series: readonly ModeSeries[]): string {
  const benchmarks = benchmarkNames(series);
  if (benchmarks.length === 0) return '## Steady state\n\nNo verified runs.';
  const ratios = ratioColumns(modes);
  const head = ['benchmark', ...modes.map((m) => `${m} (ms)`), ...ratios.map((r) => r.title)];
  const rows = benchmarks.map((b) => [
    b,
    ...modes.map((m) => formatMs(findSeries(series, b, m)?.summary.steadyUs ?? null)),
    ...ratios.map((r) => formatRatio(r.of(series, b))),
  ]);
  const means = ratios.map((r) => formatRatio(geometricMeanOrNull(benchmarks.map((b) => r.of(series, b)))));
  rows.push(['geometric mean', ...modes.map(() => ''), ...means]);
  return ['## Steady state', '', markdownTable(head, rows)].join('\n');
}

function modeSection(mode: RunnerMode, series: readonly ModeSeries[]): string {
  const ofMode = series.filter((s) => s.mode === mode);
  if (ofMode.length === 0) return `## Mode ${mode}\n\nNo verified runs.`;
  const head = [
    'benchmark',
    'inner',
    'iterations',
    'invocations',
    'first (ms)',
    `first ${FIRST_N} total (ms)`,
    'steady from iteration',
    'warm-up (ms)',
    'steady state (ms)',
    '÷ native',
  ];
  const rows = ofMode.map((s) => [
    s.benchmark,
    String(s.inner),
    String(s.summary.iterations),
    String(s.invocations),
    formatMs(s.summary.firstUs),
    `${formatMs(s.summary.firstNTotalUs)}${s.summary.firstNCount < FIRST_N ? ` (${s.summary.firstNCount} it.)` : ''}`,
    s.summary.steadyFromIteration === null ? 'never' : String(s.summary.steadyFromIteration),
    formatMs(s.summary.warmupUs),
    formatMs(s.summary.steadyUs),
    mode === NATIVE ? '' : formatRatio(steadyRatio(series, s.benchmark, mode, NATIVE)),
  ]);
  return [`## Mode ${mode}`, '', markdownTable(head, rows)].join('\n');
}

function failures(results: ResultsFile): string {
  return failureSection(results.runs.filter((r) => !r.verified).map((r) => ({ ...r, label: r.mode })));
}

/** A run that did not verify, as the failures section shows it; `label` is its mode (or configuration). */
export interface FailedRun {
  readonly benchmark: string;
  readonly label: string;
  readonly invocation: number;
  readonly inner: number;
  readonly failure: string | null;
}

/** The report's failures section: each failed run with its last output lines. */
export function failureSection(failed: readonly FailedRun[]): string {
  if (failed.length === 0) return '## Failures\n\nNone: every run verified its result.';
  const entries = failed.map(
    (r) =>
      `### ${r.benchmark}, ${r.label}, invocation ${r.invocation} (inner ${r.inner})\n\n\`\`\`\n${r.failure ?? ''}\n\`\`\``,
  );
  return ['## Failures', '', ...entries].join('\n\n');
}

function notes(results: ResultsFile): string {
  if (results.notes.length === 0) return '';
  return ['## Not run', '', ...results.notes.map((n) => `- ${n}`)].join('\n');
}

function plotSection(plots: readonly PlotLink[]): string {
  if (plots.length === 0) return '';
  return ['## Warm-up plots', '', ...plots.map((p) => `![${p.benchmark}](${p.path})`)].join('\n\n');
}

/**
 * The experiment's markdown report (report.md in the output directory): where and how it
 * was measured, each candidate against tier2 (tables.ts) with issue #11's targets, the
 * sweep table when there are several candidates, where tier 1 stands between interp and tier 2
 * at the steady state, the warm-up figures of every configuration per benchmark (first 1, 5,
 * 10 and 50 iterations, steady state and where it starts), the failed runs, and the plots.
 * benchmarks/README.md, "The warm-up experiment", explains how to read it.
 */
import { failureSection, provenanceLines } from '../runner/report.ts';
import { STEADY_TOLERANCE, WARMUP_WINDOW } from '../runner/statistics.ts';
import { formatMs, markdownTable } from '../runner/tables.ts';
import { FIRST_NS, type Analysis } from './analysis.ts';
import { BASELINE, candidates } from './configs.ts';
import type { ExperimentResults } from './results.ts';
import {
  benchmarksOf,
  comparisonTable,
  findFigures,
  formatFirstTotal,
  sweepTable,
  targetLines,
  tierTable,
} from './tables.ts';

export interface PlotLink {
  readonly title: string;
  /** Path of the SVG relative to the report. */
  readonly path: string;
}

export function renderExperimentReport(
  results: ExperimentResults,
  analysis: Analysis,
  plots: readonly PlotLink[],
): string {
  const sections = [
    header(results),
    method(analysis),
    ...candidates(results.configs).map((c) =>
      [
        `## ${c.name} against ${BASELINE}`,
        '',
        comparisonTable(analysis, c.name),
        '',
        ...targetLines(analysis, c.name),
      ].join('\n'),
    ),
    candidates(results.configs).length > 1 ? `## Sweep\n\n${sweepTable(analysis, candidates(results.configs))}` : '',
    tierSection(analysis),
    warmupSection(results, analysis),
    failures(results),
    plots.length === 0 ? '' : ['## Plots', ...plots.map((p) => `![${p.title}](${p.path})`)].join('\n\n'),
  ];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}

function header(results: ExperimentResults): string {
  const s = results.settings;
  const configs = results.configs.map((c) =>
    c.vmOptions.length === 0 ? c.name : `${c.name} (\`${c.vmOptions.join(' ')}\`)`,
  );
  return [
    '# Warm-up experiment',
    '',
    ...provenanceLines(results),
    `Configurations: ${configs.join(', ')}. Processes per benchmark and configuration: ${s.invocations}` +
      `${s.quick ? ' (quick run: smallest verifiable sizes, a check of the pipeline rather than a measurement)' : ''}.`,
  ].join('\n');
}

function method(analysis: Analysis): string {
  const n = analysis.warmupIterations;
  return [
    '## Method',
    '',
    `Times are milliseconds. Warm-up gain is 1 − (candidate ÷ ${BASELINE}) on the total of the first ${n} iterations;`,
    `peak loss is (candidate ÷ ${BASELINE}) − 1 on the steady state (the median of the last half of the iterations);`,
    'the first-iteration column divides by interp. Each ratio is taken per round of processes (the processes with the',
    'same invocation number) and averaged geometrically over the rounds; brackets hold its 95% t-interval on the log',
    'scale. The geometric mean over benchmarks is taken per round, then over the rounds. The time columns come from',
    'the processes combined iteration by iteration with the median. The steady state starts at the first iteration',
    `within ${STEADY_TOLERANCE * 100}% of it that starts ${WARMUP_WINDOW} iterations whose median is within ${STEADY_TOLERANCE * 100}% too.`,
  ].join('\n');
}

function tierSection(analysis: Analysis): string {
  const table = tierTable(analysis);
  if (table === '') return '';
  return [
    '## The tiers at their steady state',
    '',
    'How far tier-1 code is from the interpreter and from traces once each has settled (the processes combined by the',
    'median; no intervals). `multi` runs tier-1 code until its traces exist, so this is the room it has before them.',
    '',
    table,
  ].join('\n');
}

function warmupSection(results: ExperimentResults, analysis: Analysis): string {
  const head = [
    'configuration',
    ...FIRST_NS.map((n) => `first ${n} (ms)`),
    'steady state (ms)',
    'steady from iteration',
  ];
  const tables = benchmarksOf(analysis).map((b) => {
    const rows = results.configs.flatMap((c) => {
      const f = findFigures(analysis, b, c.name);
      if (f === undefined) return [[c.name, ...FIRST_NS.map(() => '—'), '—', 'no verified run']];
      const settles = f.steadyFromIteration === null ? 'never' : String(f.steadyFromIteration);
      return [[c.name, ...f.firstTotals.map(formatFirstTotal), formatMs(f.steadyUs), settles]];
    });
    const any = analysis.figures.find((f) => f.benchmark === b);
    const size =
      any === undefined
        ? ''
        : ` (inner ${any.inner}, ${any.iterations} iterations, ${any.processes} process${any.processes === 1 ? '' : 'es'})`;
    return `### ${b}${size}\n\n${markdownTable(head, rows)}`;
  });
  return ['## Warm-up per configuration', ...tables].join('\n\n');
}

function failures(results: ExperimentResults): string {
  return failureSection(results.runs.filter((r) => !r.verified).map((r) => ({ ...r, label: r.config })));
}

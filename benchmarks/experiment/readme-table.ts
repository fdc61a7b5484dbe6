/**
 * The README's warm-up experiment table, rendered from an experiment results file only
 * (`npm run experiment -- --render FILE [--write-readme]`): the runner's caption (file, dates,
 * machine, commit, command), a sentence on method, multi against tier2 per benchmark with the
 * geometric mean, the targets of issue #11, the sweep table when the file has variants, where
 * tier 1 stands between interp and tier 2 at the steady state, and the runs that failed. The
 * figures are recomputed from the file's iteration times (analysis.ts), so the README holds no
 * number the file does not. --write-readme puts it between EXPERIMENT_MARKERS in README.md.
 */
import { caption } from '../runner/readme-table.ts';
import { analyse } from './analysis.ts';
import { BASELINE, CANDIDATE_MODE, candidates } from './configs.ts';
import type { ExperimentResults } from './results.ts';
import { comparisonTable, sweepTable, targetLines, tierLine } from './tables.ts';

export const EXPERIMENT_MARKERS = {
  begin: '<!-- experiment-table:begin -->',
  end: '<!-- experiment-table:end -->',
} as const;

/** The table and its caption, as markdown; `source` is the file's path as the reader should see it. */
export function renderExperimentTable(results: ExperimentResults, source: string): string {
  const analysis = analyse(results.runs, results.configs);
  const all = candidates(results.configs);
  const main = all.find((c) => c.name === CANDIDATE_MODE) ?? all[0];
  const processes = results.settings.invocations;
  const method =
    `Milliseconds; ${processes} process${processes === 1 ? '' : 'es'} per benchmark and configuration. ` +
    `Warm-up gain: 1 − ${main?.name ?? CANDIDATE_MODE} ÷ ${BASELINE} on the total of the first ${analysis.warmupIterations} ` +
    `iterations; peak loss: ${main?.name ?? CANDIDATE_MODE} ÷ ${BASELINE} − 1 on the steady state; ratios per round of ` +
    'processes, geometric means, 95% t-intervals in brackets (benchmarks/README.md, "The warm-up experiment").' +
    (results.settings.quick ? ' A quick run (smallest sizes): not a measurement.' : '');
  const parts = [
    caption(results, source),
    method,
    main === undefined ? 'No multi configuration in this file.' : comparisonTable(analysis, main.name),
    main === undefined ? '' : targetLines(analysis, main.name).join('\n'),
    all.length > 1 ? sweepTable(analysis, all) : '',
    tierLine(analysis),
    failedLine(results),
  ];
  return parts.filter((p) => p !== '').join('\n\n');
}

function failedLine(results: ExperimentResults): string {
  const failed = results.runs
    .filter((r) => !r.verified)
    .map((r) => `${r.benchmark} in ${r.config} (invocation ${r.invocation})`);
  return failed.length === 0 ? '' : `Failed to verify, left out: ${failed.join(', ')}.`;
}

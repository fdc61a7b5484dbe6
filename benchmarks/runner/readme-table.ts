/**
 * The README's benchmark table, rendered from a results file (`--render <file>`): a caption
 * naming the file, when and on what machine it was measured, the commit and the command,
 * then one row per benchmark with each VM mode's first iteration and steady state, native's
 * steady state and the ratio columns report.md has, and their geometric means. Every figure
 * is computed here from the iteration times in the file, with statistics.ts, so the README
 * holds no number that the committed file does not. `--write-readme` puts the result between
 * the marker comments in README.md (replaceMarkedTable).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { NATIVE, type RunnerMode } from './modes.ts';
import { describeCommit, formatGiB, shellLine } from './provenance.ts';
import { seriesOf, type ModeSeries, type ResultsFile } from './results.ts';
import type { SeriesSummary } from './statistics.ts';
import {
  benchmarkNames,
  findSeries,
  formatMs,
  formatRatio,
  geometricMeanOrNull,
  markdownTable,
  ratioColumns,
} from './tables.ts';

export const TABLE_BEGIN = '<!-- bench-table:begin -->';
export const TABLE_END = '<!-- bench-table:end -->';

interface Column {
  readonly title: string;
  readonly cell: (series: readonly ModeSeries[], benchmark: string) => string;
  /** The geometric-mean row's cell; only ratio columns have one. */
  readonly mean?: (series: readonly ModeSeries[], benchmarks: readonly string[]) => string;
}

/** The table and its caption, as markdown; `source` is the file's path as the reader should see it. */
export function renderReadmeTable(results: ResultsFile, source: string): string {
  const series = seriesOf(results.runs);
  const benchmarks = benchmarkNames(series);
  const columns = tableColumns(results.modes);
  const rows = benchmarks.map((b) => [benchmarkCell(series, b), ...columns.map((c) => c.cell(series, b))]);
  rows.push(['geometric mean', ...columns.map((c) => c.mean?.(series, benchmarks) ?? '')]);
  const head = ['benchmark (inner × iterations)', ...columns.map((c) => c.title)];
  const body = benchmarks.length === 0 ? 'No verified runs.' : markdownTable(head, rows);
  return [caption(results, source), method(results), body, leftOut(results)].filter((p) => p !== '').join('\n\n');
}

/** Each VM mode's first iteration and steady state, native's steady state, then the ratios. */
function tableColumns(modes: readonly RunnerMode[]): Column[] {
  const vmModes = modes.filter((m) => m !== NATIVE);
  const times = vmModes.flatMap((m) => [timeColumn(m, 'first'), timeColumn(m, 'steady')]);
  if (modes.includes(NATIVE)) times.push(timeColumn(NATIVE, 'steady'));
  const ratios = ratioColumns(modes).map((r): Column => ({
    title: r.title,
    cell: (s, b) => formatRatio(r.of(s, b)),
    mean: (s, bs) => formatRatio(geometricMeanOrNull(bs.map((b) => r.of(s, b)))),
  }));
  return [...times, ...ratios];
}

function timeColumn(mode: RunnerMode, figure: 'first' | 'steady'): Column {
  const of = (summary: SeriesSummary) => (figure === 'first' ? summary.firstUs : summary.steadyUs);
  return {
    title: `${mode} ${figure}`,
    cell: (s, b) => {
      const found = findSeries(s, b, mode);
      return formatMs(found === undefined ? null : of(found.summary));
    },
  };
}

function benchmarkCell(series: readonly ModeSeries[], benchmark: string): string {
  const first = series.find((s) => s.benchmark === benchmark);
  return first === undefined ? benchmark : `${benchmark} (${first.inner} × ${first.summary.iterations})`;
}

/** What a caption says where a figure comes from: the machine, the commit, the command and the dates. */
export type Provenance = Pick<ResultsFile, 'host' | 'git' | 'command' | 'startedAt' | 'finishedAt'>;

/** "From [file](file), measured <dates> on <machine>, at commit <c>, by `<command>`." */
export function caption(results: Provenance, source: string): string {
  const h = results.host;
  const machine = `${h.cpu} (${h.cpus} CPUs, ${formatGiB(h.memoryBytes)}), ${h.platform}/${h.arch}, Node ${h.node}`;
  const commit = results.git.commit === null ? describeCommit(results.git) : `at commit ${describeCommit(results.git)}`;
  const until = results.finishedAt === null ? ' (unfinished)' : ` to ${formatDate(results.finishedAt)}`;
  return (
    `From [\`${source}\`](${source}), measured ${formatDate(results.startedAt)}${until} on ${machine}, ` +
    `${commit}, by \`${shellLine(results.command)}\`.`
  );
}

function method(results: ResultsFile): string {
  const n = results.settings.invocations;
  const processes =
    n === 1
      ? 'one process per benchmark and mode'
      : `${n} processes per benchmark and mode, combined iteration by iteration with the median`;
  return (
    `Milliseconds per iteration; first: the first iteration; steady: the median of the last half of the iterations; ` +
    `${processes}; ratios of steady states, with their geometric means in the last row.` +
    (results.settings.quick ? ' A quick run (smallest verifiable sizes, one iteration): not a measurement.' : '')
  );
}

/** Runs that failed to verify and modes or benchmarks that were not run, so a '—' has its reason. */
function leftOut(results: ResultsFile): string {
  const failed = results.runs
    .filter((r) => !r.verified)
    .map((r) => `${r.benchmark} in ${r.mode} (invocation ${r.invocation})`);
  const lines = [
    failed.length === 0 ? '' : `Failed to verify, left out: ${failed.join(', ')}.`,
    results.notes.length === 0 ? '' : `Not run: ${results.notes.join('; ')}.`,
  ];
  return lines.filter((l) => l !== '').join('\n');
}

/** An ISO 8601 UTC time as "YYYY-MM-DD HH:MM UTC"; anything else as it is. */
function formatDate(iso: string): string {
  const match = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d).*Z$/.exec(iso);
  return match === null ? iso : `${match[1]} ${match[2]} UTC`;
}

/**
 * `document` with everything between the marker comments (by default the benchmark table's)
 * replaced by `rendered`. Throws if the markers are missing, repeated or out of order, rather
 * than guess where the table goes.
 */
export function replaceMarkedTable(
  document: string,
  rendered: string,
  markers: { readonly begin: string; readonly end: string } = { begin: TABLE_BEGIN, end: TABLE_END },
): string {
  const begin = document.indexOf(markers.begin);
  const end = document.indexOf(markers.end);
  const once = (marker: string, at: number) => at >= 0 && document.indexOf(marker, at + 1) < 0;
  if (!once(markers.begin, begin) || !once(markers.end, end) || end < begin) {
    throw new Error(`expected one '${markers.begin}' followed by one '${markers.end}'`);
  }
  return `${document.slice(0, begin)}${markers.begin}\n\n${rendered.trim()}\n\n${document.slice(end)}`;
}

/**
 * `--render FILE [--write-readme]`: prints the table `render` makes of the results file, or puts
 * it between `markers` in the root README.md. `render` gets the file's absolute path and its
 * path relative to the repository root, which is how the caption names it and README.md links
 * to it. Answers the exit status; throws an Error with a message for the user.
 */
export async function renderIntoReadme(
  root: string,
  file: string,
  writeReadme: boolean,
  render: (path: string, source: string) => Promise<string>,
  markers: { readonly begin: string; readonly end: string } = { begin: TABLE_BEGIN, end: TABLE_END },
): Promise<number> {
  const path = resolve(file);
  const source = relative(root, path).split(sep).join('/');
  const rendered = await render(path, source);
  if (!writeReadme) {
    console.log(rendered);
    return 0;
  }
  const readme = join(root, 'README.md');
  let updated: string;
  try {
    updated = replaceMarkedTable(await readFile(readme, 'utf8'), rendered, markers);
  } catch (e) {
    throw new Error(`README.md: ${e instanceof Error ? e.message : String(e)}`);
  }
  await writeFile(readme, updated);
  console.log(`README.md: table between ${markers.begin} and ${markers.end} rendered from ${source}`);
  return 0;
}

/**
 * The results file: every iteration time of every process the runner started, with what is
 * needed to judge and re-render them later: the machine, the commit, the command line and
 * the options. The runner writes it as results.json in the output directory, rewriting it
 * after each process so that an interrupted run keeps what it measured; `--save <name>` also
 * writes the finished file to benchmarks/results/<name>.json (saved-results.ts), from which
 * the README's table is rendered (readme-table.ts). One format serves both.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { RunnerMode } from './modes.ts';
import type { GitInfo, HostInfo } from './provenance.ts';
import { combineInvocations, summarise, type SeriesSummary } from './statistics.ts';

/** Version of the format; 2 added git, command, memory and the size options. */
export const RESULTS_SCHEMA = 2;

export interface RunRecord {
  readonly benchmark: string;
  readonly mode: RunnerMode;
  /** 1-based number of this process among the invocations of (benchmark, mode). */
  readonly invocation: number;
  readonly outer: number;
  readonly inner: number;
  readonly exitCode: number | null;
  readonly verified: boolean;
  readonly iterationsUs: readonly number[];
  readonly failure: string | null;
}

/** The options of the run; each RunRecord also carries the sizes it actually ran with. */
export interface RunSettings {
  readonly benchmarks: readonly string[];
  readonly invocations: number;
  /** --iterations and --inner, or null where each benchmark's own count from suite.ts applied. */
  readonly iterations: number | null;
  readonly inner: number | null;
  readonly quick: boolean;
  readonly timeoutSeconds: number;
}

export interface ResultsFile {
  readonly schema: typeof RESULTS_SCHEMA;
  /** ISO 8601 times of the start of the run and of its end (null while it runs). */
  readonly startedAt: string;
  finishedAt: string | null;
  readonly host: HostInfo;
  readonly git: GitInfo;
  /** The command line that started the run, one argument per element. */
  readonly command: readonly string[];
  readonly settings: RunSettings;
  readonly modes: readonly RunnerMode[];
  /** Modes and benchmark/mode pairs that were not run, with the reason. */
  readonly notes: string[];
  readonly runs: RunRecord[];
}

export async function writeResults(path: string, results: ResultsFile): Promise<void> {
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
}

/**
 * Reads a results file written by this version of the runner. Throws an Error whose message
 * names the file and the problem (missing, not JSON, another schema, a malformed run).
 */
export async function readResults(path: string): Promise<ResultsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not JSON`);
  }
  const problem = resultsProblem(data);
  if (problem !== null) throw new Error(`${path} is not a results file of schema ${RESULTS_SCHEMA}: ${problem}`);
  return data as ResultsFile;
}

/** The first thing wrong with `data` as a ResultsFile, or null. Checks what the renderers read. */
function resultsProblem(data: unknown): string | null {
  if (!isRecord(data)) return 'not an object';
  if (data['schema'] !== RESULTS_SCHEMA) return `schema is ${JSON.stringify(data['schema'])}`;
  for (const key of ['host', 'git', 'settings']) if (!isRecord(data[key])) return `no ${key}`;
  for (const key of ['command', 'modes', 'notes', 'runs']) if (!Array.isArray(data[key])) return `no ${key} list`;
  if (typeof data['startedAt'] !== 'string') return 'no startedAt';
  const runs = data['runs'] as unknown[];
  const bad = runs.findIndex((r) => !isRunRecord(r));
  return bad < 0 ? null : `run ${bad + 1} lacks benchmark, mode, inner, verified or iterationsUs`;
}

function isRunRecord(run: unknown): boolean {
  return (
    isRecord(run) &&
    typeof run['benchmark'] === 'string' &&
    typeof run['mode'] === 'string' &&
    typeof run['inner'] === 'number' &&
    typeof run['verified'] === 'boolean' &&
    Array.isArray(run['iterationsUs']) &&
    run['iterationsUs'].every((t) => typeof t === 'number')
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the report shows for one benchmark in one mode. */
export interface ModeSeries {
  readonly benchmark: string;
  readonly mode: RunnerMode;
  readonly inner: number;
  readonly invocations: number;
  /** The iteration times of the verified invocations, combined (median per iteration). */
  readonly combinedUs: readonly number[];
  readonly summary: SeriesSummary;
}

/** Groups the verified runs by benchmark and mode, in the order they first appear. */
export function seriesOf(runs: readonly RunRecord[]): ModeSeries[] {
  const groups = new Map<string, RunRecord[]>();
  for (const run of runs) {
    if (!run.verified || run.iterationsUs.length === 0) continue;
    const key = `${run.benchmark}\u0000${run.mode}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [run]);
    else group.push(run);
  }
  return [...groups.values()].map(toSeries);
}

function toSeries(group: readonly RunRecord[]): ModeSeries {
  const first = group[0];
  if (first === undefined) throw new RangeError('empty group');
  const combinedUs = combineInvocations(group.map((r) => r.iterationsUs));
  return {
    benchmark: first.benchmark,
    mode: first.mode,
    inner: first.inner,
    invocations: group.length,
    combinedUs,
    summary: summarise(combinedUs),
  };
}

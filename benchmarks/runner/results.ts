/**
 * The results file (results.json in the output directory): every iteration time of every
 * process the runner started, with enough context (host, settings, sizes) to re-render the
 * report or compare runs later. The runner rewrites it after each process, so a long run
 * that is interrupted keeps what it measured.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import type { RunnerMode } from './modes.ts';
import { combineInvocations, summarise, type SeriesSummary } from './statistics.ts';

export const RESULTS_SCHEMA = 1;

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

export interface HostInfo {
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpu: string;
  readonly cpus: number;
}

export interface ResultsFile {
  readonly schema: typeof RESULTS_SCHEMA;
  readonly startedAt: string;
  finishedAt: string | null;
  readonly host: HostInfo;
  readonly settings: { readonly invocations: number; readonly quick: boolean; readonly timeoutSeconds: number };
  readonly modes: readonly RunnerMode[];
  /** Modes and benchmark/mode pairs that were not run, with the reason. */
  readonly notes: string[];
  readonly runs: RunRecord[];
}

export function hostInfo(): HostInfo {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: os.platform(),
    arch: os.arch(),
    cpu: cpus[0]?.model ?? 'unknown',
    cpus: cpus.length,
  };
}

export async function writeResults(path: string, results: ResultsFile): Promise<void> {
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
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

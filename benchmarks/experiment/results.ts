/**
 * The warm-up experiment's results file: results.json in the output directory (rewritten
 * after every process, so an interrupted run keeps what it measured) and, with --save, the
 * committed copy benchmarks/results/NAME.json from which the README's experiment table is
 * rendered. Schema `som-warmup-experiment/1`:
 *
 *   {
 *     "schema": "som-warmup-experiment/1",
 *     "startedAt": ISO 8601 UTC, "finishedAt": ISO 8601 UTC or null while running,
 *     "host": { node, platform, arch, cpu, cpus, memoryBytes },      (runner/provenance.ts)
 *     "git": { commit, dirty, changedPaths },                         (runner/provenance.ts)
 *     "command": [argument, ...],           the command line, `node` first
 *     "settings": { benchmarks, invocations, iterations | null, inner | null, quick,
 *                   timeoutSeconds, vmOptions: [..], sweeps: [{ param, values }] },
 *     "configs": [{ name, mode, vmOptions: [..] }],                   (configs.ts)
 *     "runs": [{ benchmark, config, mode, vmOptions, invocation, outer, inner,
 *                exitCode, verified, iterationsUs: [µs per outer iteration], failure }],
 *     "analysis": Analysis | null           (analysis.ts; null until the run has finished)
 *   }
 *
 * `runs` is the measurement; `analysis` is derived from it by analysis.ts when the run ends and
 * is kept for readers of the file. The report and the README table recompute it from `runs`,
 * so no figure rests on anything but the iteration times.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Mode } from '../../runtime/modes.ts';
import type { InvocationResult } from '../runner/invocation.ts';
import type { Provenance } from '../runner/readme-table.ts';
import type { Analysis } from './analysis.ts';
import type { Config } from './configs.ts';
import type { ExperimentSettings } from './options.ts';

export const EXPERIMENT_SCHEMA = 'som-warmup-experiment/1';

export interface ExperimentRun extends InvocationResult {
  readonly benchmark: string;
  /** The configuration's name (configs.ts); its mode and VM options follow. */
  readonly config: string;
  readonly mode: Mode;
  readonly vmOptions: readonly string[];
  /** 1-based: the round of the experiment this process ran in. */
  readonly invocation: number;
  readonly outer: number;
  readonly inner: number;
}

/** The runner's provenance fields (host, git, command, startedAt, finishedAt), then the experiment's own. */
export interface ExperimentResults extends Provenance {
  readonly schema: typeof EXPERIMENT_SCHEMA;
  readonly settings: ExperimentSettings;
  readonly configs: readonly Config[];
  readonly runs: ExperimentRun[];
  analysis: Analysis | null;
}

export async function writeExperimentResults(path: string, results: ExperimentResults): Promise<void> {
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
}

/** Reads a results file of this schema; throws an Error naming the file and what is wrong with it. */
export async function readExperimentResults(path: string): Promise<ExperimentResults> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read ${path} as JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const problem = problemOf(data);
  if (problem !== null) throw new Error(`${path} is not a ${EXPERIMENT_SCHEMA} results file: ${problem}`);
  return data as ExperimentResults;
}

/** The first thing wrong with `data`, or null: checks what the report and the README table read. */
function problemOf(data: unknown): string | null {
  if (typeof data !== 'object' || data === null) return 'not an object';
  const file = data as Partial<Record<keyof ExperimentResults, unknown>>;
  if (file.schema !== EXPERIMENT_SCHEMA) return `schema is ${JSON.stringify(file.schema)}`;
  if (typeof file.startedAt !== 'string') return 'no startedAt';
  if ([file.host, file.git, file.settings].some((v) => typeof v !== 'object' || v === null))
    return 'no host, git or settings';
  if (![file.command, file.configs, file.runs].every(Array.isArray)) return 'no command, configs or runs list';
  const bad = (file.runs as unknown[]).findIndex((r) => !isRun(r));
  return bad < 0 ? null : `run ${bad + 1} lacks benchmark, config, invocation, verified or iterationsUs`;
}

function isRun(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const run = value as Partial<Record<keyof ExperimentRun, unknown>>;
  return (
    typeof run.benchmark === 'string' &&
    typeof run.config === 'string' &&
    typeof run.invocation === 'number' &&
    typeof run.verified === 'boolean' &&
    Array.isArray(run.iterationsUs) &&
    run.iterationsUs.every((t) => typeof t === 'number')
  );
}

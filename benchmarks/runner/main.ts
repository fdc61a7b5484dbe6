/**
 * The benchmark runner: runs each (benchmark, mode, invocation) in its own process, records
 * every iteration's time in results.json (and, with --save, in benchmarks/results/), and
 * writes report.md with warm-up plots. With --render it only renders the README's table
 * from a results file.
 *
 * run.mjs bundles this module with esbuild and calls `main`. Processes run one at a time,
 * so they do not disturb each other's timing; invocations of the same benchmark are spread
 * over the run (invocation 1 of everything, then invocation 2, ...) so slow drift of the
 * machine affects all modes alike. The exit status is 0 only if every run verified.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CommanderError } from 'commander';
import cliProgress from 'cli-progress';
import { runInvocation } from './invocation.ts';
import { NATIVE } from './modes.ts';
import { countsFor, parsePlan, type RunPlan } from './options.ts';
import { renderWarmupSvg } from './plots.ts';
import { renderReport, type PlotLink } from './report.ts';
import { commandLine, gitInfo, hostInfo } from './provenance.ts';
import { renderIntoReadme, renderReadmeTable } from './readme-table.ts';
import { RESULTS_SCHEMA, readResults, seriesOf, writeResults, type ResultsFile, type RunRecord } from './results.ts';
import { saveResults } from './saved-results.ts';
import { SUITE, type Invocation } from './suite.ts';

interface PlannedRun extends Invocation {
  readonly invocation: number;
}

export async function main(argv: readonly string[], root: string): Promise<number> {
  let plan: RunPlan;
  try {
    plan = parsePlan(argv);
    if (plan.render !== null) return await renderTable(root, plan.render, plan.writeReadme);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  if (plan.listOnly) {
    printSuite();
    return 0;
  }
  return run(plan, argv, root);
}

async function run(plan: RunPlan, argv: readonly string[], root: string): Promise<number> {
  const { runs, notes } = planRuns(plan);
  const outDir = resolve(root, plan.outDir);
  await mkdir(join(outDir, 'plots'), { recursive: true });
  const results = newResults(plan, notes, root, commandLine(root, argv));
  results.notes.forEach((n) => console.log(`note: ${n}`));
  await runAll(root, runs, plan.timeoutSeconds * 1000, results, join(outDir, 'results.json'));
  results.finishedAt = new Date().toISOString();
  await writeOutputs(outDir, results);
  if (plan.savePath !== null) {
    await saveResults(root, plan.savePath, results);
    console.log(`Saved: ${plan.savePath} (render the README table with --render ${plan.savePath})`);
  }
  return results.runs.every((r) => r.verified) ? 0 : 1;
}

/** A results file with no runs yet: the options, the machine, the commit and the command line. */
export function newResults(
  plan: RunPlan,
  notes: readonly string[],
  root: string,
  command: readonly string[],
): ResultsFile {
  return {
    schema: RESULTS_SCHEMA,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    host: hostInfo(),
    git: gitInfo(root),
    command,
    settings: {
      benchmarks: plan.benchmarks.map((b) => b.name),
      invocations: plan.invocations,
      iterations: plan.iterations ?? null,
      inner: plan.inner ?? null,
      quick: plan.quick,
      timeoutSeconds: plan.timeoutSeconds,
    },
    modes: plan.modes,
    notes: [...plan.notes, ...notes],
    runs: [],
  };
}

/** --render: prints the README table of a results file, or with --write-readme puts it into README.md. */
function renderTable(root: string, file: string, writeReadme: boolean): Promise<number> {
  return renderIntoReadme(root, file, writeReadme, async (_path, source) =>
    renderReadmeTable(await readResults(file), source),
  );
}

/** Every process to start, in order, plus a note on benchmarks that have no native version. */
function planRuns(plan: RunPlan): { runs: PlannedRun[]; notes: string[] } {
  const runs: PlannedRun[] = [];
  const notes: string[] = [];
  const withoutNative = plan.benchmarks.filter((b) => !b.hasNative).map((b) => b.name);
  if (plan.modes.includes(NATIVE) && withoutNative.length > 0) {
    notes.push(`native: no JavaScript version of the classic SOM benchmarks ${withoutNative.join(', ')}`);
  }
  for (let invocation = 1; invocation <= plan.invocations; invocation++) {
    for (const spec of plan.benchmarks) {
      const { outer, inner } = countsFor(plan, spec);
      for (const mode of plan.modes) {
        if (mode === NATIVE && !spec.hasNative) continue;
        runs.push({ benchmark: spec.name, mode, outer, inner, invocation });
      }
    }
  }
  return { runs, notes };
}

async function runAll(
  root: string,
  runs: readonly PlannedRun[],
  timeoutMs: number,
  results: ResultsFile,
  resultsPath: string,
): Promise<void> {
  const progress = new Progress(runs.length);
  for (const run of runs) {
    progress.starting(run);
    const outcome = await runInvocation(root, run, timeoutMs);
    const record: RunRecord = { ...run, ...outcome };
    results.runs.push(record);
    await writeResults(resultsPath, results);
    progress.finished(record);
  }
  progress.stop();
}

async function writeOutputs(outDir: string, results: ResultsFile): Promise<void> {
  const series = seriesOf(results.runs);
  const plots: PlotLink[] = [];
  for (const benchmark of [...new Set(series.map((s) => s.benchmark))]) {
    const path = `plots/${benchmark}.svg`;
    await writeFile(
      join(outDir, path),
      await renderWarmupSvg(
        benchmark,
        series.filter((s) => s.benchmark === benchmark),
      ),
    );
    plots.push({ benchmark, path });
  }
  await writeResults(join(outDir, 'results.json'), results);
  await writeFile(join(outDir, 'report.md'), renderReport(results, series, plots));
  const failed = results.runs.filter((r) => !r.verified);
  console.log(`${results.runs.length - failed.length} runs verified, ${failed.length} failed.`);
  for (const r of failed)
    console.log(`FAILED ${r.benchmark} ${r.mode} #${r.invocation}: ${r.failure?.split('\n')[0] ?? ''}`);
  console.log(`Report: ${join(outDir, 'report.md')}`);
}

function printSuite(): void {
  console.log('benchmark     family      inner  quick-inner  iterations  default-run  native');
  for (const b of SUITE) {
    console.log(
      `${b.name.padEnd(13)} ${b.family.padEnd(11)} ${String(b.inner).padStart(6)} ${String(b.quickInner).padStart(12)}` +
        ` ${String(b.iterations).padStart(11)} ${(b.inDefaultRun ? 'yes' : 'no').padStart(12)} ${(b.hasNative ? 'yes' : 'no').padStart(7)}`,
    );
  }
}

/**
 * Progress on the terminal: a cli-progress bar when stdout is a TTY, otherwise one line per
 * finished process (for logs).
 */
class Progress {
  private readonly bar: cliProgress.SingleBar | null;
  private done = 0;

  constructor(private readonly total: number) {
    this.bar = process.stdout.isTTY
      ? new cliProgress.SingleBar(
          { format: '{bar} {value}/{total} | {current} | elapsed {duration_formatted}', hideCursor: true },
          cliProgress.Presets.shades_classic,
        )
      : null;
    this.bar?.start(total, 0, { current: '' });
  }

  starting(run: PlannedRun): void {
    this.bar?.update(this.done, { current: describe(run) });
  }

  finished(record: RunRecord): void {
    this.done += 1;
    if (this.bar !== null) {
      this.bar.update(this.done);
    } else {
      const status = record.verified ? 'ok' : 'FAILED';
      console.log(`[${this.done}/${this.total}] ${describe(record)}: ${status}`);
    }
  }

  stop(): void {
    this.bar?.stop();
  }
}

function describe(run: PlannedRun): string {
  return `${run.benchmark} ${run.mode} #${run.invocation} (${run.outer}x${run.inner})`;
}

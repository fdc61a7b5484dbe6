/**
 * The warm-up experiment of issue #11 (`npm run experiment`): for each benchmark, interp,
 * tier1, tier2 and multi (and a sweep's variants of multi), several processes each, many
 * iterations; then results.json, report.md and plots/ in the output directory, and the
 * comparison of multi with tier2 on the terminal. With --render it only renders the README's
 * experiment table from a results file (and with --report, the file's report and plots).
 *
 * run.mjs bundles this module with esbuild and calls `main`. The exit status is 0 only if
 * every process verified its result; failures are listed on the terminal and in the report.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CommanderError } from 'commander';
import { commandLine, gitInfo, hostInfo } from '../runner/provenance.ts';
import { renderIntoReadme } from '../runner/readme-table.ts';
import { SAVED_RESULTS_DIR } from '../runner/saved-results.ts';
import { analyse } from './analysis.ts';
import { candidates } from './configs.ts';
import { parseExperimentPlan, type ExperimentPlan } from './options.ts';
import { renderBenchmarkPlot, renderSummaryPlot } from './plots.ts';
import { planProcesses, runProcesses } from './processes.ts';
import { EXPERIMENT_MARKERS, renderExperimentTable } from './readme-table.ts';
import { renderExperimentReport, type PlotLink } from './report.ts';
import { EXPERIMENT_SCHEMA, readExperimentResults, writeExperimentResults, type ExperimentResults } from './results.ts';
import { comparisonTable, targetLines } from './tables.ts';

export async function main(argv: readonly string[], root: string): Promise<number> {
  try {
    const plan = parseExperimentPlan(argv);
    if (plan.render !== null) {
      if (plan.reportDir !== null) await writeReport(root, plan.render, plan.reportDir);
      return await renderReadme(root, plan.render, plan.writeReadme);
    }
    if (plan.listOnly) return printPlan(plan);
    return await run(plan, argv, root);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    console.error(`experiment: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
}

async function run(plan: ExperimentPlan, argv: readonly string[], root: string): Promise<number> {
  const outDir = resolve(root, plan.outDir);
  await mkdir(join(outDir, 'plots'), { recursive: true });
  const results: ExperimentResults = {
    schema: EXPERIMENT_SCHEMA,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    host: hostInfo(),
    git: gitInfo(root),
    command: commandLine(root, argv),
    settings: plan.settings,
    configs: plan.configs,
    runs: [],
    analysis: null,
  };
  const resultsPath = join(outDir, 'results.json');
  await runProcesses(root, planProcesses(plan), plan.settings.timeoutSeconds * 1000, async (r) => {
    results.runs.push(r);
    await writeExperimentResults(resultsPath, results);
  });
  results.finishedAt = new Date().toISOString();
  results.analysis = analyse(results.runs, results.configs);
  await writeOutputs(outDir, results);
  if (plan.savePath !== null) {
    await mkdir(join(root, SAVED_RESULTS_DIR), { recursive: true });
    await writeExperimentResults(join(root, plan.savePath), results);
    console.log(
      `Saved: ${plan.savePath} (README table: npm run experiment -- --render ${plan.savePath} --write-readme)`,
    );
  }
  return printOutcome(results, outDir);
}

async function writeOutputs(outDir: string, results: ExperimentResults): Promise<void> {
  const analysis = results.analysis ?? analyse(results.runs, results.configs);
  const plots: PlotLink[] = [];
  if (analysis.comparisons.length > 0) {
    await writeFile(join(outDir, 'plots', 'summary.svg'), await renderSummaryPlot(analysis));
    plots.push({ title: 'summary', path: 'plots/summary.svg' });
  }
  for (const benchmark of [...new Set(results.runs.map((r) => r.benchmark))]) {
    const path = `plots/${benchmark}.svg`;
    await writeFile(join(outDir, path), await renderBenchmarkPlot(benchmark, results.runs, results.configs));
    plots.push({ title: benchmark, path });
  }
  await writeExperimentResults(join(outDir, 'results.json'), results);
  await writeFile(join(outDir, 'report.md'), renderExperimentReport(results, analysis, plots));
}

/** Prints each candidate's comparison and the failures; answers the exit status. */
function printOutcome(results: ExperimentResults, outDir: string): number {
  const analysis = results.analysis ?? analyse(results.runs, results.configs);
  for (const c of candidates(results.configs)) {
    console.log(
      `\n${c.name} against tier2:\n\n${comparisonTable(analysis, c.name)}\n\n${targetLines(analysis, c.name).join('\n')}`,
    );
  }
  const failed = results.runs.filter((r) => !r.verified);
  console.log(`\n${results.runs.length - failed.length} runs verified, ${failed.length} failed.`);
  for (const r of failed) {
    console.log(`FAILED ${r.benchmark} ${r.config} #${r.invocation}:\n${r.failure ?? ''}`);
  }
  console.log(`Report: ${join(outDir, 'report.md')}`);
  return failed.length === 0 ? 0 : 1;
}

/** --render with --report: the report and plots of a results file, as a run would have written them. */
async function writeReport(root: string, file: string, dir: string): Promise<void> {
  const outDir = resolve(root, dir);
  await mkdir(join(outDir, 'plots'), { recursive: true });
  await writeOutputs(outDir, await readExperimentResults(resolve(file)));
  console.log(`Report: ${join(outDir, 'report.md')}`);
}

/** --render: prints the README's experiment table of a results file, or with --write-readme puts it into README.md. */
function renderReadme(root: string, file: string, writeReadme: boolean): Promise<number> {
  const render = async (path: string, source: string) =>
    renderExperimentTable(await readExperimentResults(path), source);
  return renderIntoReadme(root, file, writeReadme, render, EXPERIMENT_MARKERS);
}

function printPlan(plan: ExperimentPlan): number {
  console.log('benchmark     inner  iterations');
  for (const b of plan.benchmarks) {
    console.log(`${b.spec.name.padEnd(13)} ${String(b.inner).padStart(6)} ${String(b.iterations).padStart(11)}`);
  }
  console.log(`configurations: ${plan.configs.map((c) => [c.name, ...c.vmOptions].join(' ')).join('; ')}`);
  console.log(
    `${planProcesses(plan).length} processes: ${plan.settings.invocations} rounds, each running every benchmark in every configuration`,
  );
  return 0;
}

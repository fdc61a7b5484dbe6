/**
 * The experiment's processes: one per (benchmark, configuration, invocation), ordered in
 * rounds (invocation 1 of every benchmark in every configuration, then invocation 2, ...), so
 * slow drift of the machine affects every configuration alike and the processes of a round
 * can be compared pairwise (analysis.ts). They run one at a time, through the runner's
 * runInvocation, which also decides whether a run verified. One line per finished process
 * tells how it went and how long the whole run has taken so far.
 */
import { runInvocation } from '../runner/invocation.ts';
import type { Config } from './configs.ts';
import type { ExperimentPlan } from './options.ts';
import type { ExperimentRun } from './results.ts';

export interface PlannedProcess {
  readonly benchmark: string;
  readonly config: Config;
  readonly invocation: number;
  readonly outer: number;
  readonly inner: number;
}

export function planProcesses(plan: ExperimentPlan): PlannedProcess[] {
  const processes: PlannedProcess[] = [];
  for (let invocation = 1; invocation <= plan.settings.invocations; invocation++) {
    for (const b of plan.benchmarks) {
      for (const config of plan.configs) {
        processes.push({ benchmark: b.spec.name, config, invocation, outer: b.iterations, inner: b.inner });
      }
    }
  }
  return processes;
}

/** Runs the processes in order; `record` gets each one's run as soon as it has finished. */
export async function runProcesses(
  root: string,
  processes: readonly PlannedProcess[],
  timeoutMs: number,
  record: (run: ExperimentRun) => Promise<void>,
): Promise<void> {
  const started = Date.now();
  for (const [index, p] of processes.entries()) {
    const { config, ...where } = p;
    const processStarted = Date.now();
    const outcome = await runInvocation(
      root,
      { benchmark: p.benchmark, mode: config.mode, outer: p.outer, inner: p.inner, vmOptions: config.vmOptions },
      timeoutMs,
    );
    const run: ExperimentRun = {
      ...where,
      config: config.name,
      mode: config.mode,
      vmOptions: config.vmOptions,
      ...outcome,
    };
    await record(run);
    const status = run.verified ? 'ok' : `FAILED (${run.failure?.split('\n')[0] ?? ''})`;
    console.log(
      `[${index + 1}/${processes.length}] ${describe(p)}: ${status}, ${seconds(Date.now() - processStarted)}` +
        ` (elapsed ${seconds(Date.now() - started)})`,
    );
  }
}

export function describe(p: PlannedProcess): string {
  return `${p.benchmark} ${p.config.name} #${p.invocation} (${p.outer}×${p.inner})`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

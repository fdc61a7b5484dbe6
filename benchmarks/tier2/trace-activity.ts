/**
 * What tier 2 does on each AWFY benchmark and the Phases workload (issues #10 and #11): traces,
 * bridges and aborted recordings, what a trace costs to make (record + optimise + compile,
 * median and 95th percentile), all the time the run spent making traces against the run's
 * time, and the side exits that found no bridge, read from the `--jit-log` of one run per
 * benchmark at its measuring size, in `--mode tier2` (default) or `multi`. Reported, never
 * asserted. Prints a Markdown table and writes benchmarks/results/trace-activity.json (tier2)
 * or trace-activity-multi.json with the machine, commit and per-benchmark figures.
 *
 *   npm run bench:traces [-- --iterations N] [--mode tier2|multi]     (default: 3, tier2)
 */
import { spawnSync } from 'node:child_process';
import { Command, Option } from 'commander';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { positiveInteger } from '../runner/options.ts';
import { gitInfo, hostInfo } from '../runner/provenance.ts';
import { SUITE, commandArgs } from '../runner/suite.ts';

/** The results file of each mode this can run. */
const RESULTS_FILES = {
  tier2: 'benchmarks/results/trace-activity.json',
  multi: 'benchmarks/results/trace-activity-multi.json',
} as const;

type TracingMode = keyof typeof RESULTS_FILES;

interface Summary {
  readonly median: number;
  readonly p95: number;
}

interface Activity {
  readonly benchmark: string;
  readonly verified: boolean;
  readonly traces: number;
  readonly bridges: number;
  readonly aborts: number;
  readonly blacklisted: number;
  readonly invalidated: number;
  /** Bridges compiled into their root trace's function (`bridge-inline`), and the median recompile of the root (µs). */
  readonly inlined: number;
  readonly inlineUs: number;
  /** Characters of JavaScript emitted for traces, bridges and recompiled roots (V8 parses them all). */
  readonly emittedChars: number;
  /** Microseconds to record, optimise and compile one trace or bridge. */
  readonly costUs: Summary;
  /** IR instructions per trace, as recorded and after optimisation (medians). */
  readonly opsRecorded: number;
  readonly opsOptimized: number;
  /** The most common abort reasons, with their counts. */
  readonly abortReasons: Readonly<Record<string, number>>;
  /**
   * All the time spent making traces (µs): recordings, aborted ones included, optimising and
   * compiling traces and bridges, and compiling roots again with bridges inlined.
   */
  readonly jitUs: number;
  /** The run's time over all its iterations (µs, the harness's "Total Runtime"). */
  readonly runUs: number;
  /** Side exits that found no bridge (the code after them ran in tier 1 or the interpreter). */
  readonly slowExits: number;
}

/** One line of a jit log, parsed. */
export type Event = Record<string, unknown> & { readonly event: string };

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The figures of one benchmark's run: `runUs` its total time, `events` its jit log. */
export function summarise(benchmark: string, verified: boolean, runUs: number, events: readonly Event[]): Activity {
  const of = (name: string): Event[] => events.filter((e) => e.event === name);
  const compiles = [...of('trace-compile'), ...of('bridge-compile')];
  const cost = compiles.map((e) => Number(e.recordMicros) + Number(e.optimizeMicros) + Number(e.compileMicros));
  const aborts = [...of('trace-abort'), ...of('bridge-abort')];
  const reasons: Record<string, number> = {};
  for (const a of aborts) reasons[String(a.reason)] = (reasons[String(a.reason)] ?? 0) + 1;
  return {
    benchmark,
    verified,
    traces: of('trace-compile').length,
    bridges: of('bridge-compile').length,
    aborts: aborts.length,
    blacklisted: of('blacklist').length,
    invalidated: of('invalidate').length,
    inlined: of('bridge-inline').length,
    inlineUs: percentile(
      of('bridge-inline').map((e) => Number(e.compileMicros)),
      50,
    ),
    emittedChars: [...compiles, ...of('bridge-inline')].reduce((sum, e) => sum + Number(e.emittedBytes ?? 0), 0),
    costUs: { median: percentile(cost, 50), p95: percentile(cost, 95) },
    opsRecorded: percentile(
      compiles.map((e) => Number(e.opsRecorded)),
      50,
    ),
    opsOptimized: percentile(
      compiles.map((e) => Number(e.opsOptimized)),
      50,
    ),
    abortReasons: reasons,
    jitUs:
      cost.reduce((sum, us) => sum + us, 0) +
      [...aborts, ...of('bridge-inline')].reduce(
        (sum, e) => sum + Number(e.recordMicros ?? 0) + Number(e.compileMicros ?? 0),
        0,
      ),
    runUs,
    slowExits: of('trace-exits').reduce((sum, e) => {
      const resumed = e.resumedIn as { tier1: number; interpreter: number };
      return sum + resumed.tier1 + resumed.interpreter;
    }, 0),
  };
}

function measure(benchmark: string, mode: TracingMode, inner: number, iterations: number): Activity {
  const log = join(mkdtempSync(join(tmpdir(), 'som-trace-activity-')), 'jit.jsonl');
  const args = commandArgs({ benchmark, mode, outer: iterations, inner, vmOptions: ['--jit-log', log] });
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const events = readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Event);
  const total = /Total Runtime: (\d+)us/.exec(run.stdout);
  return summarise(benchmark, run.status === 0 && total !== null, total === null ? 0 : Number(total[1]), events);
}

function table(activity: readonly Activity[]): string {
  const rows = activity.map(
    (a) =>
      `| ${a.benchmark}${a.verified ? '' : ' (FAILED)'} | ${a.traces} | ${a.bridges} | ${a.aborts} | ${a.blacklisted} | ` +
      `${a.invalidated} | ${a.inlined} | ${(a.inlineUs / 1000).toFixed(1)} | ${(a.costUs.median / 1000).toFixed(1)} | ${(a.costUs.p95 / 1000).toFixed(1)} | ` +
      `${a.opsRecorded} -> ${a.opsOptimized} | ${Math.round(a.emittedChars / 1000)} | ` +
      `${Math.round(a.jitUs / 1000)} of ${Math.round(a.runUs / 1000)} (${Math.round((100 * a.jitUs) / Math.max(1, a.runUs))}%) | ${a.slowExits} |`,
  );
  return [
    '| benchmark | traces | bridges | aborts | blacklisted | invalidated | bridges inlined | recompile median (ms) | cost median (ms) | cost p95 (ms) | ops recorded -> optimised (median) | JS emitted (KB) | making traces, of the run (ms) | slow exits |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** The entry point benchmarks/run-script.mjs calls. */
export function main(argv: readonly string[]): void {
  const options = new Command('bench:traces')
    .description('What tier 2 does per benchmark, from the jit log of one run each')
    .addOption(new Option('--iterations <n>', 'outer iterations per run').argParser(positiveInteger).default(3))
    .addOption(new Option('--mode <mode>', 'the mode that traces').choices(Object.keys(RESULTS_FILES)).default('tier2'))
    .parse([...argv], { from: 'user' })
    .opts<{ iterations: number; mode: TracingMode }>();
  const { iterations, mode } = options;
  const benchmarks = SUITE.filter((b) => (b.family.startsWith('awfy') && b.inDefaultRun) || b.family === 'workload');
  const activity = benchmarks.map((b) => {
    const a = measure(b.name, mode, b.inner, iterations);
    console.error(`${b.name}: ${a.traces} traces, ${a.bridges} bridges, ${a.aborts} aborts`);
    return a;
  });
  const command = `npm run bench:traces -- --iterations ${iterations} --mode ${mode}`;
  const results = { command, mode, iterations, host: hostInfo(), git: gitInfo(process.cwd()), benchmarks: activity };
  const file = RESULTS_FILES[mode];
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(table(activity));
  console.log(`\n(${file}, from \`${command}\`)`);
}

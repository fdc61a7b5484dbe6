/**
 * The runner's command line (commander), turned into a RunPlan: which benchmarks, which
 * modes, how many processes and iterations, and which problem sizes.
 *
 *   node benchmarks/runner/run.mjs [--benchmarks a,b] [--modes interp,native] [--invocations N]
 *       [--iterations N] [--inner N] [--quick] [--out DIR] [--timeout S] [--save NAME] [--list]
 *   node benchmarks/runner/run.mjs --render FILE [--write-readme]
 *
 * --benchmarks also accepts the groups `default` (everything but the slow Havlak), `all`,
 * `awfy` and `classic`. --quick runs every benchmark once per mode at the smallest size that
 * still verifies, to check verification quickly; explicit options still win over it.
 * --save also writes the results to benchmarks/results/NAME.json; --render prints the README
 * table of such a file instead of running anything, and --write-readme puts it into README.md.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultModes, selectModes, type RunnerMode } from './modes.ts';
import { savedResultsPath } from './saved-results.ts';
import { SUITE, findBenchmark, type BenchmarkSpec } from './suite.ts';

export interface RunPlan {
  readonly benchmarks: readonly BenchmarkSpec[];
  readonly modes: readonly RunnerMode[];
  readonly notes: readonly string[];
  readonly invocations: number;
  /** Overrides of the per-benchmark counts; undefined means the suite's (or quick) value. */
  readonly iterations: number | undefined;
  readonly inner: number | undefined;
  readonly quick: boolean;
  readonly outDir: string;
  readonly timeoutSeconds: number;
  /** --save: the repository-relative path to write the finished results to, or null. */
  readonly savePath: string | null;
  readonly listOnly: boolean;
  /** --render: the results file whose README table to print instead of running, or null. */
  readonly render: string | null;
  readonly writeReadme: boolean;
}

/** The options as commander parses them, before they become a RunPlan. */
export interface RawOptions {
  benchmarks?: string[];
  modes?: string[];
  invocations?: number;
  iterations?: number;
  inner?: number;
  quick: boolean;
  out: string;
  timeout: number;
  save?: string;
  list: boolean;
  render?: string;
  writeReadme: boolean;
}

/** The options that start a run; --render, which only reads a file, excludes them. */
export const RUN_OPTIONS = [
  'benchmarks',
  'modes',
  'invocations',
  'iterations',
  'inner',
  'quick',
  'out',
  'timeout',
  'save',
  'list',
];

const GROUPS: Record<string, (b: BenchmarkSpec) => boolean> = {
  all: () => true,
  default: (b) => b.inDefaultRun,
  awfy: (b) => b.family.startsWith('awfy'),
  classic: (b) => b.family === 'classic',
};

export function commaList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function positiveInteger(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export function buildCommand(): Command {
  return new Command('bench')
    .description('Runs the SOM benchmarks (and their native JavaScript versions) and reports warm-up and steady state.')
    .option('--benchmarks <list>', 'comma-separated benchmark names or groups (default, all, awfy, classic)', commaList)
    .option(
      '--modes <list>',
      'comma-separated modes: interp, tier1, tier2, multi, native (default: every available mode and native)',
      commaList,
    )
    .option('--invocations <n>', 'processes per benchmark and mode (default: 1)', positiveInteger)
    .option('--iterations <n>', 'outer iterations per process (default: per benchmark, see --list)', positiveInteger)
    .option(
      '--inner <n>',
      'inner iterations (problem size) for every benchmark (default: per benchmark)',
      positiveInteger,
    )
    .option('--quick', 'every benchmark once per mode at the smallest verifiable size', false)
    .option('--out <dir>', 'output directory for results.json, report.md and plots/', 'bench-results')
    .option('--timeout <seconds>', 'kill a benchmark process after this many seconds', positiveInteger, 1800)
    .option('--save <name>', 'also write the finished results to benchmarks/results/<name>.json, to commit')
    .option('--list', 'print the suite with its default sizes and exit', false)
    .addOption(
      new Option('--render <file>', "print the README's benchmark table rendered from a results file").conflicts(
        RUN_OPTIONS,
      ),
    )
    .option('--write-readme', 'with --render: replace the table between the markers in README.md', false)
    .allowExcessArguments(false)
    .exitOverride();
}

/**
 * Parses argv with `command` (which must use exitOverride) into its options, and checks that
 * --write-readme comes with --render. Shared with the warm-up experiment's command line.
 */
export function parseOptions<T extends { readonly render?: string; readonly writeReadme: boolean }>(
  command: Command,
  argv: readonly string[],
): T {
  command.parse([...argv], { from: 'user' });
  const raw = command.opts<T>();
  if (raw.writeReadme && raw.render === undefined) throw new Error('--write-readme needs --render <file>');
  return raw;
}

/**
 * Parses argv (without node and the script). Throws commander's CommanderError for --help
 * and bad options (commander has printed the message), and an Error for unknown benchmarks.
 */
export function parsePlan(argv: readonly string[]): RunPlan {
  const raw = parseOptions<RawOptions>(buildCommand(), argv);
  const selection = selectModes(raw.modes ?? defaultModes());
  return {
    benchmarks: selectBenchmarks(raw.benchmarks ?? [raw.quick ? 'all' : 'default']),
    modes: selection.modes,
    notes: selection.skipped.map((s) => `mode ${s.mode}: ${s.reason}`),
    invocations: raw.invocations ?? 1,
    iterations: raw.iterations ?? (raw.quick ? 1 : undefined),
    inner: raw.inner,
    quick: raw.quick,
    outDir: raw.out,
    timeoutSeconds: raw.timeout,
    savePath: raw.save === undefined ? null : savedResultsPath(raw.save),
    listOnly: raw.list,
    render: raw.render ?? null,
    writeReadme: raw.writeReadme,
  };
}

/** The benchmarks named, or in the groups named, in SUITE order; throws on an unknown name. */
export function selectBenchmarks(names: readonly string[]): BenchmarkSpec[] {
  const selected = new Set<BenchmarkSpec>();
  for (const name of names) {
    const group = GROUPS[name];
    if (group !== undefined) {
      SUITE.filter(group).forEach((b) => selected.add(b));
      continue;
    }
    const spec = findBenchmark(name);
    if (spec === undefined) {
      throw new Error(
        `unknown benchmark '${name}' (known: ${SUITE.map((b) => b.name).join(', ')}, or a group: ${Object.keys(GROUPS).join(', ')})`,
      );
    }
    selected.add(spec);
  }
  return SUITE.filter((b) => selected.has(b));
}

/** The outer and inner iteration counts of one benchmark under this plan. */
export function countsFor(plan: RunPlan, spec: BenchmarkSpec): { outer: number; inner: number } {
  return {
    outer: plan.iterations ?? spec.iterations,
    inner: plan.inner ?? (plan.quick ? spec.quickInner : spec.inner),
  };
}

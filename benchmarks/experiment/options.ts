/**
 * The warm-up experiment's command line (commander), turned into an ExperimentPlan: which
 * benchmarks at which sizes, which configurations (configs.ts), how many processes, and
 * where the results go. Parsing only: nothing runs here.
 *
 *   npm run experiment -- [--quick] [--benchmarks a,b] [--modes tier2,multi] [--invocations N]
 *       [--iterations N] [--inner N] [--vm-options "--flag v ..."] [--sweep param=v1,v2 ...]
 *       [--out DIR] [--timeout S] [--save NAME] [--list]
 *   npm run experiment -- --render FILE [--write-readme] [--report DIR]
 *
 * Explicit --invocations, --iterations and --inner win over --quick's and the per-benchmark
 * sizes (sizes.ts).
 */
import { Command, Option } from 'commander';
import { AVAILABLE_MODES } from '../../runtime/modes.ts';
import {
  RUN_OPTIONS as RUNNER_RUN_OPTIONS,
  commaList,
  parseOptions,
  positiveInteger,
  selectBenchmarks,
  type RawOptions as RunnerOptions,
} from '../runner/options.ts';
import { savedResultsPath } from '../runner/saved-results.ts';
import type { RunSettings } from '../runner/results.ts';
import type { BenchmarkSpec } from '../runner/suite.ts';
import { buildConfigs, parseSweep, selectModes, splitVmOptions, type Config, type Sweep } from './configs.ts';
import { DEFAULT_INVOCATIONS, QUICK_INVOCATIONS, defaultBenchmarks, experimentSize } from './sizes.ts';

export interface PlannedBenchmark {
  readonly spec: BenchmarkSpec;
  readonly inner: number;
  readonly iterations: number;
}

/** The options as the results file records them (ExperimentResults.settings): the runner's, plus the VM options and sweeps. */
export interface ExperimentSettings extends RunSettings {
  readonly vmOptions: readonly string[];
  readonly sweeps: readonly Sweep[];
}

export interface ExperimentPlan {
  readonly benchmarks: readonly PlannedBenchmark[];
  readonly configs: readonly Config[];
  readonly settings: ExperimentSettings;
  readonly outDir: string;
  /** --save: the repository-relative path to write the finished results to, or null. */
  readonly savePath: string | null;
  readonly listOnly: boolean;
  /** --render: the results file whose README table to print instead of running, or null. */
  readonly render: string | null;
  readonly writeReadme: boolean;
  /** --report: with --render, the directory to write the file's report.md and plots/ to, or null. */
  readonly reportDir: string | null;
}

interface RawOptions extends RunnerOptions {
  vmOptions?: string;
  sweep: Sweep[];
  report?: string;
}

/** The options that start a run; --render, which only reads a file, excludes them. */
const RUN_OPTIONS = [...RUNNER_RUN_OPTIONS, 'vmOptions', 'sweep'];

function collectSweep(text: string, previous: Sweep[]): Sweep[] {
  return [...previous, parseSweep(text)];
}

export function buildCommand(): Command {
  return new Command('experiment')
    .description('The warm-up experiment of issue #11: interp, tier1, tier2 and multi, several processes each.')
    .option('--benchmarks <list>', 'benchmark names or runner groups (default: AWFY but Havlak, and Phases)', commaList)
    .option('--modes <list>', `modes to run (default: ${AVAILABLE_MODES.join(',')})`, commaList)
    .option(
      '--invocations <n>',
      `processes per benchmark and configuration (default: ${DEFAULT_INVOCATIONS})`,
      positiveInteger,
    )
    .option('--iterations <n>', 'outer iterations per process (default: per benchmark, see --list)', positiveInteger)
    .option(
      '--inner <n>',
      'inner iterations (problem size) for every benchmark (default: per benchmark)',
      positiveInteger,
    )
    .option(
      '--quick',
      `smallest verifiable sizes and ${QUICK_INVOCATIONS} processes: checks the pipeline, measures little`,
      false,
    )
    .option('--vm-options <flags>', 'VM options for every configuration, e.g. "--max-traces 1000"')
    .option(
      '--sweep <param=values>',
      'add a multi variant per value, e.g. tier2Threshold=50,100 (repeatable: every combination)',
      collectSweep,
      [],
    )
    .option('--out <dir>', 'output directory for results.json, report.md and plots/', 'experiment-results')
    .option('--timeout <seconds>', 'kill a benchmark process after this many seconds', positiveInteger, 1200)
    .option('--save <name>', 'also write the finished results to benchmarks/results/<name>.json, to commit')
    .option('--list', 'print the plan (benchmarks, sizes, configurations) and exit', false)
    .addOption(
      new Option('--render <file>', "print the README's experiment table from a results file").conflicts(RUN_OPTIONS),
    )
    .option('--write-readme', 'with --render: replace the table between the experiment markers in README.md', false)
    .option('--report <dir>', 'with --render: also write the report.md and plots/ of the results file to <dir>')
    .allowExcessArguments(false)
    .exitOverride();
}

/**
 * Parses argv (without node and the script). Throws commander's CommanderError for --help and
 * bad options (commander has printed the message), and an Error for other bad input.
 */
export function parseExperimentPlan(argv: readonly string[]): ExperimentPlan {
  const raw = parseOptions<RawOptions>(buildCommand(), argv);
  if (raw.report !== undefined && raw.render === undefined) throw new Error('--report needs --render <file>');
  const settings = settingsOf(raw);
  const modes = selectModes(raw.modes ?? AVAILABLE_MODES);
  return {
    benchmarks: planBenchmarks(settings),
    configs: buildConfigs(modes, settings.vmOptions, settings.sweeps),
    settings,
    outDir: raw.out,
    savePath: raw.save === undefined ? null : savedResultsPath(raw.save),
    listOnly: raw.list,
    render: raw.render ?? null,
    writeReadme: raw.writeReadme,
    reportDir: raw.report ?? null,
  };
}

function settingsOf(raw: RawOptions): ExperimentSettings {
  const specs = raw.benchmarks === undefined ? defaultBenchmarks() : selectBenchmarks(raw.benchmarks);
  return {
    benchmarks: specs.map((b) => b.name),
    invocations: raw.invocations ?? (raw.quick ? QUICK_INVOCATIONS : DEFAULT_INVOCATIONS),
    iterations: raw.iterations ?? null,
    inner: raw.inner ?? null,
    quick: raw.quick,
    timeoutSeconds: raw.timeout,
    vmOptions: splitVmOptions(raw.vmOptions ?? ''),
    sweeps: raw.sweep,
  };
}

function planBenchmarks(settings: ExperimentSettings): PlannedBenchmark[] {
  return selectBenchmarks(settings.benchmarks).map((spec) => {
    const size = experimentSize(spec, settings.quick);
    return { spec, inner: settings.inner ?? size.inner, iterations: settings.iterations ?? size.iterations };
  });
}

/**
 * The `som` command line, parsed with commander:
 *   som [options] [-cp path] ClassName|File.som [args...]
 * Options are recognised only before the program argument (as in som-java); everything after
 * it is passed to the program unchanged. The modes and JIT parameters come from their tables
 * (runtime/modes.ts, runtime/params.ts).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { MODES, MODE_NAMES, isMode, type Mode } from '../runtime/modes.ts';
import { PARAMS, PARAM_NAMES, type JitParams } from '../runtime/params.ts';
import { DEFAULT_MAX_STACK_DEPTH } from '../runtime/vm.ts';

export interface CliOptions {
  readonly classpath: string[];
  readonly program: string | undefined;
  readonly args: string[];
  readonly mode: Mode;
  readonly params: JitParams;
  readonly jitLog: string | undefined;
  readonly dumpTier1: string | undefined;
  readonly dumpTraces: string | undefined;
  readonly disassemble: boolean;
  readonly maxStackDepth: number;
}

function count(min: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
    return n;
  };
}

export function buildCommand(): Command {
  const modeHelp = MODE_NAMES.map((m) => `${m}: ${MODES[m].doc}`).join('; ');
  const command = new Command('som')
    .description(
      'A SOM (Simple Object Machine) virtual machine. Runs ClassName (or File.som) by sending it run or run:.',
    )
    .usage('[options] [-cp path] ClassName|File.som [args...]')
    .option(
      '--classpath <path>',
      '(also -cp) class directories, separated by ":" (the standard library, e.g. Smalltalk, must be on it)',
    )
    .addOption(new Option('--mode <mode>', `execution mode (${modeHelp})`).choices(MODE_NAMES).default('multi'));
  for (const name of PARAM_NAMES) {
    const { flag, doc, default: value } = PARAMS[name];
    // An infinite default means "never"; --help would print it as null (JSON has no Infinity).
    const shown = Number.isFinite(value) ? undefined : 'off';
    command.addOption(new Option(`${flag} <n>`, doc).argParser(count(0)).default(value, shown));
  }
  return command
    .option(
      '--jit-log <file>',
      'write JIT events to <file> as JSON lines: compilations, OSR, trace recordings, aborts, invalidations, blacklisting, exit counts',
    )
    .option(
      '--dump-tier1 <dir>',
      'write the JavaScript of every tier-1 compiled method to <dir>, with bytecode comments',
    )
    .option(
      '--dump-traces <dir>',
      'write one file per compiled trace to <dir>: its IR before and after optimisation with the SOM source of each instruction, its side exits and its JavaScript',
    )
    .option('--disassemble', 'print the bytecode of the named class instead of running it', false)
    .option(
      '--max-stack-depth <n>',
      'SOM activations allowed before a stack-overflow error',
      count(1),
      DEFAULT_MAX_STACK_DEPTH,
    )
    .argument('[program]', 'the class to run: a class name on the classpath, or a path to its .som file')
    .argument('[args...]', 'arguments passed to the program (run: receives the class name first)')
    .passThroughOptions()
    .allowExcessArguments(true)
    .showHelpAfterError('(run som --help for usage)');
}

/**
 * som-java spells the classpath option `-cp`, but commander only knows one-letter short
 * options: rewrite `-cp` to `--classpath`, among the options only (before the program).
 */
function spellClasspathOption(command: Command, argv: readonly string[]): string[] {
  const takesValue = new Set(command.options.filter((o) => o.required || o.optional).map((o) => o.long));
  const out = [...argv];
  for (let i = 0; i < out.length; i++) {
    const arg = out[i]!;
    if (arg === '-cp') out[i] = '--classpath';
    if (!arg.startsWith('-')) break; // the program: everything after it is its own
    if (arg === '-cp' || (takesValue.has(arg) && !arg.includes('='))) i++;
  }
  return out;
}

interface RawOptions {
  classpath?: string;
  mode: string;
  jitLog?: string;
  dumpTier1?: string;
  dumpTraces?: string;
  disassemble: boolean;
  maxStackDepth: number;
}

/** The key under which commander stores the value of the option spelled `flag`. */
function optionKey(command: Command, flag: string): string {
  const option = command.options.find((o) => o.long === flag);
  if (option === undefined) throw new Error(`no option ${flag}`);
  return option.attributeName();
}

/** Parses `argv` (without node and the script); commander prints errors and throws on exit. */
export function parseCli(command: Command, argv: readonly string[]): CliOptions {
  command.parse(spellClasspathOption(command, argv), { from: 'user' });
  const opts = command.opts<RawOptions & Record<string, unknown>>();
  const [program, args] = command.processedArgs as [string | undefined, string[]];
  const mode = opts.mode;
  if (!isMode(mode)) throw new Error(`unknown mode ${mode}`);
  const params = Object.fromEntries(
    PARAM_NAMES.map((n) => [n, opts[optionKey(command, PARAMS[n].flag)] as number]),
  ) as JitParams;
  return {
    classpath: opts.classpath === undefined ? [] : opts.classpath.split(':').filter((p) => p !== ''),
    program,
    args: args ?? [],
    mode,
    params,
    jitLog: opts.jitLog,
    dumpTier1: opts.dumpTier1,
    dumpTraces: opts.dumpTraces,
    disassemble: opts.disassemble,
    maxStackDepth: opts.maxStackDepth,
  };
}

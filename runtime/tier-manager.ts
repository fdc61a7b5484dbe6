/**
 * The tier manager: counts method invocations and loop back-edges, compiles methods with tier 1
 * when they reach the thresholds, and picks the best code an activation can run.
 *
 * The interpreter only marks *where* a tier change may happen, and reaches this module through
 * the hooks it defines (interpreter/tier-hooks.ts), which `configureTiers` installs: `invoke.ts`
 * enters every activation through `enterMethod`, and the interpreter build turns `jit.backEdge`
 * into a call of `backEdge` below (on-stack replacement: the running activation continues in
 * tier 1 at the loop head, with the same frame). All policy (modes, thresholds) lives here.
 *
 * The tier-shift policy, all of it (every threshold a parameter of runtime/params.ts):
 * - interpreter -> tier 1: a method compiles at its `--tier1-threshold`th invocation, or when
 *   its loops have taken `--tier1-backedge-threshold` back-edges (the running activation moves
 *   into the new code at the loop head: OSR);
 * - tier 1 -> tier 2 (`multi`): tier-1 code counts its back-edges per loop header, and past
 *   `--tier2-threshold` the loop is traced (tier2/trace-runtime.ts); interpreter back-edges do
 *   not count towards tracing, so a loop climbs one tier at a time and its trace is entered
 *   from tier-1 code. In `tier2` mode (no tier 1) the interpreter's back-edges count instead;
 * - back down: a side exit without a bridge resumes the entry activation in the code that
 *   entered the trace (tier 1 in `multi`) and the inlined ones in their methods' best code; a
 *   trace that is invalidated, evicted or blacklisted leaves its loop in that code too.
 *
 * State is per Universe run (`configureTiers`), one run per JS thread at a time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from '../interpreter/model/frame.ts';
import type { SomMethod } from '../interpreter/model/method.ts';
import type { SomValue } from '../interpreter/model/objects.ts';
import { interpret } from '../interpreter/interpreter.ts';
import { methodName } from '../interpreter/backtrace.ts';
import {
  installTierHooks,
  NO_OSR,
  RESUME_AT_FRAME_PC,
  type BackEdgeOutcome,
  type CompileRecord,
  type TierHooks,
} from '../interpreter/tier-hooks.ts';
import { compileTier1, emitTier1, tier1Name, type Tier1Loops } from './tier1/tier1-compiler.ts';
import { vm } from '../interpreter/vm-state.ts';
import { defaultParams, type JitParams } from './params.ts';
import { modeTiers, type Mode } from './modes.ts';
import { JitLog } from './jit-log.ts';
import {
  configureTraceRuntime,
  finishTraceRuntime,
  loopBackEdge,
  loopHeader,
  traceBackEdge,
  traceMethodEntry,
  traceRuntimeEnabled,
} from './tier2/trace-runtime.ts';

export interface TierOptions {
  readonly mode: Mode;
  readonly params: JitParams;
  /** Where to write the JSON-lines event log, if anywhere. */
  readonly jitLog?: string | undefined;
  /** Where to write each tier-1 function's source, if anywhere. */
  readonly dumpTier1?: string | undefined;
  /** Where to write a dump of each compiled trace, if anywhere (runtime/tier2/trace-dump.ts). */
  readonly dumpTraces?: string | undefined;
}

interface TierState {
  invocationThreshold: number;
  backEdgeThreshold: number;
  /** Whether interpreter back-edges count towards tracing (tier2), or only tier-1 code's (multi). */
  traceFromInterpreter: boolean;
  /** Whether methods without loops are traced from their entry (`--tier2-entry-threshold`). */
  traceEntries: boolean;
  log: JitLog | null;
  dumpDir: string | null;
  /** Compile time per method in microseconds and bytecode count, for statistics. */
  readonly compiles: CompileRecord[];
}

const state: TierState = {
  invocationThreshold: Infinity,
  backEdgeThreshold: Infinity,
  traceFromInterpreter: false,
  traceEntries: false,
  log: null,
  dumpDir: null,
  compiles: [],
};

/** What the interpreter calls (interpreter/tier-hooks.ts). */
const TIER_HOOKS: TierHooks = { enterMethod, backEdge, compileStatistics };

/** Sets the policy for the next run (and resets its statistics); installs the tier hooks. */
export function configureTiers(options: TierOptions): void {
  installTierHooks(TIER_HOOKS);
  const { tier1, tier2 } = modeTiers(options.mode);
  // `tier1` mode runs only tier-1 code: everything compiles before its first run.
  const params =
    options.mode === 'tier1' ? { ...options.params, tier1Threshold: 0, tier1BackEdgeThreshold: 0 } : options.params;
  state.invocationThreshold = tier1 ? params.tier1Threshold : Infinity;
  state.backEdgeThreshold = tier1 ? params.tier1BackEdgeThreshold : Infinity;
  // With tier 1 (multi), a loop climbs one tier at a time: the interpreter's back-edges move
  // the activation into tier 1 (OSR), and only tier-1 code's count towards tracing, so a trace
  // is entered from tier-1 code and its side exits go back into tier-1 code.
  state.traceFromInterpreter = tier2 && !tier1;
  state.traceEntries = tier2 && params.tier2EntryThreshold > 0;
  state.log?.close();
  state.log = options.jitLog === undefined ? null : new JitLog(options.jitLog, { mode: options.mode, ...params });
  state.dumpDir = options.dumpTier1 ?? null;
  if (state.dumpDir !== null) mkdirSync(state.dumpDir, { recursive: true });
  state.compiles.length = 0;
  vm.megamorphicMethods = params.megamorphicMethods;
  configureTraceRuntime({
    enabled: tier2,
    threshold: params.tier2Threshold,
    entryThreshold: params.tier2EntryThreshold,
    traceLimit: params.traceLimit,
    bridgeThreshold: params.bridgeThreshold,
    bridgeInlineThreshold: params.bridgeInlineThreshold,
    maxTraces: params.maxTraces,
    traceBudget: params.traceBudget,
    traceBudgetBurst: params.traceBudgetBurst,
    log: state.log,
    dumpDir: options.dumpTraces ?? null,
  });
}

/** Ends the run: reports what the traces still installed did, closes the log. */
export function finishTiers(): void {
  finishTraceRuntime();
  state.log?.close();
  state.log = null;
}

/** The tier-1 compilations of this run so far. */
export function compileStatistics(): readonly CompileRecord[] {
  return state.compiles;
}

/** Runs a new activation with the best code its method has, compiling it when it is due. */
export function enterMethod(frame: Frame): SomValue {
  const method = frame.method;
  const code = method.compiled;
  if (code !== null) {
    // Multi: tier-1 code's activations count towards the method's entry trace, as its
    // back-edges count towards loop traces; a side exit goes on in tier-1 code.
    if (state.traceEntries && frame.pc === 0 && !state.traceFromInterpreter) return viaEntryTrace(frame, code);
    return code(frame, frame.pc);
  }
  if (++method.invocations > state.invocationThreshold) return tier1(method)(frame, frame.pc);
  // Tier2: the interpreter's activations count; after a side exit it goes on at frame.pc.
  if (state.traceEntries && frame.pc === 0 && state.traceFromInterpreter) return viaEntryTrace(frame, interpret);
  return interpret(frame);
}

/**
 * Runs the new activation `frame` as its method's entry trace when it has one (or records it
 * when it is due: trace-runtime.ts `traceMethodEntry`), else with `run` (the interpreter or
 * tier-1 code), which also goes on at frame.pc after a side exit. (Only from pc 0: side exits
 * resume rebuilt activations through `enterMethod` too, mid-method.)
 */
function viaEntryTrace(frame: Frame, run: (frame: Frame, pc: number) => SomValue): SomValue {
  const traced = traceMethodEntry(frame);
  return traced === NO_OSR || traced === RESUME_AT_FRAME_PC ? run(frame, frame.pc) : traced;
}

/**
 * The interpreter took a loop back-edge to `pc`. When the method is hot enough, continue this
 * activation in tier 1 from `pc` and answer its result; otherwise answer NO_OSR.
 */
export function backEdge(method: SomMethod, pc: number, frame: Frame): BackEdgeOutcome {
  // Tier 2 first (mode tier2: there is no tier 1 to go to): a hot loop runs as a trace.
  if (state.traceFromInterpreter) {
    const traced = traceBackEdge(method, pc, frame);
    if (traced !== NO_OSR) return traced;
  }
  if (++method.backEdges <= state.backEdgeThreshold) return NO_OSR;
  const code = tier1(method);
  state.log?.record({ event: 'osr', method: methodName(method), pc });
  return code(frame, pc);
}

/**
 * How tier-1 code reaches tier 2 at its loop back-edges (modes that trace): it counts on the
 * header object and calls in only when the count passes the header's trigger.
 */
const TIER1_LOOPS: Tier1Loops = {
  header: (method, pc) => (traceRuntimeEnabled() ? loopHeader(method, pc) : null),
  // Invariant: tier-1 code passes back the header object `header` gave it.
  backEdge: loopBackEdge as Tier1Loops['backEdge'],
};

/** The method's tier-1 code, compiling it now if it has none. */
function tier1(method: SomMethod): NonNullable<SomMethod['compiled']> {
  if (method.compiled !== null) return method.compiled;
  const start = process.hrtime.bigint();
  const { code, source } = compileTier1(method, TIER1_LOOPS);
  const micros = Number((process.hrtime.bigint() - start) / 1000n);
  method.compiled = code;
  state.compiles.push({ micros, bytecodes: method.code.length });
  state.log?.record({
    event: 'tier1-compile',
    method: methodName(method),
    bytecodes: method.code.length,
    emittedBytes: source.length,
    compileMicros: micros,
  });
  if (state.dumpDir !== null) dump(method);
  return code;
}

/** Writes the method's tier-1 source with per-bytecode comments (differs only in comments). */
function dump(method: SomMethod): void {
  const { text } = emitTier1(method, true, TIER1_LOOPS);
  // Blocks share their method's name: their source position keeps the file names apart.
  const column = method.columns.find((c) => c > 0) ?? 0;
  const file = join(state.dumpDir!, `${tier1Name(method)}.L${method.line}C${column}.js`);
  writeFileSync(file, text);
}

export function defaultTierOptions(): TierOptions {
  return { mode: 'interp', params: defaultParams() };
}

/**
 * Tier 2 at run time (issue #10 item 4): hot loops to traces, and the policy around them.
 *
 * The tier manager (tier-manager.ts) hands every interpreter loop back-edge here in the modes
 * that trace (tier2, multi), and tier-1 code counts its back-edges on the same loop headers
 * (loop-headers.ts). Past the threshold a loop is recorded (recorder.ts runs the loop's next
 * iteration concretely), optimised (opt/pipeline.ts), compiled with the run's SomHeap
 * (backend.ts) and installed at its header and in the code cache (trace-cache.ts). Later
 * back-edges to that header enter the trace with the frame's inputs; a side exit rebuilds the
 * frames, finishes the inlined activations (deopt.ts) and answers RESUME_AT_FRAME_PC: the
 * interpreter or tier-1 code that took the back-edge goes on with the entry frame at
 * `frame.pc`, in the same JS call, so exits do not nest.
 *
 * Hot methods are traced the same way from their entry (`traceMethodEntry`, counted per
 * activation on an entry "header" at pc 0): the trace ends where the method returns, with
 * `finish`, or, in a method with a loop, at the loop's header, going on in its trace. A bridge
 * may end with `finish` too, where the loop's method returns after its loop.
 *
 * Around that:
 * - invalidation: each trace has a TraceValidity, registered after compiling on every class and
 *   global the trace folded (trace-dependencies.ts); an invalid trace is dropped from its
 *   header when the header is next reached, and the loop may be recorded again;
 * - back-off and blacklisting of headers whose recordings fail or whose traces keep being
 *   invalidated (blacklist.ts);
 * - a bounded code cache: past `--max-traces`, the least recently entered trace is dropped;
 * - the jit log (trace-start, trace-abort, trace-compile, invalidate, evict, blacklist, and
 *   per trace its entries and exits when it leaves the cache or the run ends) and the trace
 *   dumps (trace-dump.ts).
 */
import { methodName } from '../../interpreter/backtrace.ts';
import { VmInternalError } from '../../interpreter/errors.ts';
import type { Frame } from '../../interpreter/model/frame.ts';
import type { Invokable, SomMethod } from '../../interpreter/model/method.ts';
import { activateWith, invokeFromStack, sendFrame } from '../../interpreter/invoke.ts';
import type { SomValue } from '../../interpreter/model/objects.ts';
import { type BackEdgeOutcome, NO_OSR, RESUME_AT_FRAME_PC } from '../../interpreter/tier-hooks.ts';
import type { Trace } from '../ir/trace.ts';
import type { CompileCost, JitLog } from '../jit-log.ts';
import { optimize } from '../opt/pipeline.ts';
import { compileTrace } from './backend.ts';
import {
  afterCompile,
  afterEviction,
  afterExitStorm,
  afterFailedRecording,
  afterInvalidation,
  exitsTooOften,
  mayFinishAtReturn,
  type Verdict,
} from './blacklist.ts';
import { continueActivation, finishInlinedActivations, rebuildFrames, resumeAfterThrow } from './deopt.ts';
import { InstalledTrace } from './installed-trace.ts';
import { type LoopHeader, LoopHeaders } from './loop-headers.ts';
import { type RecordOptions, recordBridge, recordEntry, recordLoop, traceInputs } from './recorder.ts';
import { hasLoop } from './inlining-policy.ts';
import { type BridgeLayout, type InputPlan, exitInputs, inputPlan, levelKinds } from './bridge-inputs.ts';
import { SomHeap } from './som-heap.ts';
import type { ExitFrame } from '../ir/snapshot.ts';
import { TraceCache } from './trace-cache.ts';
import { type CompiledTrace, type SideExit, TRACE_FINISH, TRACE_JUMP, leaveTrace } from './trace-code.ts';
import { MAX_INLINED_BRIDGES, MAX_INLINED_SOURCE, inlinable } from './inlined-bridges.ts';
import { changedSince, dependencyStamp, registerDependencies, unregisterDependencies } from './trace-dependencies.ts';
import { TraceDumper } from './trace-dump.ts';
import { TraceValidity } from './trace-validity.ts';
import { TraceBudget } from './trace-budget.ts';

/** How tier 2 runs (tier-manager.ts derives it from the mode and the parameters). */
export interface TraceRuntimeConfig {
  /** Whether loops are traced at all (modes tier2 and multi). */
  readonly enabled: boolean;
  /** Back-edges to a loop header before it is recorded (`--tier2-threshold`). */
  readonly threshold: number;
  /** Activations of a method before it is traced from its entry; 0: never (`--tier2-entry-threshold`). */
  readonly entryThreshold: number;
  /** Instructions recorded at most (`--trace-limit`). */
  readonly traceLimit: number;
  /** Failures of one guard before a bridge is recorded (`--bridge-threshold`). */
  readonly bridgeThreshold: number;
  /** Runs of a bridge before it is inlined into its root's function; 0: never (`--bridge-inline-threshold`). */
  readonly bridgeInlineThreshold: number;
  /** Compiled traces kept at most (`--max-traces`). */
  readonly maxTraces: number;
  /** The share of the time, in percent, spent making traces at most (`--trace-budget`). */
  readonly traceBudget: number;
  /** The time, in ms, that may be spent making traces at once (`--trace-budget-burst`). */
  readonly traceBudgetBurst: number;
  /** Where events go (`--jit-log`), if anywhere. */
  readonly log: JitLog | null;
  /** Where trace dumps go (`--dump-traces`), if anywhere. */
  readonly dumpDir: string | null;
}

/** What tier 2 did in a run (tests and statistics). */
export interface TraceStatistics {
  recordings: number;
  /** Recordings that gave no trace (aborted, the method returned, or what they folded changed). */
  aborts: number;
  compiled: number;
  entries: number;
  exits: number;
  /** Traces dropped because a lookup or global they folded changed. */
  invalidations: number;
  /** Traces dropped to keep the code cache within `--max-traces`. */
  evictions: number;
  /** Times a loop header was blacklisted. */
  blacklistings: number;
  /** Bridges compiled (also counted in `compiled`). */
  bridges: number;
  /** Recordings (of loops, entries and bridges) put off because the trace budget had no time. */
  deferred: number;
  /** Why the last recording that gave no trace stopped, if one did. */
  lastAbort: string | null;
}

interface TraceRuntimeState {
  config: TraceRuntimeConfig;
  /** The run's heap model, made at the first recording (it needs the bootstrapped classes). */
  heap: SomHeap | null;
  headers: LoopHeaders;
  /** The entries of methods (`traceMethodEntry`): a "header" at pc 0 per method. */
  entries: LoopHeaders;
  /** Counts runs (configureTraceRuntime): a header kept on a method from an earlier run is stale. */
  generation: number;
  /** The inputs of a trace entered from a frame, reused (a trace reads them all first). */
  inputs: unknown[];
  cache: TraceCache<InstalledTrace>;
  /** Whether tier 2 has time to make a trace now (trace-budget.ts). */
  budget: TraceBudget;
  dumper: TraceDumper | null;
  /** True while a recording runs: back-edges inside it are neither counted nor traced. */
  recording: boolean;
  /**
   * Where compiled code leaves its values (trace-code.ts), one array for the run: it grows in
   * place (`growOut`), so a trace's `out` is this one whenever it returns.
   */
  readonly out: unknown[];
  readonly statistics: TraceStatistics;
}

const OFF: TraceRuntimeConfig = {
  enabled: false,
  threshold: Infinity,
  entryThreshold: 0,
  traceLimit: 0,
  bridgeThreshold: Infinity,
  bridgeInlineThreshold: 0,
  maxTraces: 0,
  traceBudget: 100,
  traceBudgetBurst: 0,
  log: null,
  dumpDir: null,
};

function zeroStatistics(): TraceStatistics {
  return {
    recordings: 0,
    aborts: 0,
    compiled: 0,
    entries: 0,
    exits: 0,
    invalidations: 0,
    evictions: 0,
    blacklistings: 0,
    bridges: 0,
    deferred: 0,
    lastAbort: null,
  };
}

const state: TraceRuntimeState = {
  config: OFF,
  heap: null,
  headers: new LoopHeaders(Infinity),
  entries: new LoopHeaders(Infinity),
  generation: 0,
  inputs: [],
  cache: new TraceCache(0),
  budget: new TraceBudget(100, 0),
  dumper: null,
  recording: false,
  out: [],
  statistics: zeroStatistics(),
};

/** Sets up tier 2 for a run; resets its caches and statistics. */
export function configureTraceRuntime(config: TraceRuntimeConfig): void {
  state.config = config;
  state.heap = null;
  state.headers = new LoopHeaders(config.threshold);
  state.entries = new LoopHeaders(config.entryThreshold, ++state.generation);
  state.cache = new TraceCache(config.maxTraces);
  state.budget = new TraceBudget(config.traceBudget, config.traceBudgetBurst * 1000);
  state.dumper = config.enabled && config.dumpDir !== null ? new TraceDumper(config.dumpDir) : null;
  state.recording = false;
  Object.assign(state.statistics, zeroStatistics());
}

/**
 * Ends the run: logs (and dumps) the entry and exit counts of the traces still installed, and
 * how many recordings the trace budget put off.
 */
export function finishTraceRuntime(): void {
  for (const installed of state.cache.all()) reportCounts(installed);
  const deferred = state.statistics.deferred;
  if (deferred > 0) state.config.log?.record({ event: 'trace-budget', deferred });
}

export function traceRuntimeEnabled(): boolean {
  return state.config.enabled;
}

export function traceStatistics(): Readonly<TraceStatistics> {
  return state.statistics;
}

/** The state of the loop header (method, pc), made at its first use. */
export function loopHeader(method: SomMethod, pc: number): LoopHeader {
  return state.headers.at(method, pc);
}

/** The interpreter took a back-edge to `pc` in `frame`: counts it, and acts when it is due. */
export function traceBackEdge(method: SomMethod, pc: number, frame: Frame): BackEdgeOutcome {
  const header = state.headers.at(method, pc);
  if (++header.backEdges <= header.trigger) return NO_OSR;
  return loopBackEdge(header, frame);
}

/**
 * A new activation `frame` starts, at pc 0, in the code that may enter traces (the interpreter
 * in mode tier2, tier-1 code in multi). A hot method is traced from its entry, as PyPy traces a
 * function from its start: its activations count on its entry "header", and past
 * `--tier2-entry-threshold` the activation is recorded, and later activations run that trace.
 * A method without loops is recorded to its return (the trace ends in `finish`, handing the
 * result out). Calls the trace does not inline (a recursive send, say) enter the callee's own
 * entry trace. A method with a loop is recorded up to its loop's header, and its trace then
 * goes on in the loop's trace (`jump_trace`): an activation runs no instruction outside
 * compiled code, and in `tier2` none in the interpreter. Until its loop has a trace, the
 * method waits. Answers as `loopBackEdge` (NO_OSR: run it as the caller would).
 */
export function traceMethodEntry(frame: Frame): BackEdgeOutcome {
  const method = frame.method;
  // (The header is kept on the method too: this runs at every activation.)
  let header = method.traceEntry as LoopHeader | null;
  if (header === null || header.generation !== state.generation) {
    header = state.entries.at(method, 0);
    method.traceEntry = header;
  }
  if (++header.backEdges <= header.trigger) return NO_OSR;
  if (header.trace === null && hasLoop(method) && !state.headers.hasTraceIn(method)) {
    header.trigger = header.backEdges + state.config.entryThreshold;
    return NO_OSR;
  }
  return loopBackEdge(header, frame);
}

/**
 * A back-edge to `header` in `frame` passed its trigger (the caller counted it): enter the
 * loop's trace, or record one. Answers RESUME_AT_FRAME_PC when the activation goes on at
 * `frame.pc` (after a side exit or a recording), its result when it ended, NO_OSR otherwise.
 */
export function loopBackEdge(header: LoopHeader, frame: Frame): BackEdgeOutcome {
  if (state.recording) return NO_OSR;
  const installed = header.trace;
  if (installed !== null) {
    if (installed.validity.valid) return enterTrace(installed, frame);
    dropInvalid(installed);
  }
  if (header.backEdges <= header.trigger) return NO_OSR;
  if (!timeToTrace()) {
    // No time for a trace now: the loop (or method) runs on where it is, and asks again later.
    header.trigger = header.backEdges + (isEntry(header) ? state.config.entryThreshold : state.config.threshold);
    return NO_OSR;
  }
  return record(header, frame);
}

/** Records the loop at the header from `frame`; installs its trace; answers as `loopBackEdge`. */
function record(header: LoopHeader, frame: Frame): BackEdgeOutcome {
  const validity = new TraceValidity(`${methodName(header.method)} @${header.pc}`);
  const stamp = dependencyStamp();
  state.heap ??= new SomHeap();
  state.statistics.recordings++;
  state.config.log?.record({ event: 'trace-start', ...where(header) });
  const start = process.hrtime.bigint();
  state.recording = true;
  let outcome;
  try {
    outcome = isEntry(header)
      ? recordEntry(frame, recordOptions(validity))
      : recordLoop(frame, header.pc, { ...recordOptions(validity), finishAtReturn: mayFinishAtReturn(header) });
  } finally {
    state.recording = false;
  }
  const recordMicros = microsSince(start);
  if (outcome.kind === 'threw') {
    failed(header, outcome.reason, recordMicros);
    throw outcome.exception;
  }
  if (outcome.kind === 'returned') {
    failed(header, outcome.reason, recordMicros);
    return outcome.value as SomValue;
  }
  if (outcome.kind === 'aborted') {
    failed(header, outcome.reason, recordMicros);
    return resumeAt(frame, outcome.pc);
  }
  // The program may have changed what the recording folded, in a call it made.
  const stale = validity.valid ? changedSince(outcome.trace, stamp) : validity.reason;
  if (outcome.kind === 'finished') {
    // An entry trace: the recording ran the activation to its end.
    if (stale !== null) failed(header, stale, recordMicros);
    else install(header, outcome.trace, validity, recordMicros);
    return outcome.value as SomValue;
  }
  if (stale !== null) {
    failed(header, stale, recordMicros);
    return resumeAt(frame, outcome.pc);
  }
  const installed = install(header, outcome.trace, validity, recordMicros);
  // The recording ran the iteration: the frame is at the header it closed at, which is this
  // loop's, or that of another loop with a trace (it ended in jump_trace there). Only the trace
  // of that header may run from the frame's state.
  if (outcome.pc === header.pc) return enterTrace(installed, frame);
  const reached = runnableHeader(frame.method, outcome.pc);
  frame.pc = outcome.pc;
  return reached !== null ? enterTrace(reached.trace!, frame) : RESUME_AT_FRAME_PC;
}

function recordOptions(validity: TraceValidity): RecordOptions {
  return { heap: state.heap!, limit: state.config.traceLimit, validity, traceAt: runnableHeader, send: SEND };
}

const SEND = { fn: sendFromTrace as (...args: unknown[]) => unknown, name: 'sendFromTrace' };

/**
 * A send a compiled trace makes without inlining it (its `call`): `invokeFromStack`, except that
 * a SOM method whose entry trace may run enters it straight, without the activation's way
 * through the tier manager (PyPy's `call_assembler`). Its activation is the same: the depth
 * limit, and how it ends (`activateWith`).
 */
export function sendFromTrace(invokable: Invokable, caller: Frame, base: number, numArgs: number): SomValue {
  if (invokable.kind === 'method' && !state.recording) {
    const header = invokable.traceEntry as LoopHeader | null;
    const installed = header?.trace ?? null;
    if (installed !== null && installed.validity.valid && header!.generation === state.generation) {
      header!.backEdges++;
      return activateWith(sendFrame(invokable, caller, base, numArgs), runEntryTrace);
    }
  }
  return invokeFromStack(invokable, caller, base, numArgs);
}

/**
 * Runs a new activation `frame` from its method's entry trace (`sendFromTrace` checked it may
 * run). This is the hot path of calls between traces (a recursive method's activations all
 * come here), so the common case, a trace that runs to its `finish`, is handled in line:
 * `enterTrace` and `runTraces` take over only when the trace left through an exit or a jump.
 */
function runEntryTrace(frame: Frame): SomValue {
  const installed = (frame.method.traceEntry as LoopHeader).trace!;
  countEntry(installed);
  const compiled = installed.compiled;
  const inputs = traceInputs(frame, state.inputs, compiled.trace.inputs.length);
  const out = state.out;
  const code = compiled.code(inputs, out, frame);
  if (code === TRACE_FINISH) return out[0] as SomValue;
  const outcome = continueTraces(installed, compiled, frame, inputs, out, code);
  return outcome === NO_OSR || outcome === RESUME_AT_FRAME_PC ? continueActivation(frame) : outcome;
}

/** The loop header at (method, pc) if it has a trace that may run (a recording may end in it). */
function runnableHeader(method: SomMethod, pc: number): LoopHeader | null {
  const header = state.headers.find(method, pc);
  return header !== null && header.trace !== null && header.trace.validity.valid ? header : null;
}

/** Optimises and compiles `recorded`, installs it at `header`, and registers its dependencies. */
function install(header: LoopHeader, recorded: Trace, validity: TraceValidity, recordMicros: number): InstalledTrace {
  const { installed, cost } = compileRecorded(header, recorded, validity, recordMicros);
  header.trace = installed;
  afterCompile(header);
  for (const evicted of state.cache.add(installed)) evict(evicted);
  state.config.log?.record({ event: 'trace-compile', trace: installed.id, ...where(header), ...cost });
  state.dumper?.write(installed, recorded, state.heap!);
  return installed;
}

/**
 * Optimises and compiles a recorded trace or bridge (numbered in the run), and registers its
 * dependencies; answers it with what it cost, for the log.
 */
function compileRecorded(
  header: LoopHeader,
  recorded: Trace,
  validity: TraceValidity,
  recordMicros: number,
  plan: InputPlan | null = null,
): { installed: InstalledTrace; cost: CompileCost } {
  const id = state.statistics.compiled++;
  const start = process.hrtime.bigint();
  const optimized = optimize(recorded, '', { heap: state.heap! });
  const optimizeMicros = microsSince(start);
  const compiled = compileTrace(optimized, state.heap!, plan === null ? { id } : { id, plan });
  const compileMicros = microsSince(start) - optimizeMicros;
  state.budget.spend(recordMicros + optimizeMicros + compileMicros);
  growOut(compiled.outSize);
  const installed = new InstalledTrace(id, header, compiled, validity, registerDependencies(recorded, validity));
  installed.inputPlan = plan;
  const cost = {
    opsRecorded: recorded.ops.length,
    opsOptimized: optimized.ops.length,
    guards: compiled.exits.length,
    recordMicros,
    optimizeMicros,
    compileMicros,
    emittedBytes: compiled.source.length,
  };
  return { installed, cost };
}

/** Makes `state.out` hold at least `size` values (a compiled trace's `outSize`). */
function growOut(size: number): void {
  if (size > state.out.length) state.out.length = size;
}

/** Whether the trace budget lets a due recording start now; one it puts off is counted. */
function timeToTrace(): boolean {
  if (state.budget.allows()) return true;
  state.statistics.deferred++;
  return false;
}

/** A recording at `header` gave no trace, for `reason`. */
function failed(header: LoopHeader, reason: string, recordMicros: number): void {
  state.budget.spend(recordMicros);
  state.statistics.aborts++;
  state.statistics.lastAbort = reason;
  state.config.log?.record({ event: 'trace-abort', ...where(header), reason, recordMicros });
  noteVerdict(header, afterFailedRecording(header));
}

/** Whether `header` is a method's entry (`traceMethodEntry`), not a loop's. */
function isEntry(header: LoopHeader): boolean {
  return state.entries.find(header.method, header.pc) === header;
}

/** `installed` was found invalid at its header: it leaves the header and the cache. */
function dropInvalid(installed: InstalledTrace): void {
  const header = installed.header;
  state.statistics.invalidations++;
  state.config.log?.record({
    event: 'invalidate',
    trace: installed.id,
    ...where(header),
    reason: installed.validity.reason ?? 'invalid',
  });
  retire(installed);
  noteVerdict(header, afterInvalidation(header, state.config.threshold));
}

/** The code cache dropped `installed` to stay within its capacity. */
function evict(installed: InstalledTrace): void {
  state.statistics.evictions++;
  state.config.log?.record({ event: 'evict', trace: installed.id, ...where(installed.header) });
  // It may be running (its loop called the code that compiled the new trace): it finishes, but
  // is not entered again.
  installed.validity.invalidate('evicted from the code cache');
  retire(installed);
  afterEviction(installed.header, state.config.threshold);
}

/** Unhooks `installed` from its header, the cache and what it depends on; reports its counts. */
function retire(installed: InstalledTrace): void {
  if (installed.header.trace === installed) installed.header.trace = null;
  state.cache.remove(installed);
  unregisterDependencies(installed.dependencies, installed.validity);
  reportCounts(installed);
}

function reportCounts(installed: InstalledTrace): void {
  const log = state.config.log;
  if (log !== null) {
    const bridges = bridgesUnder(installed);
    let slowExits = installed.slowExits;
    let slowExitsIntoTier1 = installed.slowExitsIntoTier1;
    for (const { bridge } of bridges) {
      slowExits += bridge.slowExits;
      slowExitsIntoTier1 += bridge.slowExitsIntoTier1;
    }
    log.record({
      event: 'trace-exits',
      trace: installed.id,
      ...where(installed.header),
      entries: installed.entries,
      exits: exitCounts(installed),
      resumedIn: { tier1: slowExitsIntoTier1, interpreter: slowExits - slowExitsIntoTier1 },
      bridges: bridges.map(({ parent, exit, bridge }) => ({
        trace: bridge.id,
        parent: parent.id,
        exit: exit.exitId,
        inlined: installed.inlined.has(exit),
        entries: bridge.entries,
        exits: exitCounts(bridge),
      })),
    });
  }
  state.dumper?.appendExitCounts(installed);
}

/** Exit number -> times taken, for the exits of `trace` (its own, not its bridges') taken at least once. */
function exitCounts(trace: InstalledTrace): Record<string, number> {
  const exits: Record<string, number> = {};
  for (const exit of trace.ownExits) if (exit.taken > 0) exits[exit.exitId] = exit.taken;
  return exits;
}

/**
 * The bridges attached under `trace`: to its exits, to their exits, and so on, each once, with
 * the trace and exit it is attached to. Bridges are not in the code cache and report nothing
 * themselves, so their root's `trace-exits` holds their counts: a slow exit counts on the
 * trace whose function took it (a bridge compiled into its root's function counts on the
 * root), and exits count on the trace they belong to wherever its code runs (an inlined
 * bridge's code keeps its own exits: inlined-bridges.ts).
 */
function bridgesUnder(
  trace: InstalledTrace,
): { readonly parent: InstalledTrace; readonly exit: SideExit; readonly bridge: InstalledTrace }[] {
  const seen = new Set<InstalledTrace>([trace]);
  const found: { parent: InstalledTrace; exit: SideExit; bridge: InstalledTrace }[] = [];
  const visit = (parent: InstalledTrace): void => {
    for (const exit of parent.ownExits) {
      const bridge = exit.bridge as InstalledTrace | null;
      if (bridge === null || seen.has(bridge)) continue;
      seen.add(bridge);
      found.push({ parent, exit, bridge });
      visit(bridge);
    }
  };
  visit(trace);
  return found;
}

function noteVerdict(header: LoopHeader, verdict: Verdict): void {
  if (!verdict.blacklisted) return;
  state.statistics.blacklistings++;
  state.config.log?.record({
    event: 'blacklist',
    ...where(header),
    reason: verdict.reason,
    waitBackEdges: verdict.wait,
  });
}

/**
 * Runs `installed` from `frame` at its loop header until a guard fails (or a call with an
 * exception exit throws), rebuilds the frames of the exit and finishes the inlined activations
 * (deopt.ts); the entry activation goes on at `frame.pc`.
 */
function enterTrace(installed: InstalledTrace, frame: Frame): BackEdgeOutcome {
  countEntry(installed);
  return runTraces(installed, frame);
}

/** `installed` is entered from a frame: counted, and the most recent in the code cache. */
function countEntry(installed: InstalledTrace): void {
  state.statistics.entries++;
  installed.entries++;
  state.cache.touch(installed);
}

/**
 * Runs compiled code from `compiled` on `frame` until it leaves compiled code: a trace that
 * ends in `jump_trace` goes on in the target header's trace, and a side exit with a bridge in
 * the bridge (with the frame's state written back and read again as the bridge's inputs), all
 * in this loop, so linked traces do not grow the JS stack. An exit taken `--bridge-threshold`
 * times from the entry frame alone gets a bridge recorded from it. Answers as `loopBackEdge`.
 */
function runTraces(first: InstalledTrace, frame: Frame): BackEdgeOutcome {
  const compiled = first.compiled;
  const inputs = traceInputs(frame, state.inputs, compiled.trace.inputs.length);
  const out = state.out;
  return continueTraces(first, compiled, frame, inputs, out, compiled.code(inputs, out, frame));
}

/**
 * `runTraces` once `compiled`, the code of `current`, ran on `inputs` and answered `code`. (The
 * code as it was at the call: a call the trace made may have recompiled `current` with bridges
 * inlined, renumbering its exits.) The parameters are the loop's variables; `out` is `state.out`.
 */
function continueTraces(
  current: InstalledTrace,
  compiled: CompiledTrace,
  frame: Frame,
  inputs: unknown[],
  out: unknown[],
  code: number,
): BackEdgeOutcome {
  for (; ; compiled = current.compiled, code = compiled.code(inputs, out, frame)) {
    const planned = code >= 0 ? plannedBridge(compiled, code) : null;
    if (planned !== null) {
      // The hot path of a trace with bridges: straight from the exit's live values into the bridge.
      state.statistics.exits++;
      // (It reads its inputs from `out` and the entry frame itself: backend.ts, its plan.)
      inputs = out;
      if (++planned.entries === state.config.bridgeInlineThreshold)
        inlineIntoRoot(current, compiled.exits[code]!, planned);
      current = planned;
      continue;
    }
    // A bridge ended where the entry activation returns: `out[0]` is its result.
    if (code === TRACE_FINISH) return out[0] as SomValue;
    if (code === TRACE_JUMP) {
      const header = compiled.jumpTarget as LoopHeader;
      const next = header.trace;
      // The values are the next trace's inputs where they are: a trace reads all its inputs
      // before it writes `out` (trace-code.ts).
      inputs = out;
      if (next !== null && next.validity.valid) {
        current = next;
        next.entries++;
        continue;
      }
      // The target's trace is gone: the frame goes on at its header in the interpreter.
      writeInputs(frame, inputs);
      return resumeAt(frame, header.pc);
    }
    const outcome = leaveTrace(compiled, code, out);
    if (outcome.kind !== 'exit' && outcome.kind !== 'throw') {
      throw new VmInternalError(`trace ${compiled.functionName} ended with ${outcome.kind}, not a side exit`);
    }
    state.statistics.exits++;
    // An exception exit rethrows what its inlined levels do not catch, for frame's own activate.
    if (outcome.kind === 'throw') {
      resumeAfterThrow(state.heap!, frame, outcome.frames, outcome.exception);
      return RESUME_AT_FRAME_PC;
    }
    const bridge = attachedBridge(outcome.exit);
    if (bridge !== null) {
      // (A bridge with a plan reads the exit's values itself.)
      inputs = bridge.inputPlan !== null ? out : exitInputs(state.heap!, frame, outcome.frames);
      current = bridge;
      bridge.entries++;
      continue;
    }
    const frames = rebuildFrames(state.heap!, frame, outcome.frames);
    noteSlowExit(current, frame.method.compiled !== null);
    const next = afterExit(current, outcome.exit, outcome.frames, frames);
    if (next.kind === 'returned') return next.value;
    if (next.kind === 'resume') return RESUME_AT_FRAME_PC;
    current = next.trace;
    current.entries++;
    inputs = traceInputs(frame, state.inputs, current.compiled.trace.inputs.length);
  }
}

/**
 * A run of `installed` left compiled code through a side exit with no bridge (frames rebuilt,
 * inlined activations finished in the interpreter or tier 1). A loop trace that does so in most
 * of its runs costs more than it saves (an exit is far dearer than an iteration): it is dropped
 * and its header blacklisted, so in `multi` the loop stays in tier 1.
 */
function noteSlowExit(installed: InstalledTrace, intoTier1: boolean): void {
  installed.slowExits++;
  // The entry frame goes on in the code that entered the trace: tier 1 if its method has it
  // (in `multi` only tier-1 code enters traces; in `tier2` methods have none).
  if (intoTier1) installed.slowExitsIntoTier1++;
  const header = installed.header;
  if (header.trace !== installed || !exitsTooOften(installed)) return;
  installed.validity.invalidate('it left through side exits in most of its runs');
  state.config.log?.record({
    event: 'invalidate',
    trace: installed.id,
    ...where(header),
    reason: installed.validity.reason!,
  });
  retire(installed);
  noteVerdict(header, afterExitStorm(header, installed));
}

/**
 * The bridge attached to the guard exit `code` of `compiled`, if it may run and reads its
 * inputs through a plan (bridge-inputs.ts); counts the exit as taken. Else null: the exit is
 * decoded in full (`leaveTrace`).
 */
function plannedBridge(compiled: CompiledTrace, code: number): InstalledTrace | null {
  const exit = compiled.exits[code];
  if (exit === undefined || exit.onThrow) return null;
  const bridge = attachedBridge(exit);
  if (bridge === null || bridge.inputPlan === null) return null;
  exit.taken++;
  return bridge;
}

/** The bridge attached to `exit`, if it may run (an invalid one is detached). */
function attachedBridge(exit: SideExit): InstalledTrace | null {
  const bridge = exit.bridge as InstalledTrace | null;
  if (bridge === null || bridge.validity.valid) return bridge;
  exit.bridge = null;
  return null;
}

/** Per exit that was tried for a bridge: the count of failures at which it is tried again. */
const bridgeAttemptAt = new WeakMap<SideExit, number>();
/** Per exit that was tried for a bridge: the failures waited before that next attempt. */
const bridgeWait = new WeakMap<SideExit, number>();

/** What runs after a side exit: compiled code from the frame's state, the interpreter, or nothing (the activation returned). */
type AfterExit =
  | { readonly kind: 'run'; readonly trace: InstalledTrace }
  | { readonly kind: 'resume' }
  | { readonly kind: 'returned'; readonly value: SomValue };

const RESUME: AfterExit = { kind: 'resume' };

/** Writes a trace's inputs (or jump_trace values) `[frame, self, ...slots]` back into `frame`. */
function writeInputs(frame: Frame, values: readonly unknown[]): void {
  // (`values` may be longer: the runtime's `out` buffer.)
  const slots = frame.slots;
  for (let i = 0; i < slots.length; i++) slots[i] = values[i + 2] as SomValue;
}

/**
 * What runs after `exit` left `exitFrames`, rebuilt as the activations `frames` (the entry frame
 * first): if the
 * exit is hot (`--bridge-threshold`), a bridge recorded now, which runs the program from the
 * exit on to the loop header it closes at, whose trace then runs; else the interpreter (or tier
 * 1) finishes the inlined activations, and the entry frame goes on at its pc.
 */
function afterExit(
  parent: InstalledTrace,
  exit: SideExit,
  exitFrames: readonly ExitFrame[],
  frames: readonly Frame[],
): AfterExit {
  const due = bridgeAttemptAt.get(exit) ?? state.config.bridgeThreshold;
  if (exit.taken < due || state.recording) {
    finishInlinedActivations(frames);
    return RESUME;
  }
  if (!timeToTrace()) {
    // No time for a bridge now: asked again after as many failures as the first time.
    bridgeAttemptAt.set(exit, exit.taken + state.config.bridgeThreshold);
    finishInlinedActivations(frames);
    return RESUME;
  }
  // A bridge that aborts is tried again later, each time after twice as many failures as the
  // time before (`taken` itself keeps counting: the log and the dumps report it).
  const wait = 2 * (bridgeWait.get(exit) ?? state.config.bridgeThreshold / 2);
  bridgeWait.set(exit, wait);
  bridgeAttemptAt.set(exit, exit.taken + wait);
  const recorded = recordBridgeAt(parent, exit, frames, levelKinds(exitFrames));
  if (recorded.kind !== 'closed') return recorded;
  exit.bridge = recorded.bridge;
  const entry = frames[0]!;
  const target = runnableHeader(entry.method, entry.pc);
  return target === null ? RESUME : { kind: 'run', trace: target.trace! };
}

/**
 * Records a bridge from the exit's activations `frames` and installs it. The recording runs the
 * program: afterwards the entry frame is where it closed (a loop header with a trace) or
 * stopped, and the inlined activations have ended.
 */
function recordBridgeAt(
  parent: InstalledTrace,
  exit: SideExit,
  frames: readonly Frame[],
  layout: BridgeLayout,
): { readonly kind: 'closed'; readonly bridge: InstalledTrace } | AfterExit {
  const innermost = frames[frames.length - 1]!;
  const header = state.headers.at(innermost.method, innermost.pc);
  const validity = new TraceValidity(`bridge at ${methodName(innermost.method)} @${innermost.pc}`);
  const stamp = dependencyStamp();
  state.statistics.recordings++;
  state.config.log?.record({ event: 'bridge-start', ...where(header), levels: frames.length });
  const start = process.hrtime.bigint();
  state.recording = true;
  let outcome;
  try {
    const captured = exit.snapshot.frames.map((state) => state.captured);
    outcome = recordBridge(frames, layout, { ...recordOptions(validity), captured });
  } finally {
    state.recording = false;
  }
  const recordMicros = microsSince(start);
  const reason =
    outcome.kind === 'aborted' || outcome.kind === 'returned' || outcome.kind === 'threw'
      ? outcome.reason
      : validity.valid
        ? changedSince(outcome.trace, stamp)
        : validity.reason;
  if (reason !== null) {
    state.budget.spend(recordMicros);
    state.statistics.aborts++;
    state.statistics.lastAbort = reason;
    state.config.log?.record({ event: 'bridge-abort', ...where(header), reason, recordMicros });
  }
  if (outcome.kind === 'threw') throw outcome.exception;
  if (outcome.kind === 'finished') {
    // The program left the loop's method from this exit (the loop ended), and so does the
    // bridge: from now on it hands the method's result out (`finish`).
    if (reason === null) {
      const plan = inputPlan(exit, exit.constants, layout);
      exit.bridge = installBridge(header, outcome.trace, validity, recordMicros, { parent, exit, plan });
    }
    return { kind: 'returned', value: outcome.value as SomValue };
  }
  if (outcome.kind === 'returned') return { kind: 'returned', value: outcome.value as SomValue };
  frames[0]!.pc = outcome.pc;
  if (outcome.kind === 'aborted' || reason !== null) return RESUME;
  const plan = inputPlan(exit, exit.constants, layout);
  const bridge = installBridge(header, outcome.trace, validity, recordMicros, { parent, exit, plan });
  exit.bridge = bridge;
  return { kind: 'closed', bridge };
}

/**
 * Compiles `root` again with `bridge`, attached to `exit` of the root's function and run
 * `--bridge-inline-threshold` times from it, in that exit's failure branch, when it can be
 * (inlined-bridges.ts): a bridge that hands the result out, or that jumps back to the root's
 * loop or to the one header the root's function leaves to. The exits stay, with what is
 * attached to them. (A bridge made but rarely run is not worth compiling the root again.)
 */
function inlineIntoRoot(root: InstalledTrace, exit: SideExit, bridge: InstalledTrace): void {
  const plan = bridge.inputPlan;
  if (plan === null || !root.validity.valid || root.inlined.size >= MAX_INLINED_BRIDGES) return;
  // The exit is in the root's function: its own, or one of a bridge inlined there already.
  if (!root.ownExits.includes(exit) && ![...root.inlined.values()].some((inlined) => inlined.exits.includes(exit))) {
    return;
  }
  const bridgeTarget = bridge.compiled.jumpTarget;
  // A bridge back to its root's loop header starts the root over: a loop trace (its trace ends
  // in `jump`, or in `finish` when it is the loop's way out: `finishAtReturn`).
  const restarts = !isEntry(root.header) && bridgeTarget === root.header && root.header.trace === root;
  const how = { restarts, rootTarget: root.compiled.jumpTarget, bridgeTarget };
  if (!inlinable(root.compiled.trace, bridge.compiled.trace, how)) return;
  const { id, validity } = bridge;
  root.inlined.set(exit, { id, trace: bridge.compiled.trace, plan, exits: bridge.ownExits, validity, restarts });
  const start = process.hrtime.bigint();
  const inline = { rootExits: root.ownExits, bridges: root.inlined };
  const compiled = compileTrace(root.compiled.trace, state.heap!, { id: root.id, inline });
  const compileMicros = microsSince(start);
  state.budget.spend(compileMicros);
  if (compiled.sizeWithInlineStores > MAX_INLINED_SOURCE) {
    // V8 does not optimise a function beyond a size: the bridge stays a trace of its own.
    root.inlined.delete(exit);
    return;
  }
  root.compiled = compiled;
  growOut(compiled.outSize);
  state.config.log?.record({
    event: 'bridge-inline',
    trace: id,
    into: root.id,
    ...where(bridge.header),
    compileMicros,
    emittedBytes: compiled.source.length,
  });
  state.dumper?.appendInlined(root, state.heap!);
}

/** Optimises and compiles a bridge recorded at `header`'s pc, and registers its dependencies. */
function installBridge(
  header: LoopHeader,
  recorded: Trace,
  validity: TraceValidity,
  recordMicros: number,
  from: { readonly parent: InstalledTrace; readonly exit: SideExit; readonly plan: InputPlan | null },
): InstalledTrace {
  state.statistics.bridges++;
  from.parent.bridges++;
  // A bridge with a plan reads its inputs from the exit itself (compiled in: backend.ts).
  const { installed, cost } = compileRecorded(header, recorded, validity, recordMicros, from.plan);
  // The exit may be one of a bridge inlined into the parent's function.
  const inlined = [...from.parent.inlined.values()].find((bridge) => bridge.exits.includes(from.exit));
  const parent = inlined === undefined ? from.parent.compiled.functionName : `trace${inlined.id}`;
  state.config.log?.record({
    event: 'bridge-compile',
    trace: installed.id,
    ...where(header),
    parent,
    exit: from.exit.exitId,
    ...cost,
  });
  state.dumper?.write(installed, recorded, state.heap!);
  return installed;
}

/** The activation goes on at `pc` (after a recording that did not close). */
function resumeAt(frame: Frame, pc: number): BackEdgeOutcome {
  frame.pc = pc;
  return RESUME_AT_FRAME_PC;
}

/** The header in jit-log terms. */
function where(header: LoopHeader): { method: string; pc: number; entry?: true } {
  const at = { method: methodName(header.method), pc: header.pc };
  return isEntry(header) ? { ...at, entry: true } : at;
}

function microsSince(start: bigint): number {
  return Number((process.hrtime.bigint() - start) / 1000n);
}

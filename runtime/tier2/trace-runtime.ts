/**
 * Tier 2 at run time (issue #10 item 4): hot loops to traces.
 *
 * The tier manager (tier-manager.ts) hands every interpreter loop back-edge here in the modes
 * that trace (tier2, multi), and tier-1 code counts its back-edges on the same `LoopHeader`
 * objects. Per loop header (method, pc) a counter; past the threshold the loop is recorded
 * (recorder.ts runs the loop's next iteration concretely), optimised (opt/pipeline.ts),
 * compiled with the run's SomHeap (backend.ts) and cached per header. Later back-edges to that
 * header enter the compiled trace with the frame's inputs; a side exit rebuilds the frames,
 * finishes the inlined activations (deopt.ts) and answers RESUME_AT_FRAME_PC: the interpreter
 * or tier-1 code that took the back-edge goes on with the entry frame at `frame.pc`, in the same
 * JS call, so exits do not nest. A recording that aborts backs the header off (the wait doubles
 * with each abort) so it is not retried at once.
 *
 * TEMPORARY correctness rule: the recorder folds send-site inline caches and the globals
 * version as constants, with no invalidation yet. So every trace is dropped as soon as any
 * class's lookup changes (`lookupEpoch`, class.ts) or a global is bound (`Globals.version`);
 * the check is on trace entry and after each recording. A trace that itself changes a method
 * array or a global runs on until its next guard fails; proper dependencies replace this.
 */
import { VmInternalError } from '../../interpreter/errors.ts';
import { lookupEpoch } from '../../interpreter/model/class.ts';
import type { Frame } from '../../interpreter/model/frame.ts';
import type { SomMethod } from '../../interpreter/model/method.ts';
import type { SomValue } from '../../interpreter/model/objects.ts';
import { type BackEdgeOutcome, NO_OSR, RESUME_AT_FRAME_PC } from '../../interpreter/tier-hooks.ts';
import { vm } from '../../interpreter/vm-state.ts';
import type { Trace } from '../ir/trace.ts';
import { optimize } from '../opt/pipeline.ts';
import { compileTrace } from './backend.ts';
import { finishInlinedActivations, rebuildFrames } from './deopt.ts';
import { recordLoop, traceInputs } from './recorder.ts';
import { SomHeap } from './som-heap.ts';
import { type CompiledTrace, leaveTrace } from './trace-code.ts';

/** Back-edges waited after the first abort; doubled for each later one (capped). */
const BACKOFF_BASE = 16;
const BACKOFF_MAX_SHIFT = 12;

/** How tier 2 runs (tier-manager.ts derives it from the mode and the parameters). */
export interface TraceRuntimeConfig {
  /** Whether loops are traced at all (modes tier2 and multi). */
  readonly enabled: boolean;
  /** Back-edges to a loop header before it is recorded (`--tier2-threshold`). */
  readonly threshold: number;
  /** Instructions recorded at most (`--trace-limit`). */
  readonly traceLimit: number;
  /** Failures of one guard before a bridge is recorded (`--bridge-threshold`). */
  readonly bridgeThreshold: number;
}

/** What tier 2 did in a run (tests and statistics). */
export interface TraceStatistics {
  recordings: number;
  aborts: number;
  compiled: number;
  entries: number;
  exits: number;
  /** Times every trace was dropped because a lookup or a global changed. */
  drops: number;
  /** Why the last recording that did not close stopped, if one did not. */
  lastAbort: string | null;
}

/**
 * One loop header's state. Tier-1 code holds it as a constant and counts `backEdges` itself,
 * calling `loopBackEdge` only when the count passes `trigger`: so a loop that is not due for
 * anything costs an increment and a compare per iteration.
 */
export interface LoopHeader {
  readonly method: SomMethod;
  readonly pc: number;
  backEdges: number;
  /** `loopBackEdge` is called when `backEdges` passes this: 0 with a trace, else the threshold or the back-off. */
  trigger: number;
  aborts: number;
  trace: CompiledTrace | null;
}

interface TraceRuntimeState {
  config: TraceRuntimeConfig;
  /** The run's heap model, made at the first recording (it needs the bootstrapped classes). */
  heap: SomHeap | null;
  headers: Map<SomMethod, Map<number, LoopHeader>>;
  /** The lookup and globals versions the cached traces were recorded under. */
  epoch: string;
  /** True while a recording runs: back-edges inside it are neither counted nor traced. */
  recording: boolean;
  out: unknown[];
  readonly statistics: TraceStatistics;
}

const OFF: TraceRuntimeConfig = { enabled: false, threshold: Infinity, traceLimit: 0, bridgeThreshold: Infinity };

const state: TraceRuntimeState = {
  config: OFF,
  heap: null,
  headers: new Map(),
  epoch: '',
  recording: false,
  out: [],
  statistics: { recordings: 0, aborts: 0, compiled: 0, entries: 0, exits: 0, drops: 0, lastAbort: null },
};

/** Sets up tier 2 for a run; resets its caches and statistics. */
export function configureTraceRuntime(config: TraceRuntimeConfig): void {
  state.config = config;
  state.heap = null;
  state.headers = new Map();
  state.epoch = '';
  state.recording = false;
  Object.assign(state.statistics, {
    recordings: 0,
    aborts: 0,
    compiled: 0,
    entries: 0,
    exits: 0,
    drops: 0,
    lastAbort: null,
  });
}

export function traceRuntimeEnabled(): boolean {
  return state.config.enabled;
}

export function traceStatistics(): Readonly<TraceStatistics> {
  return state.statistics;
}

/** The current lookup and globals versions, as one comparable key. */
function currentEpoch(): string {
  return `${lookupEpoch.changes}/${vm.globals.version}`;
}

/** Drops every trace if a lookup or a global changed since they were recorded (see the header). */
function checkEpoch(): void {
  const epoch = currentEpoch();
  if (epoch === state.epoch) return;
  state.epoch = epoch;
  let dropped = false;
  for (const headers of state.headers.values()) {
    for (const header of headers.values()) {
      if (header.trace !== null) {
        dropped = true;
        header.trace = null;
        header.trigger = header.backEdges + state.config.threshold;
      }
    }
  }
  if (dropped) state.statistics.drops++;
}

/** The state of the loop header (method, pc), made at its first use. */
export function loopHeader(method: SomMethod, pc: number): LoopHeader {
  let headers = state.headers.get(method);
  if (headers === undefined) state.headers.set(method, (headers = new Map()));
  let header = headers.get(pc);
  if (header === undefined) {
    header = { method, pc, backEdges: 0, trigger: state.config.threshold, aborts: 0, trace: null };
    headers.set(pc, header);
  }
  return header;
}

/** The interpreter took a back-edge to `pc` in `frame`: counts it, and acts when it is due. */
export function traceBackEdge(method: SomMethod, pc: number, frame: Frame): BackEdgeOutcome {
  const header = loopHeader(method, pc);
  if (++header.backEdges <= header.trigger) return NO_OSR;
  return loopBackEdge(header, frame);
}

/**
 * A back-edge to `header` in `frame` passed its trigger (the caller counted it): enter the
 * loop's trace, or record one. Answers RESUME_AT_FRAME_PC when the activation goes on at
 * `frame.pc` (after a side exit or a recording), its result when it ended, NO_OSR otherwise.
 */
export function loopBackEdge(header: LoopHeader, frame: Frame): BackEdgeOutcome {
  if (state.recording) return NO_OSR;
  checkEpoch();
  if (header.trace !== null) return enterTrace(header.trace, frame);
  if (header.backEdges <= header.trigger) return NO_OSR;
  return record(header, frame);
}

/** Records the loop at the header from `frame`; caches its trace; answers as `loopBackEdge`. */
function record(header: LoopHeader, frame: Frame): BackEdgeOutcome {
  const epoch = currentEpoch();
  state.heap ??= new SomHeap();
  state.statistics.recordings++;
  state.recording = true;
  let outcome;
  try {
    outcome = recordLoop(frame, header.pc, { heap: state.heap, limit: state.config.traceLimit });
  } finally {
    state.recording = false;
  }
  if (outcome.kind === 'returned') {
    backOff(header, outcome.reason);
    return outcome.value as SomValue;
  }
  if (outcome.kind === 'aborted') {
    backOff(header, outcome.reason);
    return resumeAt(frame, outcome.pc);
  }
  // A class loaded or a lookup changed while recording: the trace may hold what is now stale.
  if (currentEpoch() !== epoch) {
    header.trigger = header.backEdges + state.config.threshold;
    return resumeAt(frame, outcome.pc);
  }
  header.trace = compile(outcome.trace);
  header.trigger = 0;
  state.epoch = epoch;
  return enterTrace(header.trace, frame);
}

function compile(trace: Trace): CompiledTrace {
  const compiled = compileTrace(optimize(trace), state.heap!, { id: state.statistics.compiled });
  state.statistics.compiled++;
  if (compiled.outSize > state.out.length) state.out = new Array<unknown>(compiled.outSize);
  return compiled;
}

function backOff(header: LoopHeader, reason: string): void {
  state.statistics.aborts++;
  state.statistics.lastAbort = reason;
  header.trigger = header.backEdges + (BACKOFF_BASE << Math.min(header.aborts, BACKOFF_MAX_SHIFT));
  header.aborts++;
}

/**
 * Runs `compiled` from `frame` at its loop header until a guard fails, rebuilds the frames of
 * the exit and finishes the inlined activations; the entry activation goes on at `frame.pc`.
 */
function enterTrace(compiled: CompiledTrace, frame: Frame): BackEdgeOutcome {
  state.statistics.entries++;
  const out = state.out;
  const outcome = leaveTrace(compiled, compiled.code(traceInputs(frame), out), out);
  if (outcome.kind !== 'exit') {
    throw new VmInternalError(`trace ${compiled.functionName} ended with ${outcome.kind}, not a side exit`);
  }
  state.statistics.exits++;
  finishInlinedActivations(rebuildFrames(state.heap!, frame, outcome.frames));
  return RESUME_AT_FRAME_PC;
}

/** The activation goes on at `pc` (after a recording that did not close). */
function resumeAt(frame: Frame, pc: number): BackEdgeOutcome {
  frame.pc = pc;
  return RESUME_AT_FRAME_PC;
}

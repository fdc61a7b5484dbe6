/**
 * Tier 2 at run time (experimental, issue #10 item 4): hot loops to traces.
 *
 * The tier manager (tier-manager.ts) hands every loop back-edge here when `tier2Threshold` is
 * finite. Per loop header (method, pc) a counter; past the threshold the loop is recorded
 * (recorder.ts runs the loop's next iteration concretely), optimised (opt/pipeline.ts),
 * compiled with the run's SomHeap (backend.ts) and cached per header. Later back-edges to that
 * header enter the compiled trace with the frame's inputs; a side exit rebuilds the frames and
 * runs the activation to its end (deopt.ts `resumeAfterExit`), and its result is the
 * activation's result, as on-stack replacement answers it. A recording that aborts backs the
 * header off (the wait doubles with each abort) so it is not retried at once.
 *
 * TEMPORARY correctness rule: the recorder folds send-site inline caches and the globals
 * version as constants, with no invalidation yet. So every trace is dropped as soon as any
 * class's lookup changes (`lookupEpoch`, class.ts) or a global is bound (`Globals.version`);
 * the check is on trace entry and after each recording. A trace that itself changes a method
 * array or a global runs on until its next guard fails; proper dependencies replace this.
 */
import { VmInternalError } from '../../interpreter/errors.ts';
import { interpret } from '../../interpreter/interpreter.ts';
import { lookupEpoch } from '../../interpreter/model/class.ts';
import type { Frame } from '../../interpreter/model/frame.ts';
import type { SomMethod } from '../../interpreter/model/method.ts';
import type { SomValue } from '../../interpreter/model/objects.ts';
import { NO_OSR } from '../../interpreter/tier-hooks.ts';
import { vm } from '../../interpreter/vm-state.ts';
import type { Trace } from '../ir/trace.ts';
import { optimize } from '../opt/pipeline.ts';
import { compileTrace } from './backend.ts';
import { resumeAfterExit } from './deopt.ts';
import { recordLoop, traceInputs } from './recorder.ts';
import { SomHeap } from './som-heap.ts';
import { type CompiledTrace, leaveTrace } from './trace-code.ts';

/** Instructions recorded at most before a recording aborts as too long. */
const RECORDING_LIMIT = 1000;
/** Back-edges waited after the first abort; doubled for each later one (capped). */
const BACKOFF_BASE = 16;
const BACKOFF_MAX_SHIFT = 12;

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

/** One loop header's state. */
interface LoopHeader {
  backEdges: number;
  /** No recording before `backEdges` reaches this (the back-off after aborts). */
  nextAttempt: number;
  aborts: number;
  trace: CompiledTrace | null;
}

interface TraceRuntimeState {
  threshold: number;
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

const state: TraceRuntimeState = {
  threshold: Infinity,
  heap: null,
  headers: new Map(),
  epoch: '',
  recording: false,
  out: [],
  statistics: { recordings: 0, aborts: 0, compiled: 0, entries: 0, exits: 0, drops: 0, lastAbort: null },
};

/** Sets up tier 2 for a run (Infinity: off); resets its caches and statistics. */
export function configureTraceRuntime(threshold: number): void {
  state.threshold = threshold;
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
  return state.threshold !== Infinity;
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
      if (header.trace !== null) dropped = true;
      header.trace = null;
    }
  }
  if (dropped) state.statistics.drops++;
}

function headerAt(method: SomMethod, pc: number): LoopHeader {
  let headers = state.headers.get(method);
  if (headers === undefined) state.headers.set(method, (headers = new Map()));
  let header = headers.get(pc);
  if (header === undefined) headers.set(pc, (header = { backEdges: 0, nextAttempt: 0, aborts: 0, trace: null }));
  return header;
}

/**
 * The interpreter took a back-edge to `pc` in `frame`: enter the header's trace, or record one
 * when the loop is hot; answers the activation's result then, NO_OSR when it stays as it is.
 */
export function traceBackEdge(method: SomMethod, pc: number, frame: Frame): SomValue | typeof NO_OSR {
  if (state.recording) return NO_OSR;
  checkEpoch();
  const header = headerAt(method, pc);
  if (header.trace !== null) return enterTrace(header.trace, frame);
  if (++header.backEdges <= state.threshold || header.backEdges < header.nextAttempt) return NO_OSR;
  return record(header, pc, frame);
}

/** Records the loop at `pc` from `frame`; caches its trace; answers the activation's result. */
function record(header: LoopHeader, pc: number, frame: Frame): SomValue {
  const epoch = currentEpoch();
  state.heap ??= new SomHeap();
  state.statistics.recordings++;
  state.recording = true;
  let outcome;
  try {
    outcome = recordLoop(frame, pc, { heap: state.heap, limit: RECORDING_LIMIT });
  } finally {
    state.recording = false;
  }
  if (outcome.kind === 'returned') {
    backOff(header, outcome.reason);
    return outcome.value as SomValue;
  }
  if (outcome.kind === 'aborted') {
    backOff(header, outcome.reason);
    return interpretFrom(frame, outcome.pc);
  }
  // A class loaded or a lookup changed while recording: the trace may hold what is now stale.
  if (currentEpoch() !== epoch) return interpretFrom(frame, outcome.pc);
  header.trace = compile(outcome.trace);
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
  header.nextAttempt = header.backEdges + (BACKOFF_BASE << Math.min(header.aborts, BACKOFF_MAX_SHIFT));
  header.aborts++;
}

/** Runs `compiled` from `frame` at its loop header until a guard fails; answers the activation's result. */
function enterTrace(compiled: CompiledTrace, frame: Frame): SomValue {
  state.statistics.entries++;
  const out = state.out;
  const outcome = leaveTrace(compiled, compiled.code(traceInputs(frame), out), out);
  if (outcome.kind !== 'exit') {
    throw new VmInternalError(`trace ${compiled.functionName} ended with ${outcome.kind}, not a side exit`);
  }
  state.statistics.exits++;
  return resumeAfterExit(state.heap!, frame, outcome.frames);
}

/** Goes on interpreting `frame` from `pc` (after a recording that did not close). */
function interpretFrom(frame: Frame, pc: number): SomValue {
  frame.pc = pc;
  return interpret(frame);
}

/**
 * The tier-2 backend: a trace becomes one JavaScript function, compiled with `new Function`.
 *
 * The function (protocol in trace-code.ts) keeps every IR value in a local (`const` for SSA
 * values, `let` for the loop variables), so ints and doubles stay unboxed as far as V8 is
 * concerned; the loop is `loop: for (;;) { ... }`; each guard is an `if` that leaves with its
 * exit number after writing the live values of its snapshot to `out`. Its shape:
 *
 * ```
 * 'use strict';
 * const k0 = K[0];                                  // object constants
 * return function trace3$Loop$run$pc4(inputs, out, entry) {
 *   const r1 = inputs[1];                           // inputs (let if the loop has no label)
 *   ...preamble...
 *   let i5 = i0;                                    // label params start as the label's operands
 *   loop: for (;;) {
 *     const b6 = i5 < 1000;
 *     if (!b6) { out[0] = i5; out[1] = r1; return 0; }
 *     ...
 *     i5 = i8;                                      // the jump: a parallel assignment
 *   }
 * };
 * ```
 *
 * The function is named after the trace (`trace<id>$<name>`, the SOM method and pc made an
 * identifier), so profiles and DevTools show which loop it is. With comments (the dump form,
 * for --trace-dump), each instruction's code is preceded by its IR line and each snapshot's line
 * by the first guard that carries it; the running code is the same text without them.
 * Compiling is one linear sweep over the instructions (op-emitters.ts holds each one's code).
 */
import { VmInternalError } from '../../interpreter/errors.ts';
import { CodeWriter } from '../codegen/code-writer.ts';
import type { HeapModel } from '../ir/descriptors.ts';
import { printInstruction, printSnapshot } from '../ir/printer.ts';
import type { Trace } from '../ir/trace.ts';
import { type IrRef, NO_SNAPSHOT } from '../ir/types.ts';
import type { InputPlan, PlanWords } from './bridge-inputs.ts';
import { exitWriter } from './exit-writers.ts';
import { OP_EMITTERS } from './op-emitters.ts';
import { CompiledTrace, type SideExit, type TraceCode } from './trace-code.ts';
import { TraceEmitter } from './trace-emitter.ts';
import { type InlinedBridge, restartsRoot, rootPlace } from './inlined-bridges.ts';

export interface CompileOptions {
  /** The trace's number in the runtime, for the function's name (default 0). */
  readonly id?: number;
  /** The dump form: comments with the IR before each instruction's code (default false). */
  readonly withComments?: boolean;
  /** The heap model the code will run with (compileTrace passes its own): inline class tests. */
  readonly heap?: HeapModel;
  /**
   * Tests only: the loop returns TRACE_LIMIT after this many jumps, as the reference evaluator's
   * `maxIterations` does, so that a wrong trace cannot hang a test. Changes the code.
   */
  readonly iterationLimit?: number;
  /**
   * A recompilation of a root trace with bridges inlined at its exits (inlined-bridges.ts): its
   * exits as compiled before (kept), and the bridge for each exit that gets one.
   */
  readonly inline?: {
    readonly rootExits: readonly SideExit[];
    readonly bridges: ReadonlyMap<SideExit, InlinedBridge>;
  };
  /**
   * Of a bridge: how its inputs come from its parent's exit. The function then reads them
   * itself, from `out` and `entry` (trace-code.ts), in place of `inputs`.
   */
  readonly plan?: InputPlan;
}

/** The emitted text of a trace and what its compiled function needs. */
export interface EmittedTrace {
  /**
   * The body of the factory `new Function('K', 'H', 'X', text)` (X: exit-writers.ts
   * `exitWriter`), which returns the trace function.
   */
  readonly text: string;
  readonly functionName: string;
  /** The factory's `K`: the object constants, `k<i>` is `K[i]`. */
  readonly constants: readonly unknown[];
  readonly exits: readonly SideExit[];
  readonly jumpTarget: unknown;
  readonly outSize: number;
  /** How much longer `text` would be with every exit's stores inline (exit-writers.ts). */
  readonly storesSaved: number;
}

/**
 * A JS identifier for the function of trace `id` named `name`: `Loop>>run @4` -> `trace3$Loop$run$pc4`
 * (`>>` and `@` become `$` and `$pc`, `:` becomes `_`, any other character `$` and its hex code).
 */
export function traceFunctionName(id: number, name: string): string {
  const clean = name
    .replace(/>>/g, () => '$')
    .replace(/\s*@\s*(\d+)/g, (_, pc: string) => `$pc${pc}`)
    .replace(/[^A-Za-z0-9_$]/g, (c) => (c === ':' ? '_' : `$${c.charCodeAt(0).toString(16)}`));
  return `trace${Math.trunc(Math.abs(id))}$${clean}`;
}

/** The JavaScript text of `trace` (see the module header), and its exit table. */
export function emitTrace(trace: Trace, options: CompileOptions = {}): EmittedTrace {
  const w = new CodeWriter(options.withComments ?? false);
  const inline = options.inline;
  const inlinedExits: SideExit[] = [];
  const place =
    inline === undefined ? undefined : rootPlace(inline.rootExits, inline.bridges, emitInstructions, inlinedExits);
  const e = new TraceEmitter(trace, w, options.iterationLimit ?? null, options.heap ?? null, place);
  const functionName = traceFunctionName(options.id ?? 0, trace.name);
  // An inlined bridge that jumps back to the root starts it over: `continue outer`.
  const restarts = inline !== undefined && restartsRoot(inline.bridges);
  w.comment(`trace ${options.id ?? 0}: ${trace.kind} ${trace.name}`);
  w.open(`return function ${functionName}(inputs, out, entry) {`);
  const inputDeclaration = (e.loops && trace.label === null) || restarts ? 'let' : 'const';
  if (options.plan !== undefined) readPlannedInputs(trace, e, options.plan, inputDeclaration);
  else
    for (const [i, ref] of trace.inputs.entries()) w.line(`${inputDeclaration} ${e.name(ref)} = inputs[${w.lit(i)}];`);
  if (restarts) w.open('outer: for (;;) {');
  if (e.loops && trace.label === null) e.openLoop();
  emitInstructions(trace, e);
  if (restarts) w.close('}');
  w.close('};');
  const prologue = ["'use strict';", ...w.constants.declarations('K'), ...e.helperDeclarations()];
  return {
    text: `${prologue.join('\n')}\n${w.text()}\n`,
    functionName,
    constants: w.constants.values,
    exits: [...e.exits, ...inlinedExits],
    jumpTarget: e.jumpTarget,
    outSize: e.outSize,
    storesSaved: e.storesSaved,
  };
}

/** A bridge's inputs, read by its plan from the exit's values (`out`) and the entry frame. */
function readPlannedInputs(trace: Trace, e: TraceEmitter, plan: InputPlan, declaration: string): void {
  const words: PlanWords = {
    input: (i) => e.name(trace.inputs[i] as IrRef),
    live: (at) => `out[${at}]`,
    constant: (value) => e.w.lit(value),
    entry: 'entry',
    virtual: (i) => `v${i}`,
  };
  for (const line of plan.assignments(words, `${declaration} `)) e.w.line(line);
}

function emitInstructions(trace: Trace, e: TraceEmitter): void {
  const w = e.w;
  const shown = w.withComments ? new Set<number>() : null;
  for (const [index, instruction] of trace.ops.entries()) {
    e.index = index;
    if (shown !== null) {
      const snapshot = instruction.snapshot;
      if (snapshot !== NO_SNAPSHOT && !shown.has(snapshot)) {
        shown.add(snapshot);
        w.comment(printSnapshot(trace, trace.snapshot(snapshot)).trim());
      }
      w.comment(printInstruction(trace, instruction).trim());
    }
    OP_EMITTERS[instruction.op](e, instruction);
  }
}

/** Compiles `trace` to a JavaScript function; `heap` answers guard_class's `classOf`. */
export function compileTrace(trace: Trace, heap: HeapModel, options: CompileOptions = {}): CompiledTrace {
  const emitted = emitTrace(trace, { ...options, heap });
  let factory: (k: readonly unknown[], h: HeapModel, x: typeof exitWriter) => TraceCode;
  try {
    // new Function answers an untyped Function; it is typed at once as the factory it is.
    factory = new Function('K', 'H', 'X', emitted.text) as unknown as typeof factory;
  } catch (e) {
    throw new VmInternalError(`tier 2 emitted invalid code for ${trace.name}: ${String(e)}\n${emitted.text}`);
  }
  const code = factory(emitted.constants, heap, exitWriter);
  return new CompiledTrace(
    trace,
    code,
    emitted.functionName,
    emitted.exits,
    emitted.jumpTarget,
    emitted.outSize,
    emitted.text,
    emitted.text.length + emitted.storesSaved,
  );
}

/**
 * The tier-1 compiler: turns one SOM method (or block) into a JavaScript function by running
 * the generated emitter of every bytecode, in one linear sweep (as V8's Sparkplug does), so
 * both arms of every branch are compiled. No IR and no optimisation: compile time is linear in
 * the bytecode length.
 *
 * The function keeps the interpreter's frame layout and takes `(frame, pc)`: it can be entered
 * at any bytecode index, which is how an activation moves from the interpreter into tier 1 at
 * a loop back-edge (OSR). Its body is `for (;;) switch (pc) { case 0: ... case 2: ... }`:
 * consecutive instructions fall through, a taken jump sets `pc` and continues the loop.
 */
import { EMITTERS, HANDLERS } from '../../generated/tier1-generator.js';
import { Op, instructionLength } from '../../interpreter/compiler/opcodes.ts';
import { instruction } from '../../interpreter/compiler/disassembler.ts';
import type { CompiledCode, SomMethod } from '../../interpreter/model/method.ts';
import { methodName } from '../../interpreter/backtrace.ts';
import { CodeWriter } from '../codegen/code-writer.ts';
import { VmInternalError } from '../../interpreter/errors.ts';
import type { Frame } from '../../interpreter/model/frame.ts';
import { type BackEdgeOutcome, NO_OSR, RESUME_AT_FRAME_PC } from '../../interpreter/tier-hooks.ts';

export interface Tier1Result {
  readonly code: CompiledCode;
  /** The emitted source (with comments if requested). */
  readonly source: string;
}

const HANDLER_NAMES = Object.keys(HANDLERS).sort();

/** A JS identifier naming the method, e.g. t1$Queens$placeQueen_ (blocks: t1$Foo$bar$block). */
export function tier1Name(method: SomMethod): string {
  const home = method.homeMethod;
  const clean = (s: string): string =>
    s.replace(/[^A-Za-z0-9_$]/g, (c) => (c === ':' ? '_' : `$${c.charCodeAt(0).toString(16)}`));
  return `t1$${clean(home.holder.name.s)}$${clean(home.signature.s)}${method.isBlock ? '$block' : ''}`;
}

/** What tier-1 code counts at a loop back-edge (tier 2's loop header, trace-runtime.ts). */
export interface LoopCounter {
  backEdges: number;
  /** The runtime is called when `backEdges` passes this. */
  trigger: number;
}

/**
 * How tier-1 code reaches tier 2 at its back-edges: per loop header a counter object (a
 * constant of the code), and the call made when it passes its trigger, answered as the
 * interpreter's back-edge check is (interpreter/tier-hooks.ts). Without it, back-edges cost
 * nothing.
 */
export interface Tier1Loops {
  header(method: SomMethod, pc: number): LoopCounter | null;
  backEdge(header: never, frame: Frame): BackEdgeOutcome;
}

/** The function's text: a factory taking the handlers (H), constants (K) and the runtime (R). */
export function emitTier1(
  method: SomMethod,
  withComments: boolean,
  loops?: Tier1Loops,
): { text: string; constants: readonly unknown[] } {
  const w = new CodeWriter(withComments);
  if (loops !== undefined) w.loopCounterAt = (pc) => loops.header(method, pc);
  const code = method.code;
  w.comment(`${methodName(method)} (${method.sourceFile}:${method.line}), tier 1`);
  w.open(`return function ${tier1Name(method)}(frame, pc) {`);
  w.open('for (;;) {');
  w.open('switch (pc) {');
  for (let pc = 0; pc < code.length; pc += instructionLength(code[pc] as Op)) {
    // Disassembling costs more than emitting: only dumps pay for it.
    if (withComments) w.comment(instruction(method, pc).trim());
    w.open(`case ${w.lit(pc)}: {`);
    w.nextPc = pc + instructionLength(code[pc] as Op);
    EMITTERS[code[pc]!]!(w, method, pc);
    w.close('}');
  }
  w.line('default:');
  w.line('  throw new Error(`tier 1: no instruction at pc ${pc}`);');
  w.depth0();
  const body = w.text();
  const prologue = [`const { ${HANDLER_NAMES.join(', ')} } = H;`, ...w.constants.declarations('K')].join('\n');
  return { text: `${prologue}\n${body}\n`, constants: w.constants.values };
}

/** Compiles `method` to tier-1 code. */
export function compileTier1(method: SomMethod, loops?: Tier1Loops): Tier1Result {
  const { text, constants } = emitTier1(method, false, loops);
  let factory: (h: unknown, k: readonly unknown[], r: unknown) => CompiledCode;
  try {
    // new Function answers an untyped Function; it is typed at once as the factory it is.
    factory = new Function('H', 'K', 'R', text) as unknown as typeof factory;
  } catch (e) {
    throw new VmInternalError(`tier 1 emitted invalid code for ${methodName(method)}: ${String(e)}\n${text}`);
  }
  const runtime = { backEdge: loops?.backEdge, NO_OSR, RESUME: RESUME_AT_FRAME_PC };
  return { code: factory(HANDLERS, constants, runtime), source: text };
}

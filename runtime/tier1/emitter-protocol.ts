/**
 * The contract between the generated tier-1 emitters (generated/tier1-generator.js) and the
 * run-time code writer. The emitters are generated from the interpreter; this interface is
 * what they may call (see transformer/emit/handler-emitter.ts for the build-time side).
 */
import type { SomMethod } from '../../interpreter/model/method.ts';

export interface EmitWriter {
  /** Appends one line of code. */
  line(text: string): void;
  /** Appends a line that opens a block (`if (...) {`). */
  open(text: string): void;
  /** Appends a line that closes one block and opens the next (`} else {`). */
  middle(text: string): void;
  /** Appends a line that closes a block. */
  close(text: string): void;
  /** A compile-time value as source text: a literal, or a reference into the constant table. */
  lit(value: unknown): string;
  /** Continues at `pc`: falls through when that is the next instruction. */
  jump(pc: number): void;
  /** Continues at a pc computed at run time by `text`. */
  dynamicJump(text: string): void;
  /** A loop back-edge to `pc` (where tier 2 will count; nothing to emit in tier 1 today). */
  backEdge(pc: number): void;
}

/** A generated emitter: appends the code of the instruction at (method, pc). */
export type Tier1Emitter = (w: EmitWriter, method: SomMethod, pc: number) => void;

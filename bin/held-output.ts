/**
 * Output held back while a program runs on the main thread (bin/main-thread-run.ts). Every
 * write, to stdout or stderr, is kept in order until the run is known to stand; `release` then
 * writes it all out. A run that is abandoned (its program needs the worker's bigger stack) has
 * shown nothing, so it can be started again from scratch in the worker.
 *
 * Holding is bounded: past HELD_OUTPUT_LIMIT characters the run is stopped with `OutputOverflow`
 * and goes to the worker, which streams its output as the program goes. The limit trades memory
 * and how long output stays unseen against how much work a program that prints that much loses
 * by being started again.
 */
import type { OutputStreams } from '../interpreter/universe.ts';

export const HELD_OUTPUT_LIMIT = 1 << 20;

/** Thrown from a write past the limit; no SOM code can catch it, so it ends the run. */
export class OutputOverflow {}

interface Chunk {
  readonly toStderr: boolean;
  readonly text: string;
}

export class HeldOutput implements OutputStreams {
  private readonly chunks: Chunk[] = [];
  private length = 0;

  writeOut(text: string): void {
    this.hold({ toStderr: false, text });
  }

  writeErr(text: string): void {
    this.hold({ toStderr: true, text });
  }

  /** Writes everything held to `output`, in the order it was written. */
  release(output: OutputStreams): void {
    for (const chunk of this.chunks) {
      if (chunk.toStderr) output.writeErr(chunk.text);
      else output.writeOut(chunk.text);
    }
    this.chunks.length = 0;
  }

  private hold(chunk: Chunk): void {
    this.length += chunk.text.length;
    if (this.length > HELD_OUTPUT_LIMIT) throw new OutputOverflow();
    this.chunks.push(chunk);
  }
}

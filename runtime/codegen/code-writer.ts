/**
 * Accumulates the text of one compiled function: indentation, optional comments, constants.
 * Implements the writer protocol the generated emitters call (runtime/tier1/emitter-protocol.ts).
 */
import type { EmitWriter } from '../tier1/emitter-protocol.ts';
import { ConstantTable, jsCommentText, jsLiteral } from './js-literal.ts';

export class CodeWriter implements EmitWriter {
  private readonly lines: string[] = [];
  private depth = 0;
  readonly constants = new ConstantTable();
  /** The pc of the instruction after the one being emitted: a jump there falls through. */
  nextPc = -1;
  /** The loop counter object of the loop header at a pc, when back-edges are counted (tier 2 on). */
  loopCounterAt: ((pc: number) => object | null) | null = null;

  constructor(
    /** Whether comments are written (dumps) or dropped (running code). */
    readonly withComments: boolean,
  ) {}

  line(text: string): void {
    this.lines.push('  '.repeat(this.depth) + text);
  }

  open(text: string): void {
    this.line(text);
    this.depth++;
  }

  middle(text: string): void {
    this.depth--;
    this.line(text);
    this.depth++;
  }

  close(text: string): void {
    this.depth--;
    this.line(text);
  }

  /** One comment line; line terminators in `text` (from SOM literals, say) are escaped. */
  comment(text: string): void {
    if (this.withComments) this.line(`// ${jsCommentText(text)}`);
  }

  lit(value: unknown): string {
    return jsLiteral(value, this.constants);
  }

  jump(pc: number): void {
    if (pc !== this.nextPc) this.line(`pc = ${this.lit(pc)}; continue;`);
  }

  /** `text` is code (the generated emitter's template, its holes filled by `lit`), not a value. */
  dynamicJump(text: string): void {
    this.line(`pc = ${text}; continue;`);
  }

  /**
   * A loop back-edge to `pc`: when tier 2 is on, count on the loop header's counter and call the
   * runtime past its trigger (tier1-compiler.ts `Tier1Loops`); it may answer the activation's
   * result, or that the activation goes on at `frame.pc` (after a trace's side exit).
   */
  backEdge(pc: number): void {
    const counter = this.loopCounterAt?.(pc) ?? null;
    if (counter === null) return;
    const c = this.lit(counter);
    this.open(`if (++${c}.backEdges > ${c}.trigger) {`);
    this.line(`const osr = R.backEdge(${c}, frame);`);
    this.open('if (osr !== R.NO_OSR) {');
    this.line('if (osr !== R.RESUME) return osr;');
    this.line('pc = frame.pc;');
    this.line('continue;');
    this.close('}');
    this.close('}');
  }

  /** Closes every open block. */
  depth0(): void {
    while (this.depth > 0) this.close('}');
  }

  text(): string {
    return this.lines.join('\n');
  }
}

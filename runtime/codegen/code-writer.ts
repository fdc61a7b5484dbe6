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

  backEdge(_pc: number): void {
    // Tier 1 has nothing to count yet: the tier-2 issue adds the loop counter check here.
  }

  /** Closes every open block. */
  depth0(): void {
    while (this.depth > 0) this.close('}');
  }

  text(): string {
    return this.lines.join('\n');
  }
}

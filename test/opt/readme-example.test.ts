/**
 * The README's trace example stays true: the trace after `<!-- ir-example:after -->` is what
 * `optimize` prints for the one after `<!-- ir-example:before -->`. When the pipeline changes
 * what it makes of that loop, this test fails with the new text, to be read (is it better?) and
 * pasted into the README. What each pass must do to such a loop is tested, on hand-written
 * expectations, with the pass (test/opt/virtualize.test.ts for this one).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printTrace } from '../../runtime/ir/printer.ts';
import { optimize } from '../../runtime/opt/pipeline.ts';
import { parse } from './expect-optimized.ts';

const README = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');

/** The fenced block right after the marker comment. */
function blockAfter(marker: string): string {
  const match = new RegExp(`<!-- ${marker} -->\\n\`\`\`\\n([^]*?)\`\`\`\\n`).exec(README);
  if (match === null) throw new Error(`README.md has no code block after <!-- ${marker} -->`);
  return match[1] as string;
}

describe('the README trace example', () => {
  it('shows what optimize makes of the loop', () => {
    const before = parse(blockAfter('ir-example:before'));
    expect(printTrace(optimize(before))).toBe(blockAfter('ir-example:after'));
  });
});

/**
 * The directive eraser: the plain interpreter's build must contain no jit.* calls, and must
 * keep every directive's run-time meaning (identity for ct/promote, false for isJitted).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { eraseDirectives } from '../../transformer/erase-directives.ts';
import { rejection } from './mini-fixture.ts';

describe('eraseDirectives', () => {
  it('replaces ct and promote by their argument and drops statement directives', () => {
    const out = eraseDirectives(
      'function f(m, pc, frame) { for (;;) { jit.dispatchLoop(m, pc, frame); const x = jit.ct(m.code[pc]) + jit.promote(frame.k); jit.backEdge(m, pc, frame); return jit.isJitted() ? 1 : x; } }',
      'sample.ts',
    );
    expect(out).not.toContain('jit.');
    expect(out).toContain('m.code[pc] + frame.k');
    expect(out).toContain('false ? 1 : x');
  });

  it('rejects a statement directive used as a value (T8)', () => {
    expect(() => eraseDirectives('const y = jit.backEdge(m, 1, f);', 'sample.ts')).toThrow(/must be a statement/);
  });

  it('rejects an unknown directive (T14) with its line, not a TypeError at run time', () => {
    const error = rejection(() => eraseDirectives('const a = 1;\nconst y = jit.promot(a);\n', 'sample.ts'));
    expect([error.rule, error.file, error.line]).toEqual(['T14', 'sample.ts', 2]);
  });

  it('lowers a back-edge into the check of the installed tiers, imported from the interpreter', () => {
    const source =
      'function f(m, at, frame) { for (;;) { jit.dispatchLoop(m, at, frame); jit.backEdge(m, 4, frame); at = 4; } }';
    const out = eraseDirectives(source, '/repo/interpreter/x.ts', { tierHooks: '/repo/interpreter/tier-hooks.ts' });
    expect(out).toMatch(
      /import \{ tiers as __tiers, NO_OSR as __TIER_NO_OSR, RESUME_AT_FRAME_PC as __TIER_RESUME \} from "\.\/tier-hooks\.ts";/,
    );
    // The activation's result returns; a resume continues the loop at frame.pc, under the loop's own pc name.
    expect(out).toMatch(
      /const osr = __tiers\.backEdge\(m, 4, frame\);\s*if \(osr !== __TIER_NO_OSR\) \{\s*if \(osr !== __TIER_RESUME\) return osr;\s*at = frame\.pc;\s*continue;\s*\}/,
    );
  });

  it('leaves sources without directives untouched', () => {
    const source = 'export const a: number = 1;\n';
    expect(eraseDirectives(source, 'plain.ts')).toBe(source);
  });

  it('erases every directive of the real interpreter', () => {
    const erased = eraseDirectives(readFileSync('interpreter/interpreter.ts', 'utf8'), 'interpreter/interpreter.ts');
    const out = erased.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''); // comments may name directives
    expect(out).not.toMatch(/\bjit\.(ct|promote|dispatchLoop|backEdge|isJitted)\(/);
    expect(out).toContain('switch');
  });
});

/**
 * The tier-1 generator, checked on a small sample interpreter (fixtures/mini) and on the real
 * one: what the generated emitters emit (operands spliced as literals, no dispatch left, both
 * arms of a branch), that the transformer rejects code outside the restricted subset with the
 * rule and line (including a case whose `pc += N` disagrees with the opcode table, and a switch
 * that misses an opcode), that changing the interpreter changes tier 1 with no other edit, and that the
 * output is the same from run to run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCompilers } from '../../transformer/generate.ts';
import type { TransformError } from '../../transformer/rules.ts';
import { CodeWriter } from '../../runtime/codegen/code-writer.ts';
import { OPCODE_SHAPES } from '../../transformer/build.ts';
import {
  ROOT,
  lineOf,
  loadGenerated,
  miniSource,
  rejection as rejectionOf,
  removeCopies,
  transformMini,
} from './mini-fixture.ts';

function generateMini(source?: string, inlineHandlers = true): string {
  return transformMini(source === undefined ? {} : { interpreter: source }, { inlineHandlers }).files[0]!.code;
}

type Emitter = (w: CodeWriter, method: { code: number[] }, pc: number) => void;

afterAll(removeCopies);

/** Writes the generated module next to a copy of the fixture and imports its emitters. */
async function loadMiniEmitters(inlineHandlers = true): Promise<Emitter[]> {
  const module = await loadGenerated<{ EMITTERS: Emitter[] }>(
    'tier1-generator.js',
    generateMini(undefined, inlineHandlers),
  );
  return module.EMITTERS;
}

/** Emits one instruction of `code` at `pc` and answers the text. */
function emit(emitters: Emitter[], code: number[], pc: number, length: number): string {
  const w = new CodeWriter(false);
  w.nextPc = pc + length;
  emitters[code[pc]!]!(w, { code }, pc);
  return w.text();
}

describe('tier-1 generator on a sample interpreter', () => {
  it('splices operands as literals and leaves no dispatch switch', async () => {
    const emitters = await loadMiniEmitters(false);
    const text = emit(emitters, [0, 42, 4], 0, 2);
    expect(text).toBe('push(frame, 42);');
    expect(generateMini()).not.toMatch(/switch\s*\(/);
  });

  it('emits one-statement handlers inline and calls the others', async () => {
    const emitters = await loadMiniEmitters();
    expect(emit(emitters, [0, 42, 4], 0, 2)).toBe('frame.stack.push(42);');
    expect(emit(emitters, [1, 4], 0, 1)).toBe('add(frame);'); // add calls pop: not one-statement-pure
  });

  it('emits both arms of a conditional jump, falling through to the next instruction', async () => {
    const emitters = await loadMiniEmitters(false);
    const text = emit(emitters, [0, 1, 2, 9, 4], 2, 2);
    expect(text).toContain('if (pop(frame) === 0) {');
    expect(text).toContain('pc = 9; continue;');
    expect(text).toMatch(/} else {\s*}/); // the fall-through arm: nothing to emit
  });

  it('turns a backward jump into a jump to its target', async () => {
    const emitters = await loadMiniEmitters();
    expect(emit(emitters, [0, 1, 3, 0], 2, 2)).toBe('pc = 0; continue;');
  });

  it('names the interpreter line each emitter comes from', () => {
    expect(generateMini()).toMatch(/\/\/ JUMP_IF_ZERO <- interpreter\.ts:\d+ \(case Op\.JUMP_IF_ZERO\)/);
  });

  it('changes the emitted code when a handler changes, with no other edit', async () => {
    const source = miniSource('interpreter.ts');
    const changed = source.replace('add(frame);', 'add(frame);\n        add(frame);');
    const twice = /w\.line\(["']add\(frame\);["']\);\s*w\.line\(["']add\(frame\);["']\);/;
    expect(generateMini(changed)).toMatch(twice);
    expect(generateMini(source)).not.toMatch(twice);
  });
});

/** Replaces the ADD case of the mini interpreter with `body`. */
function withAddCase(body: string): string {
  return miniSource('interpreter.ts').replace('add(frame);\n        pc += 1;\n        break;', body);
}

function rejection(source: string): TransformError {
  return rejectionOf(() => generateMini(source));
}

describe('restricted-subset rules', () => {
  const cases: [string, string][] = [
    ['T1', 'try { add(frame); } catch { }\n        pc += 1;\n        break;'],
    ['T2', 'add(((f) => f)(frame));\n        pc += 1;\n        break;'],
    ['T3', "frame['stack'].push(1);\n        pc += 1;\n        break;"],
    ['T4', 'pc += 1;\n        add(frame);\n        break;'],
    ['T5', 'push(frame, jit.ct(frame.stack.length));\n        pc += 1;\n        break;'],
    ['T6', 'while (frame.stack.length > 3) pop(frame);\n        pc += 1;\n        break;'],
    ['T7', 'unannotated(frame);\n        pc += 1;\n        break;'],
    ['T8', 'push(frame, jit.backEdge(method, 0, frame) as never);\n        pc += 1;\n        break;'],
  ];
  it.each(cases)('rejects a breach of %s with the rule and the line', (rule, body) => {
    let source = withAddCase(body);
    if (rule === 'T7')
      source = source.replace(
        'export function run',
        'function unannotated(f: MiniFrame): void {}\nexport function run',
      );
    const error = rejection(source);
    expect(error.rule).toBe(rule);
    const firstLine = body.split('\n')[0]!.trim();
    expect(error.line).toBe(source.split('\n').findIndex((l) => l.trim() === firstLine) + 1);
    expect(error.message).toMatch(new RegExp(`interpreter\\.ts:\\d+:\\d+ \\[${rule} `));
  });

  it('rejects an advance of pc by other than the instruction length (T10), on any path', () => {
    const wrongLength = withAddCase('add(frame);\n        pc += 2;\n        break;');
    expect(rejection(wrongLength).rule).toBe('T10');
    expect(rejection(wrongLength).line).toBe(lineOf(wrongLength, /^\s*pc \+= 2;$/, 'ADD'));
    const source = miniSource('interpreter.ts');
    const wrongBranch = source.replace('else pc += 2;', 'else pc += 1;');
    expect(wrongBranch).not.toBe(source);
    expect(rejection(wrongBranch).rule).toBe('T10');
    expect(rejection(wrongBranch).line).toBe(lineOf(wrongBranch, /else pc \+= 1;/));
    const computed = withAddCase('add(frame);\n        pc += jit.ct(operand(method.code, pc, 1));\n        break;');
    expect(rejection(computed).rule).toBe('T10');
    expect(rejection(withAddCase('add(frame);\n        pc++;\n        break;')).rule).toBe('T10');
  });

  it('accepts `pc = pc + N` with the right length as an advance', () => {
    expect(() => generateMini(withAddCase('add(frame);\n        pc = pc + 1;\n        break;'))).not.toThrow();
    expect(rejection(withAddCase('add(frame);\n        pc = pc + 3;\n        break;')).rule).toBe('T10');
  });

  it('rejects a switch that misses an opcode, has one twice, or names an unknown one (T11)', () => {
    const source = miniSource('interpreter.ts');
    const missing = withAddCase('').replace('case Op.ADD:\n', '');
    const error = rejection(missing);
    expect(error.rule).toBe('T11');
    expect(error.message).toMatch(/no case for Op\.ADD\b/);
    expect(error.line).toBe(lineOf(missing, /^\s*switch \(jit\.ct\(/));
    const twice = source.replace('case Op.ADD:', 'case Op.PUSH:');
    expect(rejection(twice).rule).toBe('T11');
    expect(rejection(twice).message).toMatch(/a second case for Op\.PUSH/);
    const pushCases = twice.split('\n').flatMap((l, i) => (l.trim() === 'case Op.PUSH:' ? [i + 1] : []));
    expect(pushCases).toHaveLength(2);
    expect(rejection(twice).line).toBe(pushCases[1]);
    const unknown = source.replace('case Op.ADD:', 'case Op.MUL:');
    expect(rejection(unknown).rule).toBe('T11');
    expect(rejection(unknown).line).toBe(lineOf(unknown, /^\s*case Op\.MUL:/));
  });

  it('rejects a case with a path that neither returns nor moves pc (T12)', () => {
    const noMove = withAddCase('add(frame);\n        break;');
    expect(rejection(noMove).rule).toBe('T12');
    expect(rejection(noMove).line).toBe(lineOf(noMove, /^\s*case Op\.ADD:/));
    const source = miniSource('interpreter.ts');
    const noElse = source.replace('else pc += 2;\n', '');
    expect(noElse).not.toBe(source);
    expect(rejection(noElse).rule).toBe('T12');
    expect(rejection(noElse).line).toBe(lineOf(noElse, /^\s*case Op\.JUMP_IF_ZERO:/));
  });

  it('rejects a jit.ct of a helper that is not exported (T9)', () => {
    const source = withAddCase('push(frame, jit.ct(secret(pc)));\n        pc += 1;\n        break;').replace(
      'export function run',
      'function secret(n: number): number { return n; }\nexport function run',
    );
    expect(rejection(source).rule).toBe('T9');
  });
});

describe('tier-1 generator on the real interpreter', () => {
  const opcodes = OPCODE_SHAPES;

  it('is deterministic: two runs give the same bytes', () => {
    const a = generateCompilers({ root: ROOT, opcodes }).files;
    const b = generateCompilers({ root: ROOT, opcodes }).files;
    expect(a.map((f) => f.code)).toEqual(b.map((f) => f.code));
  });

  it('has an emitter for every opcode, each with its source reference', () => {
    const code = generateCompilers({ root: ROOT, opcodes }).files[0]!.code;
    for (const { name } of opcodes) expect(code).toMatch(new RegExp(`// ${name} <- interpreter/interpreter\\.ts:\\d+`));
  });

  it('follows a change of the interpreter with no other edit', () => {
    const source = readFileSync(join(ROOT, 'interpreter/interpreter.ts'), 'utf8');
    const changed = source.replace(/(case Op\.PUSH_TRUE:\n\s*push\(frame, [^\n]*), true\);/, '$1, false);');
    expect(changed).not.toBe(source);
    const emitted = (s: string) => generateCompilers({ root: ROOT, opcodes, interpreterSource: s }).files[0]!.code;
    const pushTrue = (code: string) => code.slice(code.indexOf('emitPushTrue'), code.indexOf('emitPushFalse'));
    expect(pushTrue(emitted(source))).toMatch(/= true;/);
    expect(pushTrue(emitted(changed))).toMatch(/= false;/);
    expect(pushTrue(emitted(changed))).not.toMatch(/= true;/);
  });

  /** The TransformError the transformer throws for the real interpreter changed to `source`. */
  function realRejection(source: string): TransformError {
    return rejectionOf(() => generateCompilers({ root: ROOT, opcodes, interpreterSource: source }));
  }

  it('refuses an interpreter that lost a case, naming the opcode (T11)', () => {
    const source = readFileSync(join(ROOT, 'interpreter/interpreter.ts'), 'utf8');
    const without = source.replace(/case Op\.DUP:\n\s*dup\(frame[^\n]*\n\s*pc \+= 1;\n\s*break;\n/, '');
    expect(without).not.toBe(source);
    const error = realRejection(without);
    expect(error.rule).toBe('T11');
    expect(error.message).toMatch(/no case for Op\.DUP\b/);
    expect(error.line).toBe(lineOf(without, /^\s*switch \(jit\.ct\(/));
  });

  it('refuses a case that advances pc by other than its instruction length (T10)', () => {
    const source = readFileSync(join(ROOT, 'interpreter/interpreter.ts'), 'utf8');
    // TO_DO_INC has one operand: its length is 2, not 3.
    const changed = source.replace(/(case Op\.TO_DO_INC:\n[^\n]*\n\s*)pc \+= 2;/, '$1pc += 3;');
    expect(changed).not.toBe(source);
    const error = realRejection(changed);
    expect(error.rule).toBe('T10');
    expect(error.message).toMatch(/TO_DO_INC, whose length is 2/);
    expect(error.line).toBe(lineOf(changed, /^\s*pc \+= 3;/, 'TO_DO_INC'));
  });
});

/**
 * Bytecode compiler tests: what each construct compiles to, checked on the opcode sequence
 * (derived from the opcode table, as the disassembler reads it) rather than on text.
 */
import { describe, expect, it } from 'vitest';
import { parseClass } from '../../interpreter/parser/parser.ts';
import { compileMethod, type CompileContext } from '../../interpreter/compiler/bytecode-compiler.ts';
import { Op, instructionLength } from '../../interpreter/compiler/opcodes.ts';
import { SomClass } from '../../interpreter/model/class.ts';
import { SomSymbol } from '../../interpreter/model/objects.ts';
import type { SomMethod } from '../../interpreter/model/method.ts';
import { disassemble } from '../../interpreter/compiler/disassembler.ts';
import { SomParseError } from '../../interpreter/errors.ts';

const symbols = new Map<string, SomSymbol>();
function symbol(text: string): SomSymbol {
  let s = symbols.get(text);
  if (s === undefined) symbols.set(text, (s = new SomSymbol(text)));
  return s;
}

/** Compiles the first method of `Test = ( | a b | <methodSource> )`. */
function compile(methodSource: string, canInlineIfFalseIfTrue = false): SomMethod {
  const source = `Test = ( | a b | ${methodSource} )`;
  const def = parseClass(source, 'Test.som');
  const holder = new SomClass(symbol('Test'), false, null);
  holder.instanceFieldNames = def.instanceFields.map((f) => symbol(f.name));
  const ctx: CompileContext = {
    file: 'Test.som',
    source,
    holder,
    fieldNames: def.instanceFields.map((f) => f.name),
    symbol,
    canInline: (form) => form !== 'ifFalse:ifTrue:' || canInlineIfFalseIfTrue,
  };
  return compileMethod(def.instanceMethods[0]!, ctx);
}

function opcodes(method: SomMethod): Op[] {
  const ops: Op[] = [];
  for (let pc = 0; pc < method.code.length; pc += instructionLength(method.code[pc] as Op))
    ops.push(method.code[pc] as Op);
  return ops;
}

function selectors(method: SomMethod): string[] {
  return method.sites.map((s) => s.selector.s);
}

describe('bytecode compiler', () => {
  it('compiles an implicit ^self and a field read', () => {
    const m = compile('foo = ( a )');
    expect(opcodes(m)).toEqual([Op.PUSH_FIELD, Op.POP, Op.RETURN_SELF]);
  });

  it('compiles statement-level assignment to POP_* and nested assignment to STORE_*', () => {
    const m = compile('foo = ( | x | x := a := 3. ^x )');
    expect(opcodes(m)).toEqual([Op.PUSH_CONSTANT, Op.STORE_FIELD, Op.POP_LOCAL, Op.PUSH_LOCAL, Op.RETURN_LOCAL]);
  });

  it('uses quick sends for arithmetic and comparisons, SEND for the rest', () => {
    const m = compile('foo: x = ( ^(x + 1) < (x foo: 2) )');
    expect(opcodes(m)).toContain(Op.SEND_ADD);
    expect(opcodes(m)).toContain(Op.SEND_LT);
    expect(selectors(m)).toEqual(['+', 'foo:', '<']);
  });

  it('inlines whileTrue: into a backward jump with no send left', () => {
    const m = compile('foo = ( | i | i := 0. [ i < 10 ] whileTrue: [ i := i + 1 ]. ^i )');
    expect(opcodes(m)).toContain(Op.JUMP_BACKWARD);
    expect(selectors(m)).not.toContain('whileTrue:');
    expect(m.blocks).toHaveLength(0);
  });

  it('inlines ifTrue:ifFalse: into jumps and keeps a fallback send for non-Booleans', () => {
    const m = compile('foo: x = ( ^x ifTrue: [ 1 ] ifFalse: [ 2 ] )');
    expect(opcodes(m)).toContain(Op.JUMP_IF_FALSE);
    expect(selectors(m)).not.toContain('ifTrue:ifFalse:');
    expect(m.fallbacks.map((f) => f.site.selector.s)).toEqual(['ifTrue:ifFalse:']);
    expect(m.fallbacks[0]!.resumePc).toBeGreaterThan(0);
  });

  it('does not inline when an argument is not a literal block', () => {
    const m = compile('foo: x = ( ^x ifTrue: a )');
    expect(selectors(m)).toEqual(['ifTrue:']);
  });

  it('does not inline ifFalse:ifTrue: unless the library defines it', () => {
    expect(selectors(compile('foo: x = ( ^x ifFalse: [1] ifTrue: [2] )'))).toEqual(['ifFalse:ifTrue:']);
    expect(selectors(compile('foo: x = ( ^x ifFalse: [1] ifTrue: [2] )', true))).toEqual([]);
  });

  it('inlines to:do: with a hidden counter and a fresh parameter slot', () => {
    const m = compile('foo = ( | s | s := 0. 1 to: 10 do: [ :i | s := s + i ]. ^s )');
    expect(opcodes(m)).toEqual(expect.arrayContaining([Op.TO_DO_PREP, Op.TO_DO_TEST, Op.TO_DO_INC, Op.JUMP_BACKWARD]));
    expect(m.slotNames).toEqual(['s', '<i>', '<limit>', 'i']);
  });

  it('inlines downTo:do: as to:do: with a >= test and a decrement', () => {
    const m = compile('foo = ( | s | s := 0. 10 downTo: 1 do: [ :i | s := s + i ]. ^s )');
    expect(opcodes(m)).toEqual(expect.arrayContaining([Op.TO_DO_PREP, Op.DOWN_TO_TEST, Op.TO_DO_DEC]));
    expect(opcodes(m)).not.toContain(Op.TO_DO_TEST);
    expect(selectors(m)).not.toContain('downTo:do:');
  });

  it('keeps to:do: a real send when a closure in the body captures the loop variable', () => {
    const m = compile('foo = ( 1 to: 3 do: [ :i | a := [ i ] ] )');
    expect(selectors(m)).toEqual(['to:do:']);
    expect(m.blocks).toHaveLength(1);
  });

  it('still inlines when only an inlined nested block uses the loop variable', () => {
    const m = compile('foo = ( 1 to: 3 do: [ :i | i > 1 ifTrue: [ a := i ] ] )');
    expect(selectors(m)).not.toContain('to:do:');
  });

  it('compiles ^ inside a block as a non-local return and inside an inlined block as a local one', () => {
    const m = compile('foo = ( a ifTrue: [ ^1 ]. b do: [ :x | ^x ] )');
    expect(opcodes(m)).toContain(Op.RETURN_LOCAL);
    expect(opcodes(m.blocks[0]!)).toContain(Op.RETURN_NON_LOCAL);
  });

  it('resolves outer variables with a context level', () => {
    const m = compile('foo = ( | x | x := 1. ^[ [ x ] ] )');
    const inner = m.blocks[0]!.blocks[0]!;
    expect(opcodes(inner)[0]).toBe(Op.PUSH_OUTER);
    expect(inner.code.slice(1, 3)).toEqual([0, 2]);
  });

  it('computes the maximum stack depth from the opcode table', () => {
    const m = compile('foo = ( ^1 + (2 + (3 + 4)) )');
    expect(m.maxStack).toBe(4);
  });

  it('rejects assignment to an unknown name with its position', () => {
    expect(() => compile('foo = ( zork := 3 )')).toThrow(SomParseError);
    try {
      compile('foo = (\n  zork := 3 )');
    } catch (e) {
      expect((e as SomParseError).line).toBe(2);
      expect((e as SomParseError).detail).toContain('zork');
    }
  });

  it('disassembles with decoded operands', () => {
    const text = disassemble(compile('foo = ( | x | x := a. ^x bar: #baz )'), 'Test>>foo', '');
    expect(text).toContain('PUSH_FIELD');
    expect(text).toContain('0:a');
    expect(text).toContain('#bar:');
    expect(text).toContain('#baz');
  });
});

describe('stack layout', () => {
  it('records the stack pointer before every instruction and counts fallback closures in the maximum', () => {
    const m = compile('foo: x = ( ^x ifTrue: [ 1 ] ifFalse: [ 2 ] )');
    // the condition is on the stack (depth 1); its fallback pushes the two closures above it
    expect(m.maxStack).toBe(1 + 2);
    expect(m.stackTop[0]).toBe(1); // after the argument slot x, before PUSH_LOCAL
    expect(m.stackTop[2]).toBe(2); // before JUMP_IF_FALSE: x is on the stack
  });
});

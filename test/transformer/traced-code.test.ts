/**
 * The analysis of the code the dispatch loop reaches (transformer/analysis/traced-code.ts): the
 * binding times of every call site, on the sample interpreter and on the real one, and the
 * rules that hold in handlers and in the helpers they call. Each breach is rejected with its
 * rule and the line (and file) of the code that breaks it: an unannotated helper reached from a
 * handler (T13), an unknown directive in a case or a handler (T14), and code outside the subset
 * inside a traced helper (T15, T1, T2).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCompilers } from '../../transformer/generate.ts';
import { OPCODE_SHAPES } from '../../transformer/build.ts';
import type { CallSite, TracedCode } from '../../transformer/analysis/traced-code.ts';
import { ROOT, lineOf, miniSource, rejection, transformMini } from './mini-fixture.ts';

/** The call sites from `caller` to `callee`. */
function callsOf(traced: TracedCode, caller: string, callee: string): CallSite[] {
  return traced.calls.filter((c) => c.caller === caller && c.callee === callee);
}

describe('the code the sample dispatch loop reaches', () => {
  const traced = transformMini().traced;

  it('binds each handler parameter at each call site', () => {
    expect(callsOf(traced, 'case Op.PUSH', 'push').map((c) => c.args)).toEqual([['dynamic', 'static']]);
    expect(callsOf(traced, 'case Op.JUMP_IF_ZERO', 'pop').map((c) => c.args)).toEqual([['dynamic']]);
  });

  it('follows a handler into the helpers it calls', () => {
    const fromAdd = callsOf(traced, 'add', 'pop');
    expect(fromAdd).toHaveLength(2);
    expect(fromAdd[0]).toMatchObject({ file: 'handlers.ts', calleeFile: 'handlers.ts', args: ['dynamic'] });
    expect(fromAdd[0]!.line).toBe(lineOf(miniSource('handlers.ts'), /pop\(frame\) \+ pop\(frame\)/));
    expect([...traced.functions.keys()]).toEqual(['handlers.ts:push', 'handlers.ts:add', 'handlers.ts:pop']);
  });

  it('does not trace the compile-time calls inside jit.ct', () => {
    expect(traced.calls.some((c) => c.callee === 'operand')).toBe(false);
  });
});

/**
 * The TransformError of the real interpreter with `find` replaced by `replace` in the module
 * `file` (which must contain it), and the changed text.
 */
function rejectionOfEdited(file: string, find: string, replace: string) {
  const source = readFileSync(join(ROOT, file), 'utf8');
  const changed = source.replace(find, replace);
  expect(changed).not.toBe(source);
  const error = rejection(() =>
    generateCompilers({ root: ROOT, opcodes: OPCODE_SHAPES, moduleSources: { [file]: changed } }),
  );
  return { error, changed };
}

/** The mini handlers with `add` replaced by `body` and `extra` functions appended. */
function handlersWith(addBody: string, extra = ''): string {
  const source = miniSource('handlers.ts');
  const changed = source.replace('frame.stack.push(pop(frame) + pop(frame));', addBody);
  expect(changed).not.toBe(source);
  return `${changed}\n${extra}`;
}

describe('binding times inside a traced helper', () => {
  it('makes a static parameter dynamic after a dynamic assignment in either arm of an if', () => {
    const scaled = [
      '/** @jit.handler */',
      'function scaled(frame: MiniFrame, n: number): number {',
      '  if (frame.stack.length > 1) n = pop(frame);',
      '  else n = 3;',
      '  return times(n) + times(2);',
      '}',
      '/** @jit.elidable */',
      'function times(n: number): number {',
      '  return n * 2;',
      '}',
    ].join('\n');
    const traced = transformMini({ handlers: handlersWith('frame.stack.push(scaled(frame, 2));', scaled) }).traced;
    expect(callsOf(traced, 'add', 'scaled').map((c) => c.args)).toEqual([['dynamic', 'static']]);
    expect(callsOf(traced, 'scaled', 'times').map((c) => c.args)).toEqual([['dynamic'], ['static']]);
    expect(traced.functions.get('handlers.ts:times')?.signatures).toEqual([['dynamic'], ['static']]);
  });
});

describe('rules in handlers and traced helpers', () => {
  it('rejects an unannotated helper reached from a handler (T13), at the call', () => {
    const handlers = handlersWith(
      'frame.stack.push(twice(pop(frame)));',
      'function twice(n: number): number {\n  return n * 2;\n}\n',
    );
    const error = rejection(() => transformMini({ handlers }));
    expect(error.rule).toBe('T13');
    expect(error.file).toBe('handlers.ts');
    expect(error.line).toBe(lineOf(handlers, /twice\(pop\(frame\)\)/));
    expect(error.message).toMatch(/^handlers\.ts:\d+:\d+ \[T13 annotated-helpers\] twice \(handlers\.ts:\d+\)/);
  });

  it('rejects a helper with two annotations (T13)', () => {
    const twice = '/** @jit.handler @jit.residual */\nfunction twice(n: number): number {\n  return n * 2;\n}\n';
    const handlers = handlersWith('frame.stack.push(twice(pop(frame)));', twice);
    expect(rejection(() => transformMini({ handlers })).rule).toBe('T13');
  });

  it('rejects an unknown directive in a handler and in a case (T14), not a TypeError', () => {
    const handlers = `import { jit } from '../../../../interpreter/jit.ts';\n${handlersWith('frame.stack.push(jit.promot(pop(frame)));')}`;
    const inHandler = rejection(() => transformMini({ handlers }));
    expect([inHandler.rule, inHandler.file]).toEqual(['T14', 'handlers.ts']);
    expect(inHandler.line).toBe(lineOf(handlers, /jit\.promot\(/));
    expect(inHandler.message).toMatch(/jit\.promot is not a directive/);
    const source = miniSource('interpreter.ts');
    const interpreter = source.replace('add(frame);\n', 'add(frame);\n        jit.constant(frame);\n');
    expect(interpreter).not.toBe(source);
    const inCase = rejection(() => transformMini({ interpreter }));
    expect([inCase.rule, inCase.file]).toEqual(['T14', 'interpreter.ts']);
    expect(inCase.line).toBe(lineOf(interpreter, /jit\.constant\(frame\)/));
  });

  const sum = (body: string): string =>
    `/** @jit.handler */\nfunction sum(frame: MiniFrame): number {\n  let s = 0;\n  ${body}\n  return s;\n}\n`;
  const outsideTheSubset: [string, string, RegExp][] = [
    ['T15', 'while (frame.stack.length > 0) s += pop(frame);', /while \(/],
    ['T1', 'try {\n    s = pop(frame);\n  } finally {\n    s += 1;\n  }', /try \{/],
    ['T2', 'frame.stack.forEach((v) => (s += v));', /forEach/],
    ['T3', "s = frame['stack'].length;", /\['stack'\]/],
  ];
  it.each(outsideTheSubset)(
    'rejects code outside the subset inside a traced helper (%s), at its line',
    (rule, body, at) => {
      const handlers = handlersWith('frame.stack.push(sum(frame));', sum(body));
      const error = rejection(() => transformMini({ handlers }));
      expect([error.rule, error.file]).toEqual([rule, 'handlers.ts']);
      expect(error.line).toBe(lineOf(handlers, at));
    },
  );

  it('accepts the same loop in a helper marked residual, which the tracer does not enter', () => {
    const handlers = handlersWith(
      'frame.stack.push(sum(frame));',
      sum('while (frame.stack.length > 0) s += pop(frame);').replace('@jit.handler', '@jit.residual'),
    );
    expect(transformMini({ handlers }).traced.functions.get('handlers.ts:sum')?.annotation).toBe('residual');
  });
});

describe('the code the real dispatch loop reaches', () => {
  const traced = generateCompilers({ root: ROOT, opcodes: OPCODE_SHAPES }).traced;

  it('passes static operands to the handlers and on into their helpers', () => {
    expect(callsOf(traced, 'case Op.SEND', 'send').map((c) => c.args)).toEqual([['dynamic', 'static', 'static']]);
    const results = callsOf(traced, 'sendAdd', 'binaryResult');
    expect(results.length).toBeGreaterThan(0);
    for (const c of results)
      expect(c).toMatchObject({ file: 'interpreter/handlers/sends.ts', args: ['dynamic', 'static', 'dynamic'] });
    expect(callsOf(traced, 'sendAdd', 'send').map((c) => c.args)).toEqual([['dynamic', 'static', 'static']]);
  });

  it('marks a promoted value as such at the call sites it reaches', () => {
    expect(callsOf(traced, 'send', 'lookupAt').map((c) => c.args)).toEqual([['static', 'promoted']]);
    expect(callsOf(traced, 'superSend', 'lookupAt').map((c) => c.args)).toEqual([['static', 'dynamic']]);
  });

  it('records residual functions and portals without entering them', () => {
    const invoke = traced.functions.get('interpreter/invoke.ts:invokeFromStack');
    expect(invoke?.annotation).toBe('portal');
    expect(traced.calls.some((c) => c.caller === 'invokeFromStack')).toBe(false);
    const dnu = traced.functions.get('interpreter/invoke.ts:doesNotUnderstand');
    expect(dnu?.annotation).toBe('residual');
    expect(traced.calls.some((c) => c.caller === 'doesNotUnderstand')).toBe(false);
  });

  it('rejects a helper of a real handler that lost its annotation (T13), naming the handler module', () => {
    const file = 'interpreter/handlers/sends.ts';
    const { error, changed } = rejectionOfEdited(
      file,
      '/** @jit.handler Replaces the two topmost values',
      '/** Replaces the two topmost values',
    );
    expect([error.rule, error.file]).toEqual(['T13', file]);
    expect(error.line).toBe(lineOf(changed, /return binaryResult\(frame, sp, r\);/));
  });
});

describe('the traced primitives (interpreter/primitives/traced.ts)', () => {
  const result = generateCompilers({ root: ROOT, opcodes: OPCODE_SHAPES });
  const tracer = result.files.find((f) => f.path === 'generated/tracer.js')!.code;

  it('enters every listed primitive with dynamic parameters, and follows its helpers', () => {
    const names = result.traced.primitives.map((p) => `${p.file}:${p.name}`);
    expect(names).toEqual([
      'interpreter/primitives/array.ts:arrayAt',
      'interpreter/primitives/array.ts:arrayAtPut',
      'interpreter/primitives/array.ts:arrayLength',
      'interpreter/primitives/array.ts:arrayNew',
      'interpreter/primitives/object.ts:identical',
      'interpreter/primitives/string.ts:stringEquals',
      'interpreter/primitives/string.ts:stringLength',
      'interpreter/primitives/string.ts:stringSubstring',
      'interpreter/primitives/class.ts:newInstance',
      'interpreter/primitives/integer.ts:integerAnd',
      'interpreter/primitives/integer.ts:integerXor',
      'interpreter/primitives/integer.ts:integerModulo',
      'interpreter/primitives/integer.ts:integerQuotient',
      'interpreter/primitives/integer.ts:integerRemainder',
      'interpreter/primitives/double.ts:doubleDivide',
      'interpreter/primitives/double.ts:doubleSqrt',
    ]);
    for (const p of result.traced.primitives) expect(p.signatures[0]!.every((t) => t === 'dynamic')).toBe(true);
    expect(callsOf(result.traced, 'arrayAt', 'slotOffset').map((c) => c.args)).toEqual([
      ['dynamic', 'dynamic', 'static'],
    ]);
  });

  it('exports each one with its recording twin, generated from its source', () => {
    expect(tracer).toMatch(/\/\/ arrayAt <- interpreter\/primitives\/array\.ts:\d+\nfunction rec\$arrayAt\(T, /);
    const map = tracer.slice(tracer.indexOf('export const PRIMITIVE_RECORDERS'));
    for (const name of ['arrayAt', 'arrayAtPut', 'arrayLength']) expect(map).toContain(`[${name}, rec$${name}]`);
    expect(tracer).toMatch(/import \{[^}]*\barrayAt\b[^}]*\} from ["']\.\.\/interpreter\/primitives\/array\.ts["']/);
  });

  it('rejects a listed primitive that is not a @jit.handler (T16), naming the list', () => {
    const file = 'interpreter/primitives/array.ts';
    const { error } = rejectionOfEdited(file, '/** @jit.handler `anArray length`. */', '/** `anArray length`. */');
    expect([error.rule, error.file]).toEqual(['T16', 'interpreter/primitives/traced.ts']);
    expect(error.message).toContain('arrayLength');
  });

  it('rejects a helper of a traced primitive that lost its annotation (T13)', () => {
    const file = 'interpreter/primitives/operands.ts';
    const { error } = rejectionOfEdited(file, '@jit.residual `Index 5 not valid', '`Index 5 not valid');
    expect([error.rule, error.file]).toEqual(['T13', file]);
  });
});

/**
 * The emitter's hooks carry a second generator with no change to the emitter: a small
 * recording generator, written here and nowhere else, drives the sample interpreter the way
 * the tracer will (TRACING.md §2). Each recorder runs its instruction concretely and logs what
 * a trace would get: an operation, a guard in the direction the run took (following only that
 * arm), a promoted value, the loop closing at a back-edge. It overrides only hooks (STYLE.md
 * §2.4), and its module is assembled, with header, imports and exports, by the same code as
 * tier 1's.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as t from '@babel/types';
import type { Directive } from '../../interpreter/jit.ts';
import type { AnalysedCase } from '../../transformer/analysis/dispatch-loop.ts';
import { HandlerEmitter, camel } from '../../transformer/emit/handler-emitter.ts';
import type { DirectiveHook, WalkHooks } from '../../transformer/emit/hooks.ts';
import type { Generator } from '../../transformer/emit/generated-module.ts';
import { TIER1_GENERATOR } from '../../transformer/emit/tier1-emitter.ts';
import { reject } from '../../transformer/rules.ts';
import { loadGenerated, miniSource, removeCopies, transformMini } from './mini-fixture.ts';

/** `log.push(...parts)`, parts joined with a space at run time. */
function log(...parts: t.Expression[]): t.Statement {
  const text = parts.reduce((a, b) => t.binaryExpression('+', t.binaryExpression('+', a, t.stringLiteral(' ')), b));
  return t.expressionStatement(t.callExpression(t.memberExpression(t.identifier('log'), t.identifier('push')), [text]));
}

const result = (key: string, value: t.Expression): t.Statement =>
  t.returnStatement(t.objectExpression([t.objectProperty(t.identifier(key), value)]));

class RecordingEmitter extends HandlerEmitter {
  protected override readonly hooks = {
    dispatchLoop: (call) => reject(this.file, call, 'T8', 'jit.dispatchLoop inside a case'),
    ct: (call, site) => ({ value: site.hole(call.arguments[0]!) }),
    // The trace closes: a loop back to the anchor.
    backEdge: (call, site) => ({
      emit: [
        log(t.stringLiteral('close at'), site.staticValue(call.arguments[1]!)),
        result('closed', site.staticValue(call.arguments[1]!)),
      ],
    }),
    // Both at once: a guard on the current value, and that value as the directive's.
    promote: (call, site) => {
      const value = site.fresh('promoted');
      const compute = t.variableDeclaration('const', [
        t.variableDeclarator(value, site.expression(site.lower(call.arguments[0]!))),
      ]);
      return { emit: [compute, log(t.stringLiteral('guard value'), value)], value };
    },
    isJitted: () => ({ value: t.booleanLiteral(true) }),
  } satisfies Record<Directive, DirectiveHook>;

  protected override readonly walkHooks: WalkHooks = {
    constant: (value) => value,
    operation: (e, site) => [log(t.stringLiteral('op')), t.expressionStatement(site.expression(e))],
    declare: (kind, name, init, site) => [
      t.variableDeclaration(kind, [t.variableDeclarator(t.identifier(name), site.expression(init))]),
    ],
    // Follow the arm the run takes, guarding its direction.
    dynamicIf: ({ arms, otherwise }, site) => {
      const taken = (direction: string, body: readonly t.Statement[]): t.BlockStatement =>
        t.blockStatement([log(t.stringLiteral(`guard ${direction}`)), ...body]);
      const last = taken('false', otherwise ?? []);
      return [
        arms.reduceRight<t.Statement>(
          (rest, arm) => t.ifStatement(site.expression(arm.test), taken('true', arm.body), rest),
          last,
        ),
      ];
    },
    jump: (target, site) => [result('pc', 'static' in target ? target.static : site.expression(target.dynamic))],
    return: (value, site) => [result('returned', value === null ? t.identifier('undefined') : site.expression(value))],
  };

  protected override caseFunction(c: AnalysedCase, body: t.Statement[]): t.FunctionExpression {
    const params = ['log', this.loop.method, this.loop.pc, this.loop.frame].map((n) => t.identifier(n));
    return t.functionExpression(t.identifier(`record${camel(c.opcode)}`), params, t.blockStatement(body));
  }
}

const RECORDING_GENERATOR: Generator = {
  fileName: 'recorder.js',
  definedIn: 'test/transformer/second-generator.test.ts',
  about: ['A test recorder: runs each instruction and logs what a trace would record.'],
  table: { name: 'RECORDERS', doc: 'One recorder per opcode.', elementType: null },
  createEmitter: (context) => new RecordingEmitter(context.file, context.loop, context.annotations),
};

interface Frame {
  readonly method: { readonly code: readonly number[] };
  readonly stack: number[];
}
type Step = { pc: number } | { returned: number } | { closed: number };
type Recorder = (log: string[], method: Frame['method'], pc: number, frame: Frame) => Step;

/** Runs `code` through the recorders until it returns or its loop closes; answers the log and the end. */
function record(recorders: Recorder[], code: number[]): { log: string[]; end: Step } {
  const frame: Frame = { method: { code }, stack: [] };
  const entries: string[] = [];
  let pc = 0;
  for (let steps = 0; steps < 100; steps++) {
    const step = recorders[code[pc]!]!(entries, frame.method, pc, frame);
    if (!('pc' in step)) return { log: entries, end: step };
    pc = step.pc;
  }
  throw new Error('the recording did not end');
}

afterAll(removeCopies);

/** The generated recorder module for the mini interpreter (`interpreter`: modified source). */
async function recorders(interpreter?: string): Promise<Recorder[]> {
  const files = transformMini(interpreter === undefined ? {} : { interpreter }, {
    generators: [TIER1_GENERATOR, RECORDING_GENERATOR],
  }).files;
  const module = files.find((f) => f.path === 'out/recorder.js')!;
  return (await loadGenerated<{ RECORDERS: Recorder[] }>('recorder.js', module.code)).RECORDERS;
}

// PUSH 2; PUSH 3; ADD; PUSH <zero>; JUMP_IF_ZERO 10; (9:) RETURN; (10:) RETURN
const program = (zero: number): number[] => [0, 2, 0, 3, 1, 0, zero, 2, 10, 4, 4];

describe('a second generator made of hooks only', () => {
  it('is generated beside tier 1, its module assembled the same way', () => {
    const files = transformMini({}, { generators: [TIER1_GENERATOR, RECORDING_GENERATOR] }).files;
    expect(files.map((f) => f.path)).toEqual([
      'out/tier1-generator.js',
      'out/tier1-generator.d.ts',
      'out/recorder.js',
      'out/recorder.d.ts',
    ]);
    const code = files[2]!.code;
    expect(code).toMatch(/GENERATED by test\/transformer\/second-generator\.test\.ts from interpreter\.ts/);
    expect(code).toMatch(/import \{ add, pop, push \} from "\.\.\/handlers\.ts";/);
    expect(code).toMatch(/export const RECORDERS = \[\];/);
    expect(code).toMatch(
      /\/\/ JUMP_IF_ZERO <- interpreter\.ts:\d+ \(case Op\.JUMP_IF_ZERO\)\nRECORDERS\[Op\.JUMP_IF_ZERO\] = function recordJumpIfZero\(/,
    );
  });

  it('runs each operation and guards the arm of a dynamic if that the run takes', async () => {
    const run = await recorders();
    expect(record(run, program(0))).toEqual({ log: ['op', 'op', 'op', 'op', 'guard true'], end: { returned: 5 } });
    expect(record(run, program(1))).toEqual({ log: ['op', 'op', 'op', 'op', 'guard false'], end: { returned: 5 } });
  });

  it('closes the loop at a back-edge', async () => {
    // PUSH 0; JUMP_BACK 0
    expect(record(await recorders(), [0, 0, 3, 0])).toEqual({ log: ['op', 'close at 0'], end: { closed: 0 } });
  });

  it('lets a directive hook both emit statements and give a value (jit.promote)', async () => {
    const source = miniSource('interpreter.ts');
    const promoting = source.replace('add(frame);\n', 'push(frame, jit.promote(pop(frame)) + pop(frame));\n');
    expect(promoting).not.toBe(source);
    expect(record(await recorders(promoting), program(0))).toEqual({
      log: ['op', 'op', 'guard value 3', 'op', 'op', 'guard true'],
      end: { returned: 5 },
    });
  });
});

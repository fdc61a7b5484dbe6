/**
 * The tier-1 generator: its hooks, and what `generated/tier1-generator.js` is.
 *
 * Tier 1 specialises the interpreter to one method: each opcode's emitter `(w, method, pc)`
 * runs the static part of the case when a method is compiled and appends the dynamic part to
 * the code writer `w` as JavaScript text, the static values spliced in through `w.lit(...)`.
 * So dispatch and operand decoding are gone and jumps become control flow of the emitted
 * function (see runtime/tier1/). Because the compiler sweeps every bytecode of the method
 * rather than following one execution, both arms of a dynamic `if` are emitted.
 *
 * The writer protocol the generated emitters call (implemented at run time by the CodeWriter):
 *   w.line(text)  w.open(text)  w.middle(text)  w.close(text)   emit a line / a block
 *   w.lit(value)                                                a static value as source text
 *   w.jump(pc)  w.dynamicJump(text)                             continue at a pc
 *   w.backEdge(pc)                                              a loop back-edge (tier hook)
 */
import * as t from '@babel/types';
import type { Directive } from '../../interpreter/jit.ts';
import type { AnalysedCase } from '../analysis/dispatch-loop.ts';
import { reject } from '../rules.ts';
import { HandlerEmitter, camel } from './handler-emitter.ts';
import type { DirectiveHook, WalkHooks } from './hooks.ts';
import type { Generator } from './generated-module.ts';

/** Builds `w.<name>(...args)` as an emitter statement. */
function writerCall(name: string, ...args: t.Expression[]): t.Statement {
  return t.expressionStatement(t.callExpression(t.memberExpression(t.identifier('w'), t.identifier(name)), args));
}

export class Tier1Emitter extends HandlerEmitter {
  protected override readonly hooks = {
    // The loop head is the specialisation itself: nothing to emit inside a case.
    dispatchLoop: (call) => reject(this.file, call, 'T8', 'jit.dispatchLoop inside a case'),
    // A compile-time value: computed now, spliced as a literal or constant reference.
    ct: (call, site) => ({ value: site.hole(call.arguments[0]!) }),
    // The counter check lives in the writer, so the runtime decides what a back-edge costs.
    backEdge: (call, site) => ({ emit: [writerCall('backEdge', site.staticValue(call.arguments[1]!))] }),
    // Sends already go through inline caches; tier 1 does not speculate.
    promote: (call, site) => ({ value: site.lower(call.arguments[0]!) }),
    isJitted: () => ({ value: t.booleanLiteral(true) }),
  } satisfies Record<Directive, DirectiveHook>;

  protected override readonly walkHooks: WalkHooks = {
    constant: (value) => t.callExpression(t.memberExpression(t.identifier('w'), t.identifier('lit')), [value]),
    operation: (e, site) => [writerCall('line', site.text(e, '', ';'))],
    declare: (kind, name, init, site) => [writerCall('line', site.text(init, `${kind} ${name} = `, ';'))],
    // Both arms: the method's code is compiled whole, whichever way the condition goes.
    dynamicIf: ({ arms, otherwise }, site) => [
      ...arms.flatMap(({ test, body }, i) => [
        i === 0
          ? writerCall('open', site.text(test, 'if (', ') {'))
          : writerCall('middle', site.text(test, '} else if (', ') {')),
        ...body,
      ]),
      ...(otherwise === null ? [] : [writerCall('middle', t.stringLiteral('} else {')), ...otherwise]),
      writerCall('close', t.stringLiteral('}')),
    ],
    jump: (target, site) =>
      'static' in target
        ? [writerCall('jump', target.static)]
        : [writerCall('dynamicJump', site.text(target.dynamic, '', ''))],
    return: (value, site) => [
      writerCall('line', value === null ? t.stringLiteral('return;') : site.text(value, 'return ', ';')),
    ],
  };

  protected override caseFunction(c: AnalysedCase, body: t.Statement[]): t.FunctionExpression {
    const params = [t.identifier('w'), t.identifier(this.loop.method), t.identifier(this.loop.pc)];
    return t.functionExpression(t.identifier(`emit${camel(c.opcode)}`), params, t.blockStatement(body));
  }
}

export const TIER1_GENERATOR: Generator = {
  fileName: 'tier1-generator.js',
  definedIn: 'transformer/emit/tier1-emitter.ts',
  about: [
    'The tier-1 generator: for each opcode, an emitter that runs the static part of the',
    "interpreter's case at compile time and appends the dynamic part as JavaScript text.",
    'Each emitter is preceded by the interpreter line it came from.',
  ],
  table: {
    name: 'EMITTERS',
    doc: 'One emitter per opcode: appends the code of the instruction at (method, pc) to the writer w.',
    elementType: { name: 'Tier1Emitter', from: '../runtime/tier1/emitter-protocol.ts' },
  },
  createEmitter: (context) => new Tier1Emitter(context.file, context.loop, context.annotations, context.inlinable),
};

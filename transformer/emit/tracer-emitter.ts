/**
 * The tracer's generator: its hooks, and what `generated/tracer.js` is (TRACING.md §2).
 *
 * For each opcode the module has a recorder `(T, method, pc, frame, frame$)`: the interpreter's
 * case, run concretely on the real frame while the recording context `T`
 * (runtime/tier2/recorder.ts) appends IR. It answers the next pc (or `T.leave(...)` when the
 * activation returns). For each handler and helper the dispatch loop enters (`@jit.handler`,
 * analysis/traced-code.ts) the module has a twin `rec$name(T, p1, p1$, ...)`, every parameter
 * with its shadow, which answers the concrete result and leaves its shadow in `T.result`.
 * Both are recording code (recording-code.ts): static values are trace constants, dynamic
 * operations are computed and recorded, a dynamic condition decides the branch concretely and
 * guards the direction taken, `jit.promote` guards a value, `@jit.elidable` calls are pure
 * calls and `@jit.residual` ones opaque calls. A `jit.backEdge` tells `T` where a loop closes.
 *
 * Only hooks differ from tier 1 (STYLE.md §2.4); the cases are walked by the same walk.
 */
import * as t from '@babel/types';
import type { Directive } from '../../interpreter/jit.ts';
import type { AnalysedCase } from '../analysis/dispatch-loop.ts';
import { reject } from '../rules.ts';
import { HandlerEmitter, camel } from './handler-emitter.ts';
import type { DirectiveHook, WalkHooks } from './hooks.ts';
import { exportConst, type EmitterContext, type Generator } from './generated-module.ts';
import { RecordingCode } from './recording-code.ts';
import { FunctionTwins, twinName } from './function-twins.ts';

/** `jit.<name>(arg)`: a directive left in generated code for the recording code to lower. */
function directive(name: Directive, arg: t.Expression): t.CallExpression {
  return t.callExpression(t.memberExpression(t.identifier('jit'), t.identifier(name)), [arg]);
}

const tStatement = (method: string, ...args: t.Expression[]): t.Statement =>
  t.expressionStatement(t.callExpression(t.memberExpression(t.identifier('T'), t.identifier(method)), args));

export class TracerEmitter extends HandlerEmitter {
  private readonly twins: FunctionTwins;
  /** The recording code of the case being walked (made on first use, dropped when its function is built). */
  private current: RecordingCode | null = null;

  constructor(private readonly context: EmitterContext) {
    // No handler is inlined: the recorder calls each handler's twin.
    super(context.file, context.loop, context.annotations);
    this.twins = new FunctionTwins(context, this.moduleImports);
  }

  private code(): RecordingCode {
    this.current ??= new RecordingCode(this.twins.scopeOf(this.file), new Set([this.loop.frame]));
    return this.current;
  }

  protected override readonly hooks = {
    dispatchLoop: (call) => reject(this.file, call, 'T8', 'jit.dispatchLoop inside a case'),
    // A compile-time value is a trace constant; the `constant` hook marks it so.
    ct: (call, site) => ({ value: site.hole(call.arguments[0]!) }),
    // Where a loop closes: T decides whether it is the loop being recorded.
    backEdge: (call, site) => ({
      emit: [tStatement('backEdge', t.identifier(this.loop.method), site.staticValue(call.arguments[1]!))],
    }),
    // A guard on the current value; the value is a constant of the trace downstream.
    promote: (call, site) => ({ value: directive('promote', site.lower(call.arguments[0]!)) }),
    isJitted: () => ({ value: t.booleanLiteral(true) }),
  } satisfies Record<Directive, DirectiveHook>;

  protected override readonly walkHooks: WalkHooks = {
    constant: (value) => directive('ct', value),
    operation: (e, site) => this.code().statements([t.expressionStatement(site.expression(e))], noReturn),
    declare: (kind, name, init, site) =>
      this.code().statements(
        [t.variableDeclaration(kind, [t.variableDeclarator(t.identifier(name), site.expression(init))])],
        noReturn,
      ),
    // Follow the arm the run takes, guarding its direction (the arms' tests run in order).
    dynamicIf: ({ arms, otherwise }, site) =>
      arms.reduceRight<t.Statement[] | null>(
        (rest, arm) => {
          const test = this.code().expression(site.expression(arm.test));
          return [...test.statements, ...this.code().guardedIf(test.faces, [...arm.body], rest)];
        },
        otherwise === null ? null : [...otherwise],
      ) ?? [],
    jump: (target, site) => {
      if ('static' in target) return [t.returnStatement(target.static)];
      const next = this.code().expression(site.expression(target.dynamic));
      return [...next.statements, t.returnStatement(tCall('jumpTo', next.faces.v, next.faces.s))];
    },
    return: (value, site) => {
      if (value === null)
        return [t.returnStatement(tCall('leave', t.identifier('undefined'), t.identifier('undefined')))];
      const result = this.code().expression(site.expression(value));
      return [...result.statements, t.returnStatement(tCall('leave', result.faces.v, result.faces.s))];
    },
  };

  protected override caseFunction(c: AnalysedCase, body: t.Statement[]): t.FunctionExpression {
    this.current = null;
    const frame = this.loop.frame;
    const params = ['T', this.loop.method, this.loop.pc, frame, `${frame}$`].map((n) => t.identifier(n));
    return t.functionExpression(t.identifier(`record${camel(c.opcode)}`), params, t.blockStatement(body));
  }

  /** The twins, then PRIMITIVE_RECORDERS: each traced primitive (imported) with its twin. */
  override moduleFunctions(): t.Statement[] {
    const twins = this.twins.declarations();
    const entries = (this.context.traced?.primitives ?? []).map((fn) =>
      t.arrayExpression([t.identifier(this.twins.scopeOf(fn.file).value(fn.name)), t.identifier(twinName(fn.name))]),
    );
    const recorders = exportConst(
      PRIMITIVE_RECORDERS.name,
      t.newExpression(t.identifier('Map'), [t.arrayExpression(entries)]),
      PRIMITIVE_RECORDERS.doc,
    );
    return [...twins, recorders];
  }
}

const noReturn = (): never => {
  throw new Error('tracer: a return inside an expression statement');
};

function tCall(method: string, ...args: t.Expression[]): t.CallExpression {
  return t.callExpression(t.memberExpression(t.identifier('T'), t.identifier(method)), args);
}

export { twinName };

/** The further export: the traced primitives' twins (interpreter/primitives/traced.ts). */
const PRIMITIVE_RECORDERS = {
  name: 'PRIMITIVE_RECORDERS',
  doc: 'The recording twin of each traced primitive (interpreter/primitives/traced.ts), keyed by the primitive function.',
  type: 'PrimitiveRecorders',
  imports: [{ name: 'PrimitiveRecorders', from: '../runtime/tier2/recorder-protocol.ts' }],
};

export const TRACER_GENERATOR: Generator = {
  fileName: 'tracer.js',
  definedIn: 'transformer/emit/tracer-emitter.ts',
  about: [
    "The tracer's recorders: for each opcode, the interpreter's case run concretely while the",
    'recording context T appends trace IR; then a twin of every handler and helper the',
    'dispatch loop enters. Each is preceded by the interpreter line it came from.',
  ],
  table: {
    name: 'RECORDERS',
    doc: 'One recorder per opcode: runs the instruction at (method, pc) on frame and records it into T; answers the next pc.',
    elementType: { name: 'OpcodeRecorder', from: '../runtime/tier2/recorder-protocol.ts' },
  },
  exports: [PRIMITIVE_RECORDERS],
  createEmitter: (context) => new TracerEmitter(context),
};

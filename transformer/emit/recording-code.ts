/**
 * Recording code: interpreter statements and expressions rewritten into code that runs them
 * concretely *and* tells the recording context `T` what they did (TRACING.md §2's table). The
 * tracer's hooks (tracer-emitter.ts) use it for the dynamic parts of each case; the twins of the
 * handlers and helpers the tracer enters (function-twin.ts) are made of it entirely.
 *
 * Every value gets two faces: its concrete JS value `x` and its shadow `x$`, what the recording
 * context knows of it (an IR operand, a constant, the virtual frame). Static values need no
 * binding-time analysis here: their shadow is `T.k(value)`, a trace constant, and the recording
 * context folds operations on constants, so what is static stays a constant of the trace. The
 * concrete half is the interpreter's own code in its own evaluation order; `T` only ever
 * answers shadows, so a recording cannot change what the program does (an abort just stops
 * the recording, the instruction runs to its end).
 *
 * What each construct becomes (the `T` method it calls is the runtime's, runtime/tier2/recorder.ts):
 * - a name with a shadow: itself; any other name or literal: a constant `T.k(v)`;
 * - `o.p`, `o[i]`: `T.get`, `T.item` (a frame slot reads the virtual frame; a model object's
 *   field a getfield; a field of a constant object a constant);
 * - writes `o.p = v`, `o[i] = v`: `T.set`, `T.setItem`;
 * - arithmetic and comparisons: `T.binary(op, ...)`, chosen at recording time from the operands'
 *   kinds; `typeof`, `instanceof`, `!`, unary `-`: `T.typeOf`, `T.instanceOf`, `T.not`, `T.neg`;
 * - `&&`, `||`, `?:`, `if`: the concrete value decides, `T.guard` records the direction taken;
 * - calls: a handler or traced helper calls its twin (`rec$name`), an `@jit.elidable` function
 *   `T.pure`, a `@jit.residual` function, a host function or a method `T.call`/`T.method`; a
 *   `@jit.portal` function is called by `T.portal`, which may inline the activation it starts;
 *   `new C(...)`: `T.alloc`; `jit.promote(x)`: `T.promote`; `jit.ct(x)`: a constant;
 * - anything else runs as written and aborts the recording (`T.unsupported`).
 */
import * as t from '@babel/types';
import { stripTypes } from '../analysis/binding-time.ts';
import { isJitCall } from '../analysis/directives.ts';

/** How a called name is entered: a twin, a pure call, an opaque call, or a host function. */
export type CalleeKind = 'twin' | 'pure' | 'residual' | 'portal' | 'host';

/** What the recorder needs to know of the module the code comes from. */
export interface RecordingScope {
  /** The kind of call `name(...)` is, and the name of its twin or function in the generated module. */
  callee(name: string): { readonly kind: CalleeKind; readonly name: string };
  /** A module-level name the code uses as a value: answers its name in the generated module. */
  value(name: string): string;
}

/** A value of recorded code: its concrete expression and its shadow expression. */
interface Faces {
  readonly v: t.Expression;
  readonly s: t.Expression;
}

const T = (): t.Identifier => t.identifier('T');
const tCall = (method: string, ...args: t.Expression[]): t.CallExpression =>
  t.callExpression(t.memberExpression(T(), t.identifier(method)), args);
const shadowName = (name: string): string => `${name}$`;

/** Rewrites interpreter code into recording code; one per generated function (fresh names). */
export class RecordingCode {
  private names = 0;
  private out: t.Statement[] = [];

  constructor(
    private readonly scope: RecordingScope,
    /** Locals and parameters that have a shadow. */
    private readonly shadowed: Set<string>,
  ) {}

  /** Declares `name` as a local with a shadow. */
  shadow(name: string): void {
    this.shadowed.add(name);
  }

  /** The statements recording statement `s`; `onReturn` makes what a `return` becomes. */
  statements(list: readonly t.Statement[], onReturn: (value: Faces | null) => t.Statement[]): t.Statement[] {
    const outer = this.out;
    this.out = [];
    for (const s of list) this.statement(stripTypes(s), onReturn);
    const result = this.out;
    this.out = outer;
    return result;
  }

  /** Statements that compute `e` with its shadow; answers them and the two faces. */
  expression(e: t.Expression): { statements: t.Statement[]; faces: Faces } {
    const outer = this.out;
    this.out = [];
    const faces = this.expr(stripTypes(e));
    const statements = this.out;
    this.out = outer;
    return { statements, faces };
  }

  /** `if (test) ...` on a recorded test: the guard for the direction taken, then the concrete if. */
  guardedIf(test: Faces, consequent: t.Statement[], alternate: t.Statement[] | null): t.Statement[] {
    const guard = t.expressionStatement(tCall('guard', test.v, test.s));
    const branch = t.ifStatement(
      test.v,
      t.blockStatement(consequent),
      alternate === null ? null : t.blockStatement(alternate),
    );
    return [guard, branch];
  }

  private statement(s: t.Statement, onReturn: (value: Faces | null) => t.Statement[]): void {
    if (t.isExpressionStatement(s)) {
      this.expr(s.expression, true);
    } else if (t.isVariableDeclaration(s)) {
      this.declaration(s);
    } else if (t.isIfStatement(s)) {
      const test = this.expr(s.test);
      const arm = (b: t.Statement | null | undefined): t.Statement[] =>
        b == null ? [] : this.statements(t.isBlockStatement(b) ? b.body : [b], onReturn);
      const consequent = arm(s.consequent);
      const alternate = s.alternate == null ? null : arm(s.alternate);
      this.out.push(...this.guardedIf(test, consequent, alternate));
    } else if (t.isBlockStatement(s)) {
      this.out.push(t.blockStatement(this.statements(s.body, onReturn)));
    } else if (t.isReturnStatement(s)) {
      this.out.push(...onReturn(s.argument == null ? null : this.expr(s.argument)));
    } else if (t.isThrowStatement(s)) {
      // The context decides: a non-local return to a level of the trace is recorded as that
      // level's return; anything else thrown stops the recording.
      const value = this.expr(s.argument);
      this.out.push(t.expressionStatement(tCall('thrown', value.v)));
      this.out.push(t.throwStatement(value.v));
    } else {
      throw new Error(`recording code: ${s.type} is outside the traced subset`);
    }
  }

  private declaration(s: t.VariableDeclaration): void {
    for (const d of s.declarations) {
      if (!t.isIdentifier(d.id)) throw new Error('recording code: a destructuring declaration');
      const name = d.id.name;
      this.shadow(name);
      const faces =
        d.init == null ? { v: t.identifier('undefined'), s: tCall('k', t.identifier('undefined')) } : this.expr(d.init);
      this.out.push(
        t.variableDeclaration(s.kind === 'const' ? 'const' : 'let', [
          t.variableDeclarator(t.identifier(name), faces.v),
          t.variableDeclarator(t.identifier(shadowName(name)), faces.s),
        ]),
      );
    }
  }

  /** A fresh pair of names `hint$n`, `hint$n$` declared as `const` with these faces. */
  private bind(hint: string, v: t.Expression, s: (value: t.Identifier) => t.Expression): Faces {
    const name = `${hint}$${++this.names}`;
    const value = t.identifier(name);
    this.out.push(t.variableDeclaration('const', [t.variableDeclarator(value, v)]));
    const shadow = t.identifier(shadowName(name));
    this.out.push(t.variableDeclaration('const', [t.variableDeclarator(shadow, s(value))]));
    return { v: value, s: shadow };
  }

  /** The faces of `e`, its effects appended to the output; `discard`: its value is not used. */
  private expr(e: t.Expression, discard = false): Faces {
    if (isJitCall(e, 'ct')) return this.bind('ct', this.plain(e.arguments[0] as t.Expression), (v) => tCall('k', v));
    if (isJitCall(e, 'promote')) {
      const x = this.expr(e.arguments[0] as t.Expression);
      return this.bind('promoted', x.v, (v) => tCall('promote', v, x.s));
    }
    if (t.isIdentifier(e)) return this.identifier(e);
    if (t.isNumericLiteral(e) || t.isStringLiteral(e) || t.isBooleanLiteral(e) || t.isNullLiteral(e)) {
      return { v: e, s: tCall('k', e) };
    }
    if (t.isParenthesizedExpression(e)) return this.expr(e.expression, discard);
    if (t.isMemberExpression(e)) return this.member(e);
    if (t.isAssignmentExpression(e)) return this.assignment(e);
    if (t.isBinaryExpression(e)) return this.binary(e);
    if (t.isUnaryExpression(e)) return this.unary(e);
    if (t.isLogicalExpression(e)) return this.logical(e);
    if (t.isConditionalExpression(e)) return this.conditional(e);
    if (t.isCallExpression(e)) return this.call(e, discard);
    if (t.isNewExpression(e) && t.isIdentifier(e.callee)) {
      const cls = this.scope.value(e.callee.name);
      const args = this.args(e.arguments);
      return this.bind(
        'new',
        t.newExpression(
          t.identifier(cls),
          args.map((a) => a.v),
        ),
        (v) => tCall('alloc', t.identifier(cls), array(args, 'v'), array(args, 's'), v),
      );
    }
    return this.bind('value', this.plain(e), () => tCall('unsupported', t.stringLiteral(`${e.type} in traced code`)));
  }

  private identifier(e: t.Identifier): Faces {
    if (this.shadowed.has(e.name)) return { v: t.identifier(e.name), s: t.identifier(shadowName(e.name)) };
    if (e.name === 'undefined') return { v: e, s: tCall('k', e) };
    const name = this.scope.value(e.name);
    return { v: t.identifier(name), s: tCall('k', t.identifier(name)) };
  }

  private member(e: t.MemberExpression): Faces {
    const object = this.expr(e.object as t.Expression);
    if (!e.computed && t.isIdentifier(e.property)) {
      const name = e.property.name;
      return this.bind(name, t.memberExpression(object.v, t.identifier(name)), (v) =>
        tCall('get', object.v, object.s, t.stringLiteral(name), v),
      );
    }
    const index = this.expr(e.property as t.Expression);
    return this.bind('item', t.memberExpression(object.v, index.v, true), (v) =>
      tCall('item', object.v, object.s, index.v, index.s, v),
    );
  }

  private assignment(e: t.AssignmentExpression): Faces {
    if (e.operator !== '=') {
      const operator = e.operator.slice(0, -1) as t.BinaryExpression['operator'];
      const left = e.left as t.Identifier | t.MemberExpression;
      // `o[i] += v` becomes `o[i] = o[i] + v`: `o` and `i` are evaluated twice, so plain names.
      const plainKey = (k: t.Node): boolean => t.isIdentifier(k) || t.isNumericLiteral(k);
      if (t.isMemberExpression(left) && (!t.isIdentifier(left.object) || (left.computed && !plainKey(left.property)))) {
        throw new Error(`recording code: ${e.operator} on a computed target`);
      }
      return this.assignment(
        t.assignmentExpression('=', left, t.binaryExpression(operator, t.cloneNode(left), e.right)),
      );
    }
    if (t.isIdentifier(e.left)) {
      if (!this.shadowed.has(e.left.name)) throw new Error(`recording code: ${e.left.name} assigned`);
      const value = this.expr(e.right);
      this.out.push(assign(t.identifier(e.left.name), value.v), assign(t.identifier(shadowName(e.left.name)), value.s));
      return value;
    }
    if (!t.isMemberExpression(e.left)) throw new Error('recording code: an assignment to a pattern');
    const object = this.expr(e.left.object as t.Expression);
    const computed = e.left.computed;
    const key = computed ? this.expr(e.left.property as t.Expression) : null;
    const value = this.expr(e.right);
    const property = (e.left.property as t.Identifier).name;
    const target =
      key === null ? t.memberExpression(object.v, t.identifier(property)) : t.memberExpression(object.v, key.v, true);
    this.out.push(assign(target, value.v));
    const record =
      key === null
        ? tCall('set', object.v, object.s, t.stringLiteral(property), value.v, value.s)
        : tCall('setItem', object.v, object.s, key.v, key.s, value.v, value.s);
    this.out.push(t.expressionStatement(record));
    return value;
  }

  private binary(e: t.BinaryExpression): Faces {
    const left = this.expr(e.left as t.Expression);
    const right = this.expr(e.right);
    const concrete = t.binaryExpression(e.operator, left.v, right.v);
    if (e.operator === 'instanceof') {
      return this.bind('is', concrete, (v) => tCall('instanceOf', left.v, left.s, right.v, v));
    }
    return this.bind('op', concrete, (v) =>
      tCall('binary', t.stringLiteral(e.operator), left.v, left.s, right.v, right.s, v),
    );
  }

  private unary(e: t.UnaryExpression): Faces {
    const x = this.expr(e.argument);
    const method = { typeof: 'typeOf', '!': 'not', '-': 'neg' }[e.operator as string];
    if (method === undefined) {
      return this.bind('value', t.unaryExpression(e.operator, x.v), () =>
        tCall('unsupported', t.stringLiteral(`unary ${e.operator}`)),
      );
    }
    return this.bind('op', t.unaryExpression(e.operator, x.v), (v) => tCall(method, x.v, x.s, v));
  }

  /** `a && b`, `a || b`, `a ?? b`: the left value decides (guarded); the right one runs only if needed. */
  private logical(e: t.LogicalExpression): Faces {
    const left = this.expr(e.left);
    const name = `either$${++this.names}`;
    const [value, shadow] = [t.identifier(name), t.identifier(shadowName(name))];
    this.out.push(
      t.variableDeclaration('let', [t.variableDeclarator(value, left.v), t.variableDeclarator(shadow, left.s)]),
    );
    const outer = this.out;
    this.out = [];
    const right = this.expr(e.right);
    this.out.push(assign(value, right.v), assign(shadow, right.s));
    const evaluateRight = this.out;
    this.out = outer;
    const test =
      e.operator === '&&'
        ? { v: left.v, s: left.s }
        : e.operator === '||'
          ? { v: t.unaryExpression('!', left.v), s: tCall('not', left.v, left.s, t.unaryExpression('!', left.v)) }
          : {
              v: t.binaryExpression('==', left.v, t.nullLiteral()),
              s: tCall(
                'binary',
                t.stringLiteral('=='),
                left.v,
                left.s,
                t.nullLiteral(),
                tCall('k', t.nullLiteral()),
                t.binaryExpression('==', left.v, t.nullLiteral()),
              ),
            };
    this.out.push(...this.guardedIf(test, evaluateRight, null));
    return { v: value, s: shadow };
  }

  private conditional(e: t.ConditionalExpression): Faces {
    const test = this.expr(e.test);
    const name = `choice$${++this.names}`;
    const [value, shadow] = [t.identifier(name), t.identifier(shadowName(name))];
    this.out.push(t.variableDeclaration('let', [t.variableDeclarator(value), t.variableDeclarator(shadow)]));
    const arm = (x: t.Expression): t.Statement[] => {
      const outer = this.out;
      this.out = [];
      const faces = this.expr(x);
      this.out.push(assign(value, faces.v), assign(shadow, faces.s));
      const result = this.out;
      this.out = outer;
      return result;
    };
    this.out.push(...this.guardedIf(test, arm(e.consequent), arm(e.alternate)));
    return { v: value, s: shadow };
  }

  private args(list: t.CallExpression['arguments']): Faces[] {
    return list.map((a) => {
      if (!t.isExpression(a)) throw new Error('recording code: a spread or placeholder argument');
      return this.expr(a);
    });
  }

  private call(e: t.CallExpression, discard: boolean): Faces {
    if (t.isMemberExpression(e.callee) && !e.callee.computed && t.isIdentifier(e.callee.property)) {
      const object = this.expr(e.callee.object as t.Expression);
      const name = e.callee.property.name;
      const args = this.args(e.arguments);
      const concrete = t.callExpression(
        t.memberExpression(object.v, t.identifier(name)),
        args.map((a) => a.v),
      );
      return this.bind('result', concrete, (v) =>
        tCall('method', object.v, object.s, t.stringLiteral(name), array(args, 'v'), array(args, 's'), v),
      );
    }
    if (!t.isIdentifier(e.callee)) {
      return this.bind('value', this.plain(e), () => tCall('unsupported', t.stringLiteral('a computed callee')));
    }
    const callee = this.scope.callee(e.callee.name);
    const args = this.args(e.arguments);
    const fn = t.identifier(callee.name);
    if (callee.kind === 'twin') {
      const call = t.callExpression(fn, [T(), ...args.flatMap((a) => [a.v, a.s])]);
      if (discard) {
        this.out.push(t.expressionStatement(call));
        return { v: t.identifier('undefined'), s: tCall('k', t.identifier('undefined')) };
      }
      return this.bind('result', call, () => t.memberExpression(T(), t.identifier('result')));
    }
    if (callee.kind === 'portal') {
      // The recording runtime makes the call itself (inlining the activation, or not).
      const call = tCall('portal', fn, t.stringLiteral(callee.name), array(args, 'v'), array(args, 's'));
      return this.bind('result', call, () => t.memberExpression(T(), t.identifier('result')));
    }
    const method = callee.kind === 'pure' ? 'pure' : 'call';
    return this.bind(
      'result',
      t.callExpression(
        fn,
        args.map((a) => a.v),
      ),
      (v) => tCall(method, fn, t.stringLiteral(callee.name), array(args, 'v'), array(args, 's'), v),
    );
  }

  /** `e` as plain code (jit.ct unwrapped): run as written, its module names imported. */
  private plain(e: t.Expression): t.Expression {
    const copy = t.cloneNode(e, true, false);
    const rename = (n: t.Node): t.Node => {
      if (isJitCall(n, 'ct')) return rename(n.arguments[0] as t.Node);
      if (t.isIdentifier(n)) {
        return this.shadowed.has(n.name) || n.name === 'undefined' ? n : t.identifier(this.scope.value(n.name));
      }
      for (const key of t.VISITOR_KEYS[n.type] ?? []) {
        if ((t.isMemberExpression(n) || t.isOptionalMemberExpression(n)) && key === 'property' && !n.computed) continue;
        if (t.isObjectProperty(n) && key === 'key' && !n.computed) continue;
        const record = n as unknown as Record<string, unknown>;
        const child = record[key];
        if (Array.isArray(child))
          record[key] = child.map((c) => (c && typeof c === 'object' ? rename(c as t.Node) : c));
        else if (child && typeof child === 'object' && 'type' in child) record[key] = rename(child as t.Node);
      }
      return n;
    };
    return rename(copy) as t.Expression;
  }
}

function assign(target: t.LVal, value: t.Expression): t.Statement {
  return t.expressionStatement(t.assignmentExpression('=', target, value));
}

function array(faces: readonly Faces[], face: keyof Faces): t.ArrayExpression {
  return t.arrayExpression(faces.map((f) => f[face]));
}

/**
 * The walk of one case of the dispatch loop: the tier-neutral half of the emitter.
 *
 * It tracks binding times, checks the case against the restricted subset (rules T1-T8), runs
 * the static parts itself (a static `const` or `if` becomes the same statement in the generated
 * function, computed per method and pc), lowers dynamic expressions, and hands every dynamic
 * construct to the generator's hooks (hooks.ts). Statements a directive hook emits from inside
 * an expression are placed before the statement that contains it.
 */
import * as t from '@babel/types';
import type { AnalysedCase, DispatchLoop } from '../analysis/dispatch-loop.ts';
import { BindingTimes, stripTypes, type BindingTime } from '../analysis/binding-time.ts';
import type { AnnotationMap } from '../analysis/annotations.ts';
import { directiveOf, isJitCall } from '../analysis/directives.ts';
import { substitute, type InlinableHandlers } from '../analysis/inline-handlers.ts';
import { reject } from '../rules.ts';
import { emittedText, fillHoles, placeholder } from './emitted-text.ts';
import type { DirectiveHooks, EmitSite, WalkHooks } from './hooks.ts';

/** What a walk needs from its emitter: the analysed interpreter, the hooks, and where to record names. */
export interface WalkContext {
  readonly file: string;
  readonly loop: DispatchLoop;
  readonly annotations: AnnotationMap;
  readonly inlinable: InlinableHandlers;
  readonly directives: DirectiveHooks;
  readonly walk: WalkHooks;
  /** Module-level names the generated code refers to (the handlers it calls). */
  readonly handlerNames: Set<string>;
  /** Module-level names the generated functions call themselves (operand decoders). */
  readonly staticHelperNames: Set<string>;
}

export class CaseWalk implements EmitSite {
  private readonly bt: BindingTimes;
  private readonly holes: t.Expression[] = [];
  /** Statements directive hooks emitted while lowering the current statement. */
  private pending: t.Statement[] = [];
  /** Fresh names given so far. */
  private names = 0;

  constructor(
    private readonly context: WalkContext,
    readonly origin: AnalysedCase,
  ) {
    this.bt = BindingTimes.forCase(context.loop);
  }

  get file(): string {
    return this.context.file;
  }

  get loop(): DispatchLoop {
    return this.context.loop;
  }

  private get hooks(): WalkHooks {
    return this.context.walk;
  }

  classify(e: t.Node): BindingTime {
    return this.bt.classify(e);
  }

  /** Generated statements for a statement list; `tail`: nothing runs after it in the case. */
  statements(list: readonly t.Statement[], tail: boolean): t.Statement[] {
    let last = list.length - 1;
    while (last >= 0 && t.isBreakStatement(list[last])) last--;
    const outer = this.pending;
    const out: t.Statement[] = [];
    list.forEach((s, i) => {
      if (t.isBreakStatement(s)) {
        if (i <= last) reject(this.file, s, 'T6', 'break only ends a case');
        return;
      }
      this.pending = [];
      const generated = this.statement(s, tail && i === last);
      out.push(...this.pending, ...generated);
    });
    this.pending = outer;
    return out;
  }

  private statement(s: t.Statement, tail: boolean): t.Statement[] {
    if (t.isExpressionStatement(s)) return this.expressionStatement(s, tail);
    if (t.isVariableDeclaration(s)) return this.declaration(s);
    if (t.isIfStatement(s)) return this.ifStatement(s, tail);
    if (t.isBlockStatement(s)) return this.statements(s.body, tail);
    if (t.isReturnStatement(s)) return this.hooks.return(s.argument ? this.lower(s.argument) : null, this);
    if (t.isTryStatement(s)) return reject(this.file, s, 'T1', 'try in the dispatch loop');
    if (t.isFunctionDeclaration(s)) return reject(this.file, s, 'T2', 'function declared in a case');
    return reject(this.file, s, 'T6', `${s.type} in a case`);
  }

  private expressionStatement(s: t.ExpressionStatement, tail: boolean): t.Statement[] {
    const e = s.expression;
    if (isJitCall(e)) {
      const result = this.context.directives[directiveOf(e, this.file)](e, this);
      const value = result.value === undefined ? [] : this.hooks.operation(result.value, this);
      return [...(result.emit ?? []), ...value];
    }
    const pc = this.loop.pc;
    if (t.isAssignmentExpression(e) && t.isIdentifier(e.left, { name: pc })) {
      if (!tail) reject(this.file, s, 'T4', 'pc assigned before the end of the path');
      const target = e.operator === '=' ? e.right : t.binaryExpression('+', t.identifier(pc), e.right as t.Expression);
      if (e.operator !== '=' && e.operator !== '+=') reject(this.file, s, 'T4', `pc updated with ${e.operator}`);
      return this.hooks.jump(
        this.bt.isStatic(target) ? { static: this.staticValue(target) } : { dynamic: this.lower(target) },
        this,
      );
    }
    if (t.isAssignmentExpression(e) && t.isIdentifier(e.left) && this.bt.isStaticName(e.left.name)) {
      reject(this.file, s, 'T6', `static variable ${e.left.name} assigned`);
    }
    return this.hooks.operation(this.lower(e), this);
  }

  private declaration(s: t.VariableDeclaration): t.Statement[] {
    const out: t.Statement[] = [];
    for (const d of s.declarations) {
      if (!t.isIdentifier(d.id) || d.init == null)
        return reject(this.file, s, 'T6', 'declarations name one variable and initialise it');
      if (s.kind === 'const' && this.bt.isStatic(d.init)) {
        this.bt.declareStatic(d.id.name);
        out.push(
          t.variableDeclaration('const', [t.variableDeclarator(t.identifier(d.id.name), this.staticValue(d.init))]),
        );
      } else {
        this.bt.declareDynamic(d.id.name);
        out.push(...this.hooks.declare(s.kind, d.id.name, this.lower(d.init), this));
      }
    }
    return out;
  }

  private ifStatement(s: t.IfStatement, tail: boolean): t.Statement[] {
    const branch = (b: t.Statement | null | undefined): t.Statement[] =>
      b == null ? [] : this.statements(t.isBlockStatement(b) ? b.body : [b], tail);
    if (this.bt.isStatic(s.test)) {
      return [
        t.ifStatement(
          this.staticValue(s.test),
          t.blockStatement(branch(s.consequent)),
          t.blockStatement(branch(s.alternate)),
        ),
      ];
    }
    const arms = [{ test: this.lower(s.test), body: branch(s.consequent) }];
    let alternate = s.alternate;
    while (t.isIfStatement(alternate) && !this.bt.isStatic(alternate.test)) {
      arms.push({ test: this.lower(alternate.test), body: branch(alternate.consequent) });
      alternate = alternate.alternate;
    }
    return this.hooks.dynamicIf({ arms, otherwise: alternate == null ? null : branch(alternate) }, this);
  }

  // --- expressions ---------------------------------------------------------------------------

  text(lowered: t.Expression, prefix: string, suffix: string): t.Expression {
    return emittedText(lowered, this.holes, prefix, suffix);
  }

  expression(lowered: t.Expression): t.Expression {
    return fillHoles(lowered, this.holes);
  }

  fresh(hint: string): t.Identifier {
    return t.identifier(`${hint}$${++this.names}`);
  }

  hole(e: t.Node): t.Expression {
    this.holes.push(this.hooks.constant(this.staticValue(e)));
    return placeholder(this.holes.length - 1);
  }

  lower(e: t.Node): t.Expression {
    if (isJitCall(e)) {
      const directive = directiveOf(e, this.file);
      const result = this.context.directives[directive](e, this);
      if (result.value === undefined) return reject(this.file, e, 'T8', `jit.${directive} used as a value`);
      this.pending.push(...(result.emit ?? []));
      return result.value;
    }
    if (this.bt.classify(e) === 'static') return this.hole(e);
    if (t.isFunction(e)) return reject(this.file, e, 'T2', 'function created in a case');
    if (t.isMemberExpression(e) && e.computed && (t.isStringLiteral(e.property) || t.isTemplateLiteral(e.property))) {
      return reject(this.file, e, 'T3', 'computed property name');
    }
    if (t.isIdentifier(e)) return this.identifier(e);
    const inlined = this.inlineHandler(e);
    if (inlined !== null) return inlined;
    const copy = t.cloneNode(e as t.Expression, false);
    for (const key of t.VISITOR_KEYS[e.type] ?? []) {
      const child = (e as unknown as Record<string, unknown>)[key];
      const target = copy as unknown as Record<string, unknown>;
      const isPropertyName = t.isMemberExpression(e) && key === 'property' && !e.computed;
      if (isPropertyName) target[key] = child;
      else if (Array.isArray(child)) target[key] = child.map((c: t.Node | null) => (c == null ? c : this.lower(c)));
      else if (child != null && typeof child === 'object') target[key] = this.lower(child as t.Node);
    }
    return copy as t.Expression;
  }

  /** A call of a one-statement handler, as that statement's expression with the arguments in. */
  private inlineHandler(e: t.Node): t.Expression | null {
    if (!t.isCallExpression(e) || !t.isIdentifier(e.callee)) return null;
    const handler = this.context.inlinable.get(e.callee.name);
    if (handler === undefined || !this.context.annotations.has(e.callee.name)) return null;
    const args = e.arguments.map((a) => this.lower(a as t.Expression));
    return substitute(handler, args);
  }

  /** A name in generated code: a local of the case, the red variable, or a handler by name. */
  private identifier(id: t.Identifier): t.Identifier {
    if (this.bt.isDynamicName(id.name)) return t.identifier(id.name);
    if (this.bt.isModuleName(id.name)) {
      if (!this.context.annotations.has(id.name)) reject(this.file, id, 'T7', `${id.name} is called from a case`);
      this.context.handlerNames.add(id.name);
      return t.identifier(id.name);
    }
    return reject(this.file, id, 'T6', `unknown name ${id.name}`);
  }

  /** A static expression as generated code: jit.ct unwrapped, types stripped, names checked. */
  staticValue(e: t.Node): t.Expression {
    const value = stripTypes(unwrapCt(e as t.Expression));
    t.traverseFast(value, (n) => {
      if (t.isIdentifier(n) && !isPropertyName(value, n)) this.checkStaticName(n);
    });
    return value;
  }

  private checkStaticName(id: t.Identifier): void {
    if (this.bt.isStaticName(id.name)) return;
    const binding = this.loop.moduleBindings.get(id.name);
    if (binding === undefined) reject(this.file, id, 'T5', `jit.ct reads ${id.name}, which is not static`);
    if (binding.kind === 'local' && !binding.exported) reject(this.file, id, 'T9', `${id.name} is not exported`);
    this.context.staticHelperNames.add(id.name);
  }
}

function isPropertyName(root: t.Node, id: t.Identifier): boolean {
  let result = false;
  t.traverseFast(root, (n) => {
    if (t.isMemberExpression(n) && !n.computed && n.property === id) result = true;
    if (t.isObjectProperty(n) && !n.computed && n.key === id) result = true;
  });
  return result;
}

function unwrapCt(e: t.Expression): t.Expression {
  const copy = t.cloneNode(e, true, false);
  const unwrap = (n: t.Node): t.Node => (isJitCall(n, 'ct') ? unwrap(n.arguments[0] as t.Node) : n);
  t.traverseFast(copy, (n) => {
    for (const key of t.VISITOR_KEYS[n.type] ?? []) {
      const record = n as unknown as Record<string, unknown>;
      const child = record[key];
      if (Array.isArray(child)) child.forEach((c, i) => c && (child[i] = unwrap(c as t.Node)));
      else if (child && typeof child === 'object') record[key] = unwrap(child as t.Node);
    }
  });
  return unwrap(copy) as t.Expression;
}

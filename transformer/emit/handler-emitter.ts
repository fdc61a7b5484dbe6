/**
 * The one emitter: walks an analysed case of the dispatch loop and produces the body of that
 * opcode's emitter function for a generated compiler.
 *
 * An emitter function `(w, method, pc)` runs when a SOM method is compiled: it evaluates the
 * static parts of the case (operands, sites, jump targets) and appends the dynamic parts to the
 * code writer `w` as JavaScript text, with the static values spliced in through `w.lit(...)`.
 * Everything tier-neutral happens here: binding times, rule checks, holes, control flow,
 * which module names the emitted code uses. A tier differs only in its directive hooks
 * (`hooks`), as CPython's tier-2 and tracer emitters differ only in their macro replacements.
 *
 * The writer protocol the emitted emitters call (implemented at run time by the CodeWriter):
 *   w.line(text)  w.open(text)  w.middle(text)  w.close(text)   emit a line / a block
 *   w.lit(value)                                                a static value as source text
 *   w.jump(pc)  w.dynamicJump(text)                             continue at a pc
 *   w.backEdge(pc)                                              a loop back-edge (tier hook)
 */
import * as t from '@babel/types';
import type { Directive } from '../../interpreter/jit.ts';
import { isJitCall, type AnalysedCase, type DispatchLoop } from '../analysis/dispatch-loop.ts';
import { BindingTimes, stripTypes } from '../analysis/binding-time.ts';
import type { AnnotationMap } from '../analysis/annotations.ts';
import { substitute, type InlinableHandlers } from '../analysis/inline-handlers.ts';
import { reject } from '../rules.ts';
import { generate } from '../babel-interop.ts';

/** What a directive becomes: text inside emitted code, or statements of the emitter. */
export type HookResult = { readonly text: t.Expression } | { readonly emit: readonly t.Statement[] };

/** What a hook may ask of the emitter at a directive site. */
export interface EmitSite {
  /** A static expression as a hole in the emitted text: its value is spliced at compile time. */
  hole(e: t.Node): t.Expression;
  /** A dynamic expression lowered for emitted text (holes for its static parts). */
  lower(e: t.Node): t.Expression;
  /** A static expression as emitter code, evaluated when the method is compiled. */
  staticValue(e: t.Node): t.Expression;
}

export type DirectiveHook = (call: t.CallExpression, site: EmitSite) => HookResult;

/** Builds `w.<name>(...args)` as an emitter statement. */
export function writerCall(name: string, ...args: t.Expression[]): t.Statement {
  return t.expressionStatement(t.callExpression(t.memberExpression(t.identifier('w'), t.identifier(name)), args));
}

export abstract class HandlerEmitter {
  /** One hook per directive: a new directive in jit.ts breaks the build until each tier handles it. */
  protected abstract readonly hooks: Readonly<Record<Directive, DirectiveHook>>;

  /** Module-level names the emitted code refers to (the handlers it calls). */
  readonly handlerNames = new Set<string>();
  /** Module-level names the emitters themselves call at compile time (operand decoders). */
  readonly staticHelperNames = new Set<string>();

  constructor(
    readonly file: string,
    readonly loop: DispatchLoop,
    readonly annotations: AnnotationMap,
    /** Handlers small enough to emit inline instead of calling (empty: call them all). */
    readonly inlinable: InlinableHandlers = new Map(),
  ) {}

  /** The emitter function for one case: `function emitNAME(w, method, pc) { ... }`. */
  emitCase(c: AnalysedCase): t.FunctionExpression {
    const walk = new CaseWalk(this, new BindingTimes(this.loop));
    const body = walk.statements(c.body, true);
    const params = [t.identifier('w'), t.identifier(this.loop.method), t.identifier(this.loop.pc)];
    return t.functionExpression(t.identifier(`emit${camel(c.opcode)}`), params, t.blockStatement(body));
  }

  hook(directive: Directive): DirectiveHook {
    return this.hooks[directive];
  }
}

/** The state of walking one case: its binding times and its holes. */
class CaseWalk implements EmitSite {
  constructor(
    private readonly emitter: HandlerEmitter,
    private readonly bt: BindingTimes,
  ) {}

  private get file(): string {
    return this.emitter.file;
  }

  /** Emitter statements for a statement list; `tail`: nothing runs after it in the case. */
  statements(list: readonly t.Statement[], tail: boolean): t.Statement[] {
    let last = list.length - 1;
    while (last >= 0 && t.isBreakStatement(list[last])) last--;
    const out: t.Statement[] = [];
    list.forEach((s, i) => {
      if (t.isBreakStatement(s)) {
        if (i <= last) reject(this.file, s, 'T6', 'break only ends a case');
        return;
      }
      out.push(...this.statement(s, tail && i === last));
    });
    return out;
  }

  private statement(s: t.Statement, tail: boolean): t.Statement[] {
    if (t.isExpressionStatement(s)) return this.expressionStatement(s, tail);
    if (t.isVariableDeclaration(s)) return this.declaration(s);
    if (t.isIfStatement(s)) return this.ifStatement(s, tail);
    if (t.isBlockStatement(s)) return this.statements(s.body, tail);
    if (t.isReturnStatement(s)) {
      const value = s.argument ? this.text(s.argument, 'return ', ';') : t.stringLiteral('return;');
      return [writerCall('line', value)];
    }
    if (t.isTryStatement(s)) return reject(this.file, s, 'T1', 'try in the dispatch loop');
    if (t.isFunctionDeclaration(s)) return reject(this.file, s, 'T2', 'function declared in a case');
    return reject(this.file, s, 'T6', `${s.type} in a case`);
  }

  private expressionStatement(s: t.ExpressionStatement, tail: boolean): t.Statement[] {
    const e = s.expression;
    if (isJitCall(e)) {
      const directive = (e.callee as t.MemberExpression).property as t.Identifier;
      const result = this.emitter.hook(directive.name as Directive)(e, this);
      return 'emit' in result ? [...result.emit] : [writerCall('line', this.textOfLowered(result.text, '', ';'))];
    }
    if (t.isAssignmentExpression(e) && t.isIdentifier(e.left, { name: this.bt.loop.pc })) {
      if (!tail) reject(this.file, s, 'T4', 'pc assigned before the end of the path');
      const target =
        e.operator === '=' ? e.right : t.binaryExpression('+', t.identifier(this.bt.loop.pc), e.right as t.Expression);
      if (e.operator !== '=' && e.operator !== '+=') reject(this.file, s, 'T4', `pc updated with ${e.operator}`);
      return this.bt.isStatic(target)
        ? [writerCall('jump', this.staticValue(target))]
        : [writerCall('dynamicJump', this.text(target, '', ''))];
    }
    if (t.isAssignmentExpression(e) && t.isIdentifier(e.left) && this.bt.isStaticName(e.left.name)) {
      reject(this.file, s, 'T6', `static variable ${e.left.name} assigned`);
    }
    return [writerCall('line', this.text(e, '', ';'))];
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
        out.push(writerCall('line', this.text(d.init, `${s.kind} ${d.id.name} = `, ';')));
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
    const out = [writerCall('open', this.text(s.test, 'if (', ') {')), ...branch(s.consequent)];
    let alternate = s.alternate;
    while (t.isIfStatement(alternate) && !this.bt.isStatic(alternate.test)) {
      out.push(writerCall('middle', this.text(alternate.test, '} else if (', ') {')), ...branch(alternate.consequent));
      alternate = alternate.alternate;
    }
    if (alternate != null) out.push(writerCall('middle', t.stringLiteral('} else {')), ...branch(alternate));
    out.push(writerCall('close', t.stringLiteral('}')));
    return out;
  }

  // --- expressions ---------------------------------------------------------------------------

  private holes: t.Expression[] = [];

  /** `prefix + e + suffix` as emitted text: a template literal whose holes are w.lit(...). */
  private text(e: t.Node, prefix: string, suffix: string): t.Expression {
    return this.textOfLowered(this.lower(e), prefix, suffix);
  }

  private textOfLowered(lowered: t.Expression, prefix: string, suffix: string): t.Expression {
    const code = prefix + generate(stripTypes(lowered), { compact: false, comments: false }).code + suffix;
    const pieces = code.split(/__HOLE_(\d+)__/);
    const quasis: t.TemplateElement[] = [];
    const exprs: t.Expression[] = [];
    pieces.forEach((piece, i) => {
      if (i % 2 === 0)
        quasis.push(t.templateElement({ raw: piece.replace(/[`\\]|\$\{/g, (m) => `\\${m}`) }, i === pieces.length - 1));
      else exprs.push(this.holes[Number(piece)]!);
    });
    return exprs.length === 0 ? t.stringLiteral(code) : t.templateLiteral(quasis, exprs);
  }

  hole(e: t.Node): t.Expression {
    this.holes.push(
      t.callExpression(t.memberExpression(t.identifier('w'), t.identifier('lit')), [this.staticValue(e)]),
    );
    return t.identifier(`__HOLE_${this.holes.length - 1}__`);
  }

  lower(e: t.Node): t.Expression {
    if (isJitCall(e)) {
      const directive = ((e.callee as t.MemberExpression).property as t.Identifier).name as Directive;
      const result = this.emitter.hook(directive)(e, this);
      if (!('text' in result)) return reject(this.file, e, 'T8', `jit.${directive} used as a value`);
      return result.text;
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
    const handler = this.emitter.inlinable.get(e.callee.name);
    if (handler === undefined || !this.emitter.annotations.has(e.callee.name)) return null;
    const args = e.arguments.map((a) => this.lower(a as t.Expression));
    const body = substitute(handler, args);
    return body;
  }

  /** A name in emitted code: a local of the case, the red variable, or a handler by name. */
  private identifier(id: t.Identifier): t.Identifier {
    if (this.bt.isDynamicName(id.name)) return t.identifier(id.name);
    if (this.bt.isModuleName(id.name)) {
      const annotated = this.emitter.annotations.has(id.name);
      if (!annotated) reject(this.file, id, 'T7', `${id.name} is called from a case`);
      this.emitter.handlerNames.add(id.name);
      return t.identifier(id.name);
    }
    return reject(this.file, id, 'T6', `unknown name ${id.name}`);
  }

  /** A static expression as emitter code: jit.ct unwrapped, types stripped, names checked. */
  staticValue(e: t.Node): t.Expression {
    const value = stripTypes(unwrapCt(e as t.Expression));
    t.traverseFast(value, (n) => {
      if (t.isIdentifier(n) && !this.isPropertyName(value, n)) this.checkStaticName(n);
    });
    return value;
  }

  private checkStaticName(id: t.Identifier): void {
    if (this.bt.isStaticName(id.name)) return;
    const binding = this.bt.loop.moduleBindings.get(id.name);
    if (binding === undefined) reject(this.file, id, 'T5', `jit.ct reads ${id.name}, which is not static`);
    if (binding.kind === 'local' && !binding.exported) reject(this.file, id, 'T9', `${id.name} is not exported`);
    this.emitter.staticHelperNames.add(id.name);
  }

  private isPropertyName(root: t.Node, id: t.Identifier): boolean {
    let result = false;
    t.traverseFast(root, (n) => {
      if (t.isMemberExpression(n) && !n.computed && n.property === id) result = true;
      if (t.isObjectProperty(n) && !n.computed && n.key === id) result = true;
    });
    return result;
  }
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

/** PUSH_LOCAL -> PushLocal */
export function camel(opcode: string): string {
  return opcode
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/**
 * Binding-time analysis of one case of the dispatch loop.
 *
 * Static: the green variables (method, pc), locals initialised from static expressions, and
 * every `jit.ct(...)`; these are known when the method is compiled. Dynamic: the red variable
 * (frame), everything computed from it, and every call other than jit.ct (calls may have
 * effects, so they run when the compiled code runs). Module-level names (handlers, helpers)
 * are neither: they are references that emitted code keeps by name.
 */
import * as t from '@babel/types';
import { isJitCall, type DispatchLoop } from './dispatch-loop.ts';

export class BindingTimes {
  private readonly staticNames: Set<string>;
  private readonly dynamicNames: Set<string>;

  constructor(readonly loop: DispatchLoop) {
    this.staticNames = new Set([loop.method, loop.pc]);
    this.dynamicNames = new Set([loop.frame]);
  }

  declareStatic(name: string): void {
    this.staticNames.add(name);
  }

  declareDynamic(name: string): void {
    this.dynamicNames.add(name);
  }

  isStaticName(name: string): boolean {
    return this.staticNames.has(name);
  }

  isDynamicName(name: string): boolean {
    return this.dynamicNames.has(name);
  }

  isModuleName(name: string): boolean {
    return this.loop.moduleBindings.has(name) || name === 'undefined';
  }

  /**
   * Whether `e` is static and worth computing at compile time: it reads at least one static
   * name or jit.ct, and nothing dynamic, no call, no module name.
   */
  isStatic(e: t.Node): boolean {
    return this.classify(e) === 'static';
  }

  /** 'static', 'dynamic', or 'constant' (a literal: same at every time). */
  classify(e: t.Node): 'static' | 'dynamic' | 'constant' {
    if (isJitCall(e, 'ct')) return 'static';
    if (t.isIdentifier(e)) return this.staticNames.has(e.name) ? 'static' : 'dynamic';
    if (t.isLiteral(e) && !t.isTemplateLiteral(e)) return 'constant';
    const parts = this.parts(e);
    if (parts === null) return 'dynamic';
    let result: 'static' | 'constant' = 'constant';
    for (const p of parts) {
      const c = this.classify(p);
      if (c === 'dynamic') return 'dynamic';
      if (c === 'static') result = 'static';
    }
    return result;
  }

  /** The operands of a side-effect-free composite expression; null for anything else. */
  private parts(e: t.Node): t.Node[] | null {
    if (t.isMemberExpression(e)) return e.computed ? [e.object, e.property] : [e.object];
    if (t.isBinaryExpression(e) || t.isLogicalExpression(e)) return [e.left, e.right];
    if (t.isUnaryExpression(e) && e.operator !== 'delete') return [e.argument];
    if (t.isConditionalExpression(e)) return [e.test, e.consequent, e.alternate];
    if (t.isTSAsExpression(e) || t.isTSNonNullExpression(e) || t.isParenthesizedExpression(e)) return [e.expression];
    return null;
  }
}

/** `e` without TypeScript-only wrappers (`as T`, `!`), which have no run-time meaning. */
export function stripTypes<T extends t.Node>(node: T): T {
  const copy = t.cloneNode(node, true, false);
  const unwrap = (n: t.Node): t.Node =>
    t.isTSAsExpression(n) || t.isTSNonNullExpression(n) || t.isTSTypeAssertion(n) ? unwrap(n.expression) : n;
  t.traverseFast(copy, (n) => {
    for (const key of t.VISITOR_KEYS[n.type] ?? []) {
      const child = (n as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        child.forEach((c, i) => {
          if (c && typeof c === 'object' && 'type' in c) child[i] = unwrap(c as t.Node);
        });
      } else if (child && typeof child === 'object' && 'type' in child) {
        (n as unknown as Record<string, unknown>)[key] = unwrap(child as t.Node);
      }
    }
  });
  return unwrap(copy) as T;
}

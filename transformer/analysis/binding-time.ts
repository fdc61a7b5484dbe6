/**
 * Binding-time analysis: which values of interpreter code are known when a method is compiled
 * or a trace recorded, and which only when the code runs.
 *
 * Static: the green variables (method, pc), `jit.ct(...)`, parameters a caller passes static
 * values for, and locals initialised from static expressions. Promoted: `jit.promote(...)` and
 * what is computed from it with static values: dynamic for tier 1, a trace constant after its
 * guard for the tracer. Dynamic: the red variable (frame), everything computed from it, and
 * every call other than jit.ct (calls may have effects, so they run when the code runs).
 * Module-level names (handlers, helpers) are neither: they are references code keeps by name.
 *
 * One scope holds the names of one case of the dispatch loop (`forCase`) or of one handler or
 * helper body at one call site (the traced-code analysis).
 */
import * as t from '@babel/types';
import { isJitCall } from './directives.ts';
import type { DispatchLoop } from './dispatch-loop.ts';

/** The binding time of an expression; `constant`: a literal, the same at every time. */
export type BindingTime = 'static' | 'promoted' | 'dynamic' | 'constant';

/** The binding time of a name in scope. */
export type NameTime = Exclude<BindingTime, 'constant'>;

/** How each kind of part makes the binding time of a composite: the later kind wins. */
const ORDER: readonly BindingTime[] = ['constant', 'static', 'promoted', 'dynamic'];

export class BindingTimes {
  private readonly names = new Map<string, NameTime>();

  constructor(
    /** The module-level names of the code's module. */
    private readonly moduleNames: { has(name: string): boolean },
    names: Iterable<readonly [string, NameTime]>,
  ) {
    for (const [name, time] of names) this.names.set(name, time);
  }

  /** The scope at the start of a case: method and pc static, frame dynamic. */
  static forCase(loop: DispatchLoop): BindingTimes {
    return new BindingTimes(loop.moduleBindings, [
      [loop.method, 'static'],
      [loop.pc, 'static'],
      [loop.frame, 'dynamic'],
    ]);
  }

  declare(name: string, time: NameTime): void {
    this.names.set(name, time);
  }

  /** An assignment of a value of binding time `time` to `name`: it keeps the later of the two. */
  assign(name: string, time: NameTime): void {
    const now = this.names.get(name) ?? 'static';
    this.names.set(name, ORDER.indexOf(time) > ORDER.indexOf(now) ? time : now);
  }

  declareStatic(name: string): void {
    this.declare(name, 'static');
  }

  declareDynamic(name: string): void {
    this.declare(name, 'dynamic');
  }

  isStaticName(name: string): boolean {
    return this.names.get(name) === 'static';
  }

  /** A local or parameter whose value exists only when the code runs (dynamic or promoted). */
  isDynamicName(name: string): boolean {
    const time = this.names.get(name);
    return time === 'dynamic' || time === 'promoted';
  }

  /** Whether `name` is a local or parameter of the code (of any binding time). */
  isLocalName(name: string): boolean {
    return this.names.has(name);
  }

  isModuleName(name: string): boolean {
    return this.moduleNames.has(name) || name === 'undefined';
  }

  /**
   * Whether `e` is static and worth computing at compile time: it reads at least one static
   * name or jit.ct, and nothing dynamic or promoted, no call, no module name.
   */
  isStatic(e: t.Node): boolean {
    return this.classify(e) === 'static';
  }

  classify(e: t.Node): BindingTime {
    if (isJitCall(e, 'ct')) return 'static';
    if (isJitCall(e, 'promote')) return 'promoted';
    if (t.isIdentifier(e)) return this.names.get(e.name) ?? 'dynamic';
    if (t.isLiteral(e) && !t.isTemplateLiteral(e)) return 'constant';
    const parts = this.parts(e);
    if (parts === null) return 'dynamic';
    let result: BindingTime = 'constant';
    for (const p of parts) {
      const c = this.classify(p);
      if (ORDER.indexOf(c) > ORDER.indexOf(result)) result = c;
      if (result === 'dynamic') return result;
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

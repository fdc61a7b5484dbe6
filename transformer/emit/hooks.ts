/**
 * What a generator decides, and what the one emitter offers it while deciding (STYLE.md §2.4).
 *
 * The emitter (handler-emitter.ts, case-walk.ts) walks a case of the dispatch loop and does the
 * tier-neutral work: binding times, rule checks, lowering expressions, fresh names. Wherever a
 * tier differs, it calls a hook, and a generator is nothing but its hooks:
 * - one per directive of interpreter/jit.ts (`DirectiveHooks`, keyed by `Directive`, so a new
 *   directive breaks the build until every generator handles it);
 * - one per kind of dynamic construct the walk meets (`WalkHooks`): a static value inside
 *   dynamic code, a dynamic operation, a dynamic local, an `if` on a dynamic condition, an
 *   assignment to pc, a `return`. Tier 1 emits text for the operation and both arms of the
 *   `if`; the tracer records an IR operation, guards the arm taken and follows it.
 *
 * Hooks answer statements of the generated function (for tier 1, an emitter that runs when a
 * SOM method is compiled), built as Babel ASTs.
 */
import type * as t from '@babel/types';
import type { Directive } from '../../interpreter/jit.ts';
import type { BindingTime } from '../analysis/binding-time.ts';
import type { AnalysedCase, DispatchLoop } from '../analysis/dispatch-loop.ts';

/**
 * What a directive becomes. A hook may do both: compute a value and emit statements
 * (`jit.promote` in the tracer: a guard, then the promoted value).
 */
export interface HookResult {
  /** Generated statements placed before the statement that contains the directive. */
  readonly emit?: readonly t.Statement[];
  /** The directive's value inside dynamic code, lowered (see `EmitSite.lower`); none for a statement. */
  readonly value?: t.Expression;
}

export type DirectiveHook = (call: t.CallExpression, site: EmitSite) => HookResult;

/** One hook per directive. */
export type DirectiveHooks = Readonly<Record<Directive, DirectiveHook>>;

/** An `if` / `else if` chain on dynamic conditions, its arms already walked. */
export interface DynamicIf {
  /** The tests (lowered) with the generated statements of their arms, in source order. */
  readonly arms: readonly { readonly test: t.Expression; readonly body: readonly t.Statement[] }[];
  /** The generated statements of the final `else`, or null when there is none. */
  readonly otherwise: readonly t.Statement[] | null;
}

/** Where an assignment to pc sends control: a target known per instruction, or one computed at run time. */
export type Jump = { readonly static: t.Expression } | { readonly dynamic: t.Expression };

/** The generator's choice for each dynamic construct of a case (the walk lowers the expressions). */
export interface WalkHooks {
  /** A static value inside dynamic code: the generated expression standing for it there. */
  constant(value: t.Expression): t.Expression;
  /** A dynamic expression statement. */
  operation(lowered: t.Expression, site: EmitSite): t.Statement[];
  /** A dynamic local `kind name = init`. */
  declare(kind: t.VariableDeclaration['kind'], name: string, init: t.Expression, site: EmitSite): t.Statement[];
  /** An `if` chain on dynamic conditions. */
  dynamicIf(chain: DynamicIf, site: EmitSite): t.Statement[];
  /** `pc = target`, `pc += n`: control goes on at another instruction (the path's last action). */
  jump(target: Jump, site: EmitSite): t.Statement[];
  /** `return value` (null: a bare return): the activation ends. */
  return(value: t.Expression | null, site: EmitSite): t.Statement[];
}

/** What a hook may ask of the walk at the place it is called. */
export interface EmitSite {
  /** The interpreter file (for rule breaches). */
  readonly file: string;
  readonly loop: DispatchLoop;
  /** The case being walked. */
  readonly origin: AnalysedCase;
  classify(e: t.Node): BindingTime;
  /** A static expression as generated code (computed per method and pc), its names checked. */
  staticValue(e: t.Node): t.Expression;
  /**
   * A dynamic expression for the generated code: directive hooks applied, static parts replaced
   * by holes (`hole`), handler names recorded, one-statement handlers inlined.
   */
  lower(e: t.Node): t.Expression;
  /** A static expression inside dynamic code: a placeholder, filled by `WalkHooks.constant`. */
  hole(e: t.Node): t.Expression;
  /** A lowered expression as emitted text `prefix + e + suffix`, the holes spliced in. */
  text(lowered: t.Expression, prefix: string, suffix: string): t.Expression;
  /** A lowered expression as generated code that computes it, the holes filled in (a recorder runs the operation). */
  expression(lowered: t.Expression): t.Expression;
  /** A name for a generated local, unique in the case's function and the same from build to build. */
  fresh(hint: string): t.Identifier;
}

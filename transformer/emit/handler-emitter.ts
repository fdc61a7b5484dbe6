/**
 * The one emitter (STYLE.md §2.4): turns each analysed case of the dispatch loop into a function
 * of a generated module. Everything tier-neutral happens in the walk (case-walk.ts): binding
 * times, rule checks, holes, control flow, which module names the generated code uses. A
 * generator is a subclass that supplies only hooks (hooks.ts): one per directive, one per kind
 * of dynamic construct, and the shape of the function a case becomes. There is no tier test
 * here and none in the walk, as CPython's tier-2 and tracer emitters differ only in their macro
 * replacements.
 */
import type * as t from '@babel/types';
import type { AnalysedCase, DispatchLoop } from '../analysis/dispatch-loop.ts';
import type { AnnotationMap } from '../analysis/annotations.ts';
import type { InlinableHandlers } from '../analysis/inline-handlers.ts';
import { CaseWalk } from './case-walk.ts';
import type { DirectiveHooks, WalkHooks } from './hooks.ts';
import type { ModuleImports } from './function-twins.ts';

export abstract class HandlerEmitter {
  /** One hook per directive: a new directive in jit.ts breaks the build until each generator handles it. */
  protected abstract readonly hooks: DirectiveHooks;
  /** One hook per kind of dynamic construct in a case. */
  protected abstract readonly walkHooks: WalkHooks;
  /** The generated function for case `c`, whose walked body is `body`. */
  protected abstract caseFunction(c: AnalysedCase, body: t.Statement[]): t.FunctionExpression;

  /** Module-level names the generated code refers to (the handlers it calls). */
  readonly handlerNames = new Set<string>();
  /** Module-level names the generated functions call themselves (operand decoders). */
  readonly staticHelperNames = new Set<string>();
  /** Further names the generator's own functions import from the interpreter's modules. */
  readonly moduleImports: ModuleImports = new Map();

  constructor(
    readonly file: string,
    readonly loop: DispatchLoop,
    readonly annotations: AnnotationMap,
    /** Handlers small enough to emit inline instead of calling (empty: call them all). */
    readonly inlinable: InlinableHandlers = new Map(),
  ) {}

  /** The generated function for one case. */
  emitCase(c: AnalysedCase): t.FunctionExpression {
    const walk = new CaseWalk(
      {
        file: this.file,
        loop: this.loop,
        annotations: this.annotations,
        inlinable: this.inlinable,
        directives: this.hooks,
        walk: this.walkHooks,
        handlerNames: this.handlerNames,
        staticHelperNames: this.staticHelperNames,
      },
      c,
    );
    return this.caseFunction(c, walk.statements(c.body, true));
  }

  /** Module-level statements after the per-opcode table (the generator's own functions); none by default. */
  moduleFunctions(): t.Statement[] {
    return [];
  }
}

/** PUSH_LOCAL -> PushLocal */
export function camel(opcode: string): string {
  return opcode
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

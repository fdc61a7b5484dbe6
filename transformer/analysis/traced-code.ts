/**
 * The traced code: every function the dispatch loop reaches, and the binding times it is
 * reached with. Plain data, for the rules now and for the tracer's recording twins (TRACING.md
 * §2), which need to know of each call which arguments are trace constants.
 *
 * From each case of the dispatch loop, every call of a module-level function is followed to its
 * declaration, in the interpreter's module or in one it imports. The callee must be annotated
 * (T7 from a case, T13 from a handler or helper): a `@jit.handler` is entered (traced; its body
 * must keep to the subset, traced-subset.ts) once per distinct binding-time signature, with
 * its parameters bound to its arguments' binding times at the call site; a `@jit.residual` or
 * `@jit.elidable` function is recorded but not entered. Calls inside `jit.ct(...)` run at
 * compile time and are not traced. Globals of the JavaScript host (`Number.isSafeInteger`) and
 * methods of objects (`frame.context(n)`) are calls the tracer treats as opaque.
 *
 * Binding times are those of binding-time.ts, with one approximation inside functions, where
 * they do not follow control flow: a `let` is dynamic, and a parameter assigned anywhere takes
 * the later of its binding time and the assigned value's from there on (static, then promoted,
 * then dynamic), so an assignment in one arm of an `if` is assumed after it too.
 */
import * as t from '@babel/types';
import type { FunctionAnnotation } from '../../interpreter/jit.ts';
import { reject } from '../rules.ts';
import { BindingTimes, type BindingTime, type NameTime } from './binding-time.ts';
import { checkDirectives, isJitCall } from './directives.ts';
import type { DispatchLoop } from './dispatch-loop.ts';
import { ModuleIndex, resolveImport, type ModuleReader, type ParsedModule } from './modules.ts';
import { checkTracedFunction } from './traced-subset.ts';

/** A call site of a module-level function, with the binding time of each parameter there. */
export interface CallSite {
  /** `case Op.NAME` or the calling function's name. */
  readonly caller: string;
  /** The callee's name in its module, and that module. */
  readonly callee: string;
  readonly calleeFile: string;
  /** Where the call is. */
  readonly file: string;
  readonly line: number;
  readonly args: readonly NameTime[];
}

export interface TracedFunction {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly annotation: FunctionAnnotation;
  readonly params: readonly string[];
  /** The distinct binding-time signatures it is called with, in the order first met. */
  readonly signatures: (readonly NameTime[])[];
}

export interface TracedCode {
  /** Every function reached, keyed `file:name`, in the order first reached. */
  readonly functions: ReadonlyMap<string, TracedFunction>;
  readonly calls: readonly CallSite[];
  /** The traced primitives (interpreter/primitives/traced.ts), in the list's order. */
  readonly primitives: readonly TracedFunction[];
}

/** The list of traced primitives: the module that holds it, and the exported constant's name. */
export const TRACED_PRIMITIVES_LIST = 'TRACED_PRIMITIVES';

/** The code being scanned: a case (rules T6/T7 apply, checked by the walk) or a function (T13, T15). */
interface Scope {
  readonly caller: string;
  readonly module: ParsedModule;
  readonly bt: BindingTimes;
  readonly inCase: boolean;
}

/**
 * Follows every call out of the dispatch loop `loop` of `ast` (the module `file`), then out of
 * each traced primitive listed in `primitivesFile` (null: none), entered with every parameter
 * dynamic (a primitive's receiver and arguments are the program's values).
 */
export function analyseTracedCode(
  loop: DispatchLoop,
  file: string,
  ast: t.File,
  read: ModuleReader,
  primitivesFile: string | null = null,
): TracedCode {
  const analysis = new Analysis(new ModuleIndex(read));
  const module = analysis.modules.add(file, ast);
  for (const c of loop.cases) {
    checkDirectives(t.blockStatement([...c.body]), file);
    const scope = { caller: `case Op.${c.opcode}`, module, bt: BindingTimes.forCase(loop), inCase: true };
    analysis.statements(c.body, scope);
  }
  const primitives = primitivesFile === null ? [] : analysis.primitives(primitivesFile);
  return { functions: analysis.functions, calls: analysis.calls, primitives };
}

class Analysis {
  readonly functions = new Map<string, TracedFunction>();
  readonly calls: CallSite[] = [];

  constructor(readonly modules: ModuleIndex) {}

  /** Enters every function of the traced-primitives list in `file` (rule T16). */
  primitives(file: string): TracedFunction[] {
    const module = this.modules.get(file);
    const list = module === null ? undefined : listNamed(module, TRACED_PRIMITIVES_LIST);
    if (module === null || list === undefined) {
      return reject(file, { loc: null }, 'T16', `${file} declares no array ${TRACED_PRIMITIVES_LIST}`);
    }
    return list.elements.map((element) => {
      if (!t.isIdentifier(element)) return reject(file, element ?? list, 'T16', 'an entry is not a function name');
      const binding = module.bindings.get(element.name);
      const source = binding?.kind === 'import' ? resolveImport(file, binding.source) : file;
      const calleeName = binding?.kind === 'import' ? binding.imported : element.name;
      const callee = source === null ? null : this.modules.get(source);
      const fn = callee?.functions.get(calleeName);
      if (callee == null || fn === undefined) {
        return reject(file, element, 'T16', `${element.name} is not a function declared in the interpreter`);
      }
      const tags = callee.annotations.get(calleeName) ?? [];
      if (tags.length !== 1 || tags[0] !== 'handler') {
        return reject(file, element, 'T16', `${element.name} (${callee.file}) is not annotated @jit.handler`);
      }
      this.reach(
        fn,
        callee,
        'handler',
        fn.params.map(() => 'dynamic'),
      );
      return this.functions.get(`${callee.file}:${calleeName}`)!;
    });
  }

  statements(list: readonly t.Statement[], scope: Scope): void {
    for (const s of list) this.statement(s, scope);
  }

  private statement(s: t.Statement, scope: Scope): void {
    if (t.isVariableDeclaration(s)) {
      for (const d of s.declarations) {
        if (d.init != null) this.expression(d.init, scope);
        const time: NameTime = s.kind === 'const' && d.init != null ? nameTime(scope.bt.classify(d.init)) : 'dynamic';
        if (t.isIdentifier(d.id)) scope.bt.declare(d.id.name, time);
      }
    } else if (t.isIfStatement(s)) {
      this.expression(s.test, scope);
      this.statement(s.consequent, scope);
      if (s.alternate) this.statement(s.alternate, scope);
    } else if (t.isBlockStatement(s)) {
      this.statements(s.body, scope);
    } else if (t.isSwitchStatement(s)) {
      this.expression(s.discriminant, scope);
      for (const c of s.cases) {
        if (c.test) this.expression(c.test, scope);
        this.statements(c.consequent, scope);
      }
    } else if (t.isExpressionStatement(s) || t.isReturnStatement(s) || t.isThrowStatement(s)) {
      const e = t.isExpressionStatement(s) ? s.expression : s.argument;
      if (e != null) this.expression(e, scope);
    }
    // Anything else is rejected: in a function by the subset check, in a case by the walk.
  }

  /** Follows the calls in `e`, in evaluation order (arguments before the call). */
  private expression(e: t.Node, scope: Scope): void {
    // Compile-time code (jit.ct) is not traced; closures are rejected by the subset check.
    if (isJitCall(e, 'ct') || t.isFunction(e) || t.isTSType(e) || t.isTSTypeAnnotation(e)) return;
    for (const key of t.VISITOR_KEYS[e.type] ?? []) {
      if (t.isMemberExpression(e) && key === 'property' && !e.computed) continue;
      if (key === 'typeArguments' || key === 'typeParameters' || key === 'typeAnnotation') continue;
      const child = (e as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) child.forEach((c) => c && typeof c === 'object' && this.expression(c as t.Node, scope));
      else if (child && typeof child === 'object' && 'type' in child) this.expression(child as t.Node, scope);
    }
    if (t.isCallExpression(e) && t.isIdentifier(e.callee)) this.call(e, e.callee.name, scope);
    // (In a case only pc is assigned, as its last action: rules T4 and T6.)
    if (!scope.inCase && t.isAssignmentExpression(e) && t.isIdentifier(e.left) && scope.bt.isLocalName(e.left.name)) {
      const value = e.operator === '=' ? e.right : t.binaryExpression('+', e.left, e.right as t.Expression);
      scope.bt.assign(e.left.name, nameTime(scope.bt.classify(value)));
    }
  }

  private call(call: t.CallExpression, name: string, scope: Scope): void {
    const where = (detail: string): never => reject(scope.module.file, call, scope.inCase ? 'T7' : 'T13', detail);
    if (scope.bt.isLocalName(name)) {
      if (!scope.inCase) where(`${scope.caller} calls the value of ${name}, not a module-level function`);
      return;
    }
    const binding = scope.module.bindings.get(name);
    if (binding === undefined) {
      if (scope.module.values.has(name)) where(`${scope.caller} calls ${name}, which is not a function declaration`);
      return; // a global of the JavaScript host
    }
    const file = binding.kind === 'local' ? scope.module.file : resolveImport(scope.module.file, binding.source);
    const calleeName = binding.kind === 'local' ? name : binding.imported;
    const module = file === null ? null : this.modules.get(file);
    const fn = module?.functions.get(calleeName);
    if (module == null || fn === undefined) {
      return where(`${scope.caller} calls ${name}, which is not a function declared in ${file ?? 'the interpreter'}`);
    }
    const tags = module.annotations.get(calleeName) ?? [];
    const place = `${module.file}:${fn.loc?.start.line ?? 0}`;
    if (tags.length !== 1) {
      where(
        `${name} (${place}) is called from ${scope.caller} with ${tags.length === 0 ? 'no' : 'more than one'} annotation`,
      );
    }
    const args = fn.params.map((_, i) => argumentTime(call.arguments[i], scope.bt));
    const line = call.loc?.start.line ?? 0;
    this.calls.push({
      caller: scope.caller,
      callee: calleeName,
      calleeFile: module.file,
      file: scope.module.file,
      line,
      args,
    });
    this.reach(fn, module, tags[0]!, args);
  }

  /** Records a call of `fn` with the signature `args`; enters a handler the first time it has it. */
  private reach(
    fn: t.FunctionDeclaration,
    module: ParsedModule,
    annotation: FunctionAnnotation,
    args: NameTime[],
  ): void {
    const name = fn.id!.name;
    const key = `${module.file}:${name}`;
    let traced = this.functions.get(key);
    if (traced === undefined) {
      if (annotation === 'handler') checkTracedFunction(fn, module.file);
      const params = fn.params.map((p) => (t.isIdentifier(p) ? p.name : '?'));
      traced = { name, file: module.file, line: fn.loc?.start.line ?? 0, annotation, params, signatures: [] };
      this.functions.set(key, traced);
    }
    if (traced.signatures.some((s) => s.join() === args.join())) return;
    traced.signatures.push(args);
    if (annotation !== 'handler') return;
    const bt = new BindingTimes(
      module.bindings,
      traced.params.map((p, i) => [p, args[i]!] as const),
    );
    this.statements(fn.body.body, { caller: name, module, bt, inCase: false });
  }
}

/** The array literal that the module-level constant `name` of `module` is, if it is one. */
function listNamed(module: ParsedModule, name: string): t.ArrayExpression | undefined {
  const init = module.constants.get(name);
  return init !== undefined && t.isArrayExpression(init) ? init : undefined;
}

function nameTime(time: BindingTime): NameTime {
  return time === 'constant' ? 'static' : time;
}

function argumentTime(arg: t.Node | undefined, bt: BindingTimes): NameTime {
  if (arg === undefined) return 'static'; // an omitted argument: undefined
  if (t.isSpreadElement(arg) || t.isArgumentPlaceholder(arg)) return 'dynamic';
  return nameTime(bt.classify(arg));
}

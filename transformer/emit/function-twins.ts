/**
 * The recording twins of the handlers and helpers the dispatch loop enters (TRACING.md §2), and
 * the names the tracer's module imports for them.
 *
 * Every `@jit.handler` the traced-code analysis reached gets one twin `rec$name(T, p1, p1$, ...)`
 * whatever binding times it is called with: every value carries its shadow, and a static one
 * is a trace constant, so one twin serves every call site. Its body is the function's, as
 * recording code (recording-code.ts); a `return v` leaves v's shadow in `T.result`. The twins
 * come in the order the analysis reached the functions, each after a reference to its source.
 *
 * Names a twin or a recorder uses resolve in the module the code comes from: a call of a
 * handler becomes a call of its twin; an elidable or residual function, a class or a value
 * becomes an import of what that module binds the name to. Two modules meaning different
 * things by one name is a build error, since the generated module has one scope.
 */
import * as t from '@babel/types';
import { stripTypes } from '../analysis/binding-time.ts';
import { ModuleIndex, resolveImport, type ParsedModule } from '../analysis/modules.ts';
import type { EmitterContext } from './generated-module.ts';
import { RecordingCode, type CalleeKind, type RecordingScope } from './recording-code.ts';

/** The generated module's imports from the interpreter's modules: local name -> repo file and exported name. */
export type ModuleImports = Map<string, { readonly file: string; readonly imported: string }>;

/** The twin of `name` in the generated module. */
export function twinName(name: string): string {
  return `rec$${name}`;
}

export class FunctionTwins {
  private readonly modules: ModuleIndex;
  private readonly copies = new Map<string, t.FunctionDeclaration>();

  constructor(
    private readonly context: EmitterContext,
    private readonly imports: ModuleImports,
  ) {
    const read = context.readModule;
    if (context.traced === undefined || read === undefined) {
      throw new Error('tracer: the emitter context has no traced-code analysis');
    }
    this.modules = new ModuleIndex(read);
  }

  /**
   * A function the generated code calls but does not enter, which its module does not export:
   * a copy of it (types removed) in the generated module, named `local$name`.
   */
  private copy(file: string, name: string): string {
    const local = `local$${name}`;
    if (this.copies.has(local)) return local;
    const fn = t.cloneNode(this.module(file).functions.get(name)!, true, false);
    this.copies.set(local, t.functionDeclaration(t.identifier(local), [], t.blockStatement([])));
    const scope = this.scopeOf(file);
    const params = new Set(fn.params.map((p) => (p as t.Identifier).name));
    t.traverseFast(fn, (n) => {
      const record = n as unknown as Record<string, unknown>;
      for (const key of ['typeAnnotation', 'returnType', 'typeParameters', 'typeArguments']) delete record[key];
    });
    const body = stripTypes(fn.body);
    renameModuleNames(body, (id) => (params.has(id) ? id : scope.value(id)));
    const copy = t.functionDeclaration(t.identifier(local), fn.params, body);
    t.addComment(copy, 'leading', ` ${name} <- ${file}:${fn.loc?.start.line ?? 0} (not exported there: a copy)`, true);
    this.copies.set(local, copy);
    return local;
  }

  /** The twins, each preceded by its source reference, then the copies. */
  declarations(): t.Statement[] {
    const out: t.Statement[] = [];
    const seen = new Set<string>();
    for (const fn of this.context.traced!.functions.values()) {
      if (fn.annotation !== 'handler') continue;
      if (seen.has(fn.name)) throw new Error(`tracer: two traced functions are named ${fn.name}`);
      seen.add(fn.name);
      const module = this.module(fn.file);
      const declaration = module.functions.get(fn.name)!;
      out.push(this.twin(declaration, module, fn.line));
    }
    return [...out, ...this.copies.values()];
  }

  private twin(fn: t.FunctionDeclaration, module: ParsedModule, line: number): t.Statement {
    const name = fn.id!.name;
    const params = fn.params.map((p) => (p as t.Identifier).name);
    const code = new RecordingCode(this.scopeOf(module.file), new Set(params));
    const body = code.statements(fn.body.body, (value) => [
      t.expressionStatement(
        t.assignmentExpression(
          '=',
          t.memberExpression(t.identifier('T'), t.identifier('result')),
          value?.s ?? t.identifier('undefined'),
        ),
      ),
      t.returnStatement(value?.v ?? null),
    ]);
    const declaration = t.functionDeclaration(
      t.identifier(twinName(name)),
      [t.identifier('T'), ...params.flatMap((p) => [t.identifier(p), t.identifier(`${p}$`)])],
      t.blockStatement(body),
    );
    t.addComment(declaration, 'leading', ` ${name} <- ${module.file}:${line}`, true);
    return declaration;
  }

  private module(file: string): ParsedModule {
    const module = this.modules.get(file);
    if (module === null) throw new Error(`tracer: cannot read ${file}`);
    return module;
  }

  /** How names resolve in the module `file`. */
  scopeOf(file: string): RecordingScope {
    return {
      callee: (name) => this.callee(file, name),
      value: (name) => this.value(file, name),
    };
  }

  private callee(file: string, name: string): { kind: CalleeKind; name: string } {
    const target = this.resolve(file, name);
    if (target === null) return { kind: 'host', name };
    const traced = this.context.traced!.functions.get(`${target.file}:${target.imported}`);
    if (traced?.annotation === 'handler') return { kind: 'twin', name: twinName(target.imported) };
    const kind = traced?.annotation === 'elidable' ? 'pure' : traced?.annotation === 'portal' ? 'portal' : 'residual';
    return { kind, name: this.value(file, name) };
  }

  /** The repo file and exported name `name` refers to in `file`; null for a name of the host (or a local). */
  private resolve(file: string, name: string): { file: string; imported: string } | null {
    const module = this.module(file);
    const binding = module.bindings.get(name);
    if (binding === undefined) return module.values.has(name) ? { file, imported: name } : null;
    if (binding.kind === 'local') return { file, imported: name };
    const source = resolveImport(file, binding.source);
    return source === null ? null : { file: source, imported: binding.imported };
  }

  private value(file: string, name: string): string {
    const target = this.resolve(file, name);
    if (target === null) return name;
    const binding = this.module(target.file).bindings.get(target.imported);
    if (binding?.kind === 'local' && !binding.exported) return this.copy(target.file, target.imported);
    const known = this.imports.get(target.imported);
    if (known !== undefined && (known.file !== target.file || known.imported !== target.imported)) {
      throw new Error(`tracer: ${target.imported} means two things (${known.file}, ${target.file})`);
    }
    this.imports.set(target.imported, target);
    return target.imported;
  }
}

/** Renames, in `root`, every identifier that is a name reference (not a property name). */
function renameModuleNames(root: t.Node, rename: (name: string) => string): void {
  t.traverseFast(root, (n) => {
    for (const key of t.VISITOR_KEYS[n.type] ?? []) {
      if ((t.isMemberExpression(n) || t.isOptionalMemberExpression(n)) && key === 'property' && !n.computed) continue;
      if (t.isObjectProperty(n) && key === 'key' && !n.computed) continue;
      const record = n as unknown as Record<string, unknown>;
      const child = record[key];
      const renamed = (c: unknown): unknown =>
        t.isIdentifier(c as t.Node) ? t.identifier(rename((c as t.Identifier).name)) : c;
      if (Array.isArray(child)) record[key] = child.map(renamed);
      else record[key] = renamed(child);
    }
  });
}

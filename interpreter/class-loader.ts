/**
 * Class loading (SOM.md §3.9): finds `Name.som` on the classpath, parses it, resolves the
 * superclass (loading it first if needed), builds the class and its metaclass, compiles the
 * methods, binds `primitive` declarations to the VM's primitives and installs native overrides.
 *
 * The bootstrap classes already exist as objects before their files are read (the
 * Class/Metaclass cycle must be wired first); `fillClass` completes such a class in place.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseClass } from './parser/parser.ts';
import type { ClassDef, Declaration, MethodDef } from './parser/ast.ts';
import { compileMethod, type CompileContext } from './compiler/bytecode-compiler.ts';
import type { InlineForm } from './compiler/inline-decision.ts';
import { SomParseError } from './errors.ts';
import { SomClass } from './model/class.ts';
import { SomPrimitive, type Invokable, type PrimitiveFn } from './model/method.ts';
import type { SomSymbol } from './model/objects.ts';
import { coreClasses } from './model/core-classes.ts';
import { PRIMITIVES, NATIVE_OVERRIDES, type ClassPrimitives } from './primitives/registry.ts';
import { SomRuntimeError } from './signals.ts';

/** What the loader needs from the Universe. */
export interface LoaderHost {
  symbol(text: string): SomSymbol;
  /** The class bound to `name`, loading it from the classpath if necessary; null if none. */
  resolveClass(name: SomSymbol): SomClass | null;
}

/** Turns a class file's text into its definition: the parser, or a cache in front of it. */
export type ClassParser = (source: string, file: string) => ClassDef;

export class ClassLoader {
  constructor(
    readonly classpath: readonly string[],
    private readonly host: LoaderHost,
    private readonly parse: ClassParser = parseClass,
  ) {}

  /** The first `<name>.som` on the classpath, or null. */
  findClassFile(name: string): string | null {
    for (const dir of this.classpath) {
      const file = join(dir, `${name}.som`);
      if (existsSync(file)) return file;
    }
    return null;
  }

  /** Parses the class file for `name`; null if there is none. Checks the name matches. */
  parseClassFile(name: string): { def: ClassDef; source: string } | null {
    const file = this.findClassFile(name);
    if (file === null) return null;
    const source = readFileSync(file, 'utf8');
    const def = this.parse(source, file);
    if (def.name !== name) {
      const line = source.split('\n')[def.line - 1] ?? '';
      throw new SomParseError(
        file,
        def.line,
        def.column,
        `File ${name}.som defines class '${def.name}', expected '${name}'`,
        line,
      );
    }
    return { def, source };
  }

  /** Builds a new class (and metaclass) from its definition. */
  createClass(def: ClassDef, source: string): SomClass {
    const superclass = this.resolveSuperclass(def, source);
    const metaclass = new SomClass(this.host.symbol(`${def.name} class`), true, coreClasses.metaclass);
    const cls = new SomClass(this.host.symbol(def.name), false, metaclass);
    cls.superclass = superclass;
    metaclass.superclass = superclass === null ? coreClasses.class : superclass.clazz;
    this.fillClass(cls, def, source);
    return cls;
  }

  private resolveSuperclass(def: ClassDef, source: string): SomClass | null {
    if (def.superName === null) return null;
    const superclass = this.host.resolveClass(this.host.symbol(def.superName));
    if (superclass === null) {
      throw positionError(def.file, source, def, `Superclass '${def.superName}' of '${def.name}' could not be loaded`);
    }
    return superclass;
  }

  /** Completes `cls` (whose superclass links are set) from its definition: fields and methods. */
  fillClass(cls: SomClass, def: ClassDef, source: string): void {
    const meta = cls.clazz;
    cls.sourceFile = def.file;
    meta.sourceFile = def.file;
    cls.instanceFieldNames = this.layout(cls.superclass, def.instanceFields, def, source);
    meta.instanceFieldNames = this.layout(meta.superclass, def.classFields, def, source);
    cls.fields = new Array(meta.numInstanceFields).fill(null);
    this.installMethods(cls, def.instanceMethods, def, source, 'instance');
    this.installMethods(meta, def.classMethods, def, source, 'classSide');
  }

  /** Inherited field names followed by the declared ones; redeclaring an inherited one is an error. */
  private layout(superclass: SomClass | null, own: readonly Declaration[], def: ClassDef, source: string): SomSymbol[] {
    const inherited = superclass === null ? [] : superclass.instanceFieldNames;
    for (const field of own) {
      if (inherited.some((s) => s.s === field.name)) {
        throw positionError(def.file, source, field, `Field '${field.name}' is already defined in a superclass`);
      }
    }
    return [...inherited, ...own.map((f) => this.host.symbol(f.name))];
  }

  private installMethods(
    holder: SomClass,
    methods: readonly MethodDef[],
    def: ClassDef,
    source: string,
    side: keyof ClassPrimitives,
  ): void {
    const ctx = this.compileContext(holder, def, source);
    for (const m of methods) {
      holder.addMethod(
        m.body.kind === 'primitive' ? this.primitive(holder, def.name, m.selector, side) : compileMethod(m, ctx),
      );
    }
    const overrides = NATIVE_OVERRIDES[def.name]?.[side] ?? {};
    for (const [selector, fn] of Object.entries(overrides)) {
      const sym = this.host.symbol(selector);
      if (holder.localMethod(sym) !== undefined) holder.addMethod(new SomPrimitive(sym, holder, fn));
    }
  }

  private primitive(holder: SomClass, className: string, selector: string, side: keyof ClassPrimitives): Invokable {
    const fn: PrimitiveFn = PRIMITIVES[className]?.[side][selector] ?? undefinedPrimitive(holder, selector);
    return new SomPrimitive(this.host.symbol(selector), holder, fn);
  }

  private compileContext(holder: SomClass, def: ClassDef, source: string): CompileContext {
    const host = this.host;
    return {
      file: def.file,
      source,
      holder,
      fieldNames: holder.instanceFieldNames.map((s) => s.s),
      symbol: (text) => host.symbol(text),
      canInline: (form: InlineForm) => libraryDefines(form, host),
    };
  }
}

/**
 * Whether inlining `form` is safe: every form but `ifFalse:ifTrue:` is defined by any core-lib;
 * that one only by ours (SOM.md says it must stay a DNU with the official core-lib).
 */
function libraryDefines(form: InlineForm, host: LoaderHost): boolean {
  if (form !== 'ifFalse:ifTrue:') return true;
  const booleanClass = coreClasses.boolean as SomClass | undefined;
  return booleanClass !== undefined && booleanClass.lookup(host.symbol(form)) !== null;
}

/** A declared primitive the VM does not implement: the class loads, calling it is fatal. */
function undefinedPrimitive(holder: SomClass, selector: string): PrimitiveFn {
  return () => {
    throw new SomRuntimeError(`Undefined primitive ${holder.name.s}>>${selector} called`);
  };
}

function positionError(
  file: string,
  source: string,
  pos: { line: number; column: number },
  detail: string,
): SomParseError {
  return new SomParseError(file, pos.line, pos.column, detail, source.split('\n')[pos.line - 1] ?? '');
}

/**
 * The Universe: one SOM world. It owns the symbol table, the globals, the class loader and the
 * output streams; it bootstraps the core classes (SOM.md §3.9) and starts a program through
 * `System>>#initialize:` (§3.10).
 *
 * The interpreter and primitives reach the running Universe through `vm` (vm-state.ts) and the
 * core classes through `coreClasses`; `Universe` fills both in when it is created, so there is
 * one live Universe per JS thread at a time.
 */
import { ClassLoader, type ClassParser } from './class-loader.ts';
import { SomClass } from './model/class.ts';
import { CORE_CLASS_NAMES, coreClasses, type CoreClasses } from './model/core-classes.ts';
import { SomArray, SomObject, SomString, SomSymbol, type SomValue } from './model/objects.ts';
import { SomMethod, EMPTY_METHOD_CODE } from './model/method.ts';
import { Frame } from './model/frame.ts';
import { Op } from './compiler/opcodes.ts';
import { Globals, vm, type VmServices } from './vm-state.ts';
import { sendMessage } from './invoke.ts';
import { SomParseError } from './errors.ts';

/** Where a Universe writes its output. */
export interface OutputStreams {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

export interface UniverseOptions {
  readonly classpath: readonly string[];
  readonly output: OutputStreams;
  /** Maximum SOM activation depth before a stack-overflow error. */
  readonly maxStackDepth: number;
  /** How class files are parsed (default: the parser itself). */
  readonly parse?: ClassParser;
}

/** Superclasses of the bootstrap classes, before their files are read (SOM.md §3.1). */
const CORE_SUPERCLASSES: Readonly<Record<keyof CoreClasses, keyof CoreClasses | null>> = {
  object: null,
  class: 'object',
  metaclass: 'class',
  nil: 'object',
  array: 'object',
  method: 'object',
  primitive: 'object',
  string: 'object',
  symbol: 'string',
  integer: 'object',
  double: 'object',
  boolean: 'object',
  true: 'boolean',
  false: 'boolean',
  system: 'object',
  block: 'object',
  block1: 'block',
  block2: 'block',
  block3: 'block',
};

export class Universe implements VmServices {
  private readonly symbols = new Map<string, SomSymbol>();
  readonly globals = new Globals();
  readonly loader: ClassLoader;
  private readonly startTime = process.hrtime.bigint();
  private system: SomValue = null;

  constructor(private readonly options: UniverseOptions) {
    this.loader = new ClassLoader(
      options.classpath,
      { symbol: (text) => this.symbol(text), resolveClass: (name) => this.resolveClass(name) },
      options.parse,
    );
    vm.globals = this.globals;
    vm.services = this;
    vm.maxStackDepth = options.maxStackDepth;
    vm.symbols = {
      doesNotUnderstand: this.symbol('doesNotUnderstand:arguments:'),
      unknownGlobal: this.symbol('unknownGlobal:'),
      escapedBlock: this.symbol('escapedBlock:'),
      value: this.symbol('value'),
      run: this.symbol('run'),
      initialize: this.symbol('initialize:'),
    };
  }

  symbol(text: string): SomSymbol {
    let sym = this.symbols.get(text);
    if (sym === undefined) {
      sym = new SomSymbol(text);
      this.symbols.set(text, sym);
    }
    return sym;
  }

  writeOut(text: string): void {
    this.options.output.writeOut(text);
  }

  writeErr(text: string): void {
    this.options.output.writeErr(text);
  }

  elapsedMicros(): number {
    return Number((process.hrtime.bigint() - this.startTime) / 1000n);
  }

  /** Creates the core classes, wires the metaclass cycle, reads their definitions, binds globals. */
  bootstrap(): void {
    const names = Object.keys(CORE_CLASS_NAMES) as (keyof CoreClasses)[];
    for (const key of names) coreClasses[key] = this.newClassPair(CORE_CLASS_NAMES[key]);
    // Symbols and method arrays made before their classes existed get their class now.
    for (const sym of this.symbols.values()) sym.clazz = coreClasses.symbol;
    for (const key of names) {
      coreClasses[key].methods.clazz = coreClasses.array;
      coreClasses[key].clazz.methods.clazz = coreClasses.array;
    }
    for (const key of names) this.wireCoreClass(coreClasses[key], CORE_SUPERCLASSES[key]);
    for (const key of names) this.globals.set(coreClasses[key].name, coreClasses[key]);
    for (const key of names) this.readCoreClass(coreClasses[key]);
    this.globals.set(this.symbol('nil'), null);
    this.globals.set(this.symbol('true'), true);
    this.globals.set(this.symbol('false'), false);
    this.system = new SomObject(coreClasses.system, coreClasses.system.numInstanceFields);
    this.globals.set(this.symbol('system'), this.system);
  }

  private newClassPair(name: string): SomClass {
    // The Metaclass class does not exist yet for the first pairs; every clazz is patched below.
    const meta = new SomClass(this.symbol(`${name} class`), true, null);
    return new SomClass(this.symbol(name), false, meta);
  }

  private wireCoreClass(cls: SomClass, superKey: keyof CoreClasses | null): void {
    cls.clazz.clazz = coreClasses.metaclass;
    cls.superclass = superKey === null ? null : coreClasses[superKey];
    cls.clazz.superclass = cls.superclass === null ? coreClasses.class : cls.superclass.clazz;
  }

  private readCoreClass(cls: SomClass): void {
    const parsed = this.loader.parseClassFile(cls.name.s);
    if (parsed === null) {
      throw new SomParseError(
        cls.name.s,
        1,
        1,
        `Core class '${cls.name.s}' not found on the classpath (${this.options.classpath.join(':')}): is the standard library directory on it?`,
        '',
      );
    }
    const superName = parsed.def.superName;
    if (superName !== (cls.superclass?.name.s ?? null)) {
      const superclass = superName === null ? null : this.resolveClass(this.symbol(superName));
      cls.superclass = superclass;
      cls.clazz.superclass = superclass === null ? coreClasses.class : superclass.clazz;
    }
    this.loader.fillClass(cls, parsed.def, parsed.source);
  }

  /** The class bound to `name`, or loaded from the classpath and bound; null if neither. */
  resolveClass(name: SomSymbol): SomClass | null {
    const bound = this.globals.get(name);
    if (bound instanceof SomClass) return bound;
    const loaded = this.loadClass(name);
    return loaded instanceof SomClass ? loaded : null;
  }

  /** `System>>#load:`: the bound global if any, else a class from the classpath, else nil. */
  loadClass(name: SomSymbol): SomValue {
    const bound = this.globals.get(name);
    if (bound !== undefined && bound !== null) return bound;
    const parsed = this.loader.parseClassFile(name.s);
    if (parsed === null) return null;
    const cls = this.loader.createClass(parsed.def, parsed.source);
    this.globals.set(cls.name, cls);
    return cls;
  }

  /** Starts the program: `system initialize: #('ClassName' 'arg1' ...)`. */
  start(args: readonly string[]): SomValue {
    const argArray = new SomArray(args.map((a) => new SomString(a)));
    return sendMessage(this.entryFrame(), this.system, vm.symbols.initialize, [argArray]);
  }

  /** A frame standing for the VM itself: the caller of the first SOM activation. */
  entryFrame(): Frame {
    const method = new SomMethod(this.symbol('start'), coreClasses.system, {
      ...EMPTY_METHOD_CODE,
      maxStack: 4,
      stackTop: [0],
      code: [Op.RETURN_SELF],
      lines: [0],
      columns: [0],
      sourceFile: '<vm>',
    });
    return new Frame(method, this.system, null, null, null);
  }
}

/**
 * Invokables (compiled SOM methods and primitives) and the per-site caches inside methods.
 *
 * A `SomMethod` holds bytecode (see compiler/opcodes.ts) plus the pools its operands index:
 * constants, global-read sites, nested block methods, send sites and inlining fallbacks. Block
 * bodies are `SomMethod`s too (`isBlock`), owned by the method they appear in.
 *
 * A `SendSite` is the inline cache of one send instruction: a two-entry polymorphic cache keyed
 * by the receiver's class, backed by the class's own lookup cache.
 */
import type { LookupDependent, SomClass } from './class.ts';
import type { SomSymbol, SomValue } from './objects.ts';
import type { Frame } from './frame.ts';
import { coreClasses } from './core-classes.ts';
import { trivialMethod, type TrivialMethod } from '../compiler/trivial-methods.ts';

/**
 * A primitive's implementation. `caller` is the activation that sent the message (used by
 * primitives that run SOM code, report errors or walk the stack). Arguments follow the
 * receiver; a primitive declares exactly as many as its selector takes.
 */
export type PrimitiveFn = (caller: Frame, rcvr: SomValue, ...args: SomValue[]) => SomValue;

export type Invokable = SomMethod | SomPrimitive;

/** Compiled code of a method: runs the activation `frame` from `pc` to its return. */
export type CompiledCode = (frame: Frame, pc: number) => SomValue;

/** A primitive method as SOM sees it: an instance of `Primitive`. */
export class SomPrimitive {
  readonly kind = 'primitive' as const;
  clazz: SomClass;
  holder: SomClass;
  readonly numArgs: number;
  constructor(
    readonly signature: SomSymbol,
    holder: SomClass,
    readonly fn: PrimitiveFn,
  ) {
    this.clazz = coreClasses.primitive;
    this.holder = holder;
    this.numArgs = signature.numArgs;
  }
}

/** The inline cache of one global read (`PUSH_GLOBAL`), invalidated by a globals version. */
export class GlobalSite {
  version = -1;
  value: SomValue = null;
  constructor(readonly name: SomSymbol) {}
}

/**
 * The inline cache of one send: two (class, method) entries; null method = not understood.
 * Each filled entry is a lookup dependent of its class, so a change of that class's methods
 * (or a superclass's) empties the cache and the next send looks up again.
 */
export class SendSite implements LookupDependent {
  class1: SomClass | null = null;
  method1: Invokable | null = null;
  class2: SomClass | null = null;
  method2: Invokable | null = null;
  /**
   * The sends here have found more different methods (for their receivers' classes) than
   * `vm.megamorphicMethods`: tier 2 makes this send a call that looks its method up when it
   * runs, instead of guarding on the receiver's class and inlining the method of each class (a
   * guard, an exit and a bridge per class, and bridges of those for the next such send).
   * Classes that share a method (`Object>>isNil` for every class) do not count apart.
   */
  megamorphic = false;
  /** The methods found beyond the two entries' (null: not understood), until the site is megamorphic. */
  private others: (Invokable | null)[] | null = null;
  readonly numArgs: number;
  constructor(
    readonly selector: SomSymbol,
    readonly isSuper: boolean,
  ) {
    this.numArgs = selector.numArgs;
  }

  lookupChanged(): void {
    this.class1 = null;
    this.method1 = null;
    this.class2 = null;
    this.method2 = null;
    this.others = null;
  }

  /** A send here found `method` after missing both entries, which are taken; `limit`: `vm.megamorphicMethods`. */
  missedWhenFull(method: Invokable | null, limit: number): void {
    if (this.megamorphic) return;
    const others = (this.others ??= []);
    if (others.includes(method)) return;
    others.push(method);
    if (new Set([this.method1, this.method2, ...others]).size > limit) {
      this.megamorphic = true;
      this.others = null;
    }
  }
}

/**
 * What a control structure that the compiler inlined becomes when its receiver turns out to be
 * something the inlined code cannot handle (an `ifTrue:` sent to a non-Boolean, a `to:do:`
 * from a non-number): push the receiver back, the listed arguments (literal blocks become real
 * closures over the current activation), send `selector`, and continue at `resumePc` with the
 * send's result on the stack.
 */
export class InlineFallback implements LookupDependent {
  /** For nil tests: the last receiver class seen to inherit the library's own nil test. */
  inlinableClass: SomClass | null = null;

  lookupChanged(): void {
    this.inlinableClass = null;
  }

  constructor(
    readonly site: SendSite,
    /** The literal-block arguments, compiled on first use (fallbacks are rare). */
    readonly blocks: readonly LazyBlockMethod[],
    /** Values to drop from the stack before the send (a copy of the receiver kept for the result). */
    readonly discard: number,
  ) {}

  /** Where execution continues after the send; set when the compiler binds the construct's end. */
  resumePc = -1;
}

/** A block method compiled the first time it is needed. */
export class LazyBlockMethod {
  private method: SomMethod | null = null;
  constructor(private readonly compile: () => SomMethod) {}

  get(): SomMethod {
    if (this.method === null) this.method = this.compile();
    return this.method;
  }
}

/** What the bytecode compiler produces for one method or block. */
export interface MethodCode {
  readonly numArgs: number;
  readonly numLocals: number;
  readonly maxStack: number;
  /** The frame slot index of the first free stack slot before the instruction at each pc. */
  readonly stackTop: readonly number[];
  readonly code: readonly number[];
  /** Source line of the instruction starting at each pc (0 for operand positions). */
  readonly lines: readonly number[];
  /** Source column of the instruction starting at each pc (0 for operand positions). */
  readonly columns: readonly number[];
  readonly constants: readonly SomValue[];
  readonly globals: readonly GlobalSite[];
  readonly blocks: readonly SomMethod[];
  readonly sites: readonly SendSite[];
  readonly fallbacks: readonly InlineFallback[];
  /** Names of the argument and local slots, for the disassembler and debugging. */
  readonly slotNames: readonly string[];
  readonly isBlock: boolean;
  readonly sourceFile: string;
  readonly line: number;
}

/** A method with no code, as a base for the VM's synthetic frames (spread it and override). */
export const EMPTY_METHOD_CODE: MethodCode = {
  numArgs: 0,
  numLocals: 0,
  maxStack: 0,
  stackTop: [],
  code: [],
  lines: [],
  columns: [],
  constants: [],
  globals: [],
  blocks: [],
  sites: [],
  fallbacks: [],
  slotNames: [],
  isBlock: false,
  sourceFile: '<vm>',
  line: 0,
};

/** A compiled SOM method or block body. */
export class SomMethod implements MethodCode {
  readonly kind = 'method' as const;
  // The MethodCode fields are declared and assigned one by one, not Object.assign'ed, so that
  // every SomMethod gets the same V8 hidden class whatever object literal it was built from.
  clazz: SomClass;
  holder: SomClass;
  /** What the method does if it is trivial (an accessor): sends then need no activation. */
  readonly trivial: TrivialMethod | null;
  /** Invocations and loop back-edges taken, counted by the runtime's tier manager. */
  invocations = 0;
  backEdges = 0;
  /** Compiled code for this method, if a tier compiled it (the code cache). */
  compiled: CompiledCode | null = null;
  /**
   * Tier 2's record of this method's entry (its entry trace, in mode tier2), kept here so that
   * an activation finds it without a lookup; only the runtime knows what it is.
   */
  traceEntry: object | null = null;
  /** For a block: the method or block it is nested in (set once that one is built). */
  outer: SomMethod | null = null;
  readonly numArgs: number;
  readonly numLocals: number;
  readonly maxStack: number;
  readonly stackTop: readonly number[];
  readonly code: readonly number[];
  readonly lines: readonly number[];
  readonly columns: readonly number[];
  readonly constants: readonly SomValue[];
  readonly globals: readonly GlobalSite[];
  readonly blocks: readonly SomMethod[];
  readonly sites: readonly SendSite[];
  readonly fallbacks: readonly InlineFallback[];
  readonly slotNames: readonly string[];
  readonly isBlock: boolean;
  readonly sourceFile: string;
  readonly line: number;

  constructor(
    readonly signature: SomSymbol,
    holder: SomClass,
    c: MethodCode,
  ) {
    this.clazz = coreClasses.method;
    this.holder = holder;
    this.numArgs = c.numArgs;
    this.numLocals = c.numLocals;
    this.maxStack = c.maxStack;
    this.stackTop = c.stackTop;
    this.code = c.code;
    this.lines = c.lines;
    this.columns = c.columns;
    this.constants = c.constants;
    this.globals = c.globals;
    this.blocks = c.blocks;
    this.sites = c.sites;
    this.fallbacks = c.fallbacks;
    this.slotNames = c.slotNames;
    this.isBlock = c.isBlock;
    this.sourceFile = c.sourceFile;
    this.line = c.line;
    this.trivial = c.isBlock ? null : trivialMethod(c.code, c.numArgs, c.constants);
  }

  /** Frame slots: arguments, locals, then the operand stack. */
  get frameSize(): number {
    return this.numArgs + this.numLocals + this.maxStack;
  }

  /** The method this block is (transitively) nested in; the method itself otherwise. */
  get homeMethod(): SomMethod {
    let m: SomMethod = this;
    while (m.outer !== null) m = m.outer;
    return m;
  }
}

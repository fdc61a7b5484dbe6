/**
 * SOM classes and metaclasses.
 *
 * A class is itself an object: `clazz` is its metaclass and `fields` hold its class-side
 * fields. Its methods live in `methods`, the class's own method array: the very SomArray that
 * `aClass methods` answers, so SOM code may store into it and so change lookup (SOM.md §3.2,
 * the recommended behaviour). The method dictionary is derived from that array.
 *
 * Lookup walks the superclass chain once per (class, selector) and remembers the answer in a
 * per-class cache. Whoever else remembers a lookup result (an inline cache, a nil-test cache,
 * later compiled traces) registers itself as a `LookupDependent` of the class it looked up in.
 * When a class's method array changes, the class and all its subclasses drop their lookup
 * caches and tell their dependents to forget: invalidation by dependency lists, so the send
 * fast paths pay nothing for it.
 */
import { SomArray, type SomSymbol, type SomValue } from './objects.ts';
import { SomMethod, SomPrimitive, type Invokable } from './method.ts';

/** Remembers a lookup result in some class; must forget it when that class's lookup changes. */
export interface LookupDependent {
  lookupChanged(): void;
}

export class SomClass {
  /** The metaclass; patched after creation for the Class/Metaclass cycle. */
  clazz: SomClass;
  /** Class-side field values (this class object's own slots). */
  fields: SomValue[] = [];
  /** Names of the instance fields in layout order, inherited ones first. */
  instanceFieldNames: SomSymbol[] = [];
  /**
   * Methods defined in this class only, in source order: the array `methods` answers. Its
   * `methodHolder` is this class, so a store into it reaches `methodArrayChanged`.
   */
  readonly methods: SomArray;
  /** The source file this class was loaded from ('' for classes the VM made itself). */
  sourceFile = '';
  private superclassLink: SomClass | null = null;
  /** Classes whose superclass is this one (kept by the `superclass` setter). */
  private readonly subclasses: SomClass[] = [];
  private readonly methodDict = new Map<SomSymbol, Invokable>();
  private readonly lookupCache = new Map<SomSymbol, Invokable | null>();
  private dependents: LookupDependent[] = [];
  /**
   * The `lookupClock` tick of the last change of lookup in this class (0: none since it was
   * made), for a client that folded a lookup before it could register as a dependent.
   */
  lookupChangedAt = 0;

  constructor(
    readonly name: SomSymbol,
    readonly isMetaclass: boolean,
    metaclass: SomClass | null,
  ) {
    this.clazz = metaclass ?? this;
    this.methods = new SomArray([]);
    this.methods.methodHolder = this;
  }

  get superclass(): SomClass | null {
    return this.superclassLink;
  }

  set superclass(superclass: SomClass | null) {
    const old = this.superclassLink;
    if (old === superclass) return;
    if (old !== null) old.subclasses.splice(old.subclasses.indexOf(this), 1);
    if (superclass !== null) superclass.subclasses.push(this);
    this.superclassLink = superclass;
    this.lookupChanged();
  }

  get numInstanceFields(): number {
    return this.instanceFieldNames.length;
  }

  /**
   * Defines (or, for a primitive bound late, replaces) a method of this class. Class loading
   * calls this once per method, so it updates the dictionary in place rather than rebuilding it.
   */
  addMethod(invokable: Invokable): void {
    const elements = this.methods.elements;
    const existing = this.methodDict.get(invokable.signature);
    if (existing === undefined) elements.push(invokable);
    else elements[elements.indexOf(existing)] = invokable;
    this.methodDict.set(invokable.signature, invokable);
    this.lookupChanged();
  }

  /**
   * SOM code stored into the method array (or the VM changed it): rebuild the dictionary from
   * it and invalidate every lookup that may depend on it. Entries that are not methods are
   * ignored; if two entries share a signature, the first one counts (as a linear search of the
   * array would find it). Both choices are ours: SOM.md leaves them open.
   */
  methodArrayChanged(): void {
    this.methodDict.clear();
    for (const entry of this.methods.elements) {
      if (isInvokable(entry) && !this.methodDict.has(entry.signature)) this.methodDict.set(entry.signature, entry);
    }
    this.lookupChanged();
  }

  /** The invokables in the method array, in order (what the disassembler lists). */
  localInvokables(): Invokable[] {
    return this.methods.elements.filter(isInvokable);
  }

  /** The method defined in this class itself, if any. */
  localMethod(selector: SomSymbol): Invokable | undefined {
    return this.methodDict.get(selector);
  }

  /** Looks `selector` up along the superclass chain; null if no class defines it. */
  lookup(selector: SomSymbol): Invokable | null {
    const cached = this.lookupCache.get(selector);
    if (cached !== undefined) return cached;
    let found: Invokable | null = null;
    for (let c: SomClass | null = this; c !== null; c = c.superclassLink) {
      const m = c.methodDict.get(selector);
      if (m !== undefined) {
        found = m;
        break;
      }
    }
    this.lookupCache.set(selector, found);
    return found;
  }

  /** `dependent` remembers a lookup in this class; it hears of the next change (once). */
  addLookupDependent(dependent: LookupDependent): void {
    this.dependents.push(dependent);
  }

  /** `dependent` no longer needs to hear of changes (a trace thrown away before any came). */
  removeLookupDependent(dependent: LookupDependent): void {
    const index = this.dependents.indexOf(dependent);
    if (index >= 0) this.dependents.splice(index, 1);
  }

  /** Lookup in this class and every subclass may answer differently from now on. */
  private lookupChanged(): void {
    this.lookupChangedAt = ++lookupClock.ticks;
    lookupClock.changed();
    this.lookupCache.clear();
    const dependents = this.dependents;
    this.dependents = [];
    for (const dependent of dependents) dependent.lookupChanged();
    for (const subclass of this.subclasses) subclass.lookupChanged();
  }
}

/**
 * Ticks once per class whose lookup changes; each class keeps the tick of its own last change
 * (`lookupChangedAt`). Tier 2 reads it when it starts recording a trace and, after the
 * recording, asks each class the trace folded whether it changed since
 * (runtime/tier2/trace-dependencies.ts): a trace registers as a dependent only once it is
 * compiled, and the program may change a method while the trace is being recorded.
 */
export const lookupClock = {
  ticks: 0,
  /** Dependents of every class's lookup (code that looks methods up at run time and may keep the answers). */
  anyLookup: [] as LookupDependent[],
  /** `dependent` hears of the next change of lookup in any class (once). */
  addAnyLookupDependent(dependent: LookupDependent): void {
    this.anyLookup.push(dependent);
  },
  removeAnyLookupDependent(dependent: LookupDependent): void {
    const index = this.anyLookup.indexOf(dependent);
    if (index >= 0) this.anyLookup.splice(index, 1);
  },
  changed(): void {
    if (this.anyLookup.length === 0) return;
    const dependents = this.anyLookup;
    this.anyLookup = [];
    for (const dependent of dependents) dependent.lookupChanged();
  },
};

function isInvokable(value: SomValue): value is Invokable {
  return value instanceof SomMethod || value instanceof SomPrimitive;
}

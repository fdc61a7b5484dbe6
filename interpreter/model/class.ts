/**
 * SOM classes and metaclasses.
 *
 * A class is itself an object: `clazz` is its metaclass and `fields` hold its class-side
 * fields. Method lookup walks the superclass chain once per (class, selector) and remembers the
 * answer in a per-class cache; SOM classes never change their methods after loading
 * (SOM.md §3.2), so the cache never needs invalidating.
 */
import type { SomSymbol, SomValue } from './objects.ts';
import type { Invokable } from './method.ts';

export class SomClass {
  /** The metaclass; patched after creation for the Class/Metaclass cycle. */
  clazz: SomClass;
  /** Class-side field values (this class object's own slots). */
  fields: SomValue[] = [];
  superclass: SomClass | null = null;
  /** Names of the instance fields in layout order, inherited ones first. */
  instanceFieldNames: SomSymbol[] = [];
  /** Methods defined in this class only, in source order (what `methods` answers). */
  methods: Invokable[] = [];
  /** The source file this class was loaded from ('' for classes the VM made itself). */
  sourceFile = '';
  private readonly methodDict = new Map<SomSymbol, Invokable>();
  private readonly lookupCache = new Map<SomSymbol, Invokable | null>();

  constructor(
    readonly name: SomSymbol,
    readonly isMetaclass: boolean,
    metaclass: SomClass | null,
  ) {
    this.clazz = metaclass ?? this;
  }

  get numInstanceFields(): number {
    return this.instanceFieldNames.length;
  }

  /** Defines (or, for a primitive bound late, replaces) a method of this class. */
  addMethod(invokable: Invokable): void {
    const existing = this.methodDict.get(invokable.signature);
    if (existing === undefined) {
      this.methods.push(invokable);
    } else {
      this.methods[this.methods.indexOf(existing)] = invokable;
    }
    this.methodDict.set(invokable.signature, invokable);
    this.lookupCache.clear();
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
    for (let c: SomClass | null = this; c !== null; c = c.superclass) {
      const m = c.methodDict.get(selector);
      if (m !== undefined) {
        found = m;
        break;
      }
    }
    this.lookupCache.set(selector, found);
    return found;
  }
}

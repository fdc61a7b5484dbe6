/**
 * The state of the running VM that the interpreter's handlers and the primitives reach
 * directly: the globals table, the well-known selectors, the host (output, class loading) and
 * limits. The Universe fills it in at start-up.
 *
 * Invariant: one live Universe per JS thread (as for `coreClasses`).
 */
import type { SomSymbol, SomValue } from './model/objects.ts';

/** Selectors the VM itself sends or recognises. */
export interface WellKnownSymbols {
  readonly doesNotUnderstand: SomSymbol;
  readonly unknownGlobal: SomSymbol;
  readonly escapedBlock: SomSymbol;
  readonly value: SomSymbol;
  readonly run: SomSymbol;
  readonly initialize: SomSymbol;
}

/**
 * Remembers the value of some global; must forget it when that global is bound anew. (Compiled
 * traces fold the globals they read: runtime/tier2/trace-dependencies.ts.)
 */
export interface GlobalDependent {
  globalChanged(name: SomSymbol): void;
}

/**
 * The globals table. `version` changes on every binding, invalidating global-read caches
 * (`GlobalSite`, which re-read the table after any binding: cheap, and bindings are rare).
 * Whoever holds a global's value longer registers as a `GlobalDependent` of that one name, so
 * that binding another global (the class loader does so for every class it loads lazily) does
 * not disturb it. `boundAt` says when a name was last bound, in `version` ticks, so a client
 * that read a global before it could register (a trace, while it was recorded) can tell
 * whether the value it saw is still the one bound.
 */
export class Globals {
  private readonly table = new Map<SomSymbol, SomValue>();
  private readonly changedAt = new Map<SomSymbol, number>();
  private readonly dependents = new Map<SomSymbol, GlobalDependent[]>();
  version = 0;

  get(name: SomSymbol): SomValue | undefined {
    return this.table.get(name);
  }

  has(name: SomSymbol): boolean {
    return this.table.has(name);
  }

  set(name: SomSymbol, value: SomValue): void {
    const unchanged = this.table.has(name) && this.table.get(name) === value;
    this.table.set(name, value);
    this.version++;
    if (unchanged) return;
    this.changedAt.set(name, this.version);
    const dependents = this.dependents.get(name);
    if (dependents === undefined) return;
    this.dependents.delete(name);
    for (const dependent of dependents) dependent.globalChanged(name);
  }

  /** The `version` at which `name` last got a different value (0: never since start-up). */
  boundAt(name: SomSymbol): number {
    return this.changedAt.get(name) ?? 0;
  }

  /** `dependent` remembers the value of `name`; it hears of the next change of it (once). */
  addDependent(name: SomSymbol, dependent: GlobalDependent): void {
    let dependents = this.dependents.get(name);
    if (dependents === undefined) this.dependents.set(name, (dependents = []));
    dependents.push(dependent);
  }

  /** `dependent` no longer needs to hear of changes of `name`. */
  removeDependent(name: SomSymbol, dependent: GlobalDependent): void {
    const dependents = this.dependents.get(name);
    const index = dependents?.indexOf(dependent) ?? -1;
    if (index >= 0) dependents!.splice(index, 1);
  }
}

/** What the VM needs from its host and its class loader. */
export interface VmServices {
  symbol(text: string): SomSymbol;
  /** Loads a class from the classpath and binds it; null if there is no such class file. */
  loadClass(name: SomSymbol): SomValue;
  writeOut(text: string): void;
  writeErr(text: string): void;
  /** Milliseconds and microseconds since VM start. */
  elapsedMicros(): number;
}

export interface VmState {
  globals: Globals;
  symbols: WellKnownSymbols;
  services: VmServices;
  maxStackDepth: number;
  /** More different methods found at a send site than this make it megamorphic (`SendSite.megamorphic`). */
  megamorphicMethods: number;
}

/** Filled in by the Universe at start-up. */
export const vm: VmState = {} as VmState;

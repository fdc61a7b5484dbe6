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

/** The globals table. `version` changes on every binding, invalidating global-read caches. */
export class Globals {
  private readonly table = new Map<SomSymbol, SomValue>();
  version = 0;

  get(name: SomSymbol): SomValue | undefined {
    return this.table.get(name);
  }

  has(name: SomSymbol): boolean {
    return this.table.has(name);
  }

  set(name: SomSymbol, value: SomValue): void {
    this.table.set(name, value);
    this.version++;
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
}

/** Filled in by the Universe at start-up. */
export const vm: VmState = {} as VmState;

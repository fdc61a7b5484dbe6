/**
 * Compile-time name resolution (SOM.md §2.6).
 *
 * An `Activation` is what becomes one run-time Frame: a method or a block that is not inlined.
 * It owns the slot layout (arguments first, then locals, then the locals of blocks inlined into
 * it and the hidden variables of inlined loops). A `LexicalScope` is one level of names: the
 * method or block itself, or a block inlined into it, whose names shadow outer ones but live
 * in the enclosing activation's slots.
 *
 * Resolution walks the lexical scopes innermost first; crossing from one activation to its
 * enclosing one adds one context level (`ctx`) to the access.
 */

export type Resolved =
  | { readonly kind: 'slot'; readonly slot: number; readonly ctx: number }
  | { readonly kind: 'field'; readonly index: number }
  | { readonly kind: 'global' };

export class Activation {
  readonly slotNames: string[] = [];
  constructor(
    readonly numArgs: number,
    /** The enclosing activation (for blocks), or null for a method. */
    readonly outer: Activation | null,
  ) {}

  allocateSlot(name: string): number {
    this.slotNames.push(name);
    return this.slotNames.length - 1;
  }

  get numLocals(): number {
    return this.slotNames.length - this.numArgs;
  }

  get isMethod(): boolean {
    return this.outer === null;
  }
}

export class LexicalScope {
  private readonly names = new Map<string, number>();
  constructor(
    readonly activation: Activation,
    readonly parent: LexicalScope | null,
  ) {}

  /** Declares `name` in this scope, in a fresh slot of its activation. */
  declare(name: string): number {
    const slot = this.activation.allocateSlot(name);
    this.names.set(name, slot);
    return slot;
  }

  /** A slot no SOM name can refer to, for loop counters and limits. */
  hidden(purpose: string): number {
    return this.activation.allocateSlot(`<${purpose}>`);
  }

  resolve(name: string, fieldNames: readonly string[]): Resolved {
    let ctx = 0;
    for (let s: LexicalScope | null = this; s !== null; s = s.parent) {
      const slot = s.names.get(name);
      if (slot !== undefined) return { kind: 'slot', slot, ctx };
      if (s.parent !== null && s.parent.activation !== s.activation) ctx++;
    }
    const index = fieldNames.lastIndexOf(name);
    if (index >= 0) return { kind: 'field', index };
    return { kind: 'global' };
  }
}

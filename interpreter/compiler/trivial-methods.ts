/**
 * Trivial methods: field getters, field setters and methods answering a constant or self.
 *
 * They are a large share of the sends in object-oriented SOM code (accessors), and need no
 * activation: the send path answers them directly, without a Frame. The compiler recognises
 * them from their bytecode, so the fact "what this method does" still has one home (its code).
 */
import { Op } from './opcodes.ts';
import type { SomValue } from '../model/objects.ts';

export type TrivialMethod =
  | { readonly kind: 'getter'; readonly field: number }
  | { readonly kind: 'setter'; readonly field: number }
  | { readonly kind: 'constant'; readonly value: SomValue }
  | { readonly kind: 'self' };

/** What `code` does if it is trivial; null otherwise. */
export function trivialMethod(
  code: readonly number[],
  numArgs: number,
  constants: readonly SomValue[],
): TrivialMethod | null {
  const [op, a, b, c] = code;
  if (code.length === 1 && op === Op.RETURN_SELF) return { kind: 'self' };
  if (code.length === 3 && op === Op.PUSH_FIELD && b === Op.RETURN_LOCAL && numArgs === 0)
    return { kind: 'getter', field: a! };
  if (code.length === 3 && op === Op.PUSH_CONSTANT && b === Op.RETURN_LOCAL)
    return { kind: 'constant', value: constants[a!]! };
  if (code.length === 2 && b === Op.RETURN_LOCAL) {
    if (op === Op.PUSH_NIL) return { kind: 'constant', value: null };
    if (op === Op.PUSH_TRUE) return { kind: 'constant', value: true };
    if (op === Op.PUSH_FALSE) return { kind: 'constant', value: false };
  }
  const setter =
    code.length === 5 && op === Op.PUSH_LOCAL && a === 0 && b === Op.POP_FIELD && code[4] === Op.RETURN_SELF;
  if (setter && numArgs === 1) return { kind: 'setter', field: c! };
  return null;
}

/**
 * Hash codes: identity hashes for `Object>>#hashcode`, value hashes for the values whose `==`
 * compares values (Doubles, Integers: see object.ts), and content hashes for `String>>#hashcode`.
 *
 * The contract the core-lib's Hashtable relies on: `a == b` implies equal `hashcode`s, and a
 * hash never changes during an object's lifetime. Identity hashes are handed out from a counter
 * the first time an object is asked and remembered in a WeakMap, so they cost nothing for
 * objects never hashed and do not keep objects alive.
 */
import { SomBigInt, SomDouble, type SomValue } from '../model/objects.ts';
import { integerFromIntegralDouble, type IntegerValue } from '../model/integers.ts';

const identityHashes = new WeakMap<object, number>();
let nextIdentityHash = 1;

/** Fixed hashes for the unboxed singletons. */
const NIL_HASH = 0x6e696c;
const TRUE_HASH = 0x74727565;
const FALSE_HASH = 0x66616c73;

/** Non-negative and below 2^31 (SOM.md §9.1). */
function identityHash(object: object): number {
  let hash = identityHashes.get(object);
  if (hash === undefined) {
    hash = nextIdentityHash;
    nextIdentityHash = nextIdentityHash === 0x7fffffff ? 1 : nextIdentityHash + 1;
    identityHashes.set(object, hash);
  }
  return hash;
}

const bits = new DataView(new ArrayBuffer(8));

/**
 * A hash of the double's bit pattern (Java's `Double.hashCode` folding, made non-negative).
 * Every NaN hashes alike, because `==` on Doubles treats every NaN as the same value. An
 * integral Double hashes as the Integer of the same value, because the two are `==` (SOM.md
 * §4.5; Python does the same); 0.0 and -0.0 both hash as 0.
 */
function doubleHash(value: number): IntegerValue {
  if (Number.isInteger(value)) return integerFromIntegralDouble(value);
  bits.setFloat64(0, Number.isNaN(value) ? NaN : value);
  return (bits.getInt32(0) ^ bits.getInt32(4)) & 0x7fffffff;
}

/** Java's `String.hashCode`: 31-based over UTF-16 units, wrapped to a 32-bit signed Integer. */
export function stringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * `Object>>#hashcode` for any value: by value for numbers, by identity otherwise. An Integer
 * hashes as itself, as the core-lib's `Integer>>#hashcode` (`^self`) does.
 */
export function objectHash(value: SomValue): IntegerValue {
  if (value === null) return NIL_HASH;
  if (value === true) return TRUE_HASH;
  if (value === false) return FALSE_HASH;
  if (typeof value === 'number' || value instanceof SomBigInt) return value;
  if (value instanceof SomDouble) return doubleHash(value.value);
  return identityHash(value);
}

/**
 * The AWFY support library for the native JavaScript benchmarks.
 *
 * The Are-We-Fast-Yet rules allow a benchmark to use only a small, fixed set of collections,
 * the same in every language, so that the suite measures the language implementation and not
 * its standard library. This module is that set for JavaScript, mirroring benchmarks/som/Core
 * class by class: a Vector with AWFY's protocol (0-based here, 1-based in SOM), Set and
 * IdentitySet built on it, a bucketed Dictionary and IdentityDictionary keyed by
 * `customHashcode()`, and the AWFY pseudo-random generator. Sorting uses the same
 * median-of-three quicksort as the SOM Vector, so both versions visit elements in the same
 * order (DeltaBlue's results depend on it).
 */

/** Initial capacity of a Set's backing Vector. */
export const INITIAL_SIZE = 10;
/** Initial number of Dictionary buckets (a power of two). */
export const INITIAL_CAPACITY = 16;

/** The AWFY random number generator: a 16-bit linear congruential sequence. */
export class SomRandom {
  constructor() {
    this.seed = 74755;
  }

  next() {
    this.seed = (this.seed * 1309 + 13849) & 65535;
    return this.seed;
  }
}

/** A growable array; `at` answers null beyond the capacity, as AWFY requires. */
export class Vector {
  constructor(size = 50) {
    this.storage = new Array(size).fill(null);
    this.firstIdx = 0;
    this.lastIdx = 0;
  }

  static with(elem) {
    const v = new Vector(1);
    v.append(elem);
    return v;
  }

  at(idx) {
    if (idx >= this.storage.length) return null;
    return this.storage[idx];
  }

  atPut(idx, val) {
    if (idx >= this.storage.length) {
      let newLength = this.storage.length;
      while (newLength <= idx) newLength *= 2;
      const newStorage = new Array(newLength).fill(null);
      for (let i = 0; i < this.storage.length; i++) newStorage[i] = this.storage[i];
      this.storage = newStorage;
    }
    this.storage[idx] = val;
    if (this.lastIdx < idx + 1) this.lastIdx = idx + 1;
  }

  append(elem) {
    if (this.lastIdx >= this.storage.length) {
      const newStorage = new Array(2 * this.storage.length).fill(null);
      for (let i = 0; i < this.storage.length; i++) newStorage[i] = this.storage[i];
      this.storage = newStorage;
    }
    this.storage[this.lastIdx] = elem;
    this.lastIdx += 1;
  }

  isEmpty() {
    return this.lastIdx === this.firstIdx;
  }

  // The iteration bounds are read once, as SOM's `to:do:` does, so both versions visit the
  // same elements when a block changes the vector.
  forEach(fn) {
    const last = this.lastIdx;
    for (let i = this.firstIdx; i < last; i++) fn(this.storage[i]);
  }

  hasSome(fn) {
    const last = this.lastIdx;
    for (let i = this.firstIdx; i < last; i++) {
      if (fn(this.storage[i])) return true;
    }
    return false;
  }

  getOne(fn) {
    const last = this.lastIdx;
    for (let i = this.firstIdx; i < last; i++) {
      const e = this.storage[i];
      if (fn(e)) return e;
    }
    return null;
  }

  first() {
    if (this.isEmpty()) return null;
    return this.storage[this.firstIdx];
  }

  removeFirst() {
    if (this.isEmpty()) return null;
    this.firstIdx += 1;
    return this.storage[this.firstIdx - 1];
  }

  /** Removes every occurrence of `obj` (by identity); answers whether there was one. */
  remove(obj) {
    const newArray = new Array(this.capacity()).fill(null);
    let newLast = 0;
    let found = false;
    this.forEach((it) => {
      if (it === obj) {
        found = true;
      } else {
        newArray[newLast] = it;
        newLast += 1;
      }
    });
    this.storage = newArray;
    this.lastIdx = newLast;
    this.firstIdx = 0;
    return found;
  }

  removeAll() {
    this.firstIdx = 0;
    this.lastIdx = 0;
    this.storage = new Array(this.storage.length).fill(null);
  }

  size() {
    return this.lastIdx - this.firstIdx;
  }

  capacity() {
    return this.storage.length;
  }

  /** Sorts in place so that `before(a, b)` holds for neighbours (a non-strict order). */
  sort(before) {
    if (this.size() > 0) this.sortRange(this.firstIdx, this.lastIdx - 1, before);
  }

  sortRange(i, j, before) {
    const n = j + 1 - i;
    if (n <= 1) return;
    const s = this.storage;
    let di = s[i];
    let dj = s[j];
    if (!before(di, dj)) {
      swap(s, i, j);
      const tt = di;
      di = dj;
      dj = tt;
    }
    if (n <= 2) return;
    const ij = Math.trunc((i + j) / 2);
    let dij = s[ij];
    if (before(di, dij)) {
      if (!before(dij, dj)) {
        swap(s, j, ij);
        dij = dj;
      }
    } else {
      swap(s, i, ij);
      dij = di;
    }
    if (n <= 3) return;
    let k = i;
    let l = j;
    for (;;) {
      do l -= 1;
      while (k <= l && before(dij, s[l]));
      do k += 1;
      while (k <= l && before(s[k], dij));
      if (k > l) break;
      swap(s, k, l);
    }
    this.sortRange(i, l, before);
    this.sortRange(k, j, before);
  }
}

function swap(storage, i, j) {
  const tmp = storage[i];
  storage[i] = storage[j];
  storage[j] = tmp;
}

/** A set of values compared with `===` (numbers and strings by value). */
export class Set {
  constructor(size = INITIAL_SIZE) {
    this.items = new Vector(size);
  }

  size() {
    return this.items.size();
  }

  forEach(fn) {
    this.items.forEach(fn);
  }

  hasSome(fn) {
    return this.items.hasSome(fn);
  }

  getOne(fn) {
    return this.items.getOne(fn);
  }

  add(obj) {
    if (!this.contains(obj)) this.items.append(obj);
  }

  removeAll() {
    this.items.removeAll();
  }

  collect(fn) {
    const coll = new Vector();
    this.forEach((e) => coll.append(fn(e)));
    return coll;
  }

  contains(obj) {
    return this.hasSome((e) => e === obj);
  }
}

/** A set of objects compared by identity (the same test as Set in JavaScript). */
export class IdentitySet extends Set {}

class Entry {
  constructor(hash, key, value, next) {
    this.hash = hash;
    this.key = key;
    this.value = value;
    this.next = next;
  }

  match(hash, key) {
    return this.hash === hash && this.key === key;
  }
}

/** A hash map with chained buckets; keys provide `customHashcode()`. */
export class Dictionary {
  constructor(size = INITIAL_CAPACITY) {
    this.buckets = new Array(size).fill(null);
    this.size_ = 0;
  }

  hash(key) {
    if (key === null) return 0;
    const hash = key.customHashcode();
    return hash ^ (hash >>> 16);
  }

  isEmpty() {
    return this.size_ === 0;
  }

  bucketIdx(hash) {
    return (this.buckets.length - 1) & hash;
  }

  at(key) {
    const hash = this.hash(key);
    let e = this.buckets[this.bucketIdx(hash)];
    while (e !== null) {
      if (e.match(hash, key)) return e.value;
      e = e.next;
    }
    return null;
  }

  containsKey(key) {
    const hash = this.hash(key);
    let e = this.buckets[this.bucketIdx(hash)];
    while (e !== null) {
      if (e.match(hash, key)) return true;
      e = e.next;
    }
    return false;
  }

  atPut(key, value) {
    const hash = this.hash(key);
    const i = this.bucketIdx(hash);
    const current = this.buckets[i];
    if (current === null) {
      this.buckets[i] = new Entry(hash, key, value, null);
      this.size_ += 1;
    } else {
      this.insertBucketEntry(key, value, hash, current);
    }
    if (this.size_ > this.buckets.length) this.resize();
  }

  insertBucketEntry(key, value, hash, head) {
    let current = head;
    for (;;) {
      if (current.match(hash, key)) {
        current.value = value;
        return;
      }
      if (current.next === null) {
        this.size_ += 1;
        current.next = new Entry(hash, key, value, null);
        return;
      }
      current = current.next;
    }
  }

  resize() {
    const oldStorage = this.buckets;
    this.buckets = new Array(oldStorage.length * 2).fill(null);
    for (let i = 0; i < oldStorage.length; i++) {
      const current = oldStorage[i];
      if (current === null) continue;
      if (current.next === null) {
        this.buckets[current.hash & (this.buckets.length - 1)] = current;
      } else {
        this.splitBucket(oldStorage.length, i, current);
      }
    }
  }

  /** Splits one old bucket into the low and high halves of the doubled table. */
  splitBucket(oldLength, i, head) {
    let loHead = null;
    let loTail = null;
    let hiHead = null;
    let hiTail = null;
    for (let current = head; current !== null; current = current.next) {
      if ((current.hash & oldLength) === 0) {
        if (loTail === null) loHead = current;
        else loTail.next = current;
        loTail = current;
      } else {
        if (hiTail === null) hiHead = current;
        else hiTail.next = current;
        hiTail = current;
      }
    }
    if (loTail !== null) {
      loTail.next = null;
      this.buckets[i] = loHead;
    }
    if (hiTail !== null) {
      hiTail.next = null;
      this.buckets[i + oldLength] = hiHead;
    }
  }

  size() {
    return this.size_;
  }

  removeAll() {
    this.buckets = new Array(this.buckets.length).fill(null);
    this.size_ = 0;
  }
}

/** A Dictionary whose keys match by identity; in JavaScript the same test as Dictionary. */
export class IdentityDictionary extends Dictionary {}

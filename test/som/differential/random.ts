/**
 * The seeded random source of the SOM program generator. Each generated program is a pure
 * function of one 32-bit seed, so a failing program is reproduced from its seed alone, on any
 * machine, whatever ran before it (no shared state, no Math.random).
 *
 * The generator is hand-written over this source rather than built from fast-check
 * arbitraries because a program's parts depend on each other (a workload may only send what
 * the generated classes understand, a `/` only where the receiver is certainly an Integer);
 * differential.test.ts shrinks a failing program itself, by dropping workloads.
 */

/** mulberry32: small, fast and well distributed enough for choosing program shapes. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A uniform integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Random.pick: no items to pick from');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** `count` distinct items of `items` in random order (all of them if there are fewer). */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const chosen: T[] = [];
    while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(this.int(0, pool.length - 1), 1)[0] as T);
    return chosen;
  }
}

/**
 * Storage (AWFY micro benchmark): builds a tree of arrays, 4-way and 7 levels deep, with
 * leaves of random length. Exercises allocation and the garbage collector.
 * Verification: 5461 arrays created.
 */
import { Benchmark } from './benchmark.mjs';
import { SomRandom } from './core.mjs';

export class Storage extends Benchmark {
  benchmark() {
    const random = new SomRandom();
    this.count = 0;
    this.buildTreeDepth(7, random);
    return this.count;
  }

  buildTreeDepth(depth, random) {
    this.count += 1;
    if (depth === 1) return new Array((random.next() % 10) + 1).fill(null);
    const arr = new Array(4);
    for (let i = 0; i < 4; i++) arr[i] = this.buildTreeDepth(depth - 1, random);
    return arr;
  }

  verifyResult(result) {
    return result === 5461;
  }
}

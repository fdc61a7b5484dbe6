/**
 * Permute (AWFY micro benchmark): generates all permutations of a 6-element array by
 * recursive swapping and counts the calls. Verification: 8660.
 */
import { Benchmark } from './benchmark.mjs';

export class Permute extends Benchmark {
  benchmark() {
    this.count = 0;
    this.v = new Array(6).fill(0);
    this.permute(6);
    return this.count;
  }

  permute(n) {
    this.count += 1;
    if (n !== 0) {
      const n1 = n - 1;
      this.permute(n1);
      for (let i = n1; i >= 0; i--) {
        this.swap(n1, i);
        this.permute(n1);
        this.swap(n1, i);
      }
    }
  }

  swap(i, j) {
    const tmp = this.v[i];
    this.v[i] = this.v[j];
    this.v[j] = tmp;
  }

  verifyResult(result) {
    return result === 8660;
  }
}

/**
 * Sieve (AWFY micro benchmark): the sieve of Eratosthenes over 5000 flags.
 * Verification: 669 primes below 5000.
 */
import { Benchmark } from './benchmark.mjs';

export class Sieve extends Benchmark {
  benchmark() {
    const flags = new Array(5000).fill(true);
    return this.sieve(flags, 5000);
  }

  sieve(flags, size) {
    let primeCount = 0;
    for (let i = 2; i <= size; i++) {
      if (flags[i - 1]) {
        primeCount += 1;
        for (let k = i + i; k <= size; k += i) flags[k - 1] = false;
      }
    }
    return primeCount;
  }

  verifyResult(result) {
    return result === 669;
  }
}

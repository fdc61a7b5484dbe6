/**
 * Mandelbrot (AWFY micro benchmark): renders a size x size Mandelbrot bitmap and folds its
 * bytes with xor. Exercises double arithmetic and loops. The inner-iteration count is the
 * image size; only 500 (191), 750 (50) and 1 (128) have known results.
 */
import { Benchmark } from './benchmark.mjs';

const EXPECTED = new Map([
  [500, 191],
  [750, 50],
  [1, 128],
]);

export class Mandelbrot extends Benchmark {
  innerBenchmarkLoop(innerIterations) {
    const result = this.mandelbrot(innerIterations);
    const expected = EXPECTED.get(innerIterations);
    if (expected === undefined) {
      console.log(`No verification result for ${innerIterations} found`);
      console.log(`Result is: ${result}`);
      return false;
    }
    return result === expected;
  }

  mandelbrot(size) {
    let sum = 0;
    let byteAcc = 0;
    let bitNum = 0;
    for (let y = 0; y < size; y++) {
      const ci = (2.0 * y) / size - 1.0;
      for (let x = 0; x < size; x++) {
        let zrzr = 0.0;
        let zi = 0.0;
        let zizi = 0.0;
        const cr = (2.0 * x) / size - 1.5;
        let z = 0;
        let notDone = true;
        let escape = 0;
        while (notDone && z < 50) {
          const zr = zrzr - zizi + cr;
          zi = 2.0 * zr * zi + ci;
          zrzr = zr * zr;
          zizi = zi * zi;
          if (zrzr + zizi > 4.0) {
            notDone = false;
            escape = 1;
          }
          z += 1;
        }
        byteAcc = (byteAcc << 1) + escape;
        bitNum += 1;
        if (bitNum === 8) {
          sum ^= byteAcc;
          byteAcc = 0;
          bitNum = 0;
        } else if (x === size - 1) {
          byteAcc <<= 8 - bitNum;
          sum ^= byteAcc;
          byteAcc = 0;
          bitNum = 0;
        }
      }
    }
    return sum;
  }
}

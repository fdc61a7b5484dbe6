/**
 * The AWFY benchmark base class for the native JavaScript benchmarks.
 *
 * Mirrors benchmarks/som/Benchmark.som: `innerBenchmarkLoop` runs `benchmark()` the given
 * number of times and answers false as soon as `verifyResult` rejects a result. Benchmarks
 * whose result depends on the problem size (CD, Havlak, Mandelbrot, NBody) override
 * `innerBenchmarkLoop` and verify against the size instead.
 */
export class Benchmark {
  innerBenchmarkLoop(innerIterations) {
    for (let i = 0; i < innerIterations; i++) {
      if (!this.verifyResult(this.benchmark())) return false;
    }
    return true;
  }

  benchmark() {
    throw new Error('subclass responsibility');
  }

  verifyResult(_result) {
    throw new Error('subclass responsibility');
  }
}

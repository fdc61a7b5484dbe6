#!/usr/bin/env node
/**
 * The native AWFY harness: runs one JavaScript benchmark with the same protocol and the same
 * output as benchmarks/som/Harness.som, so the runner treats `native` like any SOM mode.
 *
 *   node benchmarks/native/harness.mjs <Benchmark> [outerIterations [innerIterations]]
 *
 * Each outer iteration prints the GC, compile-time and `runtime: <N>us` lines of SOM.md
 * §12.1 (GC and compile figures are reported as 0, like the core-lib's `System`); a failed
 * verification prints `ERROR: Benchmark failed with incorrect result` and exits with 1.
 */
import { Bounce } from './bounce.mjs';
import { CD } from './cd.mjs';
import { DeltaBlue } from './deltablue.mjs';
import { Havlak } from './havlak.mjs';
import { Json } from './json.mjs';
import { List } from './list.mjs';
import { Mandelbrot } from './mandelbrot.mjs';
import { NBody } from './nbody.mjs';
import { Permute } from './permute.mjs';
import { Queens } from './queens.mjs';
import { Richards } from './richards.mjs';
import { Sieve } from './sieve.mjs';
import { Storage } from './storage.mjs';
import { Towers } from './towers.mjs';

const BENCHMARKS = {
  Bounce,
  CD,
  DeltaBlue,
  Havlak,
  Json,
  List,
  Mandelbrot,
  NBody,
  Permute,
  Queens,
  Richards,
  Sieve,
  Storage,
  Towers,
};

/** Prints like SOM's `Object>>#error:` (an empty line, then `ERROR: ...`) and exits with 1. */
function fail(message) {
  process.stdout.write(`\nERROR: ${message}\n`, () => process.exit(1));
}

function ticks() {
  return process.hrtime.bigint() / 1000n;
}

function run(name, numIterations, innerIterations) {
  const BenchmarkClass = BENCHMARKS[name];
  if (BenchmarkClass === undefined) return fail(`Failed loading benchmark: ${name}`);
  const print = (line) => process.stdout.write(`${line}\n`);
  print(`Starting ${name} benchmark ... `);
  const bench = new BenchmarkClass();
  let total = 0n;
  for (let i = 0; i < numIterations; i++) {
    const start = ticks();
    let verified;
    try {
      verified = bench.innerBenchmarkLoop(innerIterations);
    } catch (e) {
      return fail(e instanceof Error ? e.message : String(e));
    }
    if (!verified) return fail('Benchmark failed with incorrect result');
    const runTime = ticks() - start;
    print(`${name}: GC count:     0n`);
    print(`${name}: GC time:      0ms`);
    print(`${name}: Allocated:    0bytes`);
    print(`${name}: Compile time: 0ms`);
    print(`${name}: iterations=1 runtime: ${runTime}us`);
    total += runTime;
  }
  print(`${name}: iterations=${numIterations} average: ${total / BigInt(numIterations)}us total: ${total}us\n`);
  print('');
  print(`Total Runtime: ${total}us`);
}

const [name, outer = '1', inner = '1'] = process.argv.slice(2);
const numIterations = Number(outer);
const innerIterations = Number(inner);
if (name === undefined || !Number.isInteger(numIterations) || !Number.isInteger(innerIterations)) {
  console.log('Usage: node benchmarks/native/harness.mjs <Benchmark> [numIterations [innerIterations]]');
  process.exit(1);
}
run(name, numIterations, innerIterations);

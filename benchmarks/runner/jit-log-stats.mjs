#!/usr/bin/env node
// Summarises tier-1 compile cost from one or more --jit-log files (JSON lines):
// compilations, and the median and 95th percentile of compile time per method and per
// bytecode (code unit). Usage: node benchmarks/runner/jit-log-stats.mjs LOG.jsonl...
import { readFileSync } from 'node:fs';

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

const compiles = process.argv
  .slice(2)
  .flatMap((file) => readFileSync(file, 'utf8').trim().split('\n'))
  .map((line) => JSON.parse(line))
  .filter((e) => e.event === 'tier1-compile');
if (compiles.length === 0) {
  console.log('no tier1-compile events');
  process.exit(0);
}
const perMethod = compiles.map((e) => e.compileMicros).sort((a, b) => a - b);
const perBytecode = compiles.map((e) => e.compileMicros / Math.max(1, e.bytecodes)).sort((a, b) => a - b);
const total = perMethod.reduce((a, b) => a + b, 0);
console.log(`tier-1 compilations: ${compiles.length}, total ${(total / 1000).toFixed(1)} ms`);
console.log(`per method:   median ${percentile(perMethod, 50).toFixed(0)} us, p95 ${percentile(perMethod, 95).toFixed(0)} us`);
console.log(`per bytecode: median ${percentile(perBytecode, 50).toFixed(2)} us, p95 ${percentile(perBytecode, 95).toFixed(2)} us`);

/**
 * The tier-2 backend's speed figures (issue #9), as a script rather than a test (timings are
 * reported, never asserted): compile cost per trace and per IR operation (compile-cost.ts), and
 * typical loops against plain JavaScript (loops.ts). Prints a summary and writes
 * benchmarks/results/tier2-backend.json with the machine and commit it ran on.
 *
 *   npm run bench:tier2 [-- --quick]     (--quick: fewer iterations, for a smoke run)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFakeHeap } from '../../test/ir/fake-heap.ts';
import { gitInfo, hostInfo } from '../runner/provenance.ts';
import { type CostSummary, measureCompileCost } from './compile-cost.ts';
import { type LoopTiming, measureLoops } from './loops.ts';

const RESULTS_FILE = 'benchmarks/results/tier2-backend.json';

function printCost(cost: readonly CostSummary[]): void {
  console.log('compile cost (optimize + emit + new Function), microseconds');
  for (const c of cost) {
    const phases = c.perOpUsByPhase;
    console.log(
      `  ~${c.targetOps} ops (median ${c.medianOps}, ${c.traces} traces): per op median ${c.perOpUs.median} p95 ${c.perOpUs.p95}` +
        ` | per trace median ${c.perTraceUs.median} p95 ${c.perTraceUs.p95}` +
        ` | per op median: optimize ${phases.optimize.median}, emit ${phases.emit.median}, new Function ${phases.newFunction.median}`,
    );
  }
}

function printLoops(loops: readonly LoopTiming[]): void {
  console.log('loops, CPU ms per run, median (min): trace after optimize / unoptimised trace / plain JS');
  for (const l of loops) {
    console.log(
      `  ${l.loop.padEnd(20)} ${l.traceMs} (${l.minTraceMs}) / ${l.unoptimisedTraceMs} (${l.minUnoptimisedTraceMs})` +
        ` / ${l.plainJsMs} (${l.minPlainJsMs})  -> ${l.traceOverPlain}x plain JS (min ${l.minTraceOverPlain}x;` +
        ` unoptimised ${l.unoptimisedOverPlain}x); ops ${l.opsBefore} -> ${l.opsAfter}`,
    );
  }
}

export function main(args: readonly string[], root: string): number {
  const quick = args.includes('--quick');
  const fake = makeFakeHeap();
  const compileCost = measureCompileCost(fake);
  printCost(compileCost);
  const iterations = quick ? 1_000_000 : 20_000_000;
  const loops = measureLoops(fake, iterations, quick ? 3 : 9);
  printLoops(loops);
  const results = {
    what: 'tier-2 backend: compile cost and loop speed',
    host: hostInfo(),
    git: gitInfo(root),
    args,
    compileCost,
    loops,
  };
  mkdirSync(join(root, 'benchmarks/results'), { recursive: true });
  writeFileSync(join(root, RESULTS_FILE), JSON.stringify(results, null, 2) + '\n');
  console.log(`wrote ${RESULTS_FILE}`);
  return 0;
}

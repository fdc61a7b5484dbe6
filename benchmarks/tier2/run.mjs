#!/usr/bin/env node
/**
 * Entry point of the tier-2 backend benchmark (`npm run bench:tier2`). The script is written in
 * TypeScript (benchmarks/tier2/*.ts); this bundles it with esbuild into node_modules/.cache,
 * leaving the npm packages external, and runs it from the repository root, as the benchmark
 * runner does (benchmarks/runner/run.mjs).
 *
 *   node benchmarks/tier2/run.mjs [--quick]
 */
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outfile = join(root, 'node_modules/.cache/som-bench/tier2.mjs');

await build({
  entryPoints: [join(root, 'benchmarks/tier2/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});

const { main } = await import(pathToFileURL(outfile).href);
process.exitCode = main(process.argv.slice(2), root);

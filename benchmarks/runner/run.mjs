#!/usr/bin/env node
/**
 * Entry point of the benchmark runner (`npm run bench`). The runner is written in TypeScript
 * (benchmarks/runner/*.ts); this script bundles it with esbuild into node_modules/.cache,
 * leaving the npm packages external, and runs it from the repository root.
 *
 *   node benchmarks/runner/run.mjs --help
 */
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outfile = join(root, 'node_modules/.cache/som-bench/runner.mjs');

await build({
  entryPoints: [join(root, 'benchmarks/runner/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});

const { main } = await import(pathToFileURL(outfile).href);
process.exitCode = await main(process.argv.slice(2), root);

#!/usr/bin/env node
/**
 * Runs one of the benchmark scripts written in TypeScript (`npm run bench:tier2`,
 * `npm run bench:startup`): bundles the entry module with esbuild into node_modules/.cache,
 * leaving the npm packages external, and calls its `main(args, root)` from the repository root,
 * as the benchmark runner does (benchmarks/runner/run.mjs).
 *
 *   node benchmarks/run-script.mjs benchmarks/tier2/main.ts [--quick]
 *   node benchmarks/run-script.mjs benchmarks/startup/main.ts [--runs N]
 */
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { basename, join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const [entry, ...args] = process.argv.slice(2);
if (entry === undefined || !entry.endsWith('.ts')) {
  process.stderr.write('usage: node benchmarks/run-script.mjs <benchmarks/.../main.ts> [args...]\n');
  process.exit(2);
}
const outfile = join(root, 'node_modules/.cache/som-bench', `${basename(join(entry, '..'))}.mjs`);

await build({
  entryPoints: [join(root, entry)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});

const { main } = await import(pathToFileURL(outfile).href);
process.exitCode = await main(args, root);

#!/usr/bin/env node
/**
 * Runs a benchmark program written in TypeScript: bundles its entry module with esbuild into
 * node_modules/.cache, leaving the npm packages external, and calls its `main(args, root)` from
 * the repository root. The runner (benchmarks/runner/run.mjs) and the scripts behind
 * `npm run bench:tier2` and `npm run bench:startup` all start this way.
 *
 *   node benchmarks/run-script.mjs benchmarks/tier2/main.ts [--quick]
 *   node benchmarks/run-script.mjs benchmarks/startup/main.ts [--runs N]
 */
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { basename, dirname, join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Bundles `entry` (repo-relative .ts) and runs its `main` with `args`; answers the exit status. */
export async function runScript(entry, args) {
  const outfile = join(root, 'node_modules/.cache/som-bench', `${basename(dirname(entry))}.mjs`);
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
  return main(args, root);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [entry, ...args] = process.argv.slice(2);
  if (entry === undefined || !entry.endsWith('.ts')) {
    process.stderr.write('usage: node benchmarks/run-script.mjs <benchmarks/.../main.ts> [args...]\n');
    process.exit(2);
  }
  process.exitCode = await runScript(entry, args);
}

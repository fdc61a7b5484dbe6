#!/usr/bin/env node
/**
 * Entry point of the benchmark runner (`npm run bench`). The runner is written in TypeScript
 * (benchmarks/runner/*.ts); benchmarks/run-script.mjs bundles it and runs it from the
 * repository root.
 *
 *   node benchmarks/runner/run.mjs --help
 */
import { runScript } from '../run-script.mjs';

process.exitCode = await runScript('benchmarks/runner/main.ts', process.argv.slice(2));

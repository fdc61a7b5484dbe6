#!/usr/bin/env node
/**
 * Entry point of the warm-up experiment (`npm run experiment`, issue #11). The experiment is
 * written in TypeScript (benchmarks/experiment/*.ts); benchmarks/run-script.mjs bundles it and
 * runs it from the repository root.
 *
 *   node benchmarks/experiment/run.mjs --help
 */
import { runScript } from '../run-script.mjs';

process.exitCode = await runScript('benchmarks/experiment/main.ts', process.argv.slice(2));

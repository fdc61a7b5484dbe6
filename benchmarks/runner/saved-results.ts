/**
 * Results files meant to be committed: `--save <name>` writes the finished results file to
 * benchmarks/results/<name>.json, from where `--render` turns it into the README's table.
 * A name is one path segment, so a file can only land in that directory.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeResults, type ResultsFile } from './results.ts';

/** The directory of committed results files, relative to the repository root. */
export const SAVED_RESULTS_DIR = 'benchmarks/results';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The repository-relative path of the saved results file `name`; throws on a name that is no plain file name. */
export function savedResultsPath(name: string): string {
  const stem = name.endsWith('.json') ? name.slice(0, -'.json'.length) : name;
  if (!NAME.test(stem)) {
    throw new Error(`--save: '${name}' is not a plain file name (letters, digits, '.', '_' and '-'; no '/')`);
  }
  return `${SAVED_RESULTS_DIR}/${stem}.json`;
}

/** Writes `results` to `path` (from savedResultsPath) under `root`, creating the directory. */
export async function saveResults(root: string, path: string, results: ResultsFile): Promise<void> {
  await mkdir(join(root, SAVED_RESULTS_DIR), { recursive: true });
  await writeResults(join(root, path), results);
}

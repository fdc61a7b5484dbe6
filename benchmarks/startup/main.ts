/**
 * Start-up time of the `som` command against `node -e ""` (issue #8): both commands run as
 * fresh processes, alternating, so that the machine's drift affects them alike; the figure is
 * the ratio of the median wall times. Writes benchmarks/results/startup.json with every
 * sample, the machine and the commit, which the README's start-up sentence quotes.
 *
 *   npm run bench:startup [-- --runs N]      (default 25 runs of each command)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitInfo, hostInfo } from '../runner/provenance.ts';
import { median } from '../runner/statistics.ts';

const RESULTS_FILE = 'benchmarks/results/startup.json';

/** The commands compared, as argv arrays run from the repository root. */
const COMMANDS = {
  node: [process.execPath, '-e', ''],
  som: [process.execPath, 'bin/som.mjs', '-cp', 'Smalltalk', 'examples/Hello.som'],
} as const;

type CommandName = keyof typeof COMMANDS;

/** Wall time of one run of `name` in milliseconds; throws if the command fails. */
function timeOnce(name: CommandName, root: string): number {
  const [file, ...args] = COMMANDS[name];
  const start = process.hrtime.bigint();
  const result = spawnSync(file, args, { cwd: root, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${name} exited with ${result.status}: ${result.stderr}`);
  return ms;
}

function runsFrom(args: readonly string[]): number {
  const i = args.indexOf('--runs');
  const runs = i < 0 ? 25 : Number(args[i + 1]);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a positive integer');
  return runs;
}

export function main(args: readonly string[], root: string): number {
  const runs = runsFrom(args);
  const samples: Record<CommandName, number[]> = { node: [], som: [] };
  for (let i = 0; i < runs; i++) {
    for (const name of Object.keys(COMMANDS) as CommandName[]) samples[name].push(timeOnce(name, root));
  }
  const medians = { node: median(samples.node), som: median(samples.som) };
  const ratio = medians.som / medians.node;
  console.log(`median wall time over ${runs} alternating runs: node -e "" ${medians.node.toFixed(1)} ms,`);
  console.log(`som Hello.som ${medians.som.toFixed(1)} ms: ${ratio.toFixed(2)}x`);
  const results = {
    what: 'start-up: som Hello.som against node -e ""',
    date: new Date().toISOString(),
    host: hostInfo(),
    git: gitInfo(root),
    commands: COMMANDS,
    runs,
    samplesMs: samples,
    medianMs: medians,
    ratio,
  };
  mkdirSync(join(root, 'benchmarks/results'), { recursive: true });
  writeFileSync(join(root, RESULTS_FILE), JSON.stringify(results, null, 2) + '\n');
  console.log(`wrote ${RESULTS_FILE}`);
  return 0;
}

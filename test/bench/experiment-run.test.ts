/**
 * The warm-up experiment end to end (benchmarks/experiment/main.ts), kept tiny: Bounce at its
 * smallest size, two iterations, one process per mode, then a run that cannot verify. Checks
 * the files written and that a failed verification makes the exit status non-zero and is
 * shown; the figures themselves are the other experiment tests' business (and timings are
 * never asserted). Needs the built VM (npm test builds first).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../benchmarks/experiment/main.ts';
import { readExperimentResults, writeExperimentResults } from '../../benchmarks/experiment/results.ts';
import { fixtureResults } from './experiment-fixture.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the experiment with the terminal output captured; answers the exit status and the output. */
async function experiment(argv: string[]): Promise<{ status: number; output: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  try {
    return { status: await main(argv, ROOT), output: lines.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('npm run experiment', () => {
  afterEach(() => vi.restoreAllMocks());

  it('runs, verifies and writes results.json, report.md and the plots', { timeout: 60_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'som-experiment-'));
    const { status, output } = await experiment([
      '--quick',
      '--benchmarks',
      'Bounce',
      '--iterations',
      '2',
      '--invocations',
      '1',
      '--out',
      out,
    ]);
    expect(output).toContain('4 runs verified, 0 failed.');
    expect(status).toBe(0);
    const results = await readExperimentResults(join(out, 'results.json'));
    expect(results.runs.map((r) => [r.config, r.verified, r.iterationsUs.length])).toEqual([
      ['interp', true, 2],
      ['tier1', true, 2],
      ['tier2', true, 2],
      ['multi', true, 2],
    ]);
    expect(results.analysis?.comparisons.map((c) => c.candidate)).toEqual(['multi']);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('## multi against tier2');
    expect(report).toContain('| Bounce (1 × 2) |');
    for (const plot of ['Bounce', 'summary'])
      expect(readFileSync(join(out, 'plots', `${plot}.svg`), 'utf8')).toMatch(/^<svg/);
  });

  it('exits with 1 and shows the run when a benchmark fails to verify', { timeout: 60_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'som-experiment-'));
    // Mandelbrot knows no result for size 2, so the harness reports a failure
    const argv = [
      '--benchmarks',
      'Mandelbrot',
      '--inner',
      '2',
      '--iterations',
      '1',
      '--invocations',
      '1',
      '--modes',
      'interp',
    ];
    const { status, output } = await experiment([...argv, '--out', out]);
    expect(status).toBe(1);
    expect(output).toContain('0 runs verified, 1 failed.');
    expect(output).toContain('FAILED Mandelbrot interp #1:');
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('### Mandelbrot, interp, invocation 1 (inner 2)');
  });

  it('writes the report and plots of a results file with --render and --report', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'som-experiment-'));
    const file = join(dir, 'warmup.json');
    await writeExperimentResults(file, fixtureResults());
    const { status, output } = await experiment(['--render', file, '--report', join(dir, 'report')]);
    expect(status).toBe(0);
    // The README table on the terminal, as --render alone prints it.
    expect(output).toContain('| Bounce (1 × 12) | 450 | 550 |');
    const report = readFileSync(join(dir, 'report', 'report.md'), 'utf8');
    expect(report).toContain('## multi against tier2');
    expect(report).toContain('| Bounce (1 × 12) | 450 | 550 |');
    for (const plot of ['Bounce', 'summary'])
      expect(readFileSync(join(dir, 'report', 'plots', `${plot}.svg`), 'utf8')).toMatch(/^<svg/);
    expect((await experiment(['--report', dir])).output).toBe('experiment: --report needs --render <file>');
  });

  it('answers 2 and a message for bad options, without a stack trace', async () => {
    const { status, output } = await experiment(['--sweep', 'bogus=1']);
    expect(status).toBe(2);
    expect(output).toMatch(/^experiment: --sweep: unknown JIT parameter 'bogus' \(known: tier1Threshold, [^\n]*\)$/);
  });
});

/**
 * The warm-up experiment's command line (benchmarks/experiment/options.ts and configs.ts):
 * the default plan, --quick, explicit counts winning over both, sweeps turned into named multi
 * variants with their flags, VM options passed to every configuration, and bad input rejected
 * with a message rather than a stack trace.
 */
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseExperimentPlan } from '../../benchmarks/experiment/options.ts';

const names = (plan: ReturnType<typeof parseExperimentPlan>) => plan.benchmarks.map((b) => b.spec.name);

/** Runs `parse` with commander's error output silenced; answers what it threw. */
function thrownBy(argv: string[]): unknown {
  const write = process.stderr.write;
  process.stderr.write = () => true;
  try {
    parseExperimentPlan(argv);
    return undefined;
  } catch (e) {
    return e;
  } finally {
    process.stderr.write = write;
  }
}

describe('experiment options', () => {
  it('runs the AWFY benchmarks but Havlak and Phases in four modes, three processes each, by default', () => {
    const plan = parseExperimentPlan([]);
    expect(names(plan)).toEqual([
      'Bounce',
      'List',
      'Mandelbrot',
      'NBody',
      'Permute',
      'Queens',
      'Sieve',
      'Storage',
      'Towers',
      'CD',
      'DeltaBlue',
      'Json',
      'Richards',
      'Phases',
    ]);
    expect(plan.configs.map((c) => c.name)).toEqual(['interp', 'tier1', 'tier2', 'multi']);
    expect(plan.settings.invocations).toBe(3);
    expect(plan.benchmarks.find((b) => b.spec.name === 'Bounce')).toMatchObject({ inner: 50, iterations: 50 });
    expect(plan.benchmarks.find((b) => b.spec.name === 'NBody')).toMatchObject({ inner: 250000, iterations: 5 });
    expect(plan.outDir).toBe('experiment-results');
    expect(plan.savePath).toBeNull();
  });

  it('--quick takes the smallest verifiable sizes, ten iterations and two processes', () => {
    const plan = parseExperimentPlan(['--quick', '--benchmarks', 'Mandelbrot,CD']);
    expect(plan.benchmarks.map((b) => [b.spec.name, b.inner, b.iterations])).toEqual([
      ['Mandelbrot', 1, 10],
      ['CD', 2, 10],
    ]);
    expect(plan.settings).toMatchObject({ quick: true, invocations: 2 });
  });

  it('lets explicit counts win over --quick and the per-benchmark sizes', () => {
    const plan = parseExperimentPlan(['--quick', '--invocations', '4', '--iterations', '7', '--inner', '3']);
    expect(plan.settings.invocations).toBe(4);
    expect(new Set(plan.benchmarks.map((b) => `${b.inner}×${b.iterations}`))).toEqual(new Set(['3×7']));
  });

  it('adds a multi variant per combination of swept values, with the common VM options first', () => {
    const plan = parseExperimentPlan([
      '--modes',
      'tier2,multi',
      '--vm-options',
      ' --max-traces  1000 ',
      '--sweep',
      'tier2Threshold=50,200',
      '--sweep',
      'tier1-threshold=1',
    ]);
    expect(plan.configs).toEqual([
      { name: 'tier2', mode: 'tier2', vmOptions: ['--max-traces', '1000'] },
      { name: 'multi', mode: 'multi', vmOptions: ['--max-traces', '1000'] },
      {
        name: 'multi[tier2Threshold=50,tier1Threshold=1]',
        mode: 'multi',
        vmOptions: ['--max-traces', '1000', '--tier2-threshold', '50', '--tier1-threshold', '1'],
      },
      {
        name: 'multi[tier2Threshold=200,tier1Threshold=1]',
        mode: 'multi',
        vmOptions: ['--max-traces', '1000', '--tier2-threshold', '200', '--tier1-threshold', '1'],
      },
    ]);
  });

  it('reads --save, --render and --write-readme', () => {
    expect(parseExperimentPlan(['--save', 'warmup-2core']).savePath).toBe('benchmarks/results/warmup-2core.json');
    expect(parseExperimentPlan(['--render', 'x.json', '--write-readme'])).toMatchObject({
      render: 'x.json',
      writeReadme: true,
    });
  });

  it('rejects bad input with a message', () => {
    const messageOf = (argv: string[]) => {
      const e = thrownBy(argv);
      return e instanceof Error ? e.message : `no Error but ${String(e)}`;
    };
    expect(messageOf(['--sweep', 'noSuchParam=1'])).toContain("unknown JIT parameter 'noSuchParam'");
    expect(messageOf(['--sweep', 'tier2Threshold=fifty'])).toContain('expected param=value');
    expect(messageOf(['--modes', 'tier3'])).toContain('unknown or unavailable mode tier3');
    expect(messageOf(['--benchmarks', 'Nope'])).toContain("unknown benchmark 'Nope'");
    expect(messageOf(['--write-readme'])).toBe('--write-readme needs --render <file>');
    expect(thrownBy(['--render', 'x.json', '--quick'])).toBeInstanceOf(CommanderError);
    expect(thrownBy(['--invocations', '0'])).toBeInstanceOf(CommanderError);
    expect(thrownBy(['--save', '../elsewhere'])).toBeInstanceOf(Error);
  });
});

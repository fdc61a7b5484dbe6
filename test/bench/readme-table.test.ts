/**
 * The README's benchmark table (benchmarks/runner/readme-table.ts) rendered from a small
 * hand-written results file. Every expected figure below is worked out by hand in the
 * comments (steady state = median of the last half of the iterations; several invocations
 * combined by the median of each iteration), not computed by the code under test. Also the
 * rewriting of README.md between the marker comments.
 */
import { describe, expect, it } from 'vitest';
import type { RunnerMode } from '../../benchmarks/runner/modes.ts';
import { TABLE_BEGIN, TABLE_END, renderReadmeTable, replaceMarkedTable } from '../../benchmarks/runner/readme-table.ts';
import type { ResultsFile, RunRecord } from '../../benchmarks/runner/results.ts';

function run(benchmark: string, mode: RunnerMode, invocation: number, iterationsUs: number[], inner = 7): RunRecord {
  return {
    benchmark,
    mode,
    invocation,
    outer: iterationsUs.length,
    inner,
    exitCode: 0,
    verified: true,
    iterationsUs,
    failure: null,
  };
}

const FIXTURE: ResultsFile = {
  schema: 2,
  startedAt: '2024-05-01T10:00:12.345Z',
  finishedAt: '2024-05-01T11:30:00.000Z',
  host: {
    node: 'v20.11.0',
    platform: 'linux',
    arch: 'x64',
    cpu: 'Test CPU @ 2.00GHz',
    cpus: 2,
    memoryBytes: 8 * 1024 ** 3,
  },
  git: { commit: 'abc1234', dirty: true, changedPaths: ['README.md'] },
  command: ['node', 'benchmarks/runner/run.mjs', '--invocations', '2', '--save', 'fixture'],
  settings: {
    benchmarks: ['A', 'B', 'C'],
    invocations: 2,
    iterations: null,
    inner: null,
    quick: false,
    timeoutSeconds: 60,
  },
  modes: ['interp', 'tier1', 'native'],
  notes: ['native: no JavaScript version of C'],
  runs: [
    // A: both invocations alike. interp first 40 ms, steady median(21, 19, 20) = 20 ms;
    // tier1 first 30 ms, steady median(11, 9, 10) = 10 ms; native steady median(0.4, 0.6, 0.5) = 0.5 ms.
    ...[1, 2].flatMap((i) => [
      run('A', 'interp', i, [40000, 30000, 20000, 21000, 19000, 20000], 150),
      run('A', 'tier1', i, [30000, 10000, 10000, 11000, 9000, 10000], 150),
      run('A', 'native', i, [2000, 500, 500, 400, 600, 500], 150),
    ]),
    // B interp combined: [median(8, 10), 6, 5, median(5, 6)] = [9, 6, 5, 5.5] ms: first 9, steady 5.25.
    run('B', 'interp', 1, [8000, 6000, 5000, 5000]),
    run('B', 'interp', 2, [10000, 6000, 5000, 6000]),
    // B tier1 combined: [4, 2.5, 2.5, 2.5] ms: first 4, steady 2.5.
    run('B', 'tier1', 1, [4000, 2000, 2000, 2000]),
    run('B', 'tier1', 2, [4000, 3000, 3000, 3000]),
    // B native: the second invocation failed and is left out, so steady is 0.25 ms.
    run('B', 'native', 1, [1000, 250, 250, 250]),
    { ...run('B', 'native', 2, [1000]), exitCode: 1, verified: false, failure: 'exit status 1' },
    // C: no native version. interp first 3, steady 1; tier1 first 2, steady 0.5.
    ...[1, 2].flatMap((i) => [run('C', 'interp', i, [3000, 1000], 20), run('C', 'tier1', i, [2000, 500], 20)]),
  ],
};

// Ratios of steady states:
//   A: interp ÷ native 20 / 0.5 = 40;  tier1 ÷ native 10 / 0.5 = 20;  interp ÷ tier1 20 / 10 = 2
//   B: 5.25 / 0.25 = 21;               2.5 / 0.25 = 10;               5.25 / 2.5 = 2.1
//   C: —;                              —;                             1 / 0.5 = 2
// Geometric means: sqrt(40 × 21) = 28.98; sqrt(20 × 10) = 14.14; cbrt(2 × 2.1 × 2) = 2.033.
const EXPECTED_TABLE = [
  '| benchmark (inner × iterations) | interp first | interp steady | tier1 first | tier1 steady | native steady | interp ÷ native | tier1 ÷ native | speed-up of tier1 over interp |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  '| A (150 × 6) | 40.0 | 20.0 | 30.0 | 10.0 | 0.50 | 40.0× | 20.0× | 2.00× |',
  '| B (7 × 4) | 9.00 | 5.25 | 4.00 | 2.50 | 0.25 | 21.0× | 10.0× | 2.10× |',
  '| C (20 × 2) | 3.00 | 1.00 | 2.00 | 0.50 | — | — | — | 2.00× |',
  '| geometric mean |  |  |  |  |  | 29.0× | 14.1× | 2.03× |',
].join('\n');

describe('README benchmark table', () => {
  const rendered = renderReadmeTable(FIXTURE, 'benchmarks/results/fixture.json');
  const paragraphs = rendered.split('\n\n');

  it('derives every cell from the iteration times', () => {
    expect(paragraphs).toContain(EXPECTED_TABLE);
  });

  it('opens with a caption naming the file, the dates, the machine, the commit and the command', () => {
    expect(paragraphs[0]).toBe(
      'From [`benchmarks/results/fixture.json`](benchmarks/results/fixture.json), ' +
        'measured 2024-05-01 10:00 UTC to 2024-05-01 11:30 UTC on Test CPU @ 2.00GHz (2 CPUs, 8.0 GiB), ' +
        'linux/x64, Node v20.11.0, at commit abc1234 plus 1 uncommitted change, ' +
        'by `node benchmarks/runner/run.mjs --invocations 2 --save fixture`.',
    );
    expect(paragraphs[1]).toContain('2 processes per benchmark and mode, combined iteration by iteration');
  });

  it('says which runs failed and what was not run, after the table', () => {
    expect(paragraphs.at(-1)).toBe(
      'Failed to verify, left out: B in native (invocation 2).\nNot run: native: no JavaScript version of C.',
    );
  });

  it('marks a quick run and an unfinished one', () => {
    const quick = renderReadmeTable(
      { ...FIXTURE, finishedAt: null, settings: { ...FIXTURE.settings, quick: true } },
      'q.json',
    );
    expect(quick).toContain('10:00 UTC (unfinished) on');
    expect(quick).toContain('not a measurement');
    expect(rendered).not.toContain('not a measurement');
  });

  it('leaves out ratio columns whose modes were not run', () => {
    const interpOnly = renderReadmeTable(
      { ...FIXTURE, modes: ['interp'], runs: FIXTURE.runs.filter((r) => r.mode === 'interp') },
      'i.json',
    );
    expect(interpOnly).toContain('| benchmark (inner × iterations) | interp first | interp steady |\n');
    expect(interpOnly).toContain('| A (150 × 6) | 40.0 | 20.0 |');
  });
});

describe('README markers', () => {
  const readme = `# Title\n\nBefore.\n\n${TABLE_BEGIN}\nold table\n${TABLE_END}\n\nAfter.\n`;

  it('replaces only what lies between the markers, and again the same way', () => {
    const once = replaceMarkedTable(readme, '| new |');
    expect(once).toBe(`# Title\n\nBefore.\n\n${TABLE_BEGIN}\n\n| new |\n\n${TABLE_END}\n\nAfter.\n`);
    expect(replaceMarkedTable(once, '| new |')).toBe(once);
  });

  it('refuses a document whose markers are missing, repeated or reversed', () => {
    expect(() => replaceMarkedTable('# no markers\n', 'x')).toThrow(/expected one/);
    expect(() => replaceMarkedTable(`${readme}${TABLE_BEGIN}\n`, 'x')).toThrow(/expected one/);
    expect(() => replaceMarkedTable(`${TABLE_END}\n${TABLE_BEGIN}\n`, 'x')).toThrow(/expected one/);
  });
});

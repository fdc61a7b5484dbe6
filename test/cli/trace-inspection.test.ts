/**
 * Inspecting tier 2 from the command line, on a real program (the Sieve benchmark through its
 * harness): `--jit-log` records the life of each trace (start, compile, abort, blacklist, and
 * its entries and exits at the end), `--dump-traces DIR` writes one readable file per trace,
 * and `--trace-limit` / `--max-traces` reach the runtime. Spawns `node bin/som.mjs` (built by
 * `npm test`), as a user would.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOM_CLASSPATH, SOM_HARNESS } from '../../benchmarks/runner/suite.ts';
import { type CliRun, som } from './som-command.ts';

const TIMEOUT_MS = 120_000;

type Event = Record<string, unknown> & { readonly event: string };

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'som-cli-t2-'));
}

/** Runs the Sieve benchmark (5 inner iterations) in tier2 mode with `options`; checks it verified. */
function sieve(...options: string[]): CliRun {
  const run = som('--mode', 'tier2', ...options, '-cp', SOM_CLASSPATH, SOM_HARNESS, 'Sieve', '1', '5');
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toContain('Sieve: iterations=1 runtime: ');
  return run;
}

function readLog(path: string): Event[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Event);
}

/** The instruction lines of the IR text in `section` (not the header, inputs or snapshots). */
function instructionLines(section: string): string[] {
  return section.split('\n').filter((l) => l.startsWith('  ') && !/^\s+in\s/.test(l) && !/^\s+s\d+\s+snap\b/.test(l));
}

function loggedSieve(...options: string[]): Event[] {
  const log = join(tempDir(), 'jit.jsonl');
  sieve('--jit-log', log, ...options);
  return readLog(log);
}

describe('tier-2 inspection from the command line', { timeout: TIMEOUT_MS }, () => {
  it('logs each trace: its recording, its compilation, and at the end its entries and exits', () => {
    const events = loggedSieve();
    const compiled = events.filter((e) => e.event === 'trace-compile');
    expect(compiled.map((e) => e.method)).toContain('Sieve>>sieve:size:');
    for (const e of compiled) {
      expect(e).toMatchObject({ pc: expect.any(Number), guards: expect.any(Number) });
      for (const key of ['opsRecorded', 'opsOptimized', 'recordMicros', 'optimizeMicros', 'compileMicros']) {
        expect(e[key], key).toEqual(expect.any(Number));
      }
      // The characters of JavaScript V8 was given: at least the function's header.
      expect(Number(e.emittedBytes)).toBeGreaterThan('return function trace0$Sieve(inputs, out, entry) {};'.length);
      // Each compilation follows its recording's start, at the same loop header.
      const before = events.slice(0, events.indexOf(e));
      const start = before.filter((s) => s.event === 'trace-start').pop();
      expect(start).toMatchObject({ method: e.method, pc: e.pc });
    }
    // Every trace reports once, at the end. Each run of it (from the interpreter, or from
    // another trace's jump_trace) left through at most one exit: the others ended in jump_trace.
    const reports = events.filter((e) => e.event === 'trace-exits');
    expect(reports.map((e) => e.trace).sort()).toEqual(compiled.map((e) => e.trace).sort());
    for (const report of reports) {
      const exits = Object.values(report.exits as Record<string, number>);
      expect(exits.reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(Number(report.entries));
    }
    expect(reports.some((e) => Number(e.entries) > 0)).toBe(true);
  });

  it('logs recordings cut short by --trace-limit, and the blacklisting of their loops', () => {
    const events = loggedSieve('--trace-limit', '5', '--tier2-threshold', '2');
    expect(events[0]).toMatchObject({ event: 'start', traceLimit: 5, tier2Threshold: 2 });
    const aborts = events.filter((e) => e.event === 'trace-abort');
    expect(aborts.length).toBeGreaterThan(0);
    for (const abort of aborts) expect(abort.reason).toBe('longer than 5 instructions');
    // (Only loops: a method's entry trace may be shorter than 5 instructions.)
    expect(events.filter((e) => e.event === 'trace-compile' && e.entry !== true)).toEqual([]);
    const blacklisted = events.filter((e) => e.event === 'blacklist');
    expect(blacklisted.map((e) => e.method)).toContain('Sieve>>sieve:size:');
  });

  it('passes --max-traces to the runtime, which then evicts traces', () => {
    const events = loggedSieve('--max-traces', '1');
    expect(events[0]).toMatchObject({ maxTraces: 1 });
    expect(events.filter((e) => e.event === 'evict').length).toBeGreaterThan(0);
  });

  describe('--dump-traces', () => {
    const dir = tempDir();
    const log = join(tempDir(), 'jit.jsonl');
    let files: string[] = [];
    let events: Event[] = [];
    const dumpOf = (trace: Event): string =>
      readFileSync(
        join(
          dir,
          files.find((f) => f.startsWith(`trace${String(trace.trace)}.`))!,
        ),
        'utf8',
      );
    const sieveTrace = (): Event =>
      events.find((e) => e.event === 'trace-compile' && e.method === 'Sieve>>sieve:size:')!;

    it('writes one file per compiled trace and bridge, named after its number, method and pc', () => {
      sieve('--dump-traces', dir, '--jit-log', log);
      events = readLog(log);
      files = readdirSync(dir).sort();
      const compiled = events.filter((e) => e.event === 'trace-compile' || e.event === 'bridge-compile');
      expect(files).toHaveLength(compiled.length);
      const trace = sieveTrace();
      expect(files).toContain(`trace${String(trace.trace)}.Sieve_sieve_size_.pc${String(trace.pc)}.txt`);
    });

    it('holds the IR before and after optimisation, the exits, the JavaScript and the exit counts', () => {
      const trace = sieveTrace();
      const text = dumpOf(trace);
      expect(
        text.startsWith(`trace ${String(trace.trace)}: loop at Sieve>>sieve:size: @${String(trace.pc)} (Sieve.som:`),
      ).toBe(true);
      // (A loop whose bridges were inlined also has its JavaScript as compiled again, after the first.)
      const sections = text
        .split('\n')
        .filter((line) => line.startsWith('== ') && !line.startsWith('== JavaScript, compiled again'));
      expect(sections.map((s) => s.split(/[:(]/)[0]!.trim())).toEqual([
        '== IR as recorded',
        '== IR after optimisation',
        '== side exits',
        '== JavaScript',
        '== entries and exits taken',
      ]);
      const recorded = text.slice(text.indexOf('== IR as recorded'), text.indexOf('== IR after optimisation'));
      expect(instructionLines(recorded)).toHaveLength(Number(trace.opsRecorded));
      // Each exit: its guard, its snapshot, and each frame with its method, pc and source line.
      expect(text).toMatch(
        /\nexit 0: .*->s\d+\n {2}s\d+ +snap \[.*\n {4}Sieve>>sieve:size: @\d+ \(Sieve\.som:\d+\): frame=/,
      );
      expect(text).toContain(
        `return function trace${String(trace.trace)}$Sieve$sieve_size_$pc${String(trace.pc)}(inputs, out, entry) {`,
      );
      const report = events.find((e) => e.event === 'trace-exits' && e.trace === trace.trace)!;
      expect(text).toContain(`entered ${String(report.entries)} times`);
    });

    // The recorder sets each instruction's origin (BytecodeOrigin) before it records a bytecode.
    it('ends each recorded instruction with the SOM method, pc and source line it came from', () => {
      const text = dumpOf(sieveTrace());
      const recorded = text.slice(text.indexOf('== IR as recorded'), text.indexOf('== IR after optimisation'));
      const instructions = instructionLines(recorded);
      expect(instructions.length).toBeGreaterThan(0);
      for (const line of instructions) expect(line).toMatch(/ ; .+ @\d+ \(\w+\.som:\d+\)$/);
    });
  });

  it('rejects a --dump-traces path that is a file', () => {
    const file = join(tempDir(), 'not-a-dir');
    writeFileSync(file, '');
    const run = som('--mode', 'tier2', '--dump-traces', file, '-cp', 'Smalltalk', 'examples/Hello.som');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('is not a directory');
  });

  it('lists the tier-2 options in --help', () => {
    const help = som('--help').stdout;
    for (const option of ['--dump-traces <dir>', '--max-traces <n>', '--trace-limit <n>', '--jit-log <file>']) {
      expect(help).toContain(option);
    }
  });
});

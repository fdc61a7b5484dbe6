/**
 * Tier 1 at run time: compilation through the generated emitters, entering tier 1 in the middle
 * of a running method (OSR at a loop back-edge), the jit log, and dumps that differ from the
 * running code only in comments.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSom } from '../../runtime/vm.ts';
import { defaultParams, type JitParams } from '../../runtime/params.ts';
import type { Mode } from '../../runtime/modes.ts';
import { emitTier1 } from '../../runtime/tier1/tier1-compiler.ts';
import { Universe } from '../../interpreter/universe.ts';

function program(name: string, source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'som-t1-'));
  const file = join(dir, `${name}.som`);
  writeFileSync(file, source);
  return file;
}

interface JitEvent {
  readonly event: string;
  readonly method?: string;
  readonly pc?: number;
  readonly compileMicros?: number;
}

/** Runs the program `source` (class `name`) in `mode` with a jit log; answers output and events. */
function runLogged(name: string, source: string, mode: Mode, params: JitParams = defaultParams()) {
  const log = join(mkdtempSync(join(tmpdir(), 'som-log-')), 'jit.jsonl');
  const result = runSom({
    classpath: ['Smalltalk'],
    args: [program(name, source)],
    tiers: { mode, params, jitLog: log },
  });
  const events = readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as JitEvent);
  return { ...result, events };
}

const LOOP = `Looper = (
    run = ( | sum |
        sum := 0.
        1 to: 1000 do: [ :i | sum := sum + i ].
        sum println.
        [ sum > 0 ] whileTrue: [ sum := sum - 9 ].
        sum println ) )`;

describe('on-stack replacement', () => {
  it('moves a running method into tier 1 at a loop back-edge, with the same result', () => {
    const params = { ...defaultParams(), tier1Threshold: 1_000_000, tier1BackEdgeThreshold: 10 };
    const r = runLogged('Looper', LOOP, 'multi', params);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('500500\n-8\n');
    const events = r.events;
    const osr = events.filter((e) => e.event === 'osr' && e.method === 'Looper>>run');
    expect(osr.length).toBeGreaterThanOrEqual(1);
    expect(events.some((e) => e.event === 'tier1-compile' && e.method === 'Looper>>run')).toBe(true);
  });

  it('gives the interpreter its result when no tier is enabled', () => {
    const r = runLogged('Looper', LOOP, 'interp');
    expect(r.stdout).toBe('500500\n-8\n');
    expect(r.events.filter((e) => e.event !== 'start')).toEqual([]);
  });
});

describe('tier-1 compilation', () => {
  it('compiles every method before its first run in tier1 mode, and logs each compilation', () => {
    const r = runLogged('Looper', LOOP, 'tier1');
    expect(r.stdout).toBe('500500\n-8\n');
    const compiled = r.events.filter((e) => e.event === 'tier1-compile').map((e) => e.method);
    expect(compiled).toContain('Looper>>run');
    expect(compiled).toContain('System>>initialize:');
  });

  it('dumps code that differs from the running code only in comments', () => {
    const u = new Universe({ classpath: ['Smalltalk'], output: { writeOut() {}, writeErr() {} }, maxStackDepth: 100 });
    u.bootstrap();
    const integer = u.resolveClass(u.symbol('Integer'))!;
    for (const m of integer.localInvokables()) {
      if (m.kind !== 'method') continue;
      const running = emitTier1(m, false).text;
      const dumped = emitTier1(m, true).text;
      expect(dumped).not.toBe(running);
      expect(
        dumped
          .split('\n')
          .filter((l) => !l.trim().startsWith('//'))
          .join('\n'),
      ).toBe(running);
    }
  });

  it("writes dumps with each bytecode's disassembly above its code", () => {
    const file = program('Looper', LOOP);
    const dir = mkdtempSync(join(tmpdir(), 'som-dump-'));
    runSom({
      classpath: ['Smalltalk'],
      args: [file],
      tiers: { mode: 'tier1', params: defaultParams(), dumpTier1: dir },
    });
    const name = readdirSync(dir).find((f) => f.startsWith('t1$Looper$run.'))!;
    const text = readFileSync(join(dir, name), 'utf8');
    expect(text).toContain('// Looper>>run');
    expect(text).toMatch(/\/\/\s+\d+\s+\d+\s+TO_DO_TEST/);
    expect(text).toContain('function t1$Looper$run(frame, pc)');
  });

  it('reports tier-1 compile time through system totalCompilationTime', () => {
    const source = 'CompileClock = ( run = ( 1 to: 3 do: [ :i | i asString ]. system totalCompilationTime println ) )';
    const r = runLogged('CompileClock', source, 'tier1');
    // The figure is read while the program runs: at most the total of all compilations, at
    // least those before the last two (CompileClock>>run itself and what it compiles after).
    const micros = r.events.filter((e) => e.event === 'tier1-compile').map((e) => e.compileMicros!);
    const printed = Number(r.stdout.trim());
    expect(micros.length).toBeGreaterThan(3);
    expect(printed).toBeLessThanOrEqual(Math.round(micros.reduce((a, b) => a + b, 0) / 1000));
    expect(printed).toBeGreaterThanOrEqual(Math.round(micros.slice(0, -2).reduce((a, b) => a + b, 0) / 1000) - 1);
  });
});

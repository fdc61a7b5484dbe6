/**
 * End-to-end tests of the `som` command: spawns `node bin/som.mjs` (the bundle that
 * `npm test` builds first with `node build.mjs`) and checks exit statuses, output, argument
 * passing and error reports as a user sees them.
 *
 * CLI syntax (SOM.md 3.10): som [options] [-cp path] ClassName|File.som [args...], options
 * only before the program argument. Whatever goes wrong, the user must never see a
 * JavaScript stack trace (SOM.md 0), so every run here is checked for one.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, som } from './som-command.ts';

const FIXTURES = 'test/cli/fixtures';
const TIMEOUT_MS = 60_000;

describe('som command', { timeout: TIMEOUT_MS }, () => {
  it('is built (npm test runs node build.mjs first)', () => {
    expect(existsSync(`${ROOT}bin/som.mjs`)).toBe(true);
  });

  it('runs examples/Hello.som', () => {
    const run = som('-cp', 'Smalltalk', 'examples/Hello.som');
    expect(run).toEqual({ status: 0, stdout: 'Hello World!\n', stderr: '' });
  });

  it('finds a program class by name on the classpath', () => {
    expect(som('-cp', 'Smalltalk:examples', 'Hello').stdout).toBe('Hello World!\n');
  });

  it('prints usage for --help and exits 0', () => {
    const run = som('--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/usage/i);
    expect(run.stdout).toContain('-cp');
  });

  it('rejects a missing program class with a clear message', () => {
    const run = som('-cp', 'Smalltalk', 'NoSuchProgramClass');
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toContain('NoSuchProgramClass');
  });

  it('rejects a missing program file with a clear message', () => {
    const run = som('-cp', 'Smalltalk', `${FIXTURES}/NoSuchFile.som`);
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toContain('NoSuchFile');
  });

  it('rejects a missing classpath directory with a clear message', () => {
    const run = som('-cp', `Smalltalk:${FIXTURES}/no-such-directory`, 'examples/Hello.som');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('no-such-directory');
  });

  it('fails cleanly without the core library on the classpath', () => {
    const run = som('-cp', FIXTURES, 'examples/Hello.som');
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).not.toBe('');
  });

  it('rejects an unknown option', () => {
    const run = som('-cp', 'Smalltalk', '--no-such-option', 'examples/Hello.som');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('--no-such-option');
  });

  it('passes the arguments after the program to run:, unchanged, options included', () => {
    const run = som(
      '-cp',
      'Smalltalk',
      `${FIXTURES}/CliEcho.som`,
      'a',
      'b c',
      '1.5',
      'x/y.som',
      '-cp',
      '--mode',
      '--help',
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('CliEcho\na\nb c\n1.5\nx/y.som\n-cp\n--mode\n--help\n');
  });

  it('exits with the status given to system exit:, after flushing stdout', () => {
    expect(som('-cp', 'Smalltalk', `${FIXTURES}/CliExit7.som`)).toEqual({ status: 7, stdout: 'bye\n', stderr: '' });
  });

  it('reports a parse error as file:line:col: error: and exits 1', () => {
    const run = som('-cp', 'Smalltalk', `${FIXTURES}/CliParseError.som`);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('CliParseError.som:6:23: error:');
  });

  it('reports a runtime error with a SOM traceback and exits 1', () => {
    const run = som('-cp', 'Smalltalk', `${FIXTURES}/CliRuntimeError.som`);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('started\n');
    expect(run.stderr).toContain('Traceback');
    expect(run.stderr).toContain('outerMethod');
    expect(run.stderr).toContain('innerMethod');
    expect(run.stderr).toContain('Division by zero');
  });

  it('puts the program directory before the -cp entries', () => {
    const run = som('-cp', 'Smalltalk', `${FIXTURES}/shadow/ShadowMain.som`);
    expect(run).toEqual({ status: 0, stdout: 'the Vector beside ShadowMain\n', stderr: '' });
  });

  it('disassembles the methods of a class with --disassemble instead of running it', () => {
    const run = som('-cp', `Smalltalk:${FIXTURES}`, '--disassemble', 'CliExit7');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('CliExit7>>run');
    expect(run.stdout).toContain('println');
    expect(run.stdout).toContain('exit:');
    expect(run.stdout).not.toMatch(/^bye$/m);
  });

  it('runs a program with --mode tier2, tracing its loops from the first back-edge', () => {
    const run = som('-cp', 'Smalltalk', '--mode', 'tier2', '--tier2-threshold', '1', 'examples/Hello.som');
    expect([run.status, run.stdout, run.stderr]).toEqual([0, 'Hello World!\n', '']);
  });

  it('rejects an unknown mode, naming the choices', () => {
    const run = som('-cp', 'Smalltalk', '--mode', 'tier3', 'examples/Hello.som');
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('tier2');
  });

  it('accepts --mode interp', () => {
    expect(som('-cp', 'Smalltalk', '--mode', 'interp', 'examples/Hello.som').stdout).toBe('Hello World!\n');
  });

  it('passes every JIT parameter to the VM, and logs compilations and OSR', () => {
    const log = join(mkdtempSync(join(tmpdir(), 'som-cli-log-')), 'jit.jsonl');
    const run = som(
      '--mode',
      'multi',
      '--tier1-threshold',
      '7',
      '--tier1-backedge-threshold',
      '3',
      '--tier2-threshold',
      '40',
      '--bridge-inline-threshold',
      '9',
      '--megamorphic-methods',
      '6',
      '--jit-log',
      log,
      '-cp',
      'Smalltalk',
      'examples/Hello.som',
    );
    expect(run.stdout).toBe('Hello World!\n');
    const events = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events[0]).toEqual({
      event: 'start',
      mode: 'multi',
      tier1Threshold: 7,
      tier1BackEdgeThreshold: 3,
      tier2Threshold: 40,
      tier2EntryThreshold: 100,
      traceLimit: 2000,
      bridgeThreshold: 20,
      bridgeInlineThreshold: 9,
      megamorphicMethods: 6,
      maxTraces: 500,
      traceBudget: 100,
      traceBudgetBurst: 300,
    });
  });

  it('writes tier-1 dumps with --dump-tier1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'som-cli-dump-'));
    expect(som('--mode', 'tier1', '--dump-tier1', dir, '-cp', 'Smalltalk', 'examples/Hello.som').status).toBe(0);
    const hello = readdirSync(dir).find((f) => f.startsWith('t1$Hello$run.'));
    expect(hello).toBeDefined();
    expect(readFileSync(join(dir, hello!), 'utf8')).toContain('SEND             #println');
  });
});

/**
 * Tests of the `som` command's start-up design (README, "Start-up"): the program runs on the
 * main thread with its output held and moves to the big-stack worker when it must; the VM
 * bundle is loaded with a V8 code cache; the standard library's parsed definitions are stored
 * by the build. Each cache must be used when it belongs to the build, ignored otherwise, and
 * never stand for a changed class file.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, closeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseClass } from '../../interpreter/parser/parser.ts';
import { parserWithStoredClasses, storeParsedClasses } from '../../runtime/startup/parsed-classes.ts';
import { HELD_OUTPUT_LIMIT, HeldOutput, OutputOverflow } from '../../bin/held-output.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LIBRARY = join(ROOT, 'Smalltalk');
const FIXTURES = join(ROOT, 'test/cli/fixtures');
const TIMEOUT_MS = 120_000;

interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the `som` command whose bin/ and dist/ are under `root`. */
function som(root: string, ...args: string[]): CliRun {
  const child = spawnSync('node', [join(root, 'bin/som.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    maxBuffer: 1 << 26,
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** A copy of the built command (bin/ and dist/) to spoil caches in. */
function copyOfCommand(): string {
  const root = mkdtempSync(join(tmpdir(), 'som-startup-'));
  cpSync(join(ROOT, 'bin'), join(root, 'bin'), { recursive: true });
  mkdirSync(join(root, 'dist'));
  for (const file of ['som.cjs', 'som.cjs.codecache', 'library.parsed']) {
    cpSync(join(ROOT, 'dist', file), join(root, 'dist', file));
  }
  return root;
}

/** The build id on the bundle's first line. */
function buildOf(root: string): string {
  const firstLine = readFileSync(join(root, 'dist/som.cjs'), 'utf8').split('\n', 1)[0]!;
  expect(firstLine).toMatch(/^\/\/som-build:[0-9a-f]{16}$/);
  return firstLine.slice('//som-build:'.length);
}

/** Whether V8 rejected the code cache when the bundle under `root` was loaded (undefined: none given). */
function codeCacheRejected(root: string): string {
  const script = `import(${JSON.stringify(join(root, 'bin/load-vm.mjs'))}).then((m) => console.log(String(m.loadVm().script.cachedDataRejected)))`;
  const child = spawnSync('node', ['-e', script], { encoding: 'utf8', timeout: TIMEOUT_MS });
  expect(child.stderr).toBe('');
  return child.stdout.trim();
}

function expectHello(run: CliRun): void {
  expect(run).toEqual({ status: 0, stdout: 'Hello World!\n', stderr: '' });
}

describe('stored parsed classes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'som-parsed-'));
  const file = join(dir, 'library.parsed');
  storeParsedClasses(LIBRARY, file, 'test-build');
  const parse = parserWithStoredClasses(file, 'test-build');

  it('answers, for every library class, what the parser answers', () => {
    const names = readdirSync(LIBRARY).filter((n) => n.endsWith('.som'));
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) {
      const path = join(LIBRARY, name);
      const source = readFileSync(path, 'utf8');
      expect(parse(source, path)).toEqual(parseClass(source, path));
    }
  });

  it('keeps bigint literals bigints', () => {
    const source = 'Big = ( big = ( ^#(12345678901234567890 -3) ) )';
    const dirWithBig = mkdtempSync(join(tmpdir(), 'som-parsed-big-'));
    writeFileSync(join(dirWithBig, 'Big.som'), source);
    storeParsedClasses(dirWithBig, join(dirWithBig, 'stored'), 'b');
    const def = parserWithStoredClasses(join(dirWithBig, 'stored'), 'b')(source, 'Big.som');
    expect(JSON.stringify(def, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).toContain(
      '"12345678901234567890n"',
    );
    expect(def).toEqual(parseClass(source, 'Big.som'));
  });

  it('parses a source that differs from the stored one, even by one character', () => {
    const source = readFileSync(join(LIBRARY, 'Boolean.som'), 'utf8');
    const changed = source.replace('ifTrue: trueBlock ifFalse: falseBlock', 'ifTrue: t ifFalse: falseBlock');
    expect(changed).not.toBe(source);
    expect(parse(changed, 'Boolean.som')).toEqual(parseClass(changed, 'Boolean.som'));
  });

  it('is the plain parser for another build, a missing file or a damaged one', () => {
    expect(parserWithStoredClasses(file, 'other-build')).toBe(parseClass);
    expect(parserWithStoredClasses(join(dir, 'missing'), 'test-build')).toBe(parseClass);
    writeFileSync(join(dir, 'damaged'), 'not json\n');
    expect(parserWithStoredClasses(join(dir, 'damaged'), 'test-build')).toBe(parseClass);
  });
});

describe('held output', () => {
  it('releases stdout and stderr writes in the order they were made', () => {
    const held = new HeldOutput();
    held.writeOut('a');
    held.writeErr('b');
    held.writeOut('c');
    const seen: string[] = [];
    held.release({ writeOut: (t) => seen.push(`out:${t}`), writeErr: (t) => seen.push(`err:${t}`) });
    expect(seen).toEqual(['out:a', 'err:b', 'out:c']);
  });

  it('stops the run when more than the limit would be held', () => {
    const held = new HeldOutput();
    held.writeOut('x'.repeat(HELD_OUTPUT_LIMIT));
    expect(() => held.writeErr('y')).toThrow(OutputOverflow);
  });
});

describe('som start-up', { timeout: TIMEOUT_MS }, () => {
  it('uses the code cache and the stored library of its own build', () => {
    expect(codeCacheRejected(ROOT)).toBe('false');
    const stored = parserWithStoredClasses(join(ROOT, 'dist/library.parsed'), buildOf(ROOT));
    expect(stored).not.toBe(parseClass);
  });

  it('runs without its caches', () => {
    const root = copyOfCommand();
    writeFileSync(join(root, 'dist/som.cjs.codecache'), '');
    writeFileSync(join(root, 'dist/library.parsed'), '');
    expectHello(som(root, '-cp', LIBRARY, 'examples/Hello.som'));
  });

  it('ignores caches made for another build', () => {
    const root = copyOfCommand();
    const build = buildOf(root);
    const other = build.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    for (const file of ['dist/som.cjs.codecache', 'dist/library.parsed']) {
      const data = readFileSync(join(root, file), 'latin1');
      writeFileSync(join(root, file), data.replace(build, other), 'latin1');
    }
    expect(codeCacheRejected(root)).toBe('undefined');
    expectHello(som(root, '-cp', LIBRARY, 'examples/Hello.som'));
  });

  it('runs with a damaged code cache of its build', () => {
    const root = copyOfCommand();
    writeFileSync(join(root, 'dist/som.cjs.codecache'), `${buildOf(root)}\n${'garbage'.repeat(1000)}`);
    expect(codeCacheRejected(root)).toBe('true');
    expectHello(som(root, '-cp', LIBRARY, 'examples/Hello.som'));
  });

  it('sees a changed library class, not its stored definition', () => {
    const library = mkdtempSync(join(tmpdir(), 'som-library-'));
    cpSync(LIBRARY, library, { recursive: true });
    const object = join(library, 'Object.som');
    const source = readFileSync(object, 'utf8');
    const changed = source.replace(/println = \(\s*self print\./, "println = ( '> ' print. self print.");
    expect(changed).not.toBe(source);
    writeFileSync(object, changed);
    expect(som(ROOT, '-cp', library, 'examples/Hello.som')).toEqual({
      status: 0,
      stdout: '> Hello World!\n',
      stderr: '',
    });
  });

  it('keeps the order of stdout and stderr writes', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'som-order-')), 'out.txt');
    const fd = openSync(file, 'w');
    const child = spawnSync('node', ['bin/som.mjs', '-cp', 'Smalltalk', join(FIXTURES, 'CliOutputOrder.som')], {
      cwd: ROOT,
      stdio: ['ignore', fd, fd],
      timeout: TIMEOUT_MS,
    });
    closeSync(fd);
    expect(child.status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('out1\nerr1\nout2\nerr2out3');
  });

  it('shows the output of a program that moves to the worker exactly once', () => {
    const run = som(ROOT, '-cp', 'Smalltalk', join(FIXTURES, 'CliDeepAfterOutput.som'), '3');
    expect(run).toEqual({ status: 0, stdout: '1\n2\n3\n10000\n', stderr: '' });
  });

  it('moves a program that prints more than it may hold to the worker, output intact', () => {
    const lines = 200_000;
    const expected = `${Array.from({ length: lines }, (_, i) => `${i + 1}\n`).join('')}10000\n`;
    expect(expected.length).toBeGreaterThan(HELD_OUTPUT_LIMIT);
    const run = som(ROOT, '-cp', 'Smalltalk', join(FIXTURES, 'CliDeepAfterOutput.som'), String(lines));
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout === expected).toBe(true);
  });
});

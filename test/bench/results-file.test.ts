/**
 * What a results file records about its run, and where --save puts it: the machine, the git
 * commit and dirty state (on a throw-away repository), the command line, the options, the
 * name check of --save, and that a saved file reads back unchanged while malformed files
 * are refused with a message.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newResults } from '../../benchmarks/runner/main.ts';
import { parsePlan } from '../../benchmarks/runner/options.ts';
import { commandLine, gitInfo, hostInfo, shellLine } from '../../benchmarks/runner/provenance.ts';
import { readResults } from '../../benchmarks/runner/results.ts';
import { saveResults, savedResultsPath } from '../../benchmarks/runner/saved-results.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(os.tmpdir(), 'som-results-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scratchDir(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function git(cwd: string, ...args: string[]): string {
  const identity = ['-c', 'user.name=bench test', '-c', 'user.email=bench@example.invalid'];
  return execFileSync('git', [...identity, ...args], { cwd, encoding: 'utf8' });
}

describe('results file metadata', () => {
  it('records the commit and whether the working tree differs from it', () => {
    const repo = scratchDir('repo');
    git(repo, 'init', '--quiet');
    writeFileSync(join(repo, 'tracked.txt'), 'one\n');
    git(repo, 'add', 'tracked.txt');
    git(repo, 'commit', '--quiet', '-m', 'first');
    const head = git(repo, 'log', '-1', '--format=%H').trim();

    const clean = gitInfo(repo);
    expect(clean.dirty).toBe(false);
    expect(clean.changedPaths).toEqual([]);
    expect(clean.commit).toMatch(/^[0-9a-f]{7,}$/);
    expect(head.startsWith(clean.commit ?? 'none')).toBe(true);

    writeFileSync(join(repo, 'tracked.txt'), 'two\n');
    writeFileSync(join(repo, 'new.txt'), 'new\n');
    const dirty = gitInfo(repo);
    expect(dirty.dirty).toBe(true);
    expect([...dirty.changedPaths].sort()).toEqual(['new.txt', 'tracked.txt']);
  });

  it('records no commit outside a git checkout', () => {
    expect(gitInfo(scratchDir('plain'))).toEqual({ commit: null, dirty: null, changedPaths: [] });
  });

  it('records the machine', () => {
    const host = hostInfo();
    expect(host.cpus).toBe(os.cpus().length);
    expect(host.memoryBytes).toBe(os.totalmem());
    expect(host.node).toBe(process.version);
    expect(host.platform).toBe(process.platform);
  });

  it('records the command line so that it can be pasted into a shell', () => {
    const command = commandLine(ROOT, ['--benchmarks', 'Bounce,Sieve', '--save', 'x']);
    expect(command[0]).toBe('node');
    expect(command.slice(-4)).toEqual(['--benchmarks', 'Bounce,Sieve', '--save', 'x']);
    expect(shellLine(['node', 'run.mjs', '--benchmarks', 'A,B', 'a b', "it's"])).toBe(
      `node run.mjs --benchmarks A,B 'a b' 'it'\\''s'`,
    );
  });

  it('records the options of the run', () => {
    const argv = ['--benchmarks', 'Sieve,Bounce', '--modes', 'interp,native', '--iterations', '3', '--save', 'x'];
    const results = newResults(parsePlan(argv), ['a note'], ROOT, ['node', 'run.mjs', ...argv]);
    expect(results.schema).toBe(2);
    expect(results.settings).toEqual({
      benchmarks: ['Bounce', 'Sieve'], // suite order
      invocations: 1,
      iterations: 3,
      inner: null,
      quick: false,
      timeoutSeconds: 1800,
    });
    expect(results.modes).toEqual(['interp', 'native']);
    expect(results.notes).toEqual(['a note']);
    expect(results.command).toEqual(['node', 'run.mjs', ...argv]);
    expect(new Date(results.startedAt).toISOString()).toBe(results.startedAt);
    expect(results.finishedAt).toBeNull();
  });
});

describe('saved results files', () => {
  it('puts a name into benchmarks/results and refuses names that are paths', () => {
    expect(savedResultsPath('2024-05-laptop')).toBe('benchmarks/results/2024-05-laptop.json');
    expect(savedResultsPath('smoke.json')).toBe('benchmarks/results/smoke.json');
    for (const bad of ['../x', 'a/b', '', '.hidden', 'a b']) {
      expect(() => savedResultsPath(bad), bad).toThrow(/not a plain file name/);
    }
    expect(() => parsePlan(['--save', '../escape'])).toThrow(/not a plain file name/);
  });

  it('writes a file that reads back unchanged', async () => {
    const root = scratchDir('root');
    const results = newResults(parsePlan(['--benchmarks', 'Bounce']), [], ROOT, ['node', 'run.mjs']);
    results.runs.push({
      benchmark: 'Bounce',
      mode: 'interp',
      invocation: 1,
      outer: 2,
      inner: 5,
      exitCode: 0,
      verified: true,
      iterationsUs: [120, 100],
      failure: null,
    });
    results.finishedAt = '2024-05-01T11:00:00.000Z';
    const path = savedResultsPath('round-trip');
    await saveResults(root, path, results);
    const written = join(root, 'benchmarks/results/round-trip.json');
    expect(JSON.parse(readFileSync(written, 'utf8'))).toEqual(results);
    expect(await readResults(written)).toEqual(results);
  });

  it('refuses files that are not results files of this schema, with a message', async () => {
    const dir = scratchDir('bad');
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    await expect(readResults(join(dir, 'missing.json'))).rejects.toThrow(/cannot read/);
    await expect(readResults(file('text.json', 'hello'))).rejects.toThrow(/is not JSON/);
    await expect(readResults(file('old.json', '{"schema":1}'))).rejects.toThrow(/schema is 1/);
    const good = newResults(parsePlan([]), [], ROOT, []);
    const badRun = { ...good, runs: [{ benchmark: 'Bounce', mode: 'interp', inner: 1, verified: true }] };
    await expect(readResults(file('run.json', JSON.stringify(badRun)))).rejects.toThrow(/run 1 lacks/);
  });
});

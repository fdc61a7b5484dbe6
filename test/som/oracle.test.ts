/**
 * Unit tests of the oracle header parser and comparison (test/som/oracle.ts).
 *
 * Every SOM program test trusts this module, and a broken parser (say, one that reads no
 * expected lines) would make all of them pass vacuously. So these tests check that wrong
 * expectations are caught, not only that right ones are accepted.
 */
import { describe, expect, it } from 'vitest';
import { checkRun, expectedStdout, hasHeader, parseOracle, OracleSyntaxError, type Oracle } from './oracle.ts';

const SAMPLE = [
  '"',
  'exit: 3',
  'stdout:',
  '  7',
  '  ',
  '',
  '    indented',
  '  4611686018427387905',
  'stderr:',
  '  Division by zero',
  '"',
  'Sample = ( run = ( ) )',
  '',
].join('\n');

function parse(text: string): Oracle {
  return parseOracle(text, 'Sample.som');
}

describe('parseOracle', () => {
  it('reads exit status, exact stdout lines and stderr substrings', () => {
    const oracle = parse(SAMPLE);
    expect(oracle.exit).toBe(3);
    expect(oracle.stdout).toEqual(['7', '', '', '  indented', '4611686018427387905']);
    expect(oracle.stderr).toEqual(['Division by zero']);
    expect(oracle.cli).toBe(false);
    expect(oracle.classpath).toEqual([]);
    expect(oracle.args).toEqual([]);
  });

  it('reads the optional cli, classpath and args lines', () => {
    const oracle = parse('"\nexit: 0\ncli: true\nclasspath: a/b:c\nargs: x 1.5  y\n"\n');
    expect(oracle.cli).toBe(true);
    expect(oracle.classpath).toEqual(['a/b', 'c']);
    expect(oracle.args).toEqual(['x', '1.5', 'y']);
    expect(oracle.stdout).toEqual([]);
  });

  it('accepts CRLF line ends', () => {
    expect(parse('"\r\nexit: 0\r\nstdout:\r\n  a\r\n"\r\n').stdout).toEqual(['a']);
  });

  it.each([
    ['no opening line', 'exit: 0\n"\n'],
    ['an unclosed header', '"\nexit: 0\nstdout:\n  a\n'],
    ['a missing exit', '"\nstdout:\n  a\n"\n'],
    ['a non-numeric exit', '"\nexit: one\n"\n'],
    ['an unknown key', '"\nexit: 0\nstdot:\n  a\n"\n'],
    ['a duplicate key', '"\nexit: 0\nexit: 1\n"\n'],
    ['a one-space indent', '"\nexit: 0\nstdout:\n a\n"\n'],
    ['a tab indent', '"\nexit: 0\nstdout:\n\ta\n"\n'],
    ['text before any section', '"\nexit: 0\nhello\n"\n'],
    ['a value after stdout:', '"\nexit: 0\nstdout: a\n"\n'],
    ['a bad cli value', '"\nexit: 0\ncli: yes\n"\n'],
  ])('rejects %s', (_what, text) => {
    expect(() => parse(text)).toThrow(OracleSyntaxError);
  });
});

describe('hasHeader', () => {
  it('recognises a header only when the first line is exactly a quote', () => {
    expect(hasHeader(SAMPLE)).toBe(true);
    expect(hasHeader('"A class comment"\nFoo = ()')).toBe(false);
    expect(hasHeader('Foo = ()')).toBe(false);
  });
});

describe('checkRun', () => {
  const oracle = parse(SAMPLE);
  const good = { exitCode: 3, stdout: expectedStdout(oracle), stderr: 'x Division by zero. y' };

  it('passes a run that matches', () => {
    expect(expectedStdout(oracle)).toBe('7\n\n\n  indented\n4611686018427387905\n');
    expect(checkRun(oracle, good)).toEqual([]);
  });

  it('fails a wrong exit status', () => {
    expect(checkRun(oracle, { ...good, exitCode: 0 })).toHaveLength(1);
  });

  it('fails a wrong, missing, extra or unterminated stdout line', () => {
    expect(checkRun(oracle, { ...good, stdout: '7\n\n\n  indented\n4611686018427387904\n' })).toHaveLength(1);
    expect(checkRun(oracle, { ...good, stdout: '7\n\n  indented\n4611686018427387905\n' })).toHaveLength(1);
    expect(checkRun(oracle, { ...good, stdout: `${good.stdout}more\n` })).toHaveLength(1);
    expect(checkRun(oracle, { ...good, stdout: good.stdout.slice(0, -1) })).toHaveLength(1);
  });

  it('fails when a required stderr substring is missing', () => {
    expect(checkRun(oracle, { ...good, stderr: 'Division by Zero' })).toHaveLength(1);
  });

  it('requires empty stdout when there is no stdout section', () => {
    const silent = parse('"\nexit: 0\n"\n');
    expect(checkRun(silent, { exitCode: 0, stdout: '', stderr: '' })).toEqual([]);
    expect(checkRun(silent, { exitCode: 0, stdout: '\n', stderr: '' })).toHaveLength(1);
  });

  it('fails any output holding a JavaScript stack trace', () => {
    const stack = 'Error: boom\n    at Interpreter.send (/work/main/bin/som.mjs:1234:17)\n';
    expect(checkRun(oracle, { ...good, stderr: good.stderr + stack })).toHaveLength(1);
    expect(checkRun(oracle, { ...good, stderr: `${good.stderr}\n  at Foo>>bar (Foo.som line 3)\n` })).toEqual([]);
  });

  it('reports mismatches readably', () => {
    const [problem] = checkRun(oracle, { ...good, stdout: '8\n' });
    expect(problem).toContain('line 1');
    expect(problem).toContain('"7"');
    expect(problem).toContain('"8"');
  });
});

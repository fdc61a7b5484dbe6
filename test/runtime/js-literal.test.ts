/**
 * jsLiteral: the only way a compile-time value becomes source text. Numbers and bigints must
 * stay safe after any operator (negative ones parenthesised, -0 kept), strings escaped so that
 * they hold no raw line terminator (then they are safe even inside a `//` comment), and objects
 * referenced through the constant table, one name per object. jsCommentText keeps comment text
 * on its one line.
 */
import { describe, expect, it } from 'vitest';
import { ConstantTable, jsCommentText, jsLiteral } from '../../runtime/codegen/js-literal.ts';

/** The characters that end a line (and so a `//` comment) in JavaScript. */
const LINE_TERMINATORS = /[\n\r\u2028\u2029]/;

/** Evaluates `body` as a function body of parameter x; parsing happens here too. */
function run(body: string, x?: unknown): unknown {
  return (new Function('x', body) as (x: unknown) => unknown)(x);
}

const TRICKY_STRINGS: readonly [string, string][] = [
  ['double quotes', 'a"b'],
  ['single quotes', "it's"],
  ['backslashes', 'a\\b\\'],
  ['backticks and ${', '`${x}` ${'],
  ['a carriage return', 'a\rb'],
  ['a line feed', 'a\nb'],
  ['U+2028', 'a\u2028b'],
  ['U+2029', 'a\u2029b'],
  ['every line terminator', '\r\n\u2028\u2029'],
  ['a closing comment', '*/ // '],
];

describe('jsLiteral', () => {
  it('writes numbers so that they survive any neighbouring operator', () => {
    const k = new ConstantTable();
    expect(jsLiteral(42, k)).toBe('42');
    expect(jsLiteral(-3, k)).toBe('(-3)');
    expect(jsLiteral(-0, k)).toBe('(-0)');
    // `x - (-3)` and `x - (-0)` evaluate as intended; `x --3` would not parse.
    expect(run(`return x - ${jsLiteral(-3, k)};`, 1)).toBe(4);
    expect(run(`return x-${jsLiteral(-1.5, k)};`, 1)).toBe(2.5);
    expect(Object.is(run(`return ${jsLiteral(-0, k)};`), -0)).toBe(true);
    expect(Object.is(run(`return -${jsLiteral(-0, k)};`), 0)).toBe(true);
  });

  it('parenthesises negative bigints as it does negative numbers', () => {
    const k = new ConstantTable();
    expect(jsLiteral(12345678901234567890n, k)).toBe('12345678901234567890n');
    expect(jsLiteral(-5n, k)).toBe('(-5n)');
    expect(run(`return x - ${jsLiteral(-5n, k)};`, 1n)).toBe(6n);
    expect(run(`return x-${jsLiteral(-(2n ** 70n), k)};`, 0n)).toBe(2n ** 70n);
    expect(run(`return ${jsLiteral(-5n, k)} ** 2n;`)).toBe(25n); // `-5n ** 2n` would not parse
  });

  it('writes booleans, null and undefined as literals', () => {
    const k = new ConstantTable();
    expect(run(`return [${jsLiteral(true, k)}, ${jsLiteral(null, k)}, ${jsLiteral(undefined, k)}];`)).toEqual([
      true,
      null,
      undefined,
    ]);
  });

  it.each(TRICKY_STRINGS)('writes a string with %s as a literal that gives it back', (_what, value) => {
    const text = jsLiteral(value, new ConstantTable());
    expect(text).not.toMatch(LINE_TERMINATORS);
    expect(run(`return ${text};`)).toBe(value);
    expect(run(`return x + ${text};`, '>')).toBe(`>${value}`);
    // No raw line terminator: the literal may even sit in a comment without ending it.
    expect(run(`// ${text}\nreturn 1;`)).toBe(1);
  });

  it('references objects through the constant table, once per object', () => {
    const k = new ConstantTable();
    const a = { name: 'site a' };
    const b = { name: 'site b' };
    expect(jsLiteral(a, k)).toBe('k0');
    expect(jsLiteral(b, k)).toBe('k1');
    expect(jsLiteral(a, k)).toBe('k0');
    expect(k.values).toEqual([a, b]);
    const declarations = k.declarations('K').join('\n');
    expect(run(`const K = x;\n${declarations}\nreturn [k0, k1];`, [a, b])).toEqual([a, b]);
  });
});

describe('jsCommentText', () => {
  it.each(TRICKY_STRINGS)('keeps a comment with %s on one line', (_what, value) => {
    const text = jsCommentText(`#${value} ${JSON.stringify(value)}`);
    expect(text).not.toMatch(LINE_TERMINATORS);
    expect(run(`// ${text}\nreturn 1;`)).toBe(1);
  });

  it('shows each line terminator as its escape', () => {
    expect(jsCommentText('a\rb\nc\u2028d\u2029e')).toBe('a\\rb\\nc\\u2028d\\u2029e');
  });
});

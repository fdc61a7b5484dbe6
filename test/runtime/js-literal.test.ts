/**
 * jsLiteral: the only way a compile-time value becomes source text. Numbers must stay safe
 * after any operator (negative ones parenthesised, -0 kept), strings escaped, and objects
 * referenced through the constant table, one name per object.
 */
import { describe, expect, it } from 'vitest';
import { ConstantTable, jsLiteral } from '../../runtime/codegen/js-literal.ts';

describe('jsLiteral', () => {
  it('writes numbers so that they survive any neighbouring operator', () => {
    const k = new ConstantTable();
    expect(jsLiteral(42, k)).toBe('42');
    expect(jsLiteral(-3, k)).toBe('(-3)');
    expect(jsLiteral(-0, k)).toBe('(-0)');
    // `x - (-3)` and `x - (-0)` evaluate as intended; `x --3` would not parse.
    expect(new Function('x', `return x - ${jsLiteral(-3, k)};`)(1)).toBe(4);
    expect(Object.is(new Function(`return ${jsLiteral(-0, k)};`)(), -0)).toBe(true);
  });

  it('writes bigints, booleans, null and escaped strings as literals', () => {
    const k = new ConstantTable();
    expect(jsLiteral(12345678901234567890n, k)).toBe('12345678901234567890n');
    expect(jsLiteral(true, k)).toBe('true');
    expect(jsLiteral(null, k)).toBe('null');
    const tricky = 'a"b\\c\n`${x}`';
    expect(new Function(`return ${jsLiteral(tricky, k)};`)()).toBe(tricky);
  });

  it('references objects through the constant table, once per object', () => {
    const k = new ConstantTable();
    const a = { name: 'site a' };
    const b = { name: 'site b' };
    expect(jsLiteral(a, k)).toBe('k0');
    expect(jsLiteral(b, k)).toBe('k1');
    expect(jsLiteral(a, k)).toBe('k0');
    expect(k.values).toEqual([a, b]);
  });
});

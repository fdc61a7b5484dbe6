/**
 * Unit tests of the primitives (interpreter/primitives/) against SOM.md §4-§9 and §11.2.
 *
 * The primitive functions are called directly, inside a miniature universe built here: the
 * core classes as bare SomClass objects, a symbol table, a globals table and captured output.
 * A few test classes carry SomPrimitive methods, so that sends made by `perform:`,
 * `invokeOn:with:` and the native loops run without the interpreter. Primitives that need
 * compiled SOM code (block evaluation) are exercised by the SOM-level suite in test/som/.
 *
 * The completeness tests compare the registry with the primitive list of SOM.md §9, written
 * out below as data, and with the `primitive` declarations in Smalltalk/.
 */

import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { SomClass } from '../../interpreter/model/class.ts';
import { CORE_CLASS_NAMES, coreClasses, type CoreClasses } from '../../interpreter/model/core-classes.ts';
import { Frame } from '../../interpreter/model/frame.ts';
import { EMPTY_METHOD_CODE, SomMethod, SomPrimitive, type PrimitiveFn } from '../../interpreter/model/method.ts';
import {
  SomArray,
  SomBigInt,
  SomDouble,
  SomObject,
  SomString,
  SomSymbol,
  type SomValue,
} from '../../interpreter/model/objects.ts';
import { Globals, vm } from '../../interpreter/vm-state.ts';
import { SomRuntimeError, SystemExit } from '../../interpreter/signals.ts';
import { parseClass } from '../../interpreter/parser/parser.ts';
import { NATIVE_OVERRIDES, PRIMITIVES } from '../../interpreter/primitives/registry.ts';

// ---------------------------------------------------------------------------------------------
// SOM.md §9, written out from the spec's tables: one line per class and side, then selectors.

type Side = 'instance' | 'classSide';
const SPEC_TABLE = `
  Object    instance   class objectSize == hashcode inspect halt perform: perform:withArguments:
                       perform:inSuperclass: perform:withArguments:inSuperclass:
                       instVarAt: instVarAt:put: instVarNamed:
  Class     instance   name new superclass fields methods
  Method    instance   signature holder invokeOn:with:
  Primitive instance   signature holder invokeOn:with:
  Block     instance   value restart
  Block1    instance   value
  Block2    instance   value:
  Block3    instance   value:with:
  Integer   instance   + - * / // % rem: & << >>> bitXor: sqrt atRandom = < asString
                       as32BitSignedValue as32BitUnsignedValue asDouble
  Integer   classSide  fromString:
  Double    instance   + - * // % sqrt round asInteger cos sin = < asString
  Double    classSide  PositiveInfinity fromString:
  String    instance   concatenate: asSymbol hashcode length isWhiteSpace isLetters isDigits =
                       primSubstringFrom:to:
  Symbol    instance   asString
  Array     instance   at: at:put: length
  Array     classSide  new:
  System    instance   global: global:put: hasGlobal: loadFile: load: exit: printString: printNewline
                       errorPrintln: errorPrint: printStackTrace time ticks fullGC
`;

/** SPEC_TABLE as `Class side selector` keys; an indented line continues the line above. */
function specKeys(): string[] {
  const keys: string[] = [];
  let cls = '';
  let side: Side = 'instance';
  for (const line of SPEC_TABLE.split('\n').filter((l) => l.trim() !== '')) {
    const words = line.trim().split(/\s+/);
    if (/^ {2}\S/.test(line)) {
      cls = words.shift()!;
      side = words.shift() as Side;
    }
    keys.push(...words.map((selector) => entryKey(cls, side, selector)));
  }
  return keys;
}

function entryKey(cls: string, side: Side, selector: string): string {
  return `${cls} ${side} ${selector}`;
}

function registryKeys(): string[] {
  return Object.entries(PRIMITIVES).flatMap(([cls, prims]) => [
    ...Object.keys(prims.instance).map((s) => entryKey(cls, 'instance', s)),
    ...Object.keys(prims.classSide).map((s) => entryKey(cls, 'classSide', s)),
  ]);
}

/** The `primitive` declarations of the project's core library, read with our parser. */
function smalltalkDeclarations(): string[] {
  const dir = join(import.meta.dirname, '../../Smalltalk');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.som'))
    .flatMap((f) => {
      const def = parseClass(readFileSync(join(dir, f), 'utf8'), f);
      const declared = (side: Side, methods: typeof def.instanceMethods): string[] =>
        methods.filter((m) => m.body.kind === 'primitive').map((m) => entryKey(def.name, side, m.selector));
      return [...declared('instance', def.instanceMethods), ...declared('classSide', def.classMethods)];
    });
}

// ---------------------------------------------------------------------------------------------
// The miniature universe.

const symbolTable = new Map<string, SomSymbol>();
function sym(text: string): SomSymbol {
  let s = symbolTable.get(text);
  if (s === undefined) {
    s = new SomSymbol(text);
    if (coreClasses.symbol !== undefined) s.clazz = coreClasses.symbol;
    symbolTable.set(text, s);
  }
  return s;
}

function makeClass(name: string, superclass: SomClass | null, fieldNames: readonly string[] = []): SomClass {
  const meta = new SomClass(sym(`${name} class`), true, null);
  const cls = new SomClass(sym(name), false, meta);
  cls.superclass = superclass;
  cls.instanceFieldNames = [...(superclass?.instanceFieldNames ?? []), ...fieldNames.map(sym)];
  return cls;
}

function bootstrapCoreClasses(): void {
  const object = makeClass('Object', null);
  const classes: Partial<CoreClasses> = { object };
  for (const [key, name] of Object.entries(CORE_CLASS_NAMES) as [keyof CoreClasses, string][]) {
    if (key !== 'object') classes[key] = makeClass(name, object);
  }
  Object.assign(coreClasses, classes);
  coreClasses.symbol.superclass = coreClasses.string;
  for (const s of symbolTable.values()) s.clazz = coreClasses.symbol;
}

const output = { out: '', err: '' };
let loadRequests: string[] = [];

function bootstrapVm(): void {
  vm.globals = new Globals();
  vm.services = {
    symbol: sym,
    loadClass: (name) => {
      loadRequests.push(name.s);
      return null;
    },
    writeOut: (text) => void (output.out += text),
    writeErr: (text) => void (output.err += text),
    elapsedMicros: () => 2_345_678.9,
  };
  vm.symbols = {
    doesNotUnderstand: sym('doesNotUnderstand:arguments:'),
    unknownGlobal: sym('unknownGlobal:'),
    escapedBlock: sym('escapedBlock:'),
    value: sym('value'),
    run: sym('run'),
    initialize: sym('initialize:'),
  };
  vm.maxStackDepth = 1000;
}

bootstrapCoreClasses();
bootstrapVm();

/** The activation that "sends" every primitive call below. */
const caller = new Frame(
  new SomMethod(sym('test'), coreClasses.object, { ...EMPTY_METHOD_CODE, sourceFile: 'Test.som', line: 1 }),
  null,
  null,
  null,
  null,
);

function primitive(cls: string, selector: string, side: Side = 'instance'): PrimitiveFn {
  const fn = PRIMITIVES[cls]?.[side][selector];
  if (fn === undefined) throw new Error(`no primitive ${cls} ${side} ${selector}`);
  return fn;
}

/** Calls the instance-side primitive `cls>>selector`. */
function call(cls: string, selector: string, rcvr: SomValue, ...args: SomValue[]): SomValue {
  return primitive(cls, selector)(caller, rcvr, ...args);
}

function callClassSide(cls: string, selector: string, ...args: SomValue[]): SomValue {
  return primitive(cls, selector, 'classSide')(caller, null, ...args);
}

/** The message of the SomRuntimeError that `action` throws. */
function fatal(action: () => unknown): string {
  try {
    action();
  } catch (e) {
    if (e instanceof SomRuntimeError) return e.message;
    throw e;
  }
  throw new Error('expected a SomRuntimeError');
}

const str = (s: string): SomString => new SomString(s);
const dbl = (d: number): SomDouble => new SomDouble(d);
const big = (b: bigint): SomBigInt => new SomBigInt(b);

/** An Integer result as a bigint, checking that it is in canonical form. */
function integer(value: SomValue): bigint {
  if (typeof value === 'number') {
    expect(Number.isSafeInteger(value) && !Object.is(value, -0)).toBe(true);
    return BigInt(value);
  }
  expect(value).toBeInstanceOf(SomBigInt);
  const b = (value as SomBigInt).value;
  expect(b > 9007199254740991n || b < -9007199254740991n).toBe(true);
  return b;
}

function double(value: SomValue): number {
  expect(value).toBeInstanceOf(SomDouble);
  return (value as SomDouble).value;
}

function text(value: SomValue): string {
  expect(value).toBeInstanceOf(SomString);
  return (value as SomString).s;
}

/** A test class whose methods are primitives written here. */
function classWith(name: string, methods: Record<string, PrimitiveFn>, fields: readonly string[] = []): SomClass {
  const cls = makeClass(name, coreClasses.object, fields);
  for (const [selector, fn] of Object.entries(methods)) cls.addMethod(new SomPrimitive(sym(selector), cls, fn));
  return cls;
}

beforeEach(() => {
  output.out = '';
  output.err = '';
  loadRequests = [];
});

// ---------------------------------------------------------------------------------------------

describe('registry completeness', () => {
  it('has exactly the 92 primitives of SOM.md §9', () => {
    const spec = specKeys();
    expect(spec).toHaveLength(92);
    expect(registryKeys().sort()).toEqual([...spec].sort());
  });

  it('has exactly the primitives that Smalltalk/ declares', () => {
    expect(registryKeys().sort()).toEqual(smalltalkDeclarations().sort());
  });

  it('overrides only library methods that Smalltalk/ defines in SOM: System compile time', () => {
    const expected: Record<string, string[]> = {
      System: ['totalCompilationTime'],
    };
    expect(Object.keys(NATIVE_OVERRIDES).sort()).toEqual(Object.keys(expected));
    for (const [className, selectors] of Object.entries(expected)) {
      expect(Object.keys(NATIVE_OVERRIDES[className]!.instance).sort()).toEqual(selectors);
      expect(Object.keys(NATIVE_OVERRIDES[className]!.classSide)).toEqual([]);
      const file = join(import.meta.dirname, `../../Smalltalk/${className}.som`);
      const def = parseClass(readFileSync(file, 'utf8'), `${className}.som`);
      const coded = def.instanceMethods.filter((m) => m.body.kind === 'code').map((m) => m.selector);
      expect(coded).toEqual(expect.arrayContaining(selectors));
    }
  });
});

describe('Integer arithmetic (SOM.md §4.1-§4.3)', () => {
  it('promotes to big integers and demotes back to numbers', () => {
    expect(integer(call('Integer', '+', 9007199254740991, 1))).toBe(9007199254740992n);
    expect(call('Integer', '-', big(9007199254740992n), 1)).toBe(9007199254740991);
    expect(integer(call('Integer', '*', 4294967296, 4294967296))).toBe(18446744073709551616n);
    expect(call('Integer', '*', -3, 0)).toBe(0);
    expect(Object.is(call('Integer', '*', -3, 0), -0)).toBe(false);
  });

  it('divides truncating, with floored % and truncated rem:', () => {
    expect(call('Integer', '/', -7, 2)).toBe(-3);
    expect(integer(call('Integer', '/', big(-(10n ** 30n)), 10 ** 15))).toBe(-(10n ** 15n));
    expect(integer(call('Integer', '/', big(10n ** 40n), 10 ** 15))).toBe(10n ** 25n);
    expect(call('Integer', '%', -7, 2)).toBe(1);
    expect(call('Integer', '%', 7, -2)).toBe(-1);
    expect(call('Integer', 'rem:', -7, 2)).toBe(-1);
    expect(call('Integer', 'rem:', 7, -2)).toBe(1);
  });

  it('refuses an Integer zero divisor', () => {
    expect(fatal(() => call('Integer', '/', 7, 0))).toBe('Division by zero.');
    expect(fatal(() => call('Integer', '%', 7, 0))).toBe('Division by zero.');
    expect(fatal(() => call('Integer', 'rem:', 7, 0))).toBe('Division by zero or overflow.');
    expect(fatal(() => call('Integer', '/', 7, dbl(0)))).toBe('Division by zero.');
  });

  it('mixes with Doubles as §4.2 tabulates', () => {
    expect(double(call('Integer', '+', 1, dbl(0.5)))).toBe(1.5);
    expect(double(call('Integer', '*', big(2n ** 60n), dbl(2)))).toBe(2 ** 61);
    expect(call('Integer', '/', 7, dbl(2))).toBe(3);
    expect(call('Integer', '/', -7, dbl(2))).toBe(-3);
    expect(double(call('Integer', '//', 7, 2))).toBe(3.5);
    expect(double(call('Integer', '//', 1, 0))).toBe(Infinity);
    expect(double(call('Integer', '//', 0, 0))).toBeNaN();
    expect(double(call('Integer', '%', -7, dbl(2)))).toBe(-1);
    expect(double(call('Integer', '%', 7, dbl(0)))).toBeNaN();
  });

  it('rejects non-numbers with the §11.2 messages', () => {
    expect(fatal(() => call('Integer', '+', 5, str('x')))).toBe("Expected a numeric type but got type 'String'.");
    expect(fatal(() => call('Integer', '<', 5, null))).toBe("Expected a numeric type but got type 'Nil'.");
    expect(fatal(() => call('Integer', '&', 6, dbl(2.5)))).toBe(
      "Expected object of type 'Integer' but got type 'Double'.",
    );
    expect(fatal(() => call('Integer', 'bitXor:', 6, str('x')))).toBe(
      "Expected object of type 'Integer' but got type 'String'.",
    );
    expect(fatal(() => call('Integer', 'rem:', 6, dbl(2)))).toBe(
      "Expected object of type 'Integer' but got type 'Double'.",
    );
    expect(fatal(() => call('Integer', '+', str('x'), 1))).toBe(
      "Expected instance of 'Integer' but got instance of 'String'.",
    );
  });
});

describe('Integer bits, comparisons and conversions (SOM.md §4.4-§4.6)', () => {
  it('ands, xors and shifts left at any size', () => {
    expect(integer(call('Integer', '&', -1, big(2n ** 70n + 5n)))).toBe(2n ** 70n + 5n);
    expect(call('Integer', 'bitXor:', 12, 10)).toBe(6);
    expect(call('Integer', 'bitXor:', big(2n ** 60n), big(2n ** 60n))).toBe(0);
    expect(integer(call('Integer', '<<', -3, 80))).toBe(-3n * 2n ** 80n);
    expect(call('Integer', '<<', 1, 10)).toBe(1024);
    expect(call('Integer', '<<', 0, big(2n ** 70n))).toBe(0);
  });

  it('refuses negative and huge shifts', () => {
    expect(fatal(() => call('Integer', '<<', 1, -1))).toBe('Negative shift.');
    expect(fatal(() => call('Integer', '>>>', 1, -1))).toBe('Negative shift.');
    expect(fatal(() => call('Integer', '<<', 1, 1 << 30))).toBe('Shift too big.');
    expect(fatal(() => call('Integer', '<<', 1, big(2n ** 70n)))).toBe('Shift too big.');
  });

  it('shifts right logically on 64-bit words, arithmetically beyond', () => {
    expect(integer(call('Integer', '>>>', -2, 1))).toBe(9223372036854775807n);
    expect(call('Integer', '>>>', -8, 0)).toBe(-8);
    expect(call('Integer', '>>>', big(3n << 100n), 100)).toBe(3);
    expect(call('Integer', '>>>', 1024, big(2n ** 70n))).toBe(0);
  });

  it('takes square roots as Integers when integral', () => {
    expect(call('Integer', 'sqrt', 49)).toBe(7);
    expect(integer(call('Integer', 'sqrt', big(1n << 120n)))).toBe(1n << 60n);
    expect(double(call('Integer', 'sqrt', 2))).toBe(1.4142135623730951);
    expect(double(call('Integer', 'sqrt', -4))).toBeNaN();
  });

  it('compares exactly with Integers and Doubles', () => {
    expect(call('Integer', '=', 2, dbl(2))).toBe(true);
    expect(call('Integer', '=', 3, str('a'))).toBe(false);
    expect(call('Integer', '=', big(2n ** 60n), big(2n ** 60n))).toBe(true);
    expect(call('Integer', '=', big(2n ** 53n + 1n), dbl(2 ** 53))).toBe(false);
    expect(call('Integer', '<', 2, dbl(2.5))).toBe(true);
    expect(call('Integer', '<', big(2n ** 53n + 1n), dbl(2 ** 53))).toBe(false);
    expect(call('Integer', '<', 1, dbl(NaN))).toBe(false);
    expect(call('Integer', '<', big(-(2n ** 70n)), 0)).toBe(true);
  });

  it('converts to strings, 32-bit values and doubles', () => {
    expect(text(call('Integer', 'asString', big(-98765432109876543210n)))).toBe('-98765432109876543210');
    expect(call('Integer', 'as32BitSignedValue', 2 ** 31)).toBe(-(2 ** 31));
    expect(call('Integer', 'as32BitSignedValue', big(2n ** 64n + 5n))).toBe(5);
    expect(call('Integer', 'as32BitUnsignedValue', -1)).toBe(4294967295);
    expect(double(call('Integer', 'asDouble', big(2n ** 60n)))).toBe(2 ** 60);
    expect(double(call('Integer', 'asDouble', big(10n ** 400n)))).toBe(Infinity);
  });

  it('answers atRandom within [0, self)', () => {
    for (let i = 0; i < 50; i++) {
      const r = integer(call('Integer', 'atRandom', 10));
      expect(r >= 0n && r < 10n).toBe(true);
      const b = integer(call('Integer', 'atRandom', big(2n ** 80n)));
      expect(b >= 0n && b < 2n ** 80n).toBe(true);
    }
    expect(call('Integer', 'atRandom', 0)).toBe(0);
  });

  it('parses fromString: at any size and refuses other text', () => {
    expect(callClassSide('Integer', 'fromString:', str('-12'))).toBe(-12);
    expect(Object.is(callClassSide('Integer', 'fromString:', str('-0')), 0)).toBe(true);
    expect(callClassSide('Integer', 'fromString:', sym('42'))).toBe(42);
    expect(integer(callClassSide('Integer', 'fromString:', str('123456789012345678901234567890')))).toBe(
      123456789012345678901234567890n,
    );
    expect(fatal(() => callClassSide('Integer', 'fromString:', str('12a')))).toBe(
      "'12a' cannot be converted to an Integer.",
    );
    expect(fatal(() => callClassSide('Integer', 'fromString:', 12))).toBe(
      "Expected instance of 'String' but got instance of 'Integer'.",
    );
  });
});

describe('Double (SOM.md §4.7-§4.9)', () => {
  it('computes in IEEE doubles, mixed with Integers', () => {
    expect(double(call('Double', '+', dbl(1.5), 1))).toBe(2.5);
    expect(double(call('Double', '-', dbl(0.1), dbl(0.3)))).toBe(0.1 - 0.3);
    expect(double(call('Double', '*', dbl(0.5), big(2n ** 60n)))).toBe(2 ** 59);
    expect(double(call('Double', '//', dbl(1), 0))).toBe(Infinity);
    expect(double(call('Double', '%', dbl(-5.5), dbl(2)))).toBe(-1.5);
    expect(double(call('Double', '%', dbl(5.5), dbl(-2)))).toBe(1.5);
    expect(double(call('Double', '%', dbl(1), 0))).toBeNaN();
    expect(double(call('Double', 'sqrt', dbl(-1)))).toBeNaN();
    expect(double(call('Double', 'cos', dbl(0)))).toBe(1);
    expect(double(call('Double', 'sin', dbl(0)))).toBe(0);
    expect(fatal(() => call('Double', '*', dbl(1), null))).toBe("Expected a numeric type but got type 'Nil'.");
  });

  it('rounds halves up and truncates asInteger, exactly at any size', () => {
    const cases: [number, bigint][] = [
      [0.5, 1n],
      [2.5, 3n],
      [-2.5, -2n],
      [-2.2, -2n],
      [-2.7, -3n],
      [-0.4, 0n],
      [1e20, 10n ** 20n],
    ];
    for (const [d, expected] of cases) expect(integer(call('Double', 'round', dbl(d)))).toBe(expected);
    expect(integer(call('Double', 'asInteger', dbl(-2.7)))).toBe(-2n);
    expect(integer(call('Double', 'asInteger', dbl(-0.5)))).toBe(0n);
    expect(integer(call('Double', 'asInteger', dbl(2 ** 70 + 2 ** 20)))).toBe(2n ** 70n + 2n ** 20n);
    expect(fatal(() => call('Double', 'round', dbl(NaN)))).toBe("Can't represent NaN as an Integer.");
    expect(fatal(() => call('Double', 'asInteger', dbl(-Infinity)))).toBe("Can't represent -inf as an Integer.");
  });

  it('compares with IEEE rules and exactly against Integers', () => {
    expect(call('Double', '=', dbl(2), 2)).toBe(true);
    expect(call('Double', '=', dbl(0), dbl(-0))).toBe(true);
    expect(call('Double', '=', dbl(NaN), dbl(NaN))).toBe(false);
    expect(call('Double', '=', dbl(1), null)).toBe(false);
    expect(call('Double', '<', dbl(2.5), 3)).toBe(true);
    expect(call('Double', '<', dbl(2 ** 53), big(2n ** 53n + 1n))).toBe(true);
    expect(call('Double', '<', dbl(NaN), 3)).toBe(false);
    expect(fatal(() => call('Double', '<', dbl(1), str('a')))).toBe("Expected a numeric type but got type 'String'.");
  });

  it('prints the §4.8 table', () => {
    const table: [number, string][] = [
      [1.0, '1.0'],
      [0.5, '0.5'],
      [0.1 + 0.2, '0.30000000000000004'],
      [100.0, '100.0'],
      [1.0e7, '10000000.0'],
      [1.5e18, '1.5e18'],
      [1.0e100, '1e100'],
      [1.0e-5, '0.00001'],
      [1.0e-7, '1e-7'],
      [-0.0, '-0.0'],
      [NaN, 'NaN'],
      [Infinity, 'inf'],
      [-Infinity, '-inf'],
      [9999999999999998, '9999999999999998.0'],
      [2.5e-10, '2.5e-10'],
      [56.78, '56.78'],
    ];
    for (const [d, printed] of table) expect(text(call('Double', 'asString', dbl(d)))).toBe(printed);
  });

  it('parses fromString: decimal text, NaN otherwise', () => {
    const parse = (s: string): number => double(callClassSide('Double', 'fromString:', str(s)));
    expect(parse('2.75')).toBe(2.75);
    expect(parse('-0.125')).toBe(-0.125);
    expect(parse('7')).toBe(7);
    expect(parse(' 1e3 ')).toBe(1000);
    expect(parse('-inf')).toBe(-Infinity);
    for (const bad of ['abc', '', '0x10', '1.5x', '--1', 'constructor']) expect(parse(bad)).toBeNaN();
    expect(double(callClassSide('Double', 'PositiveInfinity'))).toBe(Infinity);
  });
});

describe('String and Symbol (SOM.md §5, §9.7)', () => {
  it('hashes like Java String.hashCode, Symbols like equal Strings', () => {
    expect(call('String', 'hashcode', str(''))).toBe(0);
    expect(call('String', 'hashcode', str('abc'))).toBe(96354);
    expect(call('String', 'hashcode', str('hello world'))).toBe(1794106052);
    expect(call('String', 'hashcode', str('polygenelubricants'))).toBe(-2147483648);
    expect(call('String', 'hashcode', sym('hello world'))).toBe(1794106052);
  });

  it('concatenates Strings and Symbols; a Symbol receiver answers a Symbol', () => {
    const s = call('String', 'concatenate:', str('get'), sym('Name'));
    expect(s).not.toBeInstanceOf(SomSymbol);
    expect(text(s)).toBe('getName');
    expect(call('String', 'concatenate:', sym('get'), str('Name'))).toBe(sym('getName'));
    expect(fatal(() => call('String', 'concatenate:', str('a'), 3))).toBe(
      "Expected instance of 'String' but got instance of 'Integer'.",
    );
  });

  it('interns with asSymbol and copies with Symbol>>asString', () => {
    expect(call('String', 'asSymbol', str('foo'))).toBe(sym('foo'));
    expect(call('String', 'asSymbol', sym('foo'))).toBe(sym('foo'));
    const copy = call('Symbol', 'asString', sym('foo'));
    expect(copy).not.toBeInstanceOf(SomSymbol);
    expect(text(copy)).toBe('foo');
  });

  it('counts UTF-16 units and classifies characters', () => {
    expect(call('String', 'length', str(''))).toBe(0);
    expect(call('String', 'length', str('😀'))).toBe(2);
    expect(call('String', 'isWhiteSpace', str(' \t\n'))).toBe(true);
    expect(call('String', 'isWhiteSpace', str(' a'))).toBe(false);
    expect(call('String', 'isLetters', str('abcÄé'))).toBe(true);
    expect(call('String', 'isLetters', str('ab1'))).toBe(false);
    expect(call('String', 'isDigits', str('0123'))).toBe(true);
    expect(call('String', 'isDigits', str('١٢'))).toBe(false);
    for (const test of ['isWhiteSpace', 'isLetters', 'isDigits']) expect(call('String', test, str(''))).toBe(false);
  });

  it('compares characters with Strings and Symbols, false otherwise', () => {
    expect(call('String', '=', str('abc'), sym('abc'))).toBe(true);
    expect(call('String', '=', sym('abc'), str('abc'))).toBe(true);
    expect(call('String', '=', str('abc'), str('abd'))).toBe(false);
    expect(call('String', '=', str('3'), 3)).toBe(false);
  });

  it('takes substrings, answering empty for end = start - 1', () => {
    const sub = (s: string, i: SomValue, j: SomValue): SomValue =>
      call('String', 'primSubstringFrom:to:', str(s), i, j);
    expect(text(sub('hello', 2, 4))).toBe('ell');
    expect(text(sub('hello', 1, 5))).toBe('hello');
    expect(text(sub('hello', 3, 2))).toBe('');
    expect(text(sub('hello', 6, 5))).toBe('');
    expect(fatal(() => sub('hello', 0, 2))).toBe(
      'Attempting to index string out of its bounds (start: 0 end: 2 length: 5).',
    );
    expect(fatal(() => sub('hello', 2, 6))).toBe(
      'Attempting to index string out of its bounds (start: 2 end: 6 length: 5).',
    );
    expect(fatal(() => sub('hello', str('1'), 2))).toBe("Expected object of type 'Integer' but got type 'String'.");
  });
});

describe('Array (SOM.md §6, §9.8)', () => {
  it('reads, writes (answering the receiver) and measures', () => {
    const array = callClassSide('Array', 'new:', 3) as SomArray;
    expect(array.elements).toEqual([null, null, null]);
    expect(call('Array', 'at:put:', array, 2, 7)).toBe(array);
    expect(call('Array', 'at:', array, 2)).toBe(7);
    expect(call('Array', 'length', array)).toBe(3);
  });

  it('refuses bad indices and lengths', () => {
    const array = new SomArray([1, 2, 3]);
    expect(fatal(() => call('Array', 'at:', array, 4))).toBe('Index 4 not valid for array of length 3.');
    expect(fatal(() => call('Array', 'at:put:', array, 0, 1))).toBe('Index 0 not valid for array of length 3.');
    expect(fatal(() => call('Array', 'at:', array, big(2n ** 70n)))).toBe(
      'Index 1180591620717411303424 not valid for array of length 3.',
    );
    expect(fatal(() => call('Array', 'at:', array, dbl(1)))).toBe(
      "Expected object of type 'Integer' but got type 'Double'.",
    );
    expect(fatal(() => callClassSide('Array', 'new:', -1))).toBe('Cannot create an Array of negative length -1.');
    expect(fatal(() => callClassSide('Array', 'new:', str('3')))).toBe(
      "Expected object of type 'Integer' but got type 'String'.",
    );
  });
});

describe('Object (SOM.md §9.1)', () => {
  it('compares identity, by value for boxed numbers', () => {
    const s = str('a');
    expect(call('Object', '==', s, s)).toBe(true);
    expect(call('Object', '==', s, str('a'))).toBe(false);
    expect(call('Object', '==', dbl(1.5), dbl(1.5))).toBe(true);
    expect(call('Object', '==', dbl(NaN), dbl(NaN))).toBe(true);
    expect(call('Object', '==', dbl(0), dbl(-0))).toBe(false);
    // SOM.md §4.5, recommended: a Double and an Integer of the same value are identical.
    expect(call('Object', '==', dbl(1), 1)).toBe(true);
    expect(call('Object', '==', 1, dbl(1))).toBe(true);
    expect(call('Object', '==', dbl(-0), 0)).toBe(true);
    expect(call('Object', '==', dbl(1.5), 1)).toBe(false);
    expect(call('Object', '==', dbl(2 ** 60), big(2n ** 60n))).toBe(true);
    expect(call('Object', '==', big(2n ** 60n + 1n), dbl(2 ** 60))).toBe(false);
    expect(call('Object', '==', dbl(NaN), 0)).toBe(false);
    expect(call('Object', '==', big(2n ** 60n), big(2n ** 60n))).toBe(true);
    expect(call('Object', '==', null, false)).toBe(false);
  });

  it('hashes stably by identity, by value for numbers', () => {
    const a = new SomObject(coreClasses.object, 0);
    const b = new SomObject(coreClasses.object, 0);
    const hash = call('Object', 'hashcode', a);
    expect(call('Object', 'hashcode', a)).toBe(hash);
    expect(call('Object', 'hashcode', b)).not.toBe(hash);
    expect(call('Object', 'hashcode', dbl(2.5))).toBe(call('Object', 'hashcode', dbl(2.5)));
    expect(call('Object', 'hashcode', dbl(NaN))).toBe(call('Object', 'hashcode', dbl(-NaN)));
    expect(integer(call('Object', 'hashcode', big(2n ** 60n)))).toBe(2n ** 60n);
    // Integral Doubles hash as the equal Integer (`Integer>>#hashcode` is `^self`), as they are `==`.
    expect(call('Object', 'hashcode', dbl(3))).toBe(3);
    expect(call('Object', 'hashcode', dbl(-0))).toBe(0);
    expect(call('Object', 'hashcode', dbl(-7))).toBe(-7);
    expect(integer(call('Object', 'hashcode', dbl(2 ** 60)))).toBe(2n ** 60n);
    for (const v of [a, dbl(-1.25), dbl(1e-300), null, true]) {
      const h = integer(call('Object', 'hashcode', v));
      expect(h >= 0n && h < 2n ** 31n).toBe(true);
    }
  });

  it('answers class and objectSize', () => {
    const point = makeClass('Point', coreClasses.object, ['x', 'y']);
    expect(call('Object', 'class', new SomObject(point, 2))).toBe(point);
    expect(call('Object', 'class', 3)).toBe(coreClasses.integer);
    expect(call('Object', 'class', point)).toBe(point.clazz);
    expect(call('Object', 'objectSize', new SomObject(point, 2))).toBe(3);
    expect(call('Object', 'objectSize', new SomArray([1, 2, 3, 4, 5]))).toBe(6);
    expect(call('Object', 'objectSize', 7)).toBe(1);
  });

  it('reads and writes fields by index and name', () => {
    const point = makeClass('Point', coreClasses.object, ['x', 'y']);
    const p = new SomObject(point, 2);
    expect(call('Object', 'instVarAt:put:', p, 2, 5)).toBe(p);
    expect(call('Object', 'instVarAt:', p, 2)).toBe(5);
    expect(call('Object', 'instVarNamed:', p, sym('y'))).toBe(5);
    expect(fatal(() => call('Object', 'instVarAt:', p, 3))).toBe('Index 3 not valid for object with 2 fields.');
    expect(fatal(() => call('Object', 'instVarAt:', 7, 1))).toBe('Index 1 not valid for object with 0 fields.');
    expect(fatal(() => call('Object', 'instVarNamed:', p, sym('z')))).toBe("No field named 'z' in Point.");
  });

  it('writes inspect and halt to stderr and answers the receiver', () => {
    const point = makeClass('Point', coreClasses.object, ['x', 'y']);
    const p = new SomObject(point, 2);
    p.fields[0] = str('a');
    expect(call('Object', 'inspect', p)).toBe(p);
    expect(output.err).toBe("instance of Point (x: 'a', y: nil)\n");
    expect(call('Object', 'halt', 3)).toBe(3);
    expect(output.err).toContain('BREAKPOINT\n');
    expect(output.out).toBe('');
  });
});

describe('perform: and invokeOn:with: (SOM.md §8.1)', () => {
  const base = classWith('Base', {
    greet: () => str('base'),
    'add:to:': (_c, _r, a, b) => (a as number) + (b as number),
  });
  const derived = classWith('Derived', {
    greet: () => str('derived'),
    'doesNotUnderstand:arguments:': (_c, _r, selector, args) => new SomArray([selector, args]),
  });
  derived.superclass = base;
  const obj = new SomObject(derived, 0);

  it('sends with lookup, falling back to doesNotUnderstand:arguments:', () => {
    expect(text(call('Object', 'perform:', obj, sym('greet')))).toBe('derived');
    expect(call('Object', 'perform:withArguments:', obj, sym('add:to:'), new SomArray([3, 4]))).toBe(7);
    const dnu = call('Object', 'perform:withArguments:', obj, sym('foo:'), new SomArray([1])) as SomArray;
    expect(dnu.elements[0]).toBe(sym('foo:'));
    expect((dnu.elements[1] as SomArray).elements).toEqual([1]);
  });

  it('starts the lookup in the given class', () => {
    expect(text(call('Object', 'perform:inSuperclass:', obj, sym('greet'), base))).toBe('base');
    expect(call('Object', 'perform:withArguments:inSuperclass:', obj, sym('add:to:'), new SomArray([1, 2]), base)).toBe(
      3,
    );
  });

  it('checks the selector, the arguments and their count', () => {
    expect(fatal(() => call('Object', 'perform:', obj, str('greet')))).toBe(
      "Expected instance of 'Symbol' but got instance of 'String'.",
    );
    expect(fatal(() => call('Object', 'perform:withArguments:', obj, sym('add:to:'), new SomArray([1])))).toBe(
      'Tried passing 1 arguments to a function that requires 2.',
    );
    expect(fatal(() => call('Object', 'perform:withArguments:', obj, sym('greet'), 3))).toBe(
      "Expected instance of 'Array' but got instance of 'Integer'.",
    );
    expect(fatal(() => call('Object', 'perform:inSuperclass:', obj, sym('greet'), null))).toBe(
      "Expected instance of 'Class' but got instance of 'Nil'.",
    );
  });

  it('invokes a method directly on any receiver, checking the arity', () => {
    const add = base.localMethod(sym('add:to:'))!;
    expect(call('Method', 'signature', add)).toBe(sym('add:to:'));
    expect(call('Primitive', 'holder', add)).toBe(base);
    expect(call('Primitive', 'invokeOn:with:', add, 42, new SomArray([5, 6]))).toBe(11);
    expect(fatal(() => call('Primitive', 'invokeOn:with:', add, 42, new SomArray([])))).toBe(
      'Tried passing 0 arguments to a function that requires 2.',
    );
    expect(fatal(() => call('Method', 'signature', 3))).toBe(
      "Expected instance of 'Method' but got instance of 'Integer'.",
    );
  });
});

describe('Class (SOM.md §9.2)', () => {
  const point = makeClass('Point', coreClasses.object, ['x', 'y']);
  const point3 = makeClass('Point3', point, ['z']);
  point3.addMethod(new SomPrimitive(sym('z'), point3, () => null));

  it('reflects on name, superclass, fields and methods', () => {
    expect(call('Class', 'name', point3)).toBe(sym('Point3'));
    expect(call('Class', 'name', point3.clazz)).toBe(sym('Point3 class'));
    expect(call('Class', 'superclass', point3)).toBe(point);
    expect(call('Class', 'superclass', coreClasses.object)).toBe(null);
    expect((call('Class', 'fields', point3) as SomArray).elements).toEqual([sym('x'), sym('y'), sym('z')]);
    const methods = call('Class', 'methods', point3) as SomArray;
    expect(methods.elements).toHaveLength(1);
    expect((methods.elements[0] as SomPrimitive).signature).toBe(sym('z'));
    // The class's own array, the same object every time (SOM.md §3.2, §8.1).
    expect(call('Class', 'methods', point3)).toBe(methods);
  });

  it('makes instances with nil fields', () => {
    const p = call('Class', 'new', point3);
    expect(p).toBeInstanceOf(SomObject);
    expect((p as SomObject).clazz).toBe(point3);
    expect((p as SomObject).fields).toEqual([null, null, null]);
    expect((call('Class', 'new', coreClasses.array) as SomArray).elements).toEqual([]);
    expect(text(call('Class', 'new', coreClasses.string))).toBe('');
    expect(fatal(() => call('Class', 'new', 3))).toBe("Expected instance of 'Class' but got instance of 'Integer'.");
  });
});

describe('Block (SOM.md §7.1, §9.4)', () => {
  it('refuses restart', () => {
    expect(fatal(() => call('Block', 'restart', null))).toBe(
      'Block>>restart is not supported by this VM (Block>>whileTrue: and whileFalse: loop without it)',
    );
  });

  it('refuses non-block receivers', () => {
    expect(fatal(() => call('Block1', 'value', 3))).toBe("Expected instance of 'Block' but got instance of 'Integer'.");
  });
});

describe('System (SOM.md §8.2, §9.9)', () => {
  const system = null;

  it('reads, binds and tests globals by Symbol', () => {
    expect(call('System', 'global:', system, sym('Answer'))).toBe(null);
    expect(call('System', 'hasGlobal:', system, sym('Answer'))).toBe(false);
    expect(call('System', 'global:put:', str('sys'), sym('Answer'), 42)).toEqual(str('sys'));
    expect(call('System', 'global:', system, sym('Answer'))).toBe(42);
    expect(call('System', 'hasGlobal:', system, sym('Answer'))).toBe(true);
    expect(fatal(() => call('System', 'global:', system, str('Answer')))).toBe(
      "Expected instance of 'Symbol' but got instance of 'String'.",
    );
  });

  it('loads classes through the class loader unless already bound', () => {
    expect(call('System', 'load:', system, sym('Missing'))).toBe(null);
    expect(loadRequests).toEqual(['Missing']);
    const bound = makeClass('Bound', coreClasses.object);
    vm.globals.set(sym('Bound'), bound);
    expect(call('System', 'load:', system, sym('Bound'))).toBe(bound);
    expect(loadRequests).toEqual(['Missing']);
    expect(fatal(() => call('System', 'load:', system, str('Bound')))).toBe(
      "Expected instance of 'Symbol' but got instance of 'String'.",
    );
  });

  it('exits with an Integer status in the OS range', () => {
    try {
      call('System', 'exit:', system, 3);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SystemExit);
      expect((e as SystemExit).code).toBe(3);
    }
    expect(fatal(() => call('System', 'exit:', system, str('done')))).toBe(
      "Expected object of type 'Integer' but got type 'String'.",
    );
    expect(fatal(() => call('System', 'exit:', system, 256))).toBe('Domain error: exit status 256 is not in 0..255.');
  });

  it('prints Strings and Symbols to stdout and stderr, answering the receiver', () => {
    const rcvr = str('system');
    expect(call('System', 'printString:', rcvr, str('a'))).toBe(rcvr);
    call('System', 'printString:', rcvr, sym('b'));
    expect(call('System', 'printNewline', rcvr)).toBe(rcvr);
    expect(call('System', 'errorPrint:', rcvr, str('c'))).toBe(rcvr);
    expect(call('System', 'errorPrintln:', rcvr, str('d'))).toBe(rcvr);
    expect([output.out, output.err]).toEqual(['ab\n', 'cd\n']);
    expect(fatal(() => call('System', 'printString:', rcvr, 3))).toBe(
      "Expected instance of 'String' but got instance of 'Integer'.",
    );
  });

  it('prints a stack trace to stderr and answers true', () => {
    expect(call('System', 'printStackTrace', system)).toBe(true);
    expect(output.err).toContain('Traceback (most recent call at bottom):');
    expect(output.err).toContain('Object>>test');
  });

  it('answers time in ms and ticks in µs as Integers', () => {
    expect(call('System', 'time', system)).toBe(2345);
    expect(call('System', 'ticks', system)).toBe(2345678);
    expect(typeof call('System', 'fullGC', system)).toBe('boolean');
  });

  it('reads files, answering nil when it cannot', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'som-prim-')), 'data.txt');
    writeFileSync(file, 'line 1\nline 2\n');
    expect(text(call('System', 'loadFile:', system, str(file)))).toBe('line 1\nline 2\n');
    expect(call('System', 'loadFile:', system, str(`${file}.missing`))).toBe(null);
  });
});

/**
 * Unit tests of the SOM parser (interpreter/parser/parser.ts) against SOM.md §1-§2: literals,
 * precedence, class and method structure, blocks, statement rules, static errors and the exact
 * positions of nodes and errors.
 *
 * Expressions are checked through `render`, a compact prefix form written here (not by the code
 * under test): `(recv sel arg...)` for sends, `(x := v)`, `^v`, `[:p | |t| s1. s2]`, integers as
 * `5`, doubles as `2.5d`, strings `'s'`, symbols `#s`, arrays `#(...)`.
 */

import { describe, expect, it } from 'vitest';
import type { ClassDef, Expr, LiteralValue, MethodDef, Statement } from '../../interpreter/parser/ast.ts';
import { SomParseError } from '../../interpreter/errors.ts';
import { parseClass } from '../../interpreter/parser/parser.ts';

function renderLiteral(value: LiteralValue): string {
  switch (value.type) {
    case 'integer':
      return String(value.value);
    case 'double':
      return `${Object.is(value.value, -0) ? '-0' : value.value}d`;
    case 'string':
      return `'${value.value}'`;
    case 'symbol':
      return `#${value.value}`;
    case 'array':
      return `#(${value.elements.map(renderLiteral).join(' ')})`;
  }
}

function render(node: Statement): string {
  switch (node.kind) {
    case 'variable':
      return node.name;
    case 'literal':
      return renderLiteral(node.value);
    case 'assign':
      return `(${node.name} := ${render(node.value)})`;
    case 'send':
      return `(${[render(node.receiver), node.selector, ...node.args.map(render)].join(' ')})`;
    case 'return':
      return `^${render(node.value)}`;
    case 'block': {
      const params = node.params.map((p) => `:${p.name} `).join('');
      const locals = node.locals.length > 0 ? `|${node.locals.map((l) => l.name).join(' ')}| ` : '';
      return `[${params}${params === '' ? '' : '| '}${locals}${node.statements.map(render).join('. ')}]`;
    }
  }
}

/** Wraps statements in a class with one method `m`, line 1 column 12 onwards. */
function methodSource(body: string): string {
  return `T = ( m = ( ${body} ) )`;
}

function method(body: string): MethodDef {
  const m = parseClass(methodSource(body), 'T.som').instanceMethods[0];
  if (m === undefined) throw new Error('no method parsed');
  return m;
}

function statements(body: string): readonly Statement[] {
  const m = method(body);
  if (m.body.kind !== 'code') throw new Error('primitive body');
  return m.body.statements;
}

/** The rendered statements of a method body. */
function parse(body: string): string[] {
  return statements(body).map(render);
}

/** The one expression of a method body, as an AST node. */
function expr(body: string): Expr {
  const [first] = statements(body);
  if (first === undefined || first.kind === 'return') throw new Error('expected one expression');
  return first;
}

/** The SomParseError thrown by parsing `source` as file `file`. */
function parseError(source: string, file = 'Foo.som'): SomParseError {
  try {
    parseClass(source, file);
  } catch (error) {
    if (error instanceof SomParseError) return error;
    throw error;
  }
  throw new Error('expected a SomParseError');
}

/** The error of a method body, wrapped as by `methodSource` (body column 13 on line 1). */
function bodyError(body: string): SomParseError {
  return parseError(methodSource(body), 'T.som');
}

describe('literals', () => {
  it('parses integers as bigint, also beyond 64 bits', () => {
    expect(expr('42')).toMatchObject({ kind: 'literal', value: { type: 'integer', value: 42n } });
    expect(expr('123456789012345678901234567890')).toMatchObject({
      value: { type: 'integer', value: 123456789012345678901234567890n },
    });
  });

  it('parses doubles to the nearest binary64', () => {
    expect(expr('3.14159')).toMatchObject({ value: { type: 'double', value: 3.14159 } });
    expect(expr('0.1')).toMatchObject({ value: { type: 'double', value: 0.1 } });
  });

  it('parses negative literals where a primary is expected', () => {
    expect(parse('-5')).toEqual(['-5']);
    expect(parse('- 5')).toEqual(['-5']);
    expect(parse('-1.5')).toEqual(['-1.5d']);
    expect(parse('-0.0')).toEqual(['-0d']);
    expect(parse('x := -3')).toEqual(['(x := -3)']);
    expect(parse('x at: -1 put: - 2')).toEqual(['(x at:put: -1 -2)']);
    expect(parse('-123456789012345678901234567890')).toEqual(['-123456789012345678901234567890']);
  });

  it('positions a negative literal at its minus', () => {
    expect(expr('x + - 5')).toMatchObject({ args: [{ kind: 'literal', line: 1, column: 17 }] });
  });

  it('reads `3 - -2` as binary minus with a negative argument', () => {
    expect(parse('3 - -2')).toEqual(['(3 - -2)']);
  });

  it('reads `a -1` and `a - 1` as binary minus', () => {
    expect(parse('a -1')).toEqual(['(a - 1)']);
    expect(parse('a - 1')).toEqual(['(a - 1)']);
    expect(parse('a-1')).toEqual(['(a - 1)']);
  });

  it('rejects unary minus on an expression', () => {
    const error = bodyError('-x');
    expect(error).toMatchObject({ line: 1, column: 14 });
    expect(error.detail).toMatch(/^Unexpected symbol\. Expected a number after '-'.*, but found identifier 'x'$/);
  });

  it('reads `1e10` as 1 sent e10, and `1.` as 1 and a period', () => {
    expect(parse('1e10')).toEqual(['(1 e10)']);
    expect(parse('^1.')).toEqual(['^1']);
  });

  it('decodes strings with every escape of §1.7', () => {
    expect(expr(String.raw`'\t\b\n\r\f\0\'\\'`)).toMatchObject({
      value: { type: 'string', value: "\t\b\n\r\f\0'\\" },
    });
  });

  it('parses multi-line strings with one \\n per line break', () => {
    expect(expr("'one\ntwo\r\nthree'")).toMatchObject({
      value: { type: 'string', value: 'one\ntwo\nthree' },
    });
  });

  it("rejects 'it''s': two adjacent strings are a syntax error", () => {
    const error = bodyError("'it''s'");
    expect(error).toMatchObject({ line: 1, column: 17 });
    expect(error.detail).toBe("Unexpected symbol. Expected '.' or ')', but found string literal 's'");
  });

  it('parses symbols of every form', () => {
    expect(parse("#foo. #at:put: . #+ . #'hello world'. #primitive. #-> . #'a-b'. #--")).toEqual([
      '#foo',
      '#at:put:',
      '#+',
      '#hello world',
      '#primitive',
      '#->',
      '#a-b',
      '#--',
    ]);
  });

  it('parses nested literal arrays of numbers, strings and symbols', () => {
    expect(expr("#(1 #(2 3) #() 'a' #b #at:put: #+ -4.0 - 5 2.5)")).toMatchObject({
      kind: 'literal',
      value: {
        type: 'array',
        elements: [
          { type: 'integer', value: 1n },
          {
            type: 'array',
            elements: [
              { type: 'integer', value: 2n },
              { type: 'integer', value: 3n },
            ],
          },
          { type: 'array', elements: [] },
          { type: 'string', value: 'a' },
          { type: 'symbol', value: 'b' },
          { type: 'symbol', value: 'at:put:' },
          { type: 'symbol', value: '+' },
          { type: 'double', value: -4 },
          { type: 'integer', value: -5n },
          { type: 'double', value: 2.5 },
        ],
      },
    });
  });

  it('parses `#(-1 -2.5)` as two negative numbers', () => {
    expect(parse('#(-1 -2.5)')).toEqual(['#(-1 -2.5d)']);
  });

  it('rejects bare identifiers in literal arrays', () => {
    const error = bodyError('#(1 foo)');
    expect(error).toMatchObject({ line: 1, column: 17 });
    expect(error.detail).toBe(
      "Unexpected symbol. Expected a literal or ')' in the literal array, but found identifier 'foo'",
    );
    expect(bodyError('#(true)').detail).toMatch(/found identifier 'true'$/);
  });

  it('rejects nested arrays without their #', () => {
    expect(bodyError('#(1 (2))')).toMatchObject({ line: 1, column: 17 });
  });

  it('rejects an unterminated literal array at the end of file', () => {
    expect(parseError('Foo = ( m = ( ^#(1 2').detail).toMatch(/but found end of file$/);
  });
});

describe('expressions and precedence', () => {
  it('evaluates binary operators left to right: `2 + 3 * 4` is (2 + 3) * 4', () => {
    expect(parse('2 + 3 * 4')).toEqual(['((2 + 3) * 4)']);
  });

  it('binds unary tighter than binary, binary tighter than keyword', () => {
    expect(parse('a foo: b bar baz: c + d')).toEqual(['(a foo:baz: (b bar) (c + d))']);
    expect(parse('a + b foo')).toEqual(['(a + (b foo))']);
    expect(parse('a b c')).toEqual(['((a b) c)']);
    expect(parse('x at: 1 + 2 put: y z - 1')).toEqual(['(x at:put: (1 + 2) ((y z) - 1))']);
  });

  it('nests keyword messages only through parentheses', () => {
    expect(parse('(a foo: b) bar: (c baz: d)')).toEqual(['((a foo: b) bar: (c baz: d))']);
  });

  it('sends every binary operator run as one selector', () => {
    expect(parse('a >>> b. a -> b. a --> b. a -- b. a --- b. a | b. a , b. a ~= b. a == b')).toEqual([
      '(a >>> b)',
      '(a -> b)',
      '(a --> b)',
      '(a -- b)',
      '(a --- b)',
      '(a | b)',
      '(a , b)',
      '(a ~= b)',
      '(a == b)',
    ]);
  });

  it('reads `3*-2` as a send of `*-`', () => {
    expect(parse('3*-2')).toEqual(['(3 *- 2)']);
  });

  it('chains assignments right to left', () => {
    expect(parse('a := b := 0')).toEqual(['(a := (b := 0))']);
    expect(parse('x := y foo: 1 + 2')).toEqual(['(x := (y foo: (1 + 2)))']);
  });

  it('parses self, super, nil, true and false as variables', () => {
    expect(parse('super foo. self. nil. true. false')).toEqual(['(super foo)', 'self', 'nil', 'true', 'false']);
    expect(expr('super foo')).toMatchObject({ receiver: { kind: 'variable', name: 'super' } });
  });

  it('positions sends at their selector, keyword sends at the first keyword', () => {
    expect(expr('a foo')).toMatchObject({ kind: 'send', line: 1, column: 15 });
    expect(expr('a + b')).toMatchObject({ kind: 'send', line: 1, column: 15 });
    expect(expr('a\n  at: 1\n  put: 2')).toMatchObject({
      kind: 'send',
      selector: 'at:put:',
      line: 2,
      column: 3,
    });
  });

  it('positions variables, literals and assignments at their first character', () => {
    expect(expr('x := 3')).toMatchObject({ line: 1, column: 13, value: { line: 1, column: 18 } });
    expect(expr('(a foo)')).toMatchObject({ kind: 'send', receiver: { line: 1, column: 14 } });
  });

  it('rejects an unclosed parenthesis', () => {
    const error = parseError('Foo = ( m = ( ^(a foo. b ) )');
    expect(error).toMatchObject({ line: 1, column: 22 });
    expect(error.detail).toBe("Unexpected symbol. Expected ')', but found '.'");
  });

  it('rejects characters that are not SOM, such as a cascade', () => {
    const error = bodyError('a foo; bar');
    expect(error).toMatchObject({ line: 1, column: 18 });
    expect(error.detail).toBe("Unexpected symbol. Expected '.' or ')', but found character ';'");
    expect(bodyError('x := $a').detail).toMatch(/Expected an expression, but found character '\$'$/);
  });

  it('rejects a keyword where an expression is expected', () => {
    expect(bodyError('at: 1').detail).toBe("Unexpected symbol. Expected an expression, but found keyword 'at:'");
  });

  it('rejects a missing expression after an assignment', () => {
    expect(bodyError('x := ').detail).toBe("Unexpected symbol. Expected an expression, but found ')'");
  });
});

describe('statements and return (§2.3)', () => {
  it('separates statements by periods and allows a trailing period', () => {
    expect(parse('a. b. c')).toEqual(['a', 'b', 'c']);
    expect(parse('a. b.')).toEqual(['a', 'b']);
    expect(parse('')).toEqual([]);
  });

  it('positions a return at its caret', () => {
    expect(statements('a.\n ^ b')[1]).toMatchObject({ kind: 'return', line: 2, column: 2 });
  });

  it('allows a return as the last statement, with or without a period', () => {
    expect(parse('a. ^b')).toEqual(['a', '^b']);
    expect(parse('a. ^b.')).toEqual(['a', '^b']);
  });

  it('rejects statements after a return', () => {
    const error = parseError('Foo = (\n  m = ( ^1.\n    2 ) )');
    expect(error).toMatchObject({ file: 'Foo.som', line: 3, column: 5, sourceLine: '    2 ) )' });
    expect(error.detail).toBe(
      "Unexpected symbol. Expected ')' after a return statement (no code may follow '^'), but found integer literal 2",
    );
  });

  it('rejects a second period after a return', () => {
    expect(bodyError('^1..')).toMatchObject({ line: 1, column: 16 });
  });

  it('rejects statements after a return inside a block', () => {
    const error = bodyError('[ ^1. 2 ]');
    expect(error).toMatchObject({ line: 1, column: 19 });
    expect(error.detail).toMatch(/^Unexpected symbol\. Expected '\]' after a return statement/);
  });

  it('rejects empty statements', () => {
    const error = bodyError('a.. b');
    expect(error).toMatchObject({ line: 1, column: 15 });
    expect(error.detail).toBe(
      "Unexpected symbol. Expected a statement or ')' (empty statements are not allowed), but found '.'",
    );
    expect(bodyError('. a')).toMatchObject({ column: 13 });
    expect(bodyError('[ . ]')).toMatchObject({ column: 15 });
  });

  it('rejects two expressions without a period', () => {
    expect(bodyError('a b 3').detail).toBe("Unexpected symbol. Expected '.' or ')', but found integer literal 3");
  });
});

describe('blocks (§2.5)', () => {
  it('parses empty blocks and blocks with parameters and locals', () => {
    expect(parse('[]. [:x | ]. [:x :y | | t u | t := x + y. t]')).toEqual([
      '[]',
      '[:x | ]',
      '[:x :y | |t u| (t := (x + y)). t]',
    ]);
  });

  it('records the positions of the block, its declarations and its closing line', () => {
    expect(expr('[:x |\n | t |\n x ]')).toMatchObject({
      kind: 'block',
      line: 1,
      column: 13,
      params: [{ name: 'x', line: 1, column: 15 }],
      locals: [{ name: 't', line: 2, column: 4 }],
      endLine: 3,
    });
  });

  it('parses a non-local return inside a block', () => {
    expect(parse('a ifTrue: [ ^1 ]. [:x | ^x] value: 2')).toEqual(['(a ifTrue: [^1])', '([:x | ^x] value: 2)']);
  });

  it('allows a trailing period in a block', () => {
    expect(parse('[ a. b. ]')).toEqual(['[a. b]']);
  });

  it('allows inner scopes to shadow outer names', () => {
    expect(parse('| x | [:x | [:x | | y | x]]. [ | x | x ]')).toEqual(['[:x | [:x | |y| x]]', '[|x| x]']);
    expect(() => parseClass('Foo = ( | a | m: x = ( [:x :a | x ] ) )', 'Foo.som')).not.toThrow();
  });

  it('rejects a block with more than two parameters at the third', () => {
    const error = bodyError('[:a :b :c | a ]');
    expect(error).toMatchObject({ line: 1, column: 20 });
    expect(error.detail).toBe('Blocks with more than 2 parameters are not supported');
  });

  it('rejects `[:a || t | ...]` because `||` is one token', () => {
    const error = bodyError('[:a || t | a ]');
    expect(error).toMatchObject({ line: 1, column: 17 });
    expect(error.detail).toMatch(/but found binary selector '\|\|'$/);
  });

  it('rejects a block parameter list without its bar', () => {
    expect(bodyError('[:a a ]').detail).toBe(
      "Unexpected symbol. Expected another ':parameter' or '|' after the block parameters, but found identifier 'a'",
    );
  });

  it('rejects an unclosed block', () => {
    expect(bodyError('[ a ').detail).toBe("Unexpected symbol. Expected '.' or ']', but found ')'");
  });
});

describe('classes and methods (§2.1, §2.2)', () => {
  const source = [
    'Foo = Bar (',
    '  | a b |',
    '  "a comment" size = ( ^a )',
    '  + other = ( ^a + other )',
    '  at: i put: v = ( | old | old := a. a := v. ^old )',
    '  -- x = ( ^x )',
    '  --> x = primitive',
    '  ----------',
    '  | count |',
    '  new = ( ^super new init )',
    '  with: x with: y = primitive',
    ')',
  ].join('\n');
  let cls: ClassDef;
  it('parses a whole class', () => {
    cls = parseClass(source, 'Foo.som');
    expect(cls).toMatchObject({
      name: 'Foo',
      superName: 'Bar',
      file: 'Foo.som',
      line: 1,
      column: 1,
    });
    expect(cls.instanceFields).toEqual([
      { name: 'a', line: 2, column: 5 },
      { name: 'b', line: 2, column: 7 },
    ]);
    expect(cls.classFields).toEqual([{ name: 'count', line: 9, column: 5 }]);
    expect(cls.instanceMethods.map((m) => m.selector)).toEqual(['size', '+', 'at:put:', '--', '-->']);
    expect(cls.classMethods.map((m) => m.selector)).toEqual(['new', 'with:with:']);
  });

  it('positions methods at their first selector token, arguments at their names', () => {
    cls = parseClass(source, 'Foo.som');
    expect(cls.instanceMethods[0]).toMatchObject({ line: 3, column: 15, params: [] });
    expect(cls.instanceMethods[1]).toMatchObject({
      line: 4,
      column: 3,
      params: [{ name: 'other', line: 4, column: 5 }],
    });
    expect(cls.instanceMethods[2]).toMatchObject({
      line: 5,
      column: 3,
      params: [
        { name: 'i', line: 5, column: 7 },
        { name: 'v', line: 5, column: 14 },
      ],
    });
  });

  it('parses method bodies with locals, and records the closing line', () => {
    cls = parseClass(source, 'Foo.som');
    expect(cls.instanceMethods[2]?.body).toMatchObject({
      kind: 'code',
      locals: [{ name: 'old', line: 5, column: 22 }],
      endLine: 5,
    });
    expect(parseClass('Foo = ( m = (\n  a\n\n) )', 'Foo.som').instanceMethods[0]?.body).toMatchObject({ endLine: 4 });
  });

  it('parses primitive bodies on both sides', () => {
    cls = parseClass(source, 'Foo.som');
    expect(cls.instanceMethods[4]?.body).toEqual({ kind: 'primitive' });
    expect(cls.classMethods[1]).toMatchObject({
      selector: 'with:with:',
      body: { kind: 'primitive' },
    });
  });

  it('defaults the superclass to Object and maps `nil` to null', () => {
    expect(parseClass('Foo = ()', 'Foo.som').superName).toBe('Object');
    expect(parseClass('Object = nil ()', 'Object.som').superName).toBeNull();
  });

  it('accepts either side empty, and an empty class side after the separator', () => {
    const onlyClass = parseClass('Foo = ( ---- bar = ( ) )', 'Foo.som');
    expect(onlyClass.instanceMethods).toEqual([]);
    expect(onlyClass.classMethods.map((m) => m.selector)).toEqual(['bar']);
    const emptyClassSide = parseClass('Foo = ( | a | foo = ( ) ---- )', 'Foo.som');
    expect(emptyClassSide).toMatchObject({ classFields: [], classMethods: [] });
  });

  it('accepts binary methods named by any operator run, including `=` and `|`', () => {
    const cls2 = parseClass('Foo = ( = o = ( ) | o = ( ) >>> o = ( ) , o = ( ) )', 'Foo.som');
    expect(cls2.instanceMethods.map((m) => m.selector)).toEqual(['=', '|', '>>>', ',']);
  });

  it('parses an empty method body as no statements', () => {
    expect(parse('')).toEqual([]);
  });

  it('accepts `primitive` as a name wherever an identifier is expected', () => {
    const cls2 = parseClass(
      'Foo = ( | primitive | primitive = ( ^primitive ) m: primitive = ( ^self primitive ) s = ( ^#primitive ) )',
      'Foo.som',
    );
    expect(cls2.instanceFields.map((f) => f.name)).toEqual(['primitive']);
    expect(cls2.instanceMethods.map((m) => m.selector)).toEqual(['primitive', 'm:', 's']);
    const [, second] = cls2.instanceMethods;
    if (second?.body.kind !== 'code') throw new Error('expected code');
    expect(second.body.statements.map(render)).toEqual(['^(self primitive)']);
    expect(parse('primitiveFoo := 1')).toEqual(['(primitiveFoo := 1)']);
  });

  it('does not check that the file name matches the class name', () => {
    expect(parseClass('Foo = ()', 'Bar.som')).toMatchObject({ name: 'Foo', file: 'Bar.som' });
  });

  it('rejects a missing `=` after the class name', () => {
    const error = parseError('Foo ( )');
    expect(error).toMatchObject({ file: 'Foo.som', line: 1, column: 5 });
    expect(error.detail).toBe("Unexpected symbol. Expected '=' after the class name, but found '('");
  });

  it('rejects text after the class definition', () => {
    expect(parseError('Foo = ( )\nBar = ( )')).toMatchObject({ line: 2, column: 1 });
  });

  it('rejects a missing closing parenthesis of the class', () => {
    expect(parseError('Foo = ( foo = ( )').detail).toBe(
      "Unexpected symbol. Expected a method definition, the separator '----' or ')', but found end of file",
    );
  });

  it('rejects a method pattern without `=`', () => {
    const error = parseError('Foo = (\n  foo ( ^1 )\n)');
    expect(error).toMatchObject({ line: 2, column: 7 });
    expect(error.detail).toBe("Unexpected symbol. Expected '=' after the method pattern, but found '('");
  });

  it('rejects a binary method without an argument', () => {
    expect(parseError('Foo = ( + = ( ) )').detail).toMatch(/Expected an argument name, but found binary selector '='$/);
  });

  it('rejects a second separator', () => {
    expect(parseError('Foo = ( ---- ---- )')).toMatchObject({ line: 1, column: 14 });
  });
});

describe('a class in the style of the core-lib', () => {
  const source = `"
Copyright (c) 2001-2013 see AUTHORS file
"

Array = ArrayedCollection (

    "Accessing"
    at: index = primitive
    at: index put: value = primitive
    length = primitive

    "Iterating"
    do: block = ( 1 to: self length do: [ :i | block value: (self at: i) ] )
    doIndexes: block = ( 1 to: self length do: [:i | block value: i] )

    "Searching"
    indexOf: aValue = (
        self doIndexes: [ :i | (self at: i) = aValue ifTrue: [ ^i ] ].
        ^nil
    )

    ----------------------------

    new = ( ^self new: 0 )
    with: a with: b = ( | arr | arr := self new: 2. arr at: 1 put: a. arr at: 2 put: b. ^arr )
)
`;

  it('parses it completely', () => {
    const cls = parseClass(source, 'Smalltalk/Array.som');
    expect(cls).toMatchObject({
      name: 'Array',
      superName: 'ArrayedCollection',
      line: 5,
      column: 1,
    });
    expect(cls.instanceMethods.map((m) => m.selector)).toEqual([
      'at:',
      'at:put:',
      'length',
      'do:',
      'doIndexes:',
      'indexOf:',
    ]);
    expect(cls.classMethods.map((m) => m.selector)).toEqual(['new', 'with:with:']);
    const indexOf = cls.instanceMethods[5];
    if (indexOf?.body.kind !== 'code') throw new Error('expected code');
    expect(indexOf.body.statements.map(render)).toEqual([
      '(self doIndexes: [:i | (((self at: i) = aValue) ifTrue: [^i])])',
      '^nil',
    ]);
    expect(indexOf).toMatchObject({ line: 17, column: 5, body: { endLine: 20 } });
  });
});

describe('static errors', () => {
  it('rejects a duplicate instance field at the second declaration', () => {
    const error = parseError('Foo = (\n  | a b a |\n)');
    expect(error).toMatchObject({ file: 'Foo.som', line: 2, column: 9, sourceLine: '  | a b a |' });
    expect(error.detail).toBe("Duplicate field 'a': already declared as a field at line 2, column 5");
  });

  it('rejects a duplicate class-side field, but allows the same name on both sides', () => {
    expect(parseError('Foo = ( ---- | x x | )')).toMatchObject({ line: 1, column: 18 });
    expect(parseClass('Foo = ( | x | ---- | x | )', 'Foo.som').classFields).toEqual([
      { name: 'x', line: 1, column: 22 },
    ]);
  });

  it('rejects duplicate arguments', () => {
    const error = parseError('Foo = ( at: a put: a = ( ) )');
    expect(error).toMatchObject({ line: 1, column: 20 });
    expect(error.detail).toBe("Duplicate argument 'a': already declared as an argument at line 1, column 13");
  });

  it('rejects a local with the name of an argument, and duplicate locals', () => {
    expect(parseError('Foo = ( foo: a = ( | a | ) )').detail).toBe(
      "Duplicate local 'a': already declared as an argument at line 1, column 14",
    );
    expect(parseError('Foo = ( foo = ( | a b a | ) )')).toMatchObject({ line: 1, column: 23 });
  });

  it('rejects duplicate names within one block scope', () => {
    expect(bodyError('[:a :a | ]')).toMatchObject({ line: 1, column: 18 });
    const error = bodyError('[:a | | a | ]');
    expect(error).toMatchObject({ line: 1, column: 21 });
    expect(error.detail).toBe("Duplicate block local 'a': already declared as a block parameter at line 1, column 15");
    expect(bodyError('[ | t t | ]')).toMatchObject({ line: 1, column: 19 });
  });

  it('rejects assignment to self, super, nil, true and false', () => {
    for (const name of ['self', 'super', 'nil', 'true', 'false']) {
      const error = bodyError(`a. ${name} := 3`);
      expect(error).toMatchObject({ file: 'T.som', line: 1, column: 16 });
      expect(error.detail).toBe(`Cannot assign to '${name}': it is a reserved name, not a variable`);
    }
    expect(bodyError('x := self := 3')).toMatchObject({ column: 18 });
  });

  it('rejects reserved names as declarations', () => {
    expect(parseError('Foo = ( | self | )').detail).toBe("'self' is a reserved name and cannot be declared as a field");
    expect(parseError('Foo = ( + nil = ( ) )')).toMatchObject({ line: 1, column: 11 });
    expect(bodyError('| true | ')).toMatchObject({ column: 15 });
    expect(bodyError('[:super | ]')).toMatchObject({ column: 15 });
  });

  it('reports lexical errors with the file, line and column', () => {
    const error = parseError("Foo = (\n  m = ( ^'a\\qb' )\n)", 'lib/Foo.som');
    expect(error).toMatchObject({
      file: 'lib/Foo.som',
      line: 2,
      column: 12,
      sourceLine: "  m = ( ^'a\\qb' )",
    });
    expect(error.detail).toBe("Unknown escape sequence '\\q'");
    expect(error.message).toBe("lib/Foo.som:2:12: error: Unknown escape sequence '\\q'");
  });

  it('reports unterminated strings and comments at their start', () => {
    expect(parseError("Foo = (\n  m = ( ^'abc )\n)")).toMatchObject({ line: 2, column: 10 });
    expect(parseError('Foo = ( "oops\n)')).toMatchObject({ line: 1, column: 9 });
  });

  it('reports errors in source order: the first problem in the file wins', () => {
    const error = parseError("Foo = ( m = ( ^1. 2 ) n = ( '\\q' ) )");
    expect(error).toMatchObject({ line: 1, column: 19 });
  });
});

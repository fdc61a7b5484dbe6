/**
 * Unit tests of the SOM lexer (interpreter/parser/lexer.ts) against SOM.md §1: every token form,
 * the recommended lexical choices, positions, and lexical errors with their exact positions.
 */

import { describe, expect, it } from 'vitest';
import { SomParseError } from '../../interpreter/errors.ts';
import { Lexer, type Token, type TokenKind } from '../../interpreter/parser/lexer.ts';

/** All tokens of `source` before the end of file. */
function tokens(source: string): Token[] {
  const lexer = new Lexer(source, 'Test.som');
  const out: Token[] = [];
  for (let token = lexer.next(); token.kind !== 'eof'; token = lexer.next()) out.push(token);
  return out;
}

/** The tokens as `kind text` strings: compact and readable in failure diffs. */
function lex(source: string): string[] {
  return tokens(source).map((t) => `${t.kind} ${t.text}`);
}

function kinds(source: string): TokenKind[] {
  return tokens(source).map((t) => t.kind);
}

/** The SomParseError thrown while lexing all of `source`. */
function lexError(source: string): SomParseError {
  try {
    tokens(source);
  } catch (error) {
    if (error instanceof SomParseError) return error;
    throw error;
  }
  throw new Error('expected a SomParseError');
}

describe('identifiers, keywords and primitive (§1.2)', () => {
  it('reads identifiers with letters, digits and underscores', () => {
    expect(lex('foo Foo_bar2 x1 a_')).toEqual([
      'identifier foo',
      'identifier Foo_bar2',
      'identifier x1',
      'identifier a_',
    ]);
  });

  it('reads reserved words as identifiers (the parser gives them meaning)', () => {
    expect(kinds('self super nil true false system')).toEqual(Array(6).fill('identifier'));
  });

  it('reads an identifier directly followed by a colon as a keyword', () => {
    expect(lex('at: ifTrue:')).toEqual(['keyword at:', 'keyword ifTrue:']);
  });

  it('does not produce keyword sequences outside a symbol', () => {
    expect(lex('at:put:')).toEqual(['keyword at:', 'keyword put:']);
  });

  it('does not glue the argument to the keyword: `x max:y` is max: then y', () => {
    expect(lex('x max:y')).toEqual(['identifier x', 'keyword max:', 'identifier y']);
  });

  it('reads `x:=3` as an assignment, not as a keyword', () => {
    expect(lex('x:=3')).toEqual(['identifier x', 'assign :=', 'integer 3']);
  });

  it('makes `primitive` a token only as a whole word', () => {
    expect(lex('primitive primitiveFoo primitive2 primitive:')).toEqual([
      'primitive primitive',
      'identifier primitiveFoo',
      'identifier primitive2',
      'keyword primitive:',
    ]);
  });

  it('accepts Unicode letters in identifiers, but not a leading underscore or digit', () => {
    expect(lex('größe été:')).toEqual(['identifier größe', 'keyword été:']);
    expect(kinds('_x')).toEqual(['illegal', 'identifier']);
    expect(lex('2x')).toEqual(['integer 2', 'identifier x']);
  });
});

describe('numbers (§1.5, §1.6)', () => {
  it('reads integers of any size as digit text', () => {
    expect(lex('0 42 123456789012345678901234567890')).toEqual([
      'integer 0',
      'integer 42',
      'integer 123456789012345678901234567890',
    ]);
  });

  it('reads doubles as digits, a period and digits', () => {
    expect(lex('1.0 3.14159 0.5')).toEqual(['double 1.0', 'double 3.14159', 'double 0.5']);
  });

  it('reads `1.` as an integer and a statement period, and `.5` as a period and 5', () => {
    expect(lex('1.')).toEqual(['integer 1', 'period .']);
    expect(lex('.5')).toEqual(['period .', 'integer 5']);
    expect(lex('1.x')).toEqual(['integer 1', 'period .', 'identifier x']);
  });

  it('has no exponent or radix syntax', () => {
    expect(lex('1e10')).toEqual(['integer 1', 'identifier e10']);
    expect(lex('16r1F')).toEqual(['integer 16', 'identifier r1F']);
    expect(lex('1.5e3')).toEqual(['double 1.5', 'identifier e3']);
  });

  it('leaves the minus of a negative number as its own token', () => {
    expect(lex('-5')).toEqual(['operator -', 'integer 5']);
    expect(lex('3 - -2')).toEqual(['integer 3', 'operator -', 'operator -', 'integer 2']);
    expect(lex('-2.5')).toEqual(['operator -', 'double 2.5']);
  });

  it('reads `3*-2` as the binary selector `*-`', () => {
    expect(lex('3*-2')).toEqual(['integer 3', 'operator *-', 'integer 2']);
  });
});

describe('strings (§1.7)', () => {
  it('decodes every escape of the table', () => {
    const [token] = tokens(String.raw`'\t\b\n\r\f\0\'\\'`);
    expect(token?.kind).toBe('string');
    expect(token?.text).toBe("\t\b\n\r\f\0'\\");
  });

  it('keeps other characters, including double quotes, as they are', () => {
    expect(tokens(`'a "b" c$;{'`)[0]?.text).toBe('a "b" c$;{');
  });

  it('turns each line break (LF, CRLF, CR) into one \\n', () => {
    expect(tokens("'a\nb\r\nc\rd'")[0]?.text).toBe('a\nb\nc\nd');
  });

  it('counts the lines inside a multi-line string', () => {
    const [, after] = tokens("'one\ntwo\r\nthree' x");
    expect(after).toMatchObject({ kind: 'identifier', line: 3, column: 8 });
  });

  it('reads the empty string', () => {
    expect(tokens("''")[0]).toMatchObject({ kind: 'string', text: '' });
  });

  it("reads 'it''s' as two adjacent strings (no doubled-quote escape)", () => {
    expect(lex("'it''s'")).toEqual(['string it', 'string s']);
  });
});

describe('symbols and literal arrays (§1.8, §1.9)', () => {
  it('reads unary, keyword and keyword-sequence symbols', () => {
    expect(lex('#foo #at: #at:put: #primitive #with:with:with:')).toEqual([
      'symbol foo',
      'symbol at:',
      'symbol at:put:',
      'symbol primitive',
      'symbol with:with:with:',
    ]);
  });

  it('reads binary symbols as a whole operator run', () => {
    expect(lex('#+ #<= #\\ #, #- #++++ #---- #-->')).toEqual([
      'symbol +',
      'symbol <=',
      'symbol \\',
      'symbol ,',
      'symbol -',
      'symbol ++++',
      'symbol ----',
      'symbol -->',
    ]);
  });

  it('reads string symbols with escapes', () => {
    expect(lex("#'hello world' #'a-b' #'it\\'s'")).toEqual(['symbol hello world', 'symbol a-b', "symbol it's"]);
  });

  it('takes a keyword sequence only when the whole run is `ident:` pieces', () => {
    expect(lex('#at:put')).toEqual(['symbol at:', 'identifier put']);
    expect(lex('#foo:bar:baz')).toEqual(['symbol foo:', 'keyword bar:', 'identifier baz']);
    expect(lex('#a:1:')).toEqual(['symbol a:', 'integer 1', 'colon :']);
    expect(lex('#a:b:1')).toEqual(['symbol a:', 'keyword b:', 'integer 1']);
  });

  it('ends a symbol at the first character that cannot continue it', () => {
    expect(lex('#foo)')).toEqual(['symbol foo', 'rparen )']);
    expect(lex('#at:put:.')).toEqual(['symbol at:put:', 'period .']);
  });

  it('reads `#(` as the start of a literal array', () => {
    expect(lex('#(1 #(2) #())')).toEqual([
      'arrayStart #(',
      'integer 1',
      'arrayStart #(',
      'integer 2',
      'rparen )',
      'arrayStart #(',
      'rparen )',
      'rparen )',
    ]);
  });
});

describe('operators and the separator (§1.3, §1.4)', () => {
  it('reads each run of operator characters as one binary selector', () => {
    const selectors = ['<=', '>=', '~=', '==', '<>', '//', '<<', '>>>', '&&', '||', '->', '-->', '++++'];
    expect(lex(selectors.join(' '))).toEqual(selectors.map((s) => `operator ${s}`));
  });

  it('knows every single operator character', () => {
    const chars = ['~', '&', '|', '*', '/', '\\', '+', '=', '>', '<', ',', '@', '%', '-'];
    expect(lex(chars.join(' '))).toEqual(chars.map((c) => `operator ${c}`));
  });

  it('reads four or more dashes as the separator, two or three as selectors', () => {
    expect(lex('---- ------------ -- ---')).toEqual([
      'separator ----',
      'separator ------------',
      'operator --',
      'operator ---',
    ]);
  });

  it('reads `||` as one token, so `[:a || t |` is not a parameter bar and a local bar', () => {
    expect(lex('[:a || t |')).toEqual([
      'lbracket [',
      'colon :',
      'identifier a',
      'operator ||',
      'identifier t',
      'operator |',
    ]);
  });

  it('reads the other punctuation', () => {
    expect(kinds('( ) [ ] : := ^ .')).toEqual([
      'lparen',
      'rparen',
      'lbracket',
      'rbracket',
      'colon',
      'assign',
      'caret',
      'period',
    ]);
  });

  it('marks characters that are not SOM as illegal tokens for the parser to report', () => {
    expect(lex('$ ; { } ! ?')).toEqual(['illegal $', 'illegal ;', 'illegal {', 'illegal }', 'illegal !', 'illegal ?']);
  });
});

describe('whitespace, comments and positions (§1.1)', () => {
  it('skips comments, also between tokens without spaces', () => {
    expect(lex('a"comment"b "x" c')).toEqual(['identifier a', 'identifier b', 'identifier c']);
  });

  it('skips multi-line comments and counts their lines', () => {
    expect(tokens('"one\ntwo\nthree" x')[0]).toMatchObject({ line: 3, column: 8 });
  });

  it('gives 1-based line and column for each token', () => {
    const ts = tokens('Foo = (\n  bar = ( ^1 )\n)');
    expect(ts.map((t) => [t.text, t.line, t.column])).toEqual([
      ['Foo', 1, 1],
      ['=', 1, 5],
      ['(', 1, 7],
      ['bar', 2, 3],
      ['=', 2, 7],
      ['(', 2, 9],
      ['^', 2, 11],
      ['1', 2, 12],
      [')', 2, 14],
      [')', 3, 1],
    ]);
  });

  it('treats tab and form feed as whitespace and CRLF or a lone CR as one line break', () => {
    expect(tokens('\ta\r\n\fb\rc').map((t) => [t.line, t.column])).toEqual([
      [1, 2],
      [2, 2],
      [3, 1],
    ]);
  });

  it('returns eof, with its position, again and again at the end', () => {
    const lexer = new Lexer('x\n  ', 'Test.som');
    lexer.next();
    expect(lexer.next()).toMatchObject({ kind: 'eof', line: 2, column: 3 });
    expect(lexer.next().kind).toBe('eof');
  });

  it('ignores a byte order mark at the start of the file', () => {
    expect(tokens('\uFEFFFoo')[0]).toMatchObject({ kind: 'identifier', text: 'Foo', column: 1 });
  });
});

describe('lexical errors', () => {
  it('rejects an unknown escape at the backslash, with the source line', () => {
    const error = lexError("x := 1.\ny := 'ab\\qc'.");
    expect(error).toMatchObject({
      file: 'Test.som',
      line: 2,
      column: 9,
      sourceLine: "y := 'ab\\qc'.",
    });
    expect(error.detail).toBe("Unknown escape sequence '\\q'");
  });

  it('rejects an unknown escape after a string that spans lines', () => {
    expect(lexError("'one\n  two \\x'")).toMatchObject({ line: 2, column: 7 });
  });

  it('rejects a backslash before a line break', () => {
    expect(lexError("'a\\\nb'").detail).toMatch(/^Unknown escape sequence/);
  });

  it('rejects an unterminated string at its opening quote', () => {
    const error = lexError("a\n  b := 'abc\ndef");
    expect(error).toMatchObject({ line: 2, column: 8, sourceLine: "  b := 'abc" });
    expect(error.detail).toMatch(/^Unterminated string/);
  });

  it('rejects a string that ends in a lone backslash as unterminated', () => {
    expect(lexError("'abc\\")).toMatchObject({ line: 1, column: 1 });
    expect(lexError("'abc\\").detail).toMatch(/^Unterminated string/);
  });

  it('rejects an unterminated comment at its opening quote', () => {
    const error = lexError('a "never\nclosed');
    expect(error).toMatchObject({ line: 1, column: 3 });
    expect(error.detail).toMatch(/^Unterminated comment/);
  });

  it('rejects an unterminated string symbol', () => {
    expect(lexError("x #'abc")).toMatchObject({ line: 1, column: 3 });
  });

  it('rejects a `#` that starts neither a symbol nor a literal array', () => {
    const error = lexError('x := # foo');
    expect(error).toMatchObject({ line: 1, column: 7 });
    expect(error.detail).toBe("Expected a symbol or '(' after '#', but found ' '");
  });

  it('formats the report as file:line:col, the line and a caret', () => {
    const error = lexError("  '\\q'");
    expect(error.message).toBe("Test.som:1:4: error: Unknown escape sequence '\\q'");
    expect(error.report()).toBe("Test.som:1:4: error: Unknown escape sequence '\\q'\n  '\\q'\n   ^");
  });
});

/**
 * The SOM lexer: turns source text into tokens, one at a time, for the parser (SOM.md §1).
 *
 * It is pull-based (`next()`), so a lexical error such as an unknown escape is reported only
 * when the parser reaches it, and errors always come out in source order. It scans char codes
 * by hand, without a regular expression per character, because the whole standard library is
 * read at every VM start.
 *
 * Decisions of SOM.md that live here:
 * - an identifier directly followed by `:` (but not `:=`) is a keyword; keyword sequences
 *   (`at:put:`) exist only inside a symbol literal, and only when the whole run of identifier
 *   characters and colons is made of `ident:` pieces (§1.2, recommended rule);
 * - `primitive` is its own token only as a whole word (§1.2);
 * - a run of operator characters is one binary selector, except that four or more `-` at the
 *   start of a run form the class-side separator (§1.3, §1.4);
 * - a `-` before a number is left as an operator token: the parser decides where it makes a
 *   negative literal (§1.5);
 * - `#` immediately followed by a symbol body gives one `symbol` token, `#(` an `arrayStart`.
 *
 * Positions are 1-based; a column counts UTF-16 code units from the start of its line. Line
 * breaks are LF, CRLF or a lone CR.
 */

import { SomParseError } from '../errors.ts';

export type TokenKind =
  | 'identifier' // foo, Foo_bar2, self, nil (reserved words are identifiers to the lexer)
  | 'primitive' // the whole word `primitive`
  | 'keyword' // at:
  | 'operator' // a binary selector: + - <= | = --> ...
  | 'separator' // ---- (four or more dashes)
  | 'integer' // 42 (text holds the digits)
  | 'double' // 3.14 (text holds the source text)
  | 'string' // 'abc' (text holds the decoded value)
  | 'symbol' // #foo #at:put: #+ #'a b' (text holds the symbol's characters)
  | 'arrayStart' // #(
  | 'lparen'
  | 'rparen'
  | 'lbracket'
  | 'rbracket'
  | 'colon'
  | 'assign' // :=
  | 'caret' // ^
  | 'period'
  | 'illegal' // a character that is not part of SOM ($ ; { } ! ? ...)
  | 'eof';

export class Token {
  constructor(
    readonly kind: TokenKind,
    /** Source text, except for strings and symbols, where it is the decoded value. */
    readonly text: string,
    readonly line: number,
    readonly column: number,
  ) {}
}

// Char codes used by the scanner.
const TAB = 9;
const LF = 10;
const FF = 12;
const CR = 13;
const SPACE = 32;
const DQUOTE = 34; // "
const HASH = 35; // #
const QUOTE = 39; // '
const LPAREN = 40;
const RPAREN = 41;
const MINUS = 45;
const PERIOD = 46;
const COLON = 58;
const EQUALS = 61;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const CARET = 94;
const UNDERSCORE = 95;
const BOM = 0xfeff;

/** The operator characters of §1.3, indexed by char code. */
const OPERATOR_CHARS = new Uint8Array(128);
for (const c of '~&|*/\\+=><,@%-') OPERATOR_CHARS[c.charCodeAt(0)] = 1;

/** The backslash escapes of §1.7: escape letter to the character it denotes. */
const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['t', '\t'],
  ['b', '\b'],
  ['n', '\n'],
  ['r', '\r'],
  ['f', '\f'],
  ['0', '\0'],
  ["'", "'"],
  ['\\', '\\'],
]);

/** Used only for non-ASCII characters: the grammar allows Unicode letters in identifiers. */
const UNICODE_LETTER = /^\p{L}$/u;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isOperatorChar(c: number): boolean {
  return c < 128 && OPERATOR_CHARS[c] === 1;
}

export class Lexer {
  /** Offset of the next unread character. */
  private pos = 0;
  private line = 1;
  /** Offset of the first character of the current line. */
  private lineStart = 0;

  constructor(
    private readonly source: string,
    readonly file: string,
  ) {
    if (source.charCodeAt(0) === BOM) this.pos = this.lineStart = 1;
  }

  /** Reads and returns the next token; at the end it returns `eof` tokens forever. */
  next(): Token {
    this.skipWhitespaceAndComments();
    const line = this.line;
    const column = this.pos - this.lineStart + 1;
    if (this.pos >= this.source.length) return new Token('eof', '', line, column);
    const c = this.source.charCodeAt(this.pos);
    if (isDigit(c)) return this.number(line, column);
    if (this.letterLength(this.pos) > 0) return this.word(line, column);
    if (c === QUOTE) return new Token('string', this.stringBody(line, column), line, column);
    if (c === HASH) return this.hash(line, column);
    if (isOperatorChar(c)) return this.operator(line, column);
    return this.punctuation(c, line, column);
  }

  /** Throws a SomParseError at the given position of this lexer's source. */
  fail(line: number, column: number, detail: string): never {
    const sourceLine = this.source.split(/\r\n|\r|\n/)[line - 1] ?? '';
    throw new SomParseError(this.file, line, column, detail, sourceLine);
  }

  // ---- whitespace, comments, line bookkeeping ----

  private skipWhitespaceAndComments(): void {
    const src = this.source;
    while (this.pos < src.length) {
      const c = src.charCodeAt(this.pos);
      if (c === SPACE || c === TAB || c === FF) this.pos++;
      else if (c === LF || c === CR) this.lineBreak(c);
      else if (c === DQUOTE) this.comment();
      else return;
    }
  }

  /** Consumes the line break at `pos` (CRLF counts once) and starts a new line. */
  private lineBreak(c: number): void {
    this.pos++;
    if (c === CR && this.source.charCodeAt(this.pos) === LF) this.pos++;
    this.line++;
    this.lineStart = this.pos;
  }

  private comment(): void {
    const line = this.line;
    const column = this.pos - this.lineStart + 1;
    this.pos++;
    while (this.pos < this.source.length) {
      const c = this.source.charCodeAt(this.pos);
      if (c === DQUOTE) {
        this.pos++;
        return;
      }
      if (c === LF || c === CR) this.lineBreak(c);
      else this.pos++;
    }
    this.fail(line, column, "Unterminated comment: expected a closing '\"', but found end of file");
  }

  // ---- identifiers, keywords, primitive ----

  /** Length in code units of the letter at `at` (0 if none): ASCII fast, Unicode via a regex. */
  private letterLength(at: number): number {
    const c = this.source.charCodeAt(at);
    if (c < 128) return isAsciiLetter(c) ? 1 : 0;
    const cp = this.source.codePointAt(at);
    if (cp === undefined) return 0;
    const ch = String.fromCodePoint(cp);
    return UNICODE_LETTER.test(ch) ? ch.length : 0;
  }

  /** Offset just past the identifier that starts at `at` (a letter there is assumed). */
  private identifierEnd(at: number): number {
    const src = this.source;
    let end = at + this.letterLength(at);
    for (;;) {
      const c = src.charCodeAt(end);
      if (isDigit(c) || c === UNDERSCORE) end++;
      else {
        const n = this.letterLength(end);
        if (n === 0) return end;
        end += n;
      }
    }
  }

  /** True if a `:` at `at` makes a keyword, that is, it does not start `:=`. */
  private isKeywordColon(at: number): boolean {
    return this.source.charCodeAt(at) === COLON && this.source.charCodeAt(at + 1) !== EQUALS;
  }

  private word(line: number, column: number): Token {
    const start = this.pos;
    let end = this.identifierEnd(start);
    let kind: TokenKind = 'identifier';
    if (this.isKeywordColon(end)) {
      end++;
      kind = 'keyword';
    }
    this.pos = end;
    const text = this.source.slice(start, end);
    return new Token(text === 'primitive' ? 'primitive' : kind, text, line, column);
  }

  // ---- numbers ----

  /** Digits, or digits '.' digits: a `.` not followed by a digit ends the statement instead. */
  private number(line: number, column: number): Token {
    const start = this.pos;
    this.skipDigits();
    let kind: TokenKind = 'integer';
    if (this.source.charCodeAt(this.pos) === PERIOD && isDigit(this.source.charCodeAt(this.pos + 1))) {
      this.pos++;
      this.skipDigits();
      kind = 'double';
    }
    return new Token(kind, this.source.slice(start, this.pos), line, column);
  }

  private skipDigits(): void {
    while (isDigit(this.source.charCodeAt(this.pos))) this.pos++;
  }

  // ---- strings ----

  /** Reads a string literal whose `'` is at `pos` and returns its decoded value. */
  private stringBody(line: number, column: number): string {
    const src = this.source;
    this.pos++;
    let value = '';
    let chunkStart = this.pos;
    while (this.pos < src.length) {
      const c = src.charCodeAt(this.pos);
      if (c === QUOTE) {
        value += src.slice(chunkStart, this.pos);
        this.pos++;
        return value;
      }
      if (c === BACKSLASH) {
        value += src.slice(chunkStart, this.pos) + this.escape();
        chunkStart = this.pos;
      } else if (c === LF || c === CR) {
        value += src.slice(chunkStart, this.pos) + '\n';
        this.lineBreak(c);
        chunkStart = this.pos;
      } else this.pos++;
    }
    return this.fail(line, column, 'Unterminated string: expected a closing "\'", but found end of file');
  }

  /** Decodes the escape whose backslash is at `pos` and moves past it. */
  private escape(): string {
    const column = this.pos - this.lineStart + 1;
    const letter = this.source.charAt(this.pos + 1);
    const value = ESCAPES.get(letter);
    if (value === undefined) {
      if (letter === '') {
        // End of input: the string is unterminated, which the caller's loop reports.
        this.pos++;
        return '';
      }
      const shown = letter === '\n' || letter === '\r' ? "'\\' before a line break" : `'\\${letter}'`;
      this.fail(this.line, column, `Unknown escape sequence ${shown}`);
    }
    this.pos += 2;
    return value;
  }

  // ---- symbols and literal arrays ----

  /** `#(`, or a symbol literal of one of the four forms of §1.8. */
  private hash(line: number, column: number): Token {
    const at = this.pos + 1;
    const c = this.source.charCodeAt(at);
    this.pos = at;
    if (c === LPAREN) {
      this.pos++;
      return new Token('arrayStart', '#(', line, column);
    }
    if (c === QUOTE) return new Token('symbol', this.stringBody(line, column), line, column);
    if (isOperatorChar(c)) return new Token('symbol', this.operatorRun(), line, column);
    if (this.letterLength(at) > 0) return new Token('symbol', this.selectorRun(), line, column);
    const found = at >= this.source.length ? 'end of file' : `'${this.source.charAt(at)}'`;
    return this.fail(line, column + 1, `Expected a symbol or '(' after '#', but found ${found}`);
  }

  /**
   * The selector of `#foo`, `#at:` or `#at:put:`: a keyword sequence is taken only when the whole
   * run of identifier characters and colons is `ident:` pieces; otherwise a single identifier or
   * keyword, and the rest is lexed as ordinary tokens.
   */
  private selectorRun(): string {
    const start = this.pos;
    const first = this.identifierEnd(start);
    if (!this.isKeywordColon(first)) return this.take(start, first);
    const single = first + 1;
    let end = single;
    while (this.letterLength(end) > 0) {
      const pieceEnd = this.identifierEnd(end);
      if (this.source.charCodeAt(pieceEnd) !== COLON) return this.take(start, single);
      end = pieceEnd + 1;
    }
    return this.take(start, this.runEndsAt(end) ? end : single);
  }

  /** True if the run of identifier characters and colons stops at `at`. */
  private runEndsAt(at: number): boolean {
    const c = this.source.charCodeAt(at);
    return !(c === COLON || c === UNDERSCORE || isDigit(c) || this.letterLength(at) > 0);
  }

  private take(start: number, end: number): string {
    this.pos = end;
    return this.source.slice(start, end);
  }

  // ---- operators and punctuation ----

  /** A binary selector, or the separator when the run starts with four or more dashes. */
  private operator(line: number, column: number): Token {
    const src = this.source;
    let dashes = 0;
    while (src.charCodeAt(this.pos + dashes) === MINUS) dashes++;
    if (dashes >= 4) {
      return new Token('separator', this.take(this.pos, this.pos + dashes), line, column);
    }
    return new Token('operator', this.operatorRun(), line, column);
  }

  private operatorRun(): string {
    const start = this.pos;
    while (isOperatorChar(this.source.charCodeAt(this.pos))) this.pos++;
    return this.source.slice(start, this.pos);
  }

  private punctuation(c: number, line: number, column: number): Token {
    const kind = this.punctuationKind(c);
    const length = kind === 'assign' ? 2 : kind === 'illegal' ? this.illegalLength() : 1;
    return new Token(kind, this.take(this.pos, this.pos + length), line, column);
  }

  private punctuationKind(c: number): TokenKind {
    switch (c) {
      case LPAREN:
        return 'lparen';
      case RPAREN:
        return 'rparen';
      case LBRACKET:
        return 'lbracket';
      case RBRACKET:
        return 'rbracket';
      case CARET:
        return 'caret';
      case PERIOD:
        return 'period';
      case COLON:
        return this.source.charCodeAt(this.pos + 1) === EQUALS ? 'assign' : 'colon';
      default:
        return 'illegal';
    }
  }

  /** An illegal character is one code point, which may be two UTF-16 units. */
  private illegalLength(): number {
    const cp = this.source.codePointAt(this.pos) ?? 0;
    return cp > 0xffff ? 2 : 1;
  }
}

/**
 * Json (AWFY macro benchmark): a hand-written recursive-descent JSON parser (after
 * minimal-json) run over a RAP protocol message of 156 operations. Exercises string
 * handling, small objects and polymorphism. Verification: the result is an object whose
 * `head` is an object and whose `operations` is an array of 156 values.
 *
 * The document is read, once and outside the timed loop, from the SOM source
 * benchmarks/som/Json/JsonRapDocument.som, so both versions parse the same text. As in
 * AWFY's JavaScript version, characters are tested with chains of === comparisons, not with
 * range tests or regular expressions: the SOM version does the same work in SOM code.
 */
import { readFileSync } from 'node:fs';
import { Benchmark } from './benchmark.mjs';
import { Vector } from './core.mjs';

const DOCUMENT_SOURCE = new URL('../som/Json/JsonRapDocument.som', import.meta.url);

/** Extracts the string literal that JsonRapDocument.som's text method answers (no escapes). */
function loadDocument() {
  const source = readFileSync(DOCUMENT_SOURCE, 'utf8');
  const match = /\^\s*'([^']*)'/.exec(source);
  if (match === null || match[1].includes('\\')) {
    throw new Error('JsonRapDocument.som must hold one string literal without escapes');
  }
  return match[1];
}

class JsonValue {
  isObject() {
    return false;
  }

  isArray() {
    return false;
  }
}

class JsonArray extends JsonValue {
  constructor() {
    super();
    this.values = new Vector();
  }

  add(value) {
    this.values.append(value);
  }

  size() {
    return this.values.size();
  }

  isArray() {
    return true;
  }
}

/** Maps a name to a slot of a 32-entry table of (index + 1); 0 means "not cached". */
class HashIndexTable {
  constructor() {
    this.hashTable = new Array(32).fill(0);
  }

  add(name, index) {
    const slot = this.hashSlotFor(name);
    this.hashTable[slot] = index < 255 ? (index + 1) & 0xff : 0;
  }

  get(name) {
    return (this.hashTable[this.hashSlotFor(name)] & 0xff) - 1;
  }

  hashSlotFor(name) {
    return this.stringHash(name) & (this.hashTable.length - 1);
  }

  /** Not a proper hash, but portable and the same in every language: the length. */
  stringHash(name) {
    return name.length * 1402589;
  }
}

class JsonObject extends JsonValue {
  constructor() {
    super();
    this.names = new Vector();
    this.values = new Vector();
    this.table = new HashIndexTable();
  }

  add(name, value) {
    if (name === null) throw new Error('name is null');
    if (value === null) throw new Error('value is null');
    this.table.add(name, this.names.size());
    this.names.append(name);
    this.values.append(value);
  }

  get(name) {
    const index = this.indexOf(name);
    return index === -1 ? null : this.values.at(index);
  }

  indexOf(name) {
    const index = this.table.get(name);
    if (index !== -1 && name === this.names.at(index)) return index;
    for (let i = this.names.size() - 1; i >= 0; i--) {
      if (name === this.names.at(i)) return i;
    }
    return -1;
  }

  isObject() {
    return true;
  }
}

class JsonString extends JsonValue {
  constructor(string) {
    super();
    this.string = string;
  }
}

class JsonNumber extends JsonValue {
  constructor(string) {
    super();
    this.string = string;
  }
}

class JsonLiteral extends JsonValue {
  constructor(value) {
    super();
    this.value = value;
  }
}

const NULL = new JsonLiteral('null');
const TRUE = new JsonLiteral('true');
const FALSE = new JsonLiteral('false');

class JsonParser {
  constructor(input) {
    this.input = input;
    this.index = -1;
    this.line = 1;
    this.column = 0;
    this.current = null;
    this.captureBuffer = '';
    this.captureStart = -1;
  }

  parse() {
    this.read();
    this.skipWhiteSpace();
    const result = this.readValue();
    this.skipWhiteSpace();
    if (this.current !== null) throw this.error('Unexpected character');
    return result;
  }

  readValue() {
    switch (this.current) {
      case 'n':
        return this.readNull();
      case 't':
        return this.readTrue();
      case 'f':
        return this.readFalse();
      case '"':
        return this.readString();
      case '[':
        return this.readArray();
      case '{':
        return this.readObject();
      case '-':
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
      case '8':
      case '9':
        return this.readNumber();
      default:
        throw this.expected('value');
    }
  }

  readArray() {
    this.read();
    const array = new JsonArray();
    this.skipWhiteSpace();
    if (this.readChar(']')) return array;
    do {
      this.skipWhiteSpace();
      array.add(this.readValue());
      this.skipWhiteSpace();
    } while (this.readChar(','));
    if (!this.readChar(']')) throw this.expected("',' or ']'");
    return array;
  }

  readObject() {
    this.read();
    const object = new JsonObject();
    this.skipWhiteSpace();
    if (this.readChar('}')) return object;
    do {
      this.skipWhiteSpace();
      const name = this.readName();
      this.skipWhiteSpace();
      if (!this.readChar(':')) throw this.expected("':'");
      this.skipWhiteSpace();
      object.add(name, this.readValue());
      this.skipWhiteSpace();
    } while (this.readChar(','));
    if (!this.readChar('}')) throw this.expected("',' or '}'");
    return object;
  }

  readName() {
    if (this.current !== '"') throw this.expected('name');
    return this.readStringInternal();
  }

  readNull() {
    this.read();
    this.readRequiredChar('u');
    this.readRequiredChar('l');
    this.readRequiredChar('l');
    return NULL;
  }

  readTrue() {
    this.read();
    this.readRequiredChar('r');
    this.readRequiredChar('u');
    this.readRequiredChar('e');
    return TRUE;
  }

  readFalse() {
    this.read();
    this.readRequiredChar('a');
    this.readRequiredChar('l');
    this.readRequiredChar('s');
    this.readRequiredChar('e');
    return FALSE;
  }

  readString() {
    return new JsonString(this.readStringInternal());
  }

  readRequiredChar(ch) {
    if (!this.readChar(ch)) throw this.expected(`'${ch}'`);
  }

  readStringInternal() {
    this.read();
    this.startCapture();
    while (this.current !== '"') {
      if (this.current === '\\') {
        this.pauseCapture();
        this.readEscape();
        this.startCapture();
      } else if (this.current === null) {
        throw this.expected('valid string character');
      } else {
        this.read();
      }
    }
    const string = this.endCapture();
    this.read();
    return string;
  }

  readEscape() {
    this.read();
    switch (this.current) {
      case '"':
      case '/':
      case '\\':
        this.captureBuffer += this.current;
        break;
      case 'b':
        this.captureBuffer += '\b';
        break;
      case 'f':
        this.captureBuffer += '\f';
        break;
      case 'n':
        this.captureBuffer += '\n';
        break;
      case 'r':
        this.captureBuffer += '\r';
        break;
      case 't':
        this.captureBuffer += '\t';
        break;
      default:
        throw this.expected('valid escape sequence');
    }
    this.read();
  }

  readNumber() {
    this.startCapture();
    this.readChar('-');
    const firstDigit = this.current;
    if (!this.readDigit()) throw this.expected('digit');
    if (firstDigit !== '0') {
      while (this.readDigit());
    }
    this.readFraction();
    this.readExponent();
    return new JsonNumber(this.endCapture());
  }

  readFraction() {
    if (!this.readChar('.')) return false;
    if (!this.readDigit()) throw this.expected('digit');
    while (this.readDigit());
    return true;
  }

  readExponent() {
    if (!this.readChar('e') && !this.readChar('E')) return false;
    if (!this.readChar('+')) this.readChar('-');
    if (!this.readDigit()) throw this.expected('digit');
    while (this.readDigit());
    return true;
  }

  readChar(ch) {
    if (this.current !== ch) return false;
    this.read();
    return true;
  }

  readDigit() {
    if (!this.isDigit()) return false;
    this.read();
    return true;
  }

  skipWhiteSpace() {
    while (this.isWhiteSpace()) this.read();
  }

  read() {
    if (this.current === '\n') {
      this.line += 1;
      this.column = 0;
    }
    this.index += 1;
    this.column += 1;
    this.current = this.index < this.input.length ? this.input.charAt(this.index) : null;
  }

  startCapture() {
    this.captureStart = this.index;
  }

  pauseCapture() {
    this.captureBuffer += this.input.substring(this.captureStart, this.index);
    this.captureStart = -1;
  }

  endCapture() {
    let captured;
    if (this.captureBuffer === '') {
      captured = this.input.substring(this.captureStart, this.index);
    } else {
      this.pauseCapture();
      captured = this.captureBuffer;
      this.captureBuffer = '';
    }
    this.captureStart = -1;
    return captured;
  }

  expected(expected) {
    if (this.current === null) return this.error('Unexpected end of input');
    return this.error(`Expected ${expected}`);
  }

  error(message) {
    return new Error(`${message} at ${this.line}:${this.column}`);
  }

  isWhiteSpace() {
    return this.current === ' ' || this.current === '\t' || this.current === '\n' || this.current === '\r';
  }

  isDigit() {
    return (
      this.current === '0' ||
      this.current === '1' ||
      this.current === '2' ||
      this.current === '3' ||
      this.current === '4' ||
      this.current === '5' ||
      this.current === '6' ||
      this.current === '7' ||
      this.current === '8' ||
      this.current === '9'
    );
  }
}

export class Json extends Benchmark {
  constructor() {
    super();
    this.document = loadDocument();
  }

  benchmark() {
    return new JsonParser(this.document).parse();
  }

  verifyResult(result) {
    if (!result.isObject()) return false;
    const head = result.get('head');
    if (head === null || !head.isObject()) return false;
    const operations = result.get('operations');
    if (operations === null || !operations.isArray()) return false;
    return operations.size() === 156;
  }
}

/**
 * The only way a compile-time value becomes source text (STYLE.md §2.5): numbers, strings,
 * booleans, null and bigints inline as literals; every object by reference into the compiled
 * function's constant table, so no raw value is ever pasted into code. Comment text goes
 * through here too (`jsCommentText`): a dump must differ from the running code only in
 * comments, so no value shown in a comment may end the comment's line.
 */

/**
 * The characters that end a line in JavaScript (ECMA-262 LineTerminator), with their escapes.
 * Any of them ends a `//` comment; U+2028 and U+2029 are legal raw inside string literals
 * (ES2019), but escaped they are safe in any position and readable in a dump.
 */
const LINE_TERMINATOR_ESCAPES: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\r': '\\r',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/g;

function escapeLineTerminators(text: string): string {
  return text.replace(LINE_TERMINATOR, (c) => LINE_TERMINATOR_ESCAPES[c]!);
}

/** Objects referenced by one compiled function, each under a fixed local name. */
export class ConstantTable {
  readonly values: unknown[] = [];
  private readonly index = new Map<unknown, number>();

  /** The local name holding `value` in the compiled function (`k3`). */
  nameOf(value: unknown): string {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.push(value) - 1;
      this.index.set(value, i);
    }
    return localName(i);
  }

  /** One declaration per constant, binding its local name to its entry of the array `table`. */
  declarations(table: string): string[] {
    return this.values.map((_, i) => `const ${localName(i)} = ${table}[${i}];`);
  }
}

function localName(index: number): string {
  return `k${index}`;
}

export function jsLiteral(value: unknown, constants: ConstantTable): string {
  switch (typeof value) {
    case 'number':
      return parenthesiseNegative(Object.is(value, -0) ? '-0' : String(value));
    case 'bigint':
      return parenthesiseNegative(`${value}n`);
    case 'string':
      // JSON.stringify escapes quotes, backslashes, CR and LF, but leaves U+2028 and U+2029 raw.
      return escapeLineTerminators(JSON.stringify(value));
    case 'boolean':
      return String(value);
    case 'undefined':
      return 'undefined';
    default:
      return value === null ? 'null' : constants.nameOf(value);
  }
}

/** `-3` as `(-3)`: safe after any operator (`x - (-3)`, where `x --3` would not parse). */
function parenthesiseNegative(text: string): string {
  return text.startsWith('-') ? `(${text})` : text;
}

/** `text` made safe to follow `//`: every line terminator in it written as its escape. */
export function jsCommentText(text: string): string {
  return escapeLineTerminators(text);
}

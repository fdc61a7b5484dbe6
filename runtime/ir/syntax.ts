/**
 * The lexical facts of the IR text form, shared by the printer (which writes them) and the
 * parser (which reads them back), so that the two cannot drift apart.
 *
 * - Values: kind letter + number (`i3` int, `f4` float, `b5` bool, `r6` ref).
 * - Snapshots `s2`, virtual objects `v0`, dead slots `_`.
 * - Constants, after `#`: ints `#-12`; floats always with a dot or as a special value
 *   (`#1.0`, `#-0.0`, `#1.5e-7`, `#NaN`, `#-Infinity`), so `#1` is an int and `#1.0` a float;
 *   `#true` `#false`; `#null`; a ref that is a number or boolean takes the suffix `:ref`
 *   (`#5:ref`, `#true:ref`); any other object by its label, bare when it is an identifier with
 *   dots, colons and `>` allowed (`#Double.value`, `#Loop>>run`, `#Array>>at:put:`) and not one of
 *   the literal words, else quoted with `''` for a quote (`#'Integer>>+'`, `#'it''s'`).
 */
import type { Constant, OperandContext } from './trace.ts';
import { KIND_LETTER, type Operand, type ValueKind, isConstant } from './types.ts';
import type { SnapValue } from './snapshot.ts';

const BARE_LABEL = /^[A-Za-z_$][A-Za-z0-9_$.:>]*$/;
const LITERAL_WORD = /^(null|true|false|NaN|Infinity)(:ref)?$/;
const INT_TEXT = /^-?[0-9]+$/;
const FLOAT_TEXT = /^(-?([0-9]+\.[0-9]+(e[+-]?[0-9]+)?|Infinity)|NaN)$/;
const REF_SUFFIX = ':ref';

/** Characters that end a bare word (a constant, a name, an operation) in the text form. */
export const WORD_END = /[\s[\]()|=;@]/;

export const DEAD_TEXT = '_';

const LETTER_KIND: Readonly<Record<string, ValueKind>> = Object.fromEntries(
  Object.entries(KIND_LETTER).map(([kind, letter]) => [letter, kind as ValueKind]),
);

export function valueName(kind: ValueKind, ref: number): string {
  return KIND_LETTER[kind] + String(ref);
}

/** `i3` -> { kind: 'int', number: 3 }, or null if the word is not a value name. */
export function parseValueName(word: string): { kind: ValueKind; number: number } | null {
  const match = /^([a-z])(0|[1-9][0-9]*)$/.exec(word);
  const kind = match === null ? undefined : LETTER_KIND[match[1] ?? ''];
  return kind === undefined || match === null ? null : { kind, number: Number(match[2]) };
}

/** `s4` / `v1` -> 4 / 1 for the given prefix letter, or null. */
export function parseIndexedName(word: string, prefix: 's' | 'v'): number | null {
  const match = /^([sv])(0|[1-9][0-9]*)$/.exec(word);
  return match !== null && match[1] === prefix ? Number(match[2]) : null;
}

export function labelText(label: string): string {
  return BARE_LABEL.test(label) && !LITERAL_WORD.test(label) ? label : `'${label.replaceAll("'", "''")}'`;
}

/** A double written so that it reads back as a float and as the same number. */
export function floatText(value: number): string {
  if (Object.is(value, -0)) return '-0.0';
  const text = String(value);
  if (INT_TEXT.test(text)) return `${text}.0`;
  if (/^-?[0-9]+e/.test(text)) return text.replace('e', '.0e');
  return text;
}

function literalText(value: unknown): string {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : floatText(value);
  }
  return String(value);
}

export function constantText(constant: Constant): string {
  if (constant.label !== null) return `#${labelText(constant.label)}`;
  switch (constant.kind) {
    case 'float':
      return `#${floatText(constant.value as number)}`;
    case 'ref':
      return constant.value === null ? '#null' : `#${literalText(constant.value)}${REF_SUFFIX}`;
    case 'int':
    case 'bool':
      return `#${literalText(constant.value)}`;
  }
}

/** How an operand is written: its value name or its constant. */
export function operandText(context: OperandContext, operand: Operand): string {
  return isConstant(operand)
    ? constantText(context.constants.get(operand))
    : valueName(context.kindOf(operand), operand);
}

export function snapValueText(context: OperandContext, value: SnapValue): string {
  if (value === null) return DEAD_TEXT;
  return typeof value === 'number' ? operandText(context, value) : `v${value.index}`;
}

/** A literal constant read from the word after `#`, a label to look up, or an error message. */
export type ConstantWord =
  | { readonly literal: true; readonly kind: ValueKind; readonly value: unknown }
  | { readonly literal: false; readonly label: string };

/** Reads a bare word after `#` (quoted labels are the lexer's business); a string is an error. */
export function parseConstantWord(word: string): ConstantWord | string {
  if (BARE_LABEL.test(word) && !LITERAL_WORD.test(word)) return { literal: false, label: word };
  const asRef = word.endsWith(REF_SUFFIX);
  const literal = literalOf(asRef ? word.slice(0, -REF_SUFFIX.length) : word);
  if (typeof literal === 'string' || !asRef || !literal.literal) return literal;
  return { literal: true, kind: 'ref', value: literal.value };
}

function literalOf(text: string): ConstantWord | string {
  switch (text) {
    case 'true':
    case 'false':
      return { literal: true, kind: 'bool', value: text === 'true' };
    case 'null':
      return { literal: true, kind: 'ref', value: null };
  }
  if (INT_TEXT.test(text)) {
    const value = Number(text);
    if (!Number.isSafeInteger(value)) return `int constant ${text} is not a safe integer (write a float with a dot)`;
    if (Object.is(value, -0)) return 'an int constant cannot be -0 (write #-0.0 for the float)';
    return { literal: true, kind: 'int', value };
  }
  if (FLOAT_TEXT.test(text)) return { literal: true, kind: 'float', value: Number(text) };
  return `a constant (a number, true, false, null or a label), found '#${text}'`;
}

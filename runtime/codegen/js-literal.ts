/**
 * The only way a compile-time value becomes source text (STYLE.md §2.5): numbers, strings,
 * booleans, null and bigints inline as literals; every object by reference into the compiled
 * function's constant table, so no raw value is ever pasted into code.
 */

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
    return `k${i}`;
  }
}

export function jsLiteral(value: unknown, constants: ConstantTable): string {
  switch (typeof value) {
    case 'number': {
      const text = Object.is(value, -0) ? '-0' : String(value);
      return text.startsWith('-') ? `(${text})` : text; // safe after any operator
    }
    case 'bigint':
      return `${value}n`;
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return String(value);
    case 'undefined':
      return 'undefined';
    default:
      return value === null ? 'null' : constants.nameOf(value);
  }
}

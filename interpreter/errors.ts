/**
 * Error classes of the VM, split by whose fault they are.
 *
 * - `SomParseError`: the user's source does not parse or compile (file, line, column, what was
 *   expected). Printed as `file:line:col: error: message`, then the source line and a caret.
 * - `SomRuntimeError`: the user's program failed in a way the VM reports itself (a primitive
 *   rejected its argument, stack overflow). Printed as a SOM-level backtrace.
 * - `VmInternalError`: a broken invariant in our own code. Printed with the JS stack, because
 *   then the JS stack is what a VM developer needs.
 *
 * None of the user-facing errors ever shows a JavaScript stack trace.
 */

export class SomParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
    /** The text of the offending source line, without its line break ('' if unknown). */
    readonly sourceLine: string,
  ) {
    super(`${file}:${line}:${column}: error: ${detail}`);
    this.name = 'SomParseError';
  }

  /** The report printed to stderr: the message, the source line and a caret under the column. */
  report(): string {
    const caret = ' '.repeat(Math.max(0, this.column - 1)) + '^';
    return this.sourceLine === '' ? this.message : `${this.message}\n${this.sourceLine}\n${caret}`;
  }
}

export class VmInternalError extends Error {
  constructor(message: string) {
    super(`VM internal error (this is a VM bug): ${message}`);
    this.name = 'VmInternalError';
  }
}

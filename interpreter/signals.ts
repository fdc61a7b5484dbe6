/**
 * Control-flow signals and the SOM runtime error.
 *
 * `NonLocalReturn` and `SystemExit` are plain classes, not `Error`s: throwing one captures no
 * JS stack, and only the activation code (`invoke.ts`) and the top-level runner catch them.
 * `SomRuntimeError` is a failure of the user's program that the VM detects itself (a primitive
 * rejected an argument, the stack overflowed); it is reported as a SOM backtrace, never with a
 * JS stack. The innermost activation it passes through records itself as `frame`.
 */
import type { Frame } from './model/frame.ts';
import type { SomValue } from './model/objects.ts';

/** `^value` from a block: unwinds to the activation `home`, which returns `value`. */
export class NonLocalReturn {
  constructor(
    readonly home: Frame,
    readonly value: SomValue,
  ) {}
}

/** `system exit: code`: ends the program; the runner flushes output and exits. */
export class SystemExit {
  /** The innermost activation when exit: ran (set while unwinding), for error backtraces. */
  frame: Frame | null = null;
  constructor(readonly code: number) {}
}

export class SomRuntimeError {
  /** The innermost SOM activation active when the error happened (set while unwinding). */
  frame: Frame | null = null;
  constructor(readonly message: string) {}
}

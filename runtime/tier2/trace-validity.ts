/**
 * Whether a compiled trace may still run: the trace's side of invalidation (issue #10 item 4).
 *
 * A recording folds what it read from the interpreter's caches as constants: send-site inline
 * caches (so method lookups), the globals a `PUSH_GLOBAL` read, the methods it inlined. Those
 * are RPython's quasi-immutable values: they almost never change, so the trace does not test
 * them; instead, each trace has one `TraceValidity` that the runtime registers with everything
 * it depends on (a class's lookup, as a `LookupDependent`; the globals), and that flips to
 * invalid when one of them changes.
 *
 * Two places look at it:
 * - the runtime, before it enters a trace (an invalid trace is dropped from its loop header);
 * - the trace itself, after every residual call, since the callee may be what changes a method
 *   array or a global: the recorder emits `guard_true(getfield(validity, valid))` at the start
 *   of the instruction after a call (`VALIDITY_FIELD`), so a trace invalidated under its own
 *   feet leaves at once, with the state after the call, and the interpreter sees the change.
 *   (RPython's `guard_not_invalidated`, written with the IR's existing load and guard.)
 */
import type { LookupDependent } from '../../interpreter/model/class.ts';
import type { SomSymbol } from '../../interpreter/model/objects.ts';
import type { GlobalDependent } from '../../interpreter/vm-state.ts';
import { FieldDescr } from '../ir/descriptors.ts';

export class TraceValidity implements LookupDependent, GlobalDependent {
  /** False once anything the trace folded has changed; never true again. */
  valid = true;
  /** Why it became invalid (for the jit log), null while valid. */
  reason: string | null = null;

  constructor(
    /** What the trace is, for messages: its loop header. */
    readonly label: string,
  ) {}

  invalidate(reason: string): void {
    if (!this.valid) return;
    this.valid = false;
    this.reason = reason;
  }

  lookupChanged(): void {
    this.invalidate('a method lookup changed');
  }

  globalChanged(name: SomSymbol): void {
    this.invalidate(`global ${name.s} was bound`);
  }
}

/** The IR field of `TraceValidity.valid`: mutable, so no load of it is forwarded across a call. */
export const VALIDITY_FIELD = new FieldDescr('Validity.valid', 'valid', 'bool', false);

/**
 * Block primitives (SOM.md §9.4) and the native `Block>>#whileTrue:` / `#whileFalse:`.
 *
 * Evaluation goes through `callBlock`, which runs the closure in a new activation whose
 * caller is the activation that sent `value`; non-local returns and `escapedBlock:` are
 * handled there (invoke.ts). Each `value` primitive checks that the block takes the number of
 * arguments its class promises: only `invokeOn:with:` could break that, and it must not
 * write arguments into a block's local slots.
 *
 * The loops are native (as in JsSOM, allowed by SOM.md §7.1) instead of the official
 * core-lib's `restart`-based definitions, which this VM does not support: `Block>>#restart`
 * is a fatal error. They behave as our library's `[ self value ] whileTrue: [ block value ].
 * ^nil` compiled with the loop inlined: the receiver and the argument get `value` sent (a
 * block is run directly, anything else gets a real send), and a condition that is not a
 * Boolean is sent `ifFalse:` (`ifTrue:` for whileFalse:), which is where the library loop
 * fails, after which the loop answers nil. The one difference: that send's argument is nil
 * here and an empty block in the compiled library loop; both answer nil to `value`.
 */
import type { Frame } from '../model/frame.ts';
import { SomBlock, type SomValue } from '../model/objects.ts';
import { callBlock, sendMessage } from '../invoke.ts';
import { vm } from '../vm-state.ts';
import { SomRuntimeError } from '../signals.ts';
import { blockReceiver, checkArity } from './operands.ts';
import type { ClassPrimitives } from './registry.ts';

const NO_ARGS: readonly SomValue[] = [];

/** Runs `block` with `args`, after checking that it takes exactly that many. */
function evaluate(caller: Frame, rcvr: SomValue, args: readonly SomValue[]): SomValue {
  const block = blockReceiver(rcvr);
  checkArity(args.length, block.method.numArgs);
  return callBlock(caller, block, args);
}

/** `x value`: a block runs (missing parameters are nil, as Block2/3>>#value pass), others are sent `value`. */
function valueOf(caller: Frame, x: SomValue): SomValue {
  if (x instanceof SomBlock) return callBlock(caller, x, NO_ARGS);
  return sendMessage(caller, x, vm.symbols.value, NO_ARGS);
}

/** Where the inlined library loop fails on a non-Boolean condition: it sends `ifFalse:` (`ifTrue:`). */
function notABoolean(caller: Frame, test: SomValue, continueOn: boolean): void {
  sendMessage(caller, test, vm.services.symbol(continueOn ? 'ifFalse:' : 'ifTrue:'), [null]);
}

/** The native loop: runs `body` while `condition` evaluates to `continueOn`; answers nil. */
function whileLoop(caller: Frame, condition: SomValue, body: SomValue, continueOn: boolean): SomValue {
  for (;;) {
    const test = valueOf(caller, condition);
    if (test !== continueOn) {
      if (test !== !continueOn) notABoolean(caller, test, continueOn);
      return null;
    }
    valueOf(caller, body);
  }
}

export const BLOCK_PRIMITIVES: ClassPrimitives = {
  instance: {
    // Declared in the abstract Block; unreachable in practice, so it runs any block.
    value: (caller, rcvr) => callBlock(caller, blockReceiver(rcvr), NO_ARGS),
    restart: () => {
      throw new SomRuntimeError(
        'Block>>restart is not supported by this VM (Block>>whileTrue: and whileFalse: are native)',
      );
    },
  },
  classSide: {},
};

export const BLOCK1_PRIMITIVES: ClassPrimitives = {
  instance: { value: (caller, rcvr) => evaluate(caller, rcvr, NO_ARGS) },
  classSide: {},
};

export const BLOCK2_PRIMITIVES: ClassPrimitives = {
  instance: { 'value:': (caller, rcvr, arg) => evaluate(caller, rcvr, [arg]) },
  classSide: {},
};

export const BLOCK3_PRIMITIVES: ClassPrimitives = {
  instance: { 'value:with:': (caller, rcvr, arg1, arg2) => evaluate(caller, rcvr, [arg1, arg2]) },
  classSide: {},
};

/** Library methods of Block replaced natively (registry.ts NATIVE_OVERRIDES). */
export const BLOCK_OVERRIDES: ClassPrimitives = {
  instance: {
    'whileTrue:': (caller, rcvr, body) => whileLoop(caller, rcvr, body, true),
    'whileFalse:': (caller, rcvr, body) => whileLoop(caller, rcvr, body, false),
  },
  classSide: {},
};

/**
 * Block primitives (SOM.md §9.4).
 *
 * Evaluation goes through `callBlock`, which runs the closure in a new activation whose
 * caller is the activation that sent `value`; non-local returns and `escapedBlock:` are
 * handled there (invoke.ts). Each `value` primitive checks that the block takes the number of
 * arguments its class promises: only `invokeOn:with:` could break that, and it must not
 * write arguments into a block's local slots.
 *
 * `Block>>#whileTrue:` and `#whileFalse:` are not native: they run as written in
 * Smalltalk/Block.som, `[ self value ] whileTrue: [ block value ]`, which the compiler inlines
 * into a loop whose backward jump the tier manager counts. So a loop on block variables is a
 * loop that on-stack replacement and tracing see, like every other loop (a native loop here
 * would hide its iterations from them). That definition never sends `restart`, which this VM
 * does not support (SOM.md §7.1 allows this): it is a fatal error. The price is two real
 * `value` sends per iteration instead of direct block calls: WhileLoop's shape with both loops
 * sent on block variables took about 1.4x (interp) and 1.3x (tier1) the time of the former
 * native loop; no benchmark of the suite sends these methods (Refs #10).
 */
import type { Frame } from '../model/frame.ts';
import type { SomValue } from '../model/objects.ts';
import { callBlock } from '../invoke.ts';
import { SomRuntimeError } from '../signals.ts';
import { blockReceiver, checkArity } from './operands.ts';
import type { ClassPrimitives } from './registry.ts';
import type { PrimitiveFn } from '../model/method.ts';

const NO_ARGS: readonly SomValue[] = [];

/** Runs `block` with `args`, after checking that it takes exactly that many. */
function evaluate(caller: Frame, rcvr: SomValue, args: readonly SomValue[]): SomValue {
  const block = blockReceiver(rcvr);
  checkArity(args.length, block.method.numArgs);
  return callBlock(caller, block, args);
}

/**
 * The primitives that do nothing but evaluate their receiver block with their arguments (after
 * the arity check, which a send of a known block method with as many arguments passes): the
 * tracer follows them into the block's bytecode (runtime/tier2/inlining-policy.ts).
 */
export const BLOCK_EVALUATION = new Set<PrimitiveFn>();

export const BLOCK_PRIMITIVES: ClassPrimitives = {
  instance: {
    // Declared in the abstract Block; unreachable in practice, so it runs any block.
    value: (caller, rcvr) => callBlock(caller, blockReceiver(rcvr), NO_ARGS),
    restart: () => {
      throw new SomRuntimeError(
        'Block>>restart is not supported by this VM (Block>>whileTrue: and whileFalse: loop without it)',
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

for (const table of [BLOCK_PRIMITIVES, BLOCK1_PRIMITIVES, BLOCK2_PRIMITIVES, BLOCK3_PRIMITIVES]) {
  for (const [selector, fn] of Object.entries(table.instance))
    if (selector.startsWith('value')) BLOCK_EVALUATION.add(fn);
}

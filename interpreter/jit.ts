/**
 * The directive vocabulary: how the interpreter tells the compiler generators what it means.
 *
 * The interpreter (`interpreter.ts`) calls these functions at the places where a compiler must
 * treat code specially. When the interpreter runs, each directive is an identity or a no-op, so
 * the interpreter stays an ordinary, debuggable TypeScript program. At build time the
 * transformer (`transformer/`) reads the interpreter's source, finds every directive site and
 * gives it a meaning per generator: tier 1 (threaded code) and the tracer (tier 2).
 *
 * Every directive is documented here in four parts: its meaning in the interpreter, in tier 1,
 * in the tracer, and how misuse shows up. A new directive is added here first, with that
 * contract, before any generator learns it. Function annotations (`@jit.handler`,
 * `@jit.residual`, `@jit.elidable`) are written in a function's leading TSDoc with one sentence
 * of why; their meanings are listed in `FUNCTION_ANNOTATIONS` below.
 */

/**
 * Marks the head of the dispatch loop. `method` and `pc` are the green variables (they
 * determine which code runs), `frame` is the red variable (run-time state).
 * - interpreter: nothing.
 * - tier 1:      the loop to specialise: one copy of each handler per bytecode of `method`.
 * - tracer:      trace anchor; a trace closes when the same (method, pc) comes round again.
 * Misuse: a green value that varies at run time (anything read from the frame) makes tier 1
 * specialise on a value that is not constant, producing wrong code.
 */
function dispatchLoop(_method: unknown, _pc: number, _frame: unknown): void {}

/**
 * A compile-time value: `expr` depends only on the green variables (the method and the pc),
 * e.g. an operand read from the bytecode array.
 * - interpreter: returns `expr`.
 * - tier 1:      evaluated while compiling; the value is spliced in as a literal (numbers,
 *                strings) or as a reference into the method's constant table (objects).
 * - tracer:      the value is a trace constant.
 * Misuse: wrapping something that reads the frame or an object's mutable state freezes one
 * run's value into the compiled code.
 */
function ct<T>(expr: T): T {
  return expr;
}

/**
 * A loop back-edge (can-enter-jit): control is about to jump back to `targetPc`.
 * - interpreter: the build lowers it to the back-edge check of the installed tiers
 *                (`tiers.backEdge`, tier-hooks.ts): when the runtime finds the loop hot, the
 *                running activation continues in tier 1 at `targetPc` (on-stack replacement).
 * - tier 1:      the writer's back-edge hook, where the loop counter check that lets the
 *                runtime move to tier 2 will go (nothing is emitted while tier 2 is missing).
 * - tracer:      where hot loops are detected and trace recording starts and closes.
 * Misuse: a back-edge directive on a forward jump makes the tracer close traces that are not
 * loops.
 */
function backEdge(_method: unknown, _targetPc: number, _frame: unknown): void {}

/**
 * Assume `value` stays what it is now.
 * - interpreter: returns `value`.
 * - tier 1:      returns `value`, no check (sends already go through inline caches).
 * - tracer:      records guard_value(v, current); later operations see a constant, so lookups
 *                keyed on it fold away.
 * Misuse: promoting something that varies (a loop counter) grows one bridge per value.
 */
function promote<T>(value: T): T {
  return value;
}

/**
 * Whether the code runs compiled.
 * - interpreter: false.
 * - tier 1:      true in generated code.
 * - tracer:      true in the recorder.
 * Misuse: forking a handler's semantics on it. Tiers must differ only through directives; every
 * use needs a comment saying why no directive fits (the transformer counts them).
 */
function isJitted(): boolean {
  return false;
}

/** The call directives. Its keys are exactly the directives the transformer knows. */
export const jit = { dispatchLoop, ct, backEdge, promote, isJitted } as const;
export type Directive = keyof typeof jit;

/**
 * Function annotations, written `@jit.<name>` in a function's leading TSDoc. Every function the
 * dispatch loop calls, and every function a handler calls, has exactly one (the transformer
 * rejects a missing one: rules T7 and T13):
 * - handler:  the tracer traces inside it, so its body keeps to the restricted subset; tier 1
 *             emits a call to it when a case calls it (threaded code). Helpers of handlers that
 *             the tracer should follow are handlers too.
 * - residual: tier 1 emits a call; the tracer records an opaque call and does not look inside
 *             (for complex or rarely hot helpers: lookup misses, big-integer arithmetic).
 * - elidable: a pure function of its arguments; the tracer folds it when the arguments are
 *             constants and otherwise CSEs it. Misuse: marking a function that reads mutable
 *             state elidable freezes a stale answer into traces.
 * - portal:   a function that starts SOM activations (a send's invoke, a block's evaluation).
 *             Tier 1 emits a call, as for residual. The tracer hands the call to the recording
 *             runtime, which makes it itself: it follows the activation into the callee's
 *             bytecode (inlining it, with a virtual frame) when it can, else records it as an
 *             opaque call (RPython's portal: the interpreter calling itself). Misuse: a portal
 *             that does more than start activations loses that work in inlined calls.
 */
export const FUNCTION_ANNOTATIONS = ['handler', 'residual', 'elidable', 'portal'] as const;
export type FunctionAnnotation = (typeof FUNCTION_ANNOTATIONS)[number];

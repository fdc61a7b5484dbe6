/**
 * Execution modes, defined once: the CLI's `--mode` choices, the test matrix and the benchmark
 * runner all read this table.
 */
export const MODES = {
  interp: { available: true, doc: 'the bytecode interpreter only' },
  tier1: { available: true, doc: 'tier-1 code only: every method is compiled before its first run' },
  tier2: { available: true, doc: 'interpreter plus tracing JIT: hot loops run as optimised traces' },
  multi: {
    available: true,
    doc: 'interpreter, then tier 1 for methods and loops that get warm, then traces for loops that stay hot',
  },
} as const satisfies Record<string, { available: boolean; doc: string }>;

export type Mode = keyof typeof MODES;
export const MODE_NAMES = Object.keys(MODES) as Mode[];
export const AVAILABLE_MODES = MODE_NAMES.filter((m) => MODES[m].available);

export function isMode(name: string): name is Mode {
  return Object.hasOwn(MODES, name);
}

/** Whether a mode runs tier-1 code, and whether it traces hot loops (tier 2). */
export function modeTiers(mode: Mode): { readonly tier1: boolean; readonly tier2: boolean } {
  return { tier1: mode === 'tier1' || mode === 'multi', tier2: mode === 'tier2' || mode === 'multi' };
}

/**
 * Thresholds that make the tiers work hardest: methods compile on their second invocation,
 * activations move into tier 1 at their second back-edge, a loop is traced at its second
 * back-edge, a guard gets a bridge at its second failure, and the bridge is inlined into its root
 * at its second run. Every test and benchmark must give
 * the same output under these as in the interpreter.
 */
export const STRESS_PARAMS = {
  tier1Threshold: 1,
  tier1BackEdgeThreshold: 1,
  tier2Threshold: 1,
  tier2EntryThreshold: 1,
  bridgeThreshold: 1,
  bridgeInlineThreshold: 1,
} as const;

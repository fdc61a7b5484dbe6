/**
 * Execution modes, defined once: the CLI's `--mode` choices, the test matrix and the benchmark
 * runner all read this table.
 */
export const MODES = {
  interp: { available: true, doc: 'the bytecode interpreter only' },
  tier1: { available: true, doc: 'tier-1 code only: every method is compiled before its first run' },
  tier2: { available: false, doc: 'interpreter plus tracing JIT (not yet built)' },
  multi: {
    available: true,
    doc: 'interpreter, then tier 1 for methods and loops that get hot (tier 2: not yet built)',
  },
} as const satisfies Record<string, { available: boolean; doc: string }>;

export type Mode = keyof typeof MODES;
export const MODE_NAMES = Object.keys(MODES) as Mode[];
export const AVAILABLE_MODES = MODE_NAMES.filter((m) => MODES[m].available);

export function isMode(name: string): name is Mode {
  return Object.hasOwn(MODES, name);
}

/**
 * Thresholds that make the tiers work hardest: methods compile on their second invocation and
 * activations move into tier 1 at their second back-edge. Every test and benchmark must give
 * the same output under these as in the interpreter.
 */
export const STRESS_PARAMS = { tier1Threshold: 1, tier1BackEdgeThreshold: 1 } as const;

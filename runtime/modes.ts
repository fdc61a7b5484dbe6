/**
 * Execution modes, defined once: the CLI's `--mode` choices, the test matrix and the benchmark
 * runner all read this table.
 */
export const MODES = {
  interp: { available: true, doc: 'the bytecode interpreter only' },
  tier1: { available: false, doc: 'tier 1 (threaded code) only, after the interpreter (not yet built)' },
  tier2: { available: false, doc: 'interpreter plus tracing JIT (not yet built)' },
  multi: { available: false, doc: 'interpreter -> tier 1 -> tier 2 (not yet built)' },
} as const satisfies Record<string, { available: boolean; doc: string }>;

export type Mode = keyof typeof MODES;
export const MODE_NAMES = Object.keys(MODES) as Mode[];
export const AVAILABLE_MODES = MODE_NAMES.filter((m) => MODES[m].available);

export function isMode(name: string): name is Mode {
  return Object.hasOwn(MODES, name);
}

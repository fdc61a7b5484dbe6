/**
 * Generated programs on which a configuration is known to differ from the interpreter: a
 * visible list that must reach empty, like test/som/known-divergences.ts for the SOM programs.
 * differential.test.ts lets exactly these (seed, configuration) pairs differ, and fails when a
 * listed pair no longer does, so a fix makes the suite fail until its entry is deleted: the
 * list cannot go stale. Any other configuration differing on a listed seed still fails.
 *
 * Seeds are those of the default run (DIFFERENTIAL_SEED unset), for the generator as it is:
 * a change to the generator changes the programs, and this list with them.
 */

export interface KnownTier2Divergence {
  readonly seed: number;
  /** Configuration names from configurations.ts. */
  readonly configurations: readonly string[];
  readonly why: string;
  readonly issue: number;
}

const ALL_TRACING = ['tier2', 'multi', 'tier2+stress', 'multi+stress'];
const DEFAULT_TRACING = ['tier2', 'multi'];
const STRESS_TRACING = ['tier2+stress', 'multi+stress'];

/**
 * Every entry so far: a `^` taken while a trace with inlined sends runs ends the run with "VM
 * internal error: [object Object]" (a NonLocalReturn that no activation catches reaches the
 * top); the interpreter and tier 1 print the right answer. Through `each:` forwarding chains
 * on polymorphic receivers, from nested blocks, through `Array>>#doIndexes:`.
 */
const NLR_OUT_OF_TRACE = 'non-local return out of a trace with inlined sends escapes as a VM internal error';

export const KNOWN_TIER2_DIVERGENCES: readonly KnownTier2Divergence[] = [
  { seed: 20261186, configurations: ALL_TRACING, why: NLR_OUT_OF_TRACE, issue: 10 },
  { seed: 20261194, configurations: DEFAULT_TRACING, why: NLR_OUT_OF_TRACE, issue: 10 },
  { seed: 20261201, configurations: STRESS_TRACING, why: NLR_OUT_OF_TRACE, issue: 10 },
  { seed: 20261205, configurations: DEFAULT_TRACING, why: NLR_OUT_OF_TRACE, issue: 10 },
  { seed: 20261262, configurations: ALL_TRACING, why: NLR_OUT_OF_TRACE, issue: 10 },
  { seed: 20261264, configurations: STRESS_TRACING, why: NLR_OUT_OF_TRACE, issue: 10 },
  { seed: 20261272, configurations: STRESS_TRACING, why: NLR_OUT_OF_TRACE, issue: 10 },
  { seed: 20261280, configurations: DEFAULT_TRACING, why: NLR_OUT_OF_TRACE, issue: 10 },
  { seed: 20261286, configurations: DEFAULT_TRACING, why: NLR_OUT_OF_TRACE, issue: 10 },
];

/** The configurations known to differ on the program of `seed` (none for most seeds). */
export function knownDivergences(seed: number): readonly string[] {
  return KNOWN_TIER2_DIVERGENCES.filter((d) => d.seed === seed).flatMap((d) => d.configurations);
}

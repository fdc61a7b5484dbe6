/**
 * Generated programs on which a configuration is known to differ from the interpreter: a
 * visible list that must reach empty, like test/som/known-divergences.ts for the SOM programs.
 * differential.test.ts lets exactly these (seed, configuration) pairs differ, and fails when a
 * listed pair no longer does, so a fix makes the suite fail until its entry is deleted: the
 * list cannot go stale. Any other configuration differing on a listed seed still fails.
 *
 * Seeds are those of the default run (DIFFERENTIAL_SEED unset), for the generator as it is:
 * a change to the generator changes the programs, and this list with them. Empty today: the
 * nine programs whose non-local returns escaped traces with inlined sends (found at 32b5247)
 * agree since c6f2c01.
 */

export interface KnownTier2Divergence {
  readonly seed: number;
  /** Configuration names from configurations.ts. */
  readonly configurations: readonly string[];
  readonly why: string;
  readonly issue: number;
}

export const KNOWN_TIER2_DIVERGENCES: readonly KnownTier2Divergence[] = [];

/** The configurations known to differ on the program of `seed` (none for most seeds). */
export function knownDivergences(seed: number): readonly string[] {
  return KNOWN_TIER2_DIVERGENCES.filter((d) => d.seed === seed).flatMap((d) => d.configurations);
}

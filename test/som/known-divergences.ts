/**
 * Known divergences between a configuration and its oracle: a visible list that must reach
 * empty (STYLE.md §5). A listed (test, configuration) pair runs as `it.fails`, so a fix makes
 * the suite fail until its entry is deleted: the list cannot go stale. Empty today: every
 * configuration passes every test.
 */

export interface KnownDivergence {
  /** A program's repo-relative path, or a suite class name. */
  readonly test: string;
  /** A configuration name from configurations.ts, e.g. 'tier1' or 'multi+stress'. */
  readonly configuration: string;
  readonly why: string;
  readonly issue: number;
}

export const KNOWN_DIVERGENCES: readonly KnownDivergence[] = [];

/** Whether the pair is listed, i.e. expected to fail for now. */
export function isKnownDivergence(test: string, configuration: string): boolean {
  return KNOWN_DIVERGENCES.some((d) => d.test === test && d.configuration === configuration);
}

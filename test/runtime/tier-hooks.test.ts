/**
 * The interface between the interpreter and the tiers (interpreter/tier-hooks.ts): the
 * interpreter's own hooks are in force until a run is configured, and configuring a run
 * installs the tier manager's, through which activations and back-edges reach tier 1.
 */
import { describe, expect, it } from 'vitest';
import { INTERPRETER_ONLY, NO_OSR, installTierHooks, tiers } from '../../interpreter/tier-hooks.ts';
import {
  backEdge,
  compileStatistics,
  configureTiers,
  defaultTierOptions,
  enterMethod,
} from '../../runtime/tier-manager.ts';

describe('tier hooks', () => {
  it('are the interpreter alone by default: no OSR, no compilations', () => {
    installTierHooks(INTERPRETER_ONLY);
    expect(tiers).toBe(INTERPRETER_ONLY);
    expect(tiers.backEdge(null as never, 0, null as never)).toBe(NO_OSR);
    expect(tiers.compileStatistics()).toEqual([]);
  });

  it("are the tier manager's once a run is configured", () => {
    installTierHooks(INTERPRETER_ONLY);
    configureTiers(defaultTierOptions());
    expect(tiers).not.toBe(INTERPRETER_ONLY);
    expect([tiers.enterMethod, tiers.backEdge, tiers.compileStatistics]).toEqual([
      enterMethod,
      backEdge,
      compileStatistics,
    ]);
  });
});

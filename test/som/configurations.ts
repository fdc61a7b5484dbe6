/**
 * The execution configurations every SOM test runs under: each available mode of
 * runtime/modes.ts with its default thresholds, plus each compiling mode under the stress
 * thresholds. Every configuration must give the interpreter's output.
 */
import { AVAILABLE_MODES, STRESS_PARAMS, type Mode } from '../../runtime/modes.ts';
import { PARAMS, defaultParams, type JitParams } from '../../runtime/params.ts';
import type { TierOptions } from '../../runtime/tier-manager.ts';

export interface Configuration {
  readonly name: string;
  readonly tiers: TierOptions;
  /** The same configuration as som command-line options. */
  readonly cliOptions: readonly string[];
}

function configuration(mode: Mode, stress: boolean): Configuration {
  const params: JitParams = stress ? { ...defaultParams(), ...STRESS_PARAMS } : defaultParams();
  const flags = stress
    ? Object.entries(STRESS_PARAMS).flatMap(([name, value]) => [PARAMS[name as keyof JitParams].flag, String(value)])
    : [];
  return { name: stress ? `${mode}+stress` : mode, tiers: { mode, params }, cliOptions: ['--mode', mode, ...flags] };
}

export const CONFIGURATIONS: readonly Configuration[] = [
  ...AVAILABLE_MODES.map((m) => configuration(m, false)),
  ...AVAILABLE_MODES.filter((m) => m === 'multi' || m === 'tier2').map((m) => configuration(m, true)),
];

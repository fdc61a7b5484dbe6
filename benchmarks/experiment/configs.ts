/**
 * The configurations the warm-up experiment runs: the VM's execution modes (interp, tier1,
 * tier2, multi, from runtime/modes.ts), each with the run's common VM options
 * (`--vm-options`), and, for threshold sweeps, variants of multi named after the JIT
 * parameters they set (`--sweep tier2Threshold=50,100` adds `multi[tier2Threshold=50]` and
 * `multi[tier2Threshold=100]`; several sweeps give every combination). Parameter names and
 * flags come from runtime/params.ts.
 *
 * multi and each of its variants is a *candidate*, compared against the *baseline* tier2 (the
 * warm-up gain and peak loss of issue #11); interp is the reference of the first-iteration
 * comparison.
 */
import { AVAILABLE_MODES, type Mode } from '../../runtime/modes.ts';
import { PARAMS, PARAM_NAMES, type ParamName } from '../../runtime/params.ts';

export interface Config {
  /** The mode's name, or `multi[param=value,...]` for a sweep's variant. */
  readonly name: string;
  readonly mode: Mode;
  /** Options passed to bin/som.mjs before the classpath. */
  readonly vmOptions: readonly string[];
}

export interface Sweep {
  readonly param: ParamName;
  readonly values: readonly number[];
}

/** What every candidate is compared against, the candidates' mode, and the first-iteration reference. */
export const BASELINE: Mode = 'tier2';
export const CANDIDATE_MODE: Mode = 'multi';
export const FIRST_ITERATION_REFERENCE: Mode = 'interp';

/** Parses `param=v1,v2,...`; the parameter by its name in runtime/params.ts or by its flag. */
export function parseSweep(text: string): Sweep {
  const match = /^([\w-]+)=([\d,\s]+)$/.exec(text.trim());
  if (match === null) throw new Error(`--sweep '${text}': expected param=value,value,... (e.g. tier2Threshold=50,100)`);
  const param = PARAM_NAMES.find((p) => p === match[1] || PARAMS[p].flag === `--${match[1]}`);
  if (param === undefined)
    throw new Error(`--sweep: unknown JIT parameter '${match[1]}' (known: ${PARAM_NAMES.join(', ')})`);
  const values = match[2]!.split(',').map((v) => v.trim());
  if (values.some((v) => !/^\d+$/.test(v))) throw new Error(`--sweep '${text}': values must be non-negative integers`);
  return { param, values: values.map(Number) };
}

/** Splits `--vm-options` text into arguments at whitespace (no quoting: VM options have no spaces). */
export function splitVmOptions(text: string): string[] {
  return text.split(/\s+/).filter((a) => a !== '');
}

/** The modes asked for, in runtime/modes.ts order; throws on a name that is no available mode. */
export function selectModes(names: readonly string[]): Mode[] {
  const unknown = names.filter((n) => !AVAILABLE_MODES.some((m) => m === n));
  if (unknown.length > 0) {
    throw new Error(
      `--modes: unknown or unavailable mode ${unknown.join(', ')} (available: ${AVAILABLE_MODES.join(', ')})`,
    );
  }
  return AVAILABLE_MODES.filter((m) => names.includes(m));
}

/** The base modes with the common options, then one multi variant per combination of the sweeps' values. */
export function buildConfigs(modes: readonly Mode[], vmOptions: readonly string[], sweeps: readonly Sweep[]): Config[] {
  const configs: Config[] = modes.map((mode) => ({ name: mode, mode, vmOptions }));
  for (const combination of combinations(sweeps)) {
    const setting = combination.map(([param, value]) => `${param}=${value}`).join(',');
    const flags = combination.flatMap(([param, value]) => [PARAMS[param].flag, String(value)]);
    configs.push({ name: `${CANDIDATE_MODE}[${setting}]`, mode: CANDIDATE_MODE, vmOptions: [...vmOptions, ...flags] });
  }
  return configs;
}

/** Every choice of one value per sweep (none without sweeps). */
function combinations(sweeps: readonly Sweep[]): (readonly [ParamName, number])[][] {
  if (sweeps.length === 0) return [];
  return sweeps.reduce<(readonly [ParamName, number])[][]>(
    (partial, sweep) => partial.flatMap((c) => sweep.values.map((v) => [...c, [sweep.param, v] as const])),
    [[]],
  );
}

/** The configurations compared against the baseline: multi and its variants. */
export function candidates(configs: readonly Config[]): Config[] {
  return configs.filter((c) => c.mode === CANDIDATE_MODE);
}

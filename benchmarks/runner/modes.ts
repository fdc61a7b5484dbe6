/**
 * The modes the runner knows: the VM's execution modes, read from runtime/modes.ts (the one
 * table the CLI and the tests use too), plus `native`, the JavaScript versions of the
 * benchmarks that serve as the baseline. A mode the VM lists but has not built yet is
 * skipped with a note rather than run.
 */
import { MODES, MODE_NAMES, isMode, type Mode } from '../../runtime/modes.ts';

export type RunnerMode = Mode | 'native';

export const NATIVE = 'native' as const;

export interface SkippedMode {
  readonly mode: string;
  readonly reason: string;
}

export interface ModeSelection {
  readonly modes: readonly RunnerMode[];
  readonly skipped: readonly SkippedMode[];
}

/** Every mode the VM can run today, then native. */
export function defaultModes(): RunnerMode[] {
  return [...MODE_NAMES.filter((m) => MODES[m].available), NATIVE];
}

/** Every mode name the runner accepts, available or not. */
export function knownModes(): string[] {
  return [...MODE_NAMES, NATIVE];
}

/** Splits the requested names into modes to run and modes skipped (with the reason). */
export function selectModes(requested: readonly string[]): ModeSelection {
  const modes: RunnerMode[] = [];
  const skipped: SkippedMode[] = [];
  for (const name of requested) {
    if (name === NATIVE) {
      modes.push(NATIVE);
    } else if (!isMode(name)) {
      skipped.push({ mode: name, reason: `unknown mode (known: ${knownModes().join(', ')})` });
    } else if (!MODES[name].available) {
      skipped.push({ mode: name, reason: `not available yet (runtime/modes.ts: ${MODES[name].doc})` });
    } else {
      modes.push(name);
    }
  }
  return { modes, skipped };
}

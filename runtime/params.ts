/**
 * JIT parameters, defined once: name, default, meaning. The CLI flags, `--help` and the jit-log
 * header are derived from this table (as LuaJIT's lj_jit.h does for its tuning parameters).
 */
export const PARAMS = {
  tier1Threshold: {
    flag: '--tier1-threshold',
    default: 2,
    doc: 'invocations of a method (or block) before tier 1 compiles it; 0 compiles before the first run',
  },
  tier1BackEdgeThreshold: {
    flag: '--tier1-backedge-threshold',
    default: 100,
    doc: 'loop back-edges taken in one method before tier 1 compiles it and the running activation moves there (OSR)',
  },
  tier2Threshold: {
    flag: '--tier2-threshold',
    default: 100,
    doc: 'back-edges to one loop header (interpreter or tier-1 code) before the loop is traced (tier2 and multi modes)',
  },
  tier2EntryThreshold: {
    flag: '--tier2-entry-threshold',
    default: 100,
    doc: 'activations of a method (interpreted in tier2, tier-1 code in multi) before it is traced from its entry (a method with a loop: once its loop has a trace); 0: never',
  },
  traceLimit: {
    flag: '--trace-limit',
    default: 2000,
    doc: 'bytecode instructions recorded at most (inlined ones included) before a recording aborts as too long',
  },
  bridgeThreshold: {
    flag: '--bridge-threshold',
    default: 20,
    doc: 'failures of one guard before a bridge is recorded from its exit and attached to it',
  },
  bridgeInlineThreshold: {
    flag: '--bridge-inline-threshold',
    // The warm-up experiment's sweep (benchmarks/README.md, 2026-12-02h-warmup.json): 1 was at
    // least as good as 100 on warm-up, peak and first iteration; 0 (never) lost 54% at peak.
    default: 1,
    doc: "runs of a bridge before it is compiled into its root trace's function (the root compiles again); 0: never",
  },
  megamorphicMethods: {
    flag: '--megamorphic-methods',
    default: 4,
    doc: "different methods the sends of one site may find (for their receivers' classes) before traces stop guarding on the receiver's class there and call the method looked up instead",
  },
  maxTraces: {
    flag: '--max-traces',
    default: 500,
    doc: 'compiled traces kept at most; past it, the least recently entered one is dropped (one is always kept)',
  },
  traceBudget: {
    flag: '--trace-budget',
    default: 100,
    doc: 'the share of the time, in percent, tier 2 may spend recording and compiling traces; past it, a due recording waits and the code runs on where it is; 100: no limit',
  },
  traceBudgetBurst: {
    flag: '--trace-budget-burst',
    default: 300,
    doc: 'milliseconds of trace making the budget allows at once (and at the start), however little time has passed',
  },
} as const satisfies Record<string, { flag: string; default: number; doc: string }>;

export type ParamName = keyof typeof PARAMS;
export type JitParams = { -readonly [K in ParamName]: number };
export const PARAM_NAMES = Object.keys(PARAMS) as ParamName[];

export function defaultParams(): JitParams {
  return Object.fromEntries(PARAM_NAMES.map((n) => [n, PARAMS[n].default])) as JitParams;
}

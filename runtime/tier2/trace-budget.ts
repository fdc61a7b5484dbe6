/**
 * The trace budget: the share of the run's time tier 2 may spend making traces (recording,
 * optimising, compiling; `--trace-budget`, in percent), kept as a token bucket.
 *
 * Why: a program whose hot code shifts (a new phase, a new kind of input) makes the tracing
 * JIT record, optimise and compile dozens of traces and bridges at once, and for as long as
 * that lasts the program hardly runs. Where tier 1 runs what the JIT has no time for (`multi`),
 * the JIT can afford to wait: like HotSpot's tiered policy, which raises its compile thresholds
 * while its compile queues are long, the trace runtime asks the budget before it starts a
 * recording, and a recording the budget has no time for is put off (the loop or exit counts on
 * and asks again later). The code that stays hot asks most often, so it is traced first.
 *
 * The bucket: credit accrues at `percent` of the wall-clock time, up to `burstMicros`
 * (`--trace-budget-burst`; a run starts with it full, so the first wave of traces of a
 * program is made at once); every recording and compilation spends what it took, so a dear one
 * drives the credit below zero and the JIT waits until it has been paid off. 100% never
 * refuses (the default: see benchmarks/README.md for the sweep).
 *
 * Below 100%, what is traced when depends on the clock, so two runs of a program may make
 * different traces (never a different output); at 100% tier 2's decisions depend on counts
 * alone, as they always did.
 */
export class TraceBudget {
  private readonly share: number;
  private credit: number;
  private last: number;

  constructor(
    /** The share of the time, in percent, tier 2 may spend making traces; 100 or more: no limit. */
    percent: number,
    /** The most credit that can accrue, and the credit at the start (µs). */
    private readonly burstMicros: number,
    /** The clock, in µs (tests pass their own). */
    private readonly now: () => number = monotonicMicros,
  ) {
    this.share = percent >= 100 ? Infinity : percent / 100;
    this.credit = burstMicros;
    this.last = now();
  }

  /** Whether a recording may start now: no debt left from earlier ones. */
  allows(): boolean {
    if (this.share === Infinity) return true;
    const now = this.now();
    this.credit = Math.min(this.burstMicros, this.credit + this.share * (now - this.last));
    this.last = now;
    // A debt must be repaid, not more: with no burst (`--trace-budget-burst 0`) the credit
    // never rises above 0, and a recording may start whenever it is back there.
    return this.credit >= 0;
  }

  /** Making (or compiling again) a trace took `micros`. */
  spend(micros: number): void {
    this.credit -= micros;
  }
}

function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

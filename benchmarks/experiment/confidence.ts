/**
 * Confidence intervals for ratios of times, as the warm-up experiment reports them.
 *
 * Times are compared as ratios (multi ÷ tier2), and ratios are averaged on a log scale, so a
 * ratio of 2 and one of 1/2 average to 1. With one ratio per process round (samples), the
 * estimate is their geometric mean, and the 95% interval is Student's t-interval of the mean
 * of their logarithms, mapped back: exp(mean ± t(0.975, n-1) · sd / √n). That assumes the log
 * ratios of the rounds are roughly normal and independent; with three rounds (t = 4.30) the
 * intervals are wide, which is the honest answer for three processes. One sample gives no
 * interval.
 */

/** Student's t quantile 0.975 for 1 to 30 degrees of freedom (standard tables, 3 decimals). */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

const Z_975 = 1.959964;

/** t(0.975, df): the table up to 30, beyond it the Cornish-Fisher expansion (within 0.001 there). */
export function tQuantile975(degreesOfFreedom: number): number {
  if (!Number.isInteger(degreesOfFreedom) || degreesOfFreedom < 1) {
    throw new RangeError(`degrees of freedom must be a positive integer, not ${degreesOfFreedom}`);
  }
  const tabled = T_975[degreesOfFreedom - 1];
  if (tabled !== undefined) return tabled;
  const z = Z_975;
  const v = degreesOfFreedom;
  return z + (z ** 3 + z) / (4 * v) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * v * v);
}

export interface RatioEstimate {
  /** The geometric mean of the samples. */
  readonly estimate: number;
  /** The 95% interval; null with fewer than two samples. */
  readonly low: number | null;
  readonly high: number | null;
  readonly samples: number;
}

/** The geometric mean of positive ratios and its 95% t-interval on the log scale. */
export function ratioInterval(ratios: readonly number[]): RatioEstimate {
  if (ratios.length === 0) throw new RangeError('no ratios to estimate from');
  if (ratios.some((r) => !(r > 0) || !Number.isFinite(r))) throw new RangeError('ratios must be positive and finite');
  const logs = ratios.map(Math.log);
  const n = logs.length;
  const mean = logs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { estimate: ratios[0]!, low: null, high: null, samples: n }; // exactly, not through exp(log r)
  const variance = logs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  const half = (tQuantile975(n - 1) * Math.sqrt(variance)) / Math.sqrt(n);
  return { estimate: Math.exp(mean), low: Math.exp(mean - half), high: Math.exp(mean + half), samples: n };
}

/**
 * The runner's warm-up statistics (benchmarks/runner/statistics.ts), on series whose answers
 * are worked out by hand: steady state, where warm-up ends (and that one lucky early
 * iteration does not end it), series that never settle, and combining invocations.
 */
import { describe, expect, it } from 'vitest';
import {
  combineInvocations,
  geometricMean,
  median,
  steadyFrom,
  steadyState,
  summarise,
} from '../../benchmarks/runner/statistics.ts';

describe('runner statistics', () => {
  it('takes medians of odd and even series and the geometric mean', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(geometricMean([1, 4, 16])).toBeCloseTo(4, 12);
  });

  it('measures the steady state on the last half of the iterations', () => {
    expect(steadyState([10, 8, 5, 5, 5, 5])).toBe(5);
    expect(steadyState([7])).toBe(7);
  });

  it('ends warm-up at the first iteration whose window is within 5% too', () => {
    // steady = median(9.9, 10, 10.1, 10) = 10; iteration 3 (10) starts [10, 10.2, 9.9]
    expect(steadyFrom([100, 50, 10, 10.2, 9.9, 10, 10.1, 10], 10)).toBe(3);
    // iteration 1 is near 10 by luck, but its window [10, 50, 40] is not
    expect(steadyFrom([10, 50, 40, 10, 10, 10, 10, 10], 10)).toBe(4);
  });

  it('reports a series that never settles as such', () => {
    expect(steadyFrom([1, 100, 1, 100], steadyState([1, 100, 1, 100]))).toBeNull();
    expect(summarise([1, 100, 1, 100]).warmupUs).toBeNull();
  });

  it('summarises first iteration, first N total and warm-up time', () => {
    const s = summarise([10, 50, 40, 10, 10, 10, 10, 10], 3);
    expect(s).toEqual({
      iterations: 8,
      firstUs: 10,
      firstNTotalUs: 100,
      firstNCount: 3,
      steadyUs: 10,
      steadyFromIteration: 4,
      warmupUs: 100,
    });
    expect(summarise([5, 6], 10).firstNCount).toBe(2);
  });

  it('combines invocations iteration by iteration, over the shortest', () => {
    expect(
      combineInvocations([
        [1, 5, 9],
        [3, 5, 7],
        [2, 6],
      ]),
    ).toEqual([2, 5]);
  });
});

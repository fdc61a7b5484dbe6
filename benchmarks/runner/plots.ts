/**
 * Warm-up plots: one SVG chart per benchmark with the iteration time against the iteration
 * number, one line per mode. Rendered headless: a vega-lite spec is compiled to vega, run in
 * a vega View without a renderer, and serialised with toSVG(), so no canvas or browser is
 * needed. The y axis is logarithmic because modes differ by orders of magnitude.
 */
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ModeSeries } from './results.ts';

interface CurvePoint {
  readonly iteration: number;
  readonly mode: string;
  readonly ms: number;
}

function curvePoints(series: readonly ModeSeries[]): CurvePoint[] {
  return series.flatMap((s) => s.combinedUs.map((us, i) => ({ iteration: i + 1, mode: s.mode, ms: us / 1000 })));
}

function warmupSpec(benchmark: string, points: readonly CurvePoint[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `${benchmark}: time per iteration`,
    width: 480,
    height: 260,
    data: { values: [...points] },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'iteration', type: 'quantitative', title: 'iteration', axis: { tickMinStep: 1 } },
      y: { field: 'ms', type: 'quantitative', title: 'time per iteration (ms, log scale)', scale: { type: 'log' } },
      color: { field: 'mode', type: 'nominal', title: 'mode' },
      tooltip: [{ field: 'mode' }, { field: 'iteration' }, { field: 'ms', format: '.2f' }],
    },
  };
}

/** The warm-up chart of one benchmark, as SVG text; `series` holds one entry per mode. */
export async function renderWarmupSvg(benchmark: string, series: readonly ModeSeries[]): Promise<string> {
  const vegaSpec = compile(warmupSpec(benchmark, curvePoints(series))).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

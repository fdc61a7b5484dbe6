/**
 * Warm-up plots: one SVG chart per benchmark with the iteration time against the iteration
 * number, one line per mode. Rendered headless: a vega-lite spec is compiled to vega, run in
 * a vega View without a renderer, and serialised with toSVG(), so no canvas or browser is
 * needed. The y axis is logarithmic because modes differ by orders of magnitude.
 */
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One curve of a warm-up chart: a label (the mode) and the time of each iteration. */
export interface WarmupCurve {
  readonly mode: string;
  readonly combinedUs: readonly number[];
}

interface CurvePoint {
  readonly iteration: number;
  readonly mode: string;
  readonly ms: number;
}

function curvePoints(series: readonly WarmupCurve[]): CurvePoint[] {
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
export function renderWarmupSvg(benchmark: string, series: readonly WarmupCurve[]): Promise<string> {
  return renderSvg(warmupSpec(benchmark, curvePoints(series)));
}

/** Any vega-lite chart as SVG text, rendered headless. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

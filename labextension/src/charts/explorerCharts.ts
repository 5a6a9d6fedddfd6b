/**
 * Vega-Lite specifications of the page's "any metric against any parameter"
 * views, after optuna-dashboard's: the slice (a point per run, a log axis for
 * a parameter swept over decades, a box and jittered strip per category),
 * the optimisation history (each run in order, and the best so far) and the
 * contour of two parameters (the metric's mean in each cell of a grid).
 * Every run's mark is named `run #ID` (its accessible name), which a click reads.
 */

import { axisOf } from './experimentCharts';
import { CHART_CONFIG } from './overlayCharts';
import { VegaLiteSpec } from './runCharts';
import { formatParam } from '../formatters';
import { IExperimentTableRow } from '../api/experimentPayloads';
import { ParamValue } from '../api/runPayloads';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
/** Pixels kept free around the points, so none is cut at the plot's edge. */
const EDGE = 12;

/** A number in [0, 1) from a run id: the same jitter on every draw. */
export function jitter(id: number): number {
  return ((id * 2654435761) % 4294967296) / 4294967296;
}

/** The runs with a finite value of `metric` (and a value of `param`, when given). */
function withValues(
  rows: ReadonlyArray<IExperimentTableRow>,
  metric: string,
  param?: string
): IExperimentTableRow[] {
  return rows.filter(r => {
    const y = r.metrics[metric];
    const x = param === undefined ? 0 : r.params[param];
    return (
      typeof y === 'number' && isFinite(y) && x !== null && x !== undefined
    );
  });
}

function title(text: string): { [key: string]: unknown } {
  return { text, anchor: 'start', fontSize: 12 };
}

/** The y axis of a metric: padded, never forced to zero. */
function metricY(metric: string): { [key: string]: unknown } {
  return {
    field: 'y',
    type: 'quantitative',
    title: metric,
    scale: { zero: false, padding: EDGE }
  };
}

const POINT = {
  type: 'point',
  filled: true,
  size: 40,
  opacity: 0.7,
  cursor: 'pointer'
};

/**
 * The metric against one parameter, a point per run: numbers on a linear
 * or (over decades) log axis; words as a box per category with its runs
 * jittered beside it.
 */
export function sliceSpec(
  rows: ReadonlyArray<IExperimentTableRow>,
  param: string,
  metric: string,
  color = '#1f77b4',
  boxColor = '#333'
): VegaLiteSpec | null {
  const found = withValues(rows, metric, param);
  if (found.length === 0) {
    return null;
  }
  const axis = axisOf(
    param,
    found.map(r => r.params[param])
  );
  const values = found.map(r => ({
    x: axis.numeric ? r.params[param] : formatParam(r.params[param]),
    y: r.metrics[metric],
    jitter: jitter(r.id),
    label: `run #${r.id}: ${param} ${formatParam(r.params[param], axis.log)}`
  }));
  const base = {
    $schema: SCHEMA,
    title: title(`${metric} by ${param}`),
    width: 360,
    height: 220,
    data: { values },
    config: CHART_CONFIG
  };
  const tooltip = [
    { field: 'label', type: 'nominal', title: 'run' },
    { field: 'y', type: 'quantitative', title: metric, format: '.4~g' }
  ];
  if (axis.numeric) {
    return {
      ...base,
      mark: { ...POINT, color },
      encoding: {
        x: {
          field: 'x',
          type: 'quantitative',
          title: axis.log ? `${param} (log)` : param,
          scale: axis.log
            ? { type: 'log', padding: EDGE }
            : { type: 'linear', zero: false, nice: false, padding: EDGE }
        },
        y: metricY(metric),
        description: { field: 'label' },
        tooltip
      }
    };
  }
  const x = {
    field: 'x',
    type: 'nominal',
    title: param,
    sort: axis.categories,
    axis: { labelAngle: 0 }
  };
  return {
    ...base,
    layer: [
      {
        mark: { ...POINT, color, size: 24, opacity: 0.45 },
        encoding: {
          x,
          xOffset: {
            field: 'jitter',
            type: 'quantitative',
            scale: { domain: [-0.6, 1.6] }
          },
          y: metricY(metric),
          description: { field: 'label' },
          tooltip
        }
      },
      {
        // the box over its strip, outlined in the label colour so both show
        mark: {
          type: 'boxplot',
          extent: 'min-max',
          box: { fillOpacity: 0, stroke: boxColor, strokeWidth: 1.5 },
          median: { color: boxColor, strokeWidth: 2 },
          rule: { color: boxColor },
          ticks: false
        },
        encoding: { x, y: metricY(metric) }
      }
    ]
  };
}

/**
 * optuna-dashboard's optimisation history: each run's value in the order
 * the runs started, and the best so far (`goal` `min`: the lowest) as a step line.
 */
export function historySpec(
  rows: ReadonlyArray<IExperimentTableRow>,
  metric: string,
  goal: string,
  colors: { point: string; best: string } = {
    point: '#1f77b4',
    best: '#d62728'
  }
): VegaLiteSpec | null {
  const found = withValues(rows, metric).sort(
    (a, b) => a.started - b.started || a.id - b.id
  );
  if (found.length === 0) {
    return null;
  }
  let best: number | null = null;
  const values = found.map((r, index) => {
    const y = r.metrics[metric] as number;
    best =
      best === null
        ? y
        : goal === 'min'
          ? Math.min(best, y)
          : Math.max(best, y);
    return { order: index + 1, y, best, label: `run #${r.id}` };
  });
  const x = {
    field: 'order',
    type: 'quantitative',
    title: 'run, in the order started',
    scale: { zero: false, nice: false, padding: EDGE }
  };
  return {
    $schema: SCHEMA,
    title: title(
      `${metric}: each run and the best so far (${goal === 'min' ? 'lower' : 'higher'} is better)`
    ),
    width: 480,
    height: 220,
    data: { values },
    layer: [
      {
        mark: { ...POINT, color: colors.point, size: 30 },
        encoding: {
          x,
          y: metricY(metric),
          description: { field: 'label' },
          tooltip: [
            { field: 'label', type: 'nominal', title: 'run' },
            { field: 'y', type: 'quantitative', title: metric, format: '.4~g' },
            {
              field: 'best',
              type: 'quantitative',
              title: 'best so far',
              format: '.4~g'
            }
          ]
        }
      },
      {
        mark: {
          type: 'line',
          interpolate: 'step-after',
          color: colors.best,
          strokeWidth: 2
        },
        encoding: { x, y: { ...metricY(metric), field: 'best' } }
      }
    ],
    config: CHART_CONFIG
  };
}

/** A parameter's values as the contour's axis labels, in numeric order. */
function categoriesOf(
  values: ReadonlyArray<ParamValue>,
  exponents: boolean
): string[] {
  const numeric = values.every(v => typeof v === 'number');
  const sorted = [...values].sort((a, b) =>
    numeric
      ? (a as number) - (b as number)
      : formatParam(a).localeCompare(formatParam(b), undefined, {
          numeric: true
        })
  );
  return Array.from(new Set(sorted.map(v => formatParam(v, exponents))));
}

/**
 * Two parameters against the metric: one cell per pair of values, coloured
 * by the metric's mean over its runs (a grid's contour, cell by cell).
 */
export function contourSpec(
  rows: ReadonlyArray<IExperimentTableRow>,
  paramX: string,
  paramY: string,
  metric: string,
  labelColor = '#555'
): VegaLiteSpec | null {
  const found = withValues(rows, metric, paramX).filter(
    r => r.params[paramY] !== null && r.params[paramY] !== undefined
  );
  if (found.length === 0 || paramX === paramY) {
    return null;
  }
  // one notation per axis: exponents for a parameter swept over decades
  const logX = axisOf(
    paramX,
    found.map(r => r.params[paramX])
  ).log;
  const logY = axisOf(
    paramY,
    found.map(r => r.params[paramY])
  ).log;
  const cells = new Map<
    string,
    { x: string; y: string; sum: number; n: number }
  >();
  for (const r of found) {
    const x = formatParam(r.params[paramX], logX);
    const y = formatParam(r.params[paramY], logY);
    const cell = cells.get(`${x}\u0000${y}`) ?? { x, y, sum: 0, n: 0 };
    cell.sum += r.metrics[metric] as number;
    cell.n += 1;
    cells.set(`${x}\u0000${y}`, cell);
  }
  const values = Array.from(cells.values()).map(c => ({
    x: c.x,
    y: c.y,
    mean: c.sum / c.n,
    n: c.n
  }));
  const means = values.map(v => v.mean);
  // dark text on viridis' bright upper half, light on its dark lower half
  const middle = (Math.min(...means) + Math.max(...means)) / 2;
  const xs = categoriesOf(
    found.map(r => r.params[paramX]),
    logX
  );
  const ys = categoriesOf(
    found.map(r => r.params[paramY]),
    logY
  ).reverse();
  return {
    $schema: SCHEMA,
    title: title(`${metric} (mean) by ${paramX} and ${paramY}`),
    width: Math.min(480, Math.max(160, 56 * xs.length)),
    height: Math.min(300, Math.max(120, 36 * ys.length)),
    data: { values },
    encoding: {
      x: {
        field: 'x',
        type: 'ordinal',
        title: paramX,
        sort: xs,
        axis: { labelAngle: 0 }
      },
      y: { field: 'y', type: 'ordinal', title: paramY, sort: ys }
    },
    layer: [
      {
        mark: { type: 'rect' },
        encoding: {
          color: {
            field: 'mean',
            type: 'quantitative',
            title: metric,
            scale: { scheme: 'viridis', zero: false },
            legend: { labelColor, titleColor: labelColor }
          },
          tooltip: [
            { field: 'x', type: 'nominal', title: paramX },
            { field: 'y', type: 'nominal', title: paramY },
            {
              field: 'mean',
              type: 'quantitative',
              title: metric,
              format: '.4~g'
            },
            { field: 'n', type: 'quantitative', title: 'runs' }
          ]
        }
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'mean', type: 'quantitative', format: '.4~g' },
          color: {
            condition: { test: `datum.mean > ${middle}`, value: '#000' },
            value: '#fff'
          }
        }
      }
    ],
    config: CHART_CONFIG
  };
}

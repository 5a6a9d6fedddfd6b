/**
 * Vega-Lite specifications of an experiment's charts: its key metric against
 * each parameter that varies (the brushable parallel coordinates are drawn by
 * components/ParallelCoordinates.tsx, on these axes: {@link axisOf}). Pure, like `runCharts.ts`: the page hands the specs to
 * JupyterLab's own Vega renderer, and passes the theme's colours in.
 */

import { IChart, VegaLiteSpec } from './runCharts';
import { formatMetric, formatParam } from '../formatters';
import { NO_VERDICT_COLOR, VERDICT_COLORS } from '../palette';
import { IExperimentTableRow } from '../api/experimentPayloads';
import { ParamValue, Verdict } from '../api/runPayloads';

/** The label of a run without a verdict. */
export const NO_VERDICT = 'no verdict';

/** What a point's colour tells: a verdict, or {@link NO_VERDICT}. */
export type VerdictLabel = Verdict | typeof NO_VERDICT;

/** The colours of the verdicts, in legend order. */
export type VerdictColors = ReadonlyArray<[VerdictLabel, string]>;

/** Colours for the light theme, when the page cannot read the theme's. */
export const DEFAULT_VERDICT_COLORS: VerdictColors = [
  ['supported', VERDICT_COLORS.supported],
  ['refuted', VERDICT_COLORS.refuted],
  ['inconclusive', VERDICT_COLORS.inconclusive],
  [NO_VERDICT, NO_VERDICT_COLOR]
];

/** The verdict of a row as the charts colour it. */
export function verdictLabel(
  row: Pick<IExperimentTableRow, 'verdict'>
): VerdictLabel {
  return row.verdict ?? NO_VERDICT;
}

/** One axis of the charts: where each value sits (0–1) and what to write. */
export interface IAxis {
  /** The parameter's or the metric's name. */
  name: string;
  /** Whether the values are numbers (else categories). */
  numeric: boolean;
  /** Whether a numeric axis is logarithmic (positive values spanning ≥ 20×). */
  log: boolean;
  /** The categories of a categorical axis, in order. */
  categories: string[];
  /** Where a value sits between 0 and 1, or null when it is missing. */
  position: (value: ParamValue | undefined) => number | null;
  /** Labelled ticks. */
  ticks: Array<{ position: number; label: string }>;
}

/** How wide a range of positive numbers is drawn on a log axis (a learning
 * rate from 3e-4 to 1e-2 is; 32 to 256 units are not). */
const LOG_SPAN = 20;

/** How many distinct numbers a numeric axis labels each of. */
const MAX_LABELLED = 6;

/** An axis over `values` (missing ones ignored). */
export function axisOf(
  name: string,
  values: ReadonlyArray<ParamValue | undefined>
): IAxis {
  const present = values.filter(
    (v): v is Exclude<ParamValue, null> => v !== null && v !== undefined
  );
  const numbers = present.filter(
    (v): v is number => typeof v === 'number' && isFinite(v)
  );
  if (present.length > 0 && numbers.length === present.length) {
    const lo = Math.min(...numbers);
    const hi = Math.max(...numbers);
    const log = lo > 0 && hi / lo >= LOG_SPAN;
    const f = log ? Math.log10 : (x: number) => x;
    const span = f(hi) - f(lo);
    const position = (value: ParamValue | undefined): number | null =>
      typeof value !== 'number' || !isFinite(value)
        ? null
        : span === 0
          ? 0.5
          : (f(value) - f(lo)) / span;
    const distinct = Array.from(new Set(numbers)).sort((a, b) => a - b);
    const labelled = distinct.length <= MAX_LABELLED ? distinct : [lo, hi];
    return {
      name,
      numeric: true,
      log,
      categories: [],
      position,
      ticks: labelled.map(v => ({
        position: position(v) as number,
        label: formatMetric(v)
      }))
    };
  }
  const categories = Array.from(new Set(present.map(v => formatParam(v)))).sort(
    (a, b) => a.localeCompare(b, undefined, { numeric: true })
  );
  const step = categories.length > 1 ? 1 / (categories.length - 1) : 0;
  const index = new Map(categories.map((c, i) => [c, i]));
  const position = (value: ParamValue | undefined): number | null => {
    if (value === null || value === undefined) {
      return null;
    }
    const at = index.get(formatParam(value));
    return at === undefined ? null : categories.length > 1 ? at * step : 0.5;
  };
  return {
    name,
    numeric: false,
    log: false,
    categories,
    position,
    ticks: categories.map(c => ({
      position: position(c) as number,
      label: c.length > 14 ? `${c.slice(0, 13)}…` : c
    }))
  };
}

/** A number in [0, 1) from a run id: a fixed jitter, the same on every draw. */
function jitter(id: number): number {
  return ((id * 2654435761) % 4294967296) / 4294967296;
}

const CONFIG = {
  background: 'transparent',
  view: { stroke: null },
  font: 'system-ui, -apple-system, sans-serif',
  axis: { labelFontSize: 10, titleFontSize: 11 }
};

/** The colour encoding by verdict, without a legend (the page draws one). */
function colorByVerdict(colors: VerdictColors): { [key: string]: unknown } {
  return {
    field: 'verdict',
    type: 'nominal',
    scale: { domain: colors.map(([v]) => v), range: colors.map(([, c]) => c) },
    legend: null
  };
}

/**
 * The key metric against one parameter: a point per run, coloured by
 * verdict; a log axis for a parameter swept over decades (a learning
 * rate), categories side by side for words (`relu`, `tanh`).
 */
export function metricVsParamSpec(
  rows: ReadonlyArray<IExperimentTableRow>,
  param: string,
  metric: string,
  colors: VerdictColors = DEFAULT_VERDICT_COLORS
): VegaLiteSpec | null {
  const axis = axisOf(
    param,
    rows.map(r => r.params[param])
  );
  const values = rows
    .filter(r => {
      const y = r.metrics[metric];
      const x = r.params[param];
      return (
        typeof y === 'number' && isFinite(y) && x !== null && x !== undefined
      );
    })
    .map(r => ({
      run: `#${r.id}`,
      x: axis.numeric ? r.params[param] : formatParam(r.params[param]),
      y: r.metrics[metric],
      jitter: jitter(r.id),
      verdict: verdictLabel(r)
    }));
  if (values.length === 0) {
    return null;
  }
  // runs with a verdict drawn last, over the many without one
  values.sort(
    (a, b) =>
      Number(a.verdict !== NO_VERDICT) - Number(b.verdict !== NO_VERDICT)
  );
  const x = axis.numeric
    ? {
        field: 'x',
        type: 'quantitative',
        title: param,
        // a log scale takes no `zero` (Vega warns "zero is dropped" at every draw)
        scale: axis.log
          ? { type: 'log', nice: false }
          : { type: 'linear', zero: false, nice: true }
      }
    : {
        field: 'x',
        type: 'nominal',
        title: param,
        sort: axis.categories,
        axis: { labelAngle: 0 }
      };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `${metric} by ${param}`, anchor: 'start', fontSize: 12 },
    width: 260,
    height: 170,
    data: { values },
    mark: { type: 'point', filled: true, size: 36, opacity: 0.75 },
    encoding: {
      x,
      ...(axis.numeric
        ? {}
        : {
            xOffset: {
              field: 'jitter',
              type: 'quantitative',
              scale: { domain: [-0.5, 1.5] }
            }
          }),
      y: {
        field: 'y',
        type: 'quantitative',
        title: metric,
        scale: { zero: false }
      },
      color: colorByVerdict(colors),
      tooltip: [
        { field: 'run', type: 'nominal' },
        { field: 'x', title: param },
        { field: 'y', type: 'quantitative', title: metric, format: '.4~g' },
        { field: 'verdict', type: 'nominal' }
      ]
    },
    config: CONFIG
  };
}

/**
 * The charts of an experiment: the key metric by each varying parameter
 * (the parallel coordinates are a component of their own, brushable:
 * components/ParallelCoordinates.tsx).
 */
export function experimentCharts(
  rows: ReadonlyArray<IExperimentTableRow>,
  params: ReadonlyArray<string>,
  metric: string | null,
  colors: VerdictColors = DEFAULT_VERDICT_COLORS,
  labelColor?: string
): IChart[] {
  const charts: IChart[] = [];
  if (metric) {
    for (const param of params) {
      const spec = metricVsParamSpec(rows, param, metric, colors);
      if (spec) {
        charts.push({ title: `${metric} by ${param}`, spec });
      }
    }
  }
  return charts;
}

/**
 * Vega-Lite specifications of training curves. Pure: the views hand the specs
 * to JupyterLab's own Vega renderer (the rendermime factory of
 * `application/vnd.vegalite.v5+json`), which bundles Vega and needs no network.
 */

import { formatParam, metricFamily } from '../formatters';
import { IMetricSeries } from '../api/runPayloads';

/** The MIME type JupyterLab's Vega 5 extension renders. */
export const VEGALITE_MIME = 'application/vnd.vegalite.v5+json';

/** A Vega-Lite spec, as plain JSON. */
export type VegaLiteSpec = { [key: string]: unknown };

/** One entry of the legend the charts of a view share. */
export interface ILegendEntry {
  /** What the colour or the dashes tell: `validation`, `#12 units=128`, `fit 2`. */
  label: string;
  /** The line's colour; none for an entry of dashes alone. */
  color?: string;
  /** The line's dash pattern (`[6, 3]`); solid without it. */
  dash?: number[];
}

/** One chart: a title and its spec. */
export interface IChart {
  /** What the chart shows (a metric or a metric family). */
  title: string;
  spec: VegaLiteSpec;
  /**
   * What its colours and dashes mean. The view draws one legend for all its
   * charts (the union of these), not one per chart.
   */
  legend?: ReadonlyArray<ILegendEntry>;
}

/** How the charts of a view are drawn. */
export interface IChartOptions {
  /**
   * A log axis for losses and errors (where overfitting shows, as in the
   * live view); accuracies stay linear. True by default.
   */
  log?: boolean;
}

/** Whether a metric (family) is a loss or an error, drawn on a log axis. */
export function isLossLike(name: string): boolean {
  return /loss|error|mse|mae|rmse|perplexity|crossentropy/i.test(name);
}

/** A plotted point. */
export interface IDatum {
  x: number;
  value: number;
  /** What the colour tells: `train`/`validation`, or a run (`#12`). */
  series: string;
  /** Which `fit` of the cell (`fit 1`, `fit 2`…). */
  fit: string;
}

const WIDTH = 300;
const HEIGHT = 170;

/**
 * Line colours, legible on the light and the dark theme (Vega's Tableau 10).
 * A run keeps its colour in every chart of a comparison and in the table
 * headers; training and validation keep theirs in every chart of a run.
 */
export const PALETTE = [
  '#4c78a8',
  '#f58518',
  '#54a24b',
  '#e45756',
  '#b279a2',
  '#72b7b2',
  '#eeca3b',
  '#ff9da6',
  '#9d755d',
  '#bab0ac'
];

/** The colour of the `index`-th run of a comparison. */
export function runColor(index: number): string {
  return PALETTE[index % PALETTE.length];
}

/** The legend labels of a run's curves, and their colours. */
export const TRAIN = 'train';
export const VALIDATION = 'validation';
export const TRAIN_BATCH = 'train (per batch)';
const SPLIT_COLORS: ReadonlyArray<[string, string]> = [
  [TRAIN, PALETTE[0]],
  [VALIDATION, PALETTE[1]],
  [TRAIN_BATCH, '#9ecae9']
];

/** Dash patterns of successive `fit`s: solid, dashed, dotted… */
const DASHES = [
  [1, 0],
  [6, 3],
  [2, 2],
  [8, 3, 2, 3]
];

/**
 * The series worth plotting: per-epoch ones, and per-batch ones only for a
 * metric that has no per-epoch series; final values (`value`) are no curve.
 */
export function plottable(
  series: ReadonlyArray<IMetricSeries>
): IMetricSeries[] {
  const withEpochs = new Set(
    series.filter(s => s.kind === 'epoch').map(s => s.name)
  );
  return series.filter(
    s =>
      s.points.length > 0 &&
      (s.kind === 'epoch' || (s.kind === 'batch' && !withEpochs.has(s.name)))
  );
}

/** The name of a `fit` of the cell, as the legend says it. */
function fitName(part: number): string {
  return `fit ${part + 1}`;
}

/** The dash pattern of a `fit` (`fit 2`). */
function fitDash(fit: string): number[] {
  return DASHES[(parseInt(fit.slice(4)) - 1) % DASHES.length];
}

/** The legend of a line chart: its colours, then its fits' dashes. */
function legendOf(values: IDatum[], colors: IColorKey): ILegendEntry[] {
  const entries: ILegendEntry[] = colors.domain.map((label, index) => ({
    label,
    color: colors.range[index]
  }));
  const fits = Array.from(new Set(values.map(v => v.fit)));
  if (fits.length > 1) {
    fits.sort((a, b) => parseInt(a.slice(4)) - parseInt(b.slice(4)));
    entries.push(...fits.map(fit => ({ label: fit, dash: fitDash(fit) })));
  }
  return entries;
}

/** Finite points of a series as chart data. */
function data(series: IMetricSeries, label: string): IDatum[] {
  const values: IDatum[] = [];
  const fit = fitName(series.part);
  for (const [step, epoch, value] of series.points) {
    if (value === null || value === undefined || !isFinite(value)) {
      continue;
    }
    // Epochs are stored as Keras counts them (from 0) and shown as people do (from 1).
    const x = series.kind === 'epoch' && epoch !== null ? epoch + 1 : step;
    values.push({ x, value, series: label, fit });
  }
  return values;
}

/** How a line chart's colours are told apart. */
interface IColorKey {
  /** The legend's labels, in order. */
  domain: string[];
  /** Their colours. */
  range: string[];
  /** The legend's title, or null for none. */
  title: string | null;
}

/**
 * A line chart of `values`: one colour per `series` (as `colors` says), and
 * one dash pattern per `fit` when there are several; a log axis when asked
 * and every value is positive. No legend: the view draws one for all its
 * charts (see {@link IChart.legend}).
 */
export function lineSpec(
  title: string,
  values: IDatum[],
  xTitle: string,
  colors: IColorKey,
  log = false
): VegaLiteSpec {
  const logScale = log && values.length > 0 && values.every(v => v.value > 0);
  const lines = new Set(values.map(v => `${v.series}\u0000${v.fit}`));
  const fits = Array.from(new Set(values.map(v => v.fit))).sort(
    (a, b) => parseInt(a.slice(4)) - parseInt(b.slice(4))
  );
  const encoding: { [key: string]: unknown } = {
    x: {
      field: 'x',
      type: 'quantitative',
      title: xTitle,
      axis: { tickMinStep: 1 }
    },
    y: {
      field: 'value',
      type: 'quantitative',
      title: logScale ? 'log scale' : null,
      scale: logScale ? { type: 'log', nice: false } : { zero: false }
    },
    color: {
      field: 'series',
      type: 'nominal',
      title: colors.title,
      scale: { domain: colors.domain, range: colors.range },
      // one legend for all the charts of a view, drawn by the view
      legend: null
    },
    tooltip: [
      { field: 'series', type: 'nominal', title: colors.title ?? 'curve' },
      ...(fits.length > 1 ? [{ field: 'fit', type: 'nominal' }] : []),
      { field: 'x', type: 'quantitative', title: xTitle },
      { field: 'value', type: 'quantitative', format: '.4~g' }
    ]
  };
  if (fits.length > 1) {
    encoding.strokeDash = {
      field: 'fit',
      type: 'nominal',
      title: null,
      scale: {
        domain: fits,
        range: fits.map(fitDash)
      },
      legend: null
    };
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: title, anchor: 'start', frame: 'group', fontSize: 12 },
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: {
      type: 'line',
      point: values.length <= 40 * Math.max(lines.size, 1),
      strokeWidth: 1.5
    },
    encoding,
    config: {
      background: 'transparent',
      view: { stroke: null },
      font: 'system-ui, -apple-system, sans-serif',
      legend: { labelFontSize: 11, titleFontSize: 11, offset: 6 }
    }
  };
}

/** The legend label of a run's series: training or validation. */
function splitLabel(series: IMetricSeries): string {
  if (series.name.startsWith('val_')) {
    return VALIDATION;
  }
  return series.kind === 'batch' ? TRAIN_BATCH : TRAIN;
}

/**
 * The curves of one run: one chart per metric family, so `loss` and
 * `val_loss` are drawn together, training in one colour and validation in
 * another in every chart.
 */
export function runCharts(
  series: ReadonlyArray<IMetricSeries>,
  options: IChartOptions = {}
): IChart[] {
  const log = options.log ?? true;
  const families = new Map<string, IMetricSeries[]>();
  for (const one of plottable(series)) {
    const family = metricFamily(one.name);
    families.set(family, [...(families.get(family) ?? []), one]);
  }
  const charts: IChart[] = [];
  for (const [family, members] of families) {
    const values = members.flatMap(s => data(s, splitLabel(s)));
    if (values.length === 0) {
      continue;
    }
    const shown = new Set(values.map(v => v.series));
    const used = SPLIT_COLORS.filter(([label]) => shown.has(label));
    const xTitle = members.every(s => s.kind === 'epoch') ? 'epoch' : 'step';
    const colors = {
      domain: used.map(([label]) => label),
      range: used.map(([, color]) => color),
      title: null
    };
    charts.push({
      title: family,
      spec: lineSpec(family, values, xTitle, colors, log && isLossLike(family)),
      legend: legendOf(values, colors)
    });
  }
  return charts.sort((a, b) => familyOrder(a.title) - familyOrder(b.title));
}

/** Loss first, then the rest in the order they came. */
function familyOrder(family: string): number {
  return family === 'loss' ? 0 : 1;
}

/** A run of a comparison. */
export interface ICompared {
  id: number;
  series: ReadonlyArray<IMetricSeries>;
  /** What tells it apart (`units=128`), after its `#id` in the legend. */
  note?: string;
}

/** The legend label of a compared run: `#5 units=128`. */
export function runLabel(run: { id: number; note?: string }): string {
  return run.note ? `#${run.id} ${run.note}` : `#${run.id}`;
}

/**
 * What tells each run apart from the others: its values of the parameters
 * that differ (at most `most` of them: those the person wrote before derived
 * ones such as `fit.epochs`, otherwise in the order given), e.g.
 * `units=128`; empty when no parameter differs.
 */
export function differingNote(
  params: { [name: string]: unknown },
  differing: ReadonlyArray<string>,
  most = 2
): string {
  // the parameters the person wrote (`units`) tell runs apart better than
  // what was derived from them (`fit.epochs`, `optimizer.learning_rate`)
  const ranked = [...differing].sort(
    (a, b) => Number(a.includes('.')) - Number(b.includes('.'))
  );
  return ranked
    .slice(0, most)
    .map(name => {
      const short = name.length > 14 ? name.split('.').pop() : name;
      const value = name in params ? formatParam(params[name]) : '–';
      const shown = value.length > 12 ? `${value.slice(0, 11)}…` : value;
      return `${short}=${shown}`;
    })
    .join(' ');
}

/**
 * The curves of several runs overlaid: one chart per metric, one colour per
 * run (`#12 units=64`), the same colour for a run in every chart.
 */
export function compareCharts(
  runs: ReadonlyArray<ICompared>,
  options: IChartOptions = {}
): IChart[] {
  const log = options.log ?? true;
  const byMetric = new Map<
    string,
    { values: IDatum[]; epochs: boolean; runs: Set<number> }
  >();
  runs.forEach((run, index) => {
    for (const one of plottable(run.series)) {
      const entry = byMetric.get(one.name) ?? {
        values: [],
        epochs: true,
        runs: new Set<number>()
      };
      const points = data(one, runLabel(run));
      entry.values.push(...points);
      if (points.length > 0) {
        entry.runs.add(index);
      }
      entry.epochs = entry.epochs && one.kind === 'epoch';
      byMetric.set(one.name, entry);
    }
  });
  const charts: IChart[] = [];
  for (const [name, entry] of byMetric) {
    if (entry.values.length === 0) {
      continue;
    }
    const shown = runs
      .map((run, index) => ({ run, index }))
      .filter(({ index }) => entry.runs.has(index));
    const colors = {
      domain: shown.map(({ run }) => runLabel(run)),
      range: shown.map(({ index }) => runColor(index)),
      title: null
    };
    charts.push({
      title: name,
      spec: lineSpec(
        name,
        entry.values,
        entry.epochs ? 'epoch' : 'step',
        colors,
        log && isLossLike(name)
      ),
      legend: legendOf(entry.values, colors)
    });
  }
  return charts.sort(
    (a, b) =>
      metricFamily(a.title).localeCompare(metricFamily(b.title)) ||
      a.title.length - b.title.length
  );
}

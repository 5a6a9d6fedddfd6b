/**
 * Vega-Lite specifications of training curves. Pure: the views hand the specs
 * to JupyterLab's own Vega renderer (the rendermime factory of
 * `application/vnd.vegalite.v5+json`), which bundles Vega and needs no network.
 */

import { metricFamily } from './formatters';
import { IMetricSeries } from './tokens';

/** The MIME type JupyterLab's Vega 5 extension renders. */
export const VEGALITE_MIME = 'application/vnd.vegalite.v5+json';

/** A Vega-Lite spec, as plain JSON. */
export type VegaLiteSpec = { [key: string]: unknown };

/** One chart: a title and its spec. */
export interface IChart {
  /** What the chart shows (a metric or a metric family). */
  title: string;
  spec: VegaLiteSpec;
}

/** A plotted point. */
interface IDatum {
  x: number;
  value: number;
  series: string;
}

const WIDTH = 300;
const HEIGHT = 170;

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

/** The legend label of a series; a second `fit` of the same cell is named. */
function seriesLabel(series: IMetricSeries, prefix = ''): string {
  const part = series.part > 0 ? ` (fit ${series.part + 1})` : '';
  return `${prefix}${series.name}${part}`;
}

/** Finite points of a series as chart data. */
function data(series: IMetricSeries, label: string): IDatum[] {
  const values: IDatum[] = [];
  for (const [step, epoch, value] of series.points) {
    if (value === null || value === undefined || !isFinite(value)) {
      continue;
    }
    const x = series.kind === 'epoch' && epoch !== null ? epoch : step;
    values.push({ x, value, series: label });
  }
  return values;
}

/** A line chart of `values`, one colour per `series`. */
export function lineSpec(
  title: string,
  values: IDatum[],
  xTitle: string,
  seriesTitle: string | null = null
): VegaLiteSpec {
  const names = new Set(values.map(v => v.series));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: title, anchor: 'start', fontSize: 12 },
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: {
      type: 'line',
      point: values.length <= 40 * Math.max(names.size, 1),
      tooltip: true,
      strokeWidth: 1.5
    },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: xTitle,
        axis: { tickMinStep: 1 }
      },
      y: {
        field: 'value',
        type: 'quantitative',
        title: null,
        scale: { zero: false }
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: seriesTitle,
        legend:
          names.size > 1 ? { orient: 'bottom', direction: 'horizontal' } : null
      }
    },
    config: {
      background: 'transparent',
      view: { stroke: null },
      font: 'system-ui, -apple-system, sans-serif'
    }
  };
}

/**
 * The curves of one run: one chart per metric family, so `loss` and
 * `val_loss` are drawn together.
 */
export function runCharts(series: ReadonlyArray<IMetricSeries>): IChart[] {
  const families = new Map<string, IMetricSeries[]>();
  for (const one of plottable(series)) {
    const family = metricFamily(one.name);
    families.set(family, [...(families.get(family) ?? []), one]);
  }
  const charts: IChart[] = [];
  for (const [family, members] of families) {
    const values = members.flatMap(s => data(s, seriesLabel(s)));
    if (values.length === 0) {
      continue;
    }
    const xTitle = members.every(s => s.kind === 'epoch') ? 'epoch' : 'step';
    charts.push({ title: family, spec: lineSpec(family, values, xTitle) });
  }
  return charts.sort((a, b) => familyOrder(a.title) - familyOrder(b.title));
}

/** Loss first, then the rest in the order they came. */
function familyOrder(family: string): number {
  return family === 'loss' ? 0 : 1;
}

/**
 * The curves of several runs overlaid: one chart per metric, one colour per
 * run (`#12`).
 */
export function compareCharts(
  runs: ReadonlyArray<{ id: number; series: ReadonlyArray<IMetricSeries> }>
): IChart[] {
  const byMetric = new Map<string, { values: IDatum[]; epochs: boolean }>();
  for (const run of runs) {
    for (const one of plottable(run.series)) {
      const entry = byMetric.get(one.name) ?? { values: [], epochs: true };
      const part = one.part > 0 ? ` (fit ${one.part + 1})` : '';
      entry.values.push(...data(one, `#${run.id}${part}`));
      entry.epochs = entry.epochs && one.kind === 'epoch';
      byMetric.set(one.name, entry);
    }
  }
  const charts: IChart[] = [];
  for (const [name, entry] of byMetric) {
    if (entry.values.length === 0) {
      continue;
    }
    charts.push({
      title: name,
      spec: lineSpec(name, entry.values, entry.epochs ? 'epoch' : 'step', 'run')
    });
  }
  return charts.sort(
    (a, b) =>
      metricFamily(a.title).localeCompare(metricFamily(b.title)) ||
      a.title.length - b.title.length
  );
}

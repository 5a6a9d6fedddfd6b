/**
 * Pure Vega-Lite specs of a grid's summary, as the notebook draws it
 * (`nbjournal/grids/summary.py`): a line with error bars (the 95 % interval of the mean over
 * repeats) for one varying axis, a heatmap for two, small heatmaps beyond.
 * Drawn by JupyterLab's own Vega renderer: offline, in the theme's colours.
 */

import { IChart, VegaLiteSpec } from './runCharts';
import { formatParam, inExponents } from '../formatters';
import { IGrid, IGridRow } from '../api/gridPayloads';

const CONFIG = {
  background: 'transparent',
  view: { stroke: null },
  font: 'system-ui, -apple-system, sans-serif',
  axis: { labelFontSize: 10, titleFontSize: 11 },
  legend: { labelFontSize: 10, titleFontSize: 11 }
};

/** The axes that take more than one value among the rows, in the grid's order. */
export function varyingAxes(rows: ReadonlyArray<IGridRow>): string[] {
  const names: string[] = [];
  for (const row of rows) {
    for (const name of Object.keys(row.values)) {
      if (!names.includes(name)) {
        names.push(name);
      }
    }
  }
  return names.filter(
    name =>
      new Set(rows.map(row => JSON.stringify(row.values[name] ?? null))).size >
      1
  );
}

/** The chart of a grid's key metric, or null when there is nothing to draw. */
export function gridChart(
  grid: IGrid,
  metric: string | null = grid.key_metric
): IChart | null {
  if (!metric) {
    return null;
  }
  const rows = grid.table.filter(
    row => typeof row.mean[metric] === 'number' && isFinite(row.mean[metric]!)
  );
  const axes = varyingAxes(grid.table);
  if (axes.length === 0 || rows.length === 0) {
    return null;
  }
  // one notation per axis: `3e-5` never beside `0.001`
  const exponents = new Set(
    axes.filter(axis => inExponents(rows.map(row => row.values[axis])))
  );
  const values = rows.map(row => {
    const mean = row.mean[metric] as number;
    // the 95 % interval of the mean (none below two runs: a bar of no height)
    const datum: { [key: string]: unknown } = {
      mean,
      low: row.low?.[metric] ?? mean,
      high: row.high?.[metric] ?? mean
    };
    for (const axis of axes) {
      datum[axis] = formatParam(row.values[axis], exponents.has(axis));
    }
    return datum;
  });
  const title = `${metric} (mean over repeats)`;
  const domain = axes.map(axis =>
    Array.from(new Set(values.map(v => v[axis] as string)))
  );
  if (axes.length === 1) {
    const x = {
      field: axes[0],
      type: 'ordinal',
      title: axes[0],
      sort: domain[0],
      axis: { labelAngle: 0 }
    };
    const spec: VegaLiteSpec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: { text: title, anchor: 'start', frame: 'group', fontSize: 12 },
      width: Math.max(240, 60 * domain[0].length),
      height: 200,
      data: { values },
      layer: [
        {
          mark: { type: 'errorbar', ticks: true },
          encoding: {
            x,
            y: {
              field: 'low',
              type: 'quantitative',
              title: metric,
              scale: { zero: false }
            },
            y2: { field: 'high' }
          }
        },
        {
          mark: { type: 'line', point: true },
          encoding: {
            x,
            y: { field: 'mean', type: 'quantitative' },
            tooltip: [
              { field: axes[0], type: 'ordinal' },
              { field: 'mean', type: 'quantitative', format: '.4~g' },
              {
                field: 'low',
                type: 'quantitative',
                format: '.4~g',
                title: '95 % interval, low'
              },
              {
                field: 'high',
                type: 'quantitative',
                format: '.4~g',
                title: '95 % interval, high'
              }
            ]
          }
        }
      ],
      config: CONFIG
    };
    return { title, spec };
  }
  const xAxis = axes[axes.length - 1];
  const yAxis = axes[axes.length - 2];
  const reverse = goalOf(grid, metric) === 'min';
  const means = values.map(v => v.mean as number);
  const middle = (Math.min(...means) + Math.max(...means)) / 2;
  for (const datum of values) {
    const mean = datum.mean as number;
    datum.dark = reverse ? mean > middle : mean < middle;
  }
  const rest = axes.slice(0, -2);
  const x = {
    field: xAxis,
    type: 'ordinal',
    title: xAxis,
    sort: domain[axes.length - 1],
    axis: { labelAngle: 0 }
  };
  const y = {
    field: yAxis,
    type: 'ordinal',
    title: yAxis,
    sort: domain[axes.length - 2]
  };
  const layer = [
    {
      mark: 'rect',
      encoding: {
        x,
        y,
        color: {
          field: 'mean',
          type: 'quantitative',
          title: metric,
          scale: { scheme: 'viridis', reverse }
        },
        tooltip: [
          ...axes.map(axis => ({ field: axis, type: 'ordinal' })),
          { field: 'mean', type: 'quantitative', format: '.4~g' }
        ]
      }
    },
    {
      mark: { type: 'text', fontSize: 11 },
      encoding: {
        x,
        y,
        text: { field: 'mean', type: 'quantitative', format: '.4~g' },
        color: {
          condition: { test: 'datum.dark', value: 'white' },
          value: 'black'
        }
      }
    }
  ];
  const cell = rest.length ? 44 : 60;
  const size = {
    width: cell * domain[axes.length - 1].length,
    height: Math.max(120, 32 * domain[axes.length - 2].length)
  };
  if (rest.length === 0) {
    return {
      title,
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
        title: { text: title, anchor: 'start', frame: 'group', fontSize: 12 },
        ...size,
        data: { values },
        layer,
        config: CONFIG
      }
    };
  }
  for (const datum of values) {
    datum.panel = rest.map(axis => `${axis}=${datum[axis]}`).join(', ');
  }
  return {
    title,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: { text: title, anchor: 'start', fontSize: 12 },
      data: { values },
      facet: { field: 'panel', type: 'nominal', title: null },
      columns: 3,
      spec: { ...size, layer },
      config: CONFIG
    }
  };
}

/** Whether a bigger or a smaller value of `metric` is better, from the grid's runs. */
function goalOf(grid: IGrid, metric: string): string {
  for (const run of grid.grid_runs) {
    const summary = run.metrics?.[metric];
    if (summary) {
      return summary.goal;
    }
  }
  return 'max';
}

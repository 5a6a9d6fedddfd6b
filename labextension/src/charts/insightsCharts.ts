/**
 * Pure Vega-Lite specs of an experiment's insights: importances as bars with
 * their low–high spread (greyed where a parameter did not matter), and each
 * top parameter's effect (runs as points, the mean as a line in a ± std
 * band). Drawn by JupyterLab's Vega renderer, as the curves are.
 */

import { IChart, VegaLiteSpec } from './runCharts';
import { formatParam } from '../formatters';
import { IInsights } from '../api/analysisPayloads';

const CONFIG = {
  background: 'transparent',
  view: { stroke: null },
  font: 'system-ui, -apple-system, sans-serif',
  axis: { labelFontSize: 10, titleFontSize: 11 }
};

/** Colours the charts take from the theme (read from CSS variables by the view). */
export interface IInsightColors {
  /** Bars and lines of what mattered. */
  accent: string;
  /** What did not matter, and the band. */
  muted: string;
  /** The spread's whiskers: the theme's text colour. */
  text: string;
}

export const DEFAULT_INSIGHT_COLORS: IInsightColors = {
  accent: '#1976d2',
  muted: '#9e9e9e',
  text: '#616161'
};

/** Importances: a bar per parameter, its spread as a rule, greyed when it did not matter. */
export function importanceSpec(
  insights: IInsights,
  colors: IInsightColors = DEFAULT_INSIGHT_COLORS
): IChart | null {
  if (!insights.ranked || insights.importances.length === 0) {
    return null;
  }
  const values = insights.importances.map(item => ({
    param: item.param,
    importance: item.importance,
    low: item.low,
    high: item.high,
    matters: item.matters ? 'mattered' : 'did not matter'
  }));
  const order = values.map(v => v.param);
  const y = { field: 'param', type: 'nominal', title: null, sort: order };
  const color = {
    field: 'matters',
    type: 'nominal',
    scale: {
      domain: ['mattered', 'did not matter'],
      range: [colors.accent, colors.muted]
    },
    legend: null
  };
  const spec: VegaLiteSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: `what mattered for ${insights.metric ?? 'the metric'}`,
      anchor: 'start',
      frame: 'group',
      fontSize: 12
    },
    width: 320,
    height: Math.max(60, 26 * values.length),
    data: { values },
    layer: [
      {
        mark: { type: 'bar', height: 14, opacity: 0.85 },
        encoding: {
          y,
          x: {
            field: 'importance',
            type: 'quantitative',
            title: 'share of importance (5–95 % spread)',
            scale: { domain: [0, 1] }
          },
          color,
          tooltip: [
            { field: 'param', type: 'nominal' },
            { field: 'importance', type: 'quantitative', format: '.4~g' },
            { field: 'low', type: 'quantitative', format: '.4~g' },
            { field: 'high', type: 'quantitative', format: '.4~g' },
            { field: 'matters', type: 'nominal', title: 'verdict' }
          ]
        }
      },
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          y,
          x: { field: 'low', type: 'quantitative' },
          x2: { field: 'high' },
          color: { value: colors.text },
          opacity: { value: 0.8 }
        }
      },
      // a tick at each end of the interval
      ...['low', 'high'].map(field => ({
        mark: {
          type: 'tick',
          thickness: 2,
          size: 12,
          orient: 'vertical',
          color: colors.text
        },
        encoding: { y, x: { field, type: 'quantitative' } }
      }))
    ],
    config: CONFIG
  };
  return { title: 'importances', spec };
}

/** Whether numbers span enough decades for a log axis. */
function wantsLog(numbers: number[]): boolean {
  if (numbers.length < 2 || numbers.some(n => !(n > 0))) {
    return false;
  }
  return Math.max(...numbers) / Math.min(...numbers) >= 100;
}

/** The powers of ten that span `numbers` (the ticks of a log axis). */
export function decades(numbers: number[]): number[] {
  const low = Math.floor(Math.log10(Math.min(...numbers)));
  const high = Math.ceil(Math.log10(Math.max(...numbers)));
  const ticks: number[] = [];
  for (let power = low; power <= high; power++) {
    ticks.push(Number(`1e${power}`));
  }
  return ticks;
}

/** What an effect's points are when they are a sample: `1,000 of 9,897 runs drawn`. */
export function sampleNote(drawn: number, runs: number): string {
  const count = (n: number): string => n.toLocaleString('en-US');
  return `${count(drawn)} of ${count(runs)} runs drawn (a sample); line and band over all`;
}

/** A top parameter's effect: its runs as points, the mean as a line in a ± std band. */
export function effectSpec(
  insights: IInsights,
  param: string,
  colors: IInsightColors = DEFAULT_INSIGHT_COLORS
): IChart | null {
  const metric = insights.metric ?? 'metric';
  const effects = insights.effects.filter(e => e.param === param);
  const points =
    insights.points.find(p => p.param === param)?.points ?? ([] as never[]);
  if (effects.length === 0 && points.length === 0) {
    return null;
  }
  const numeric =
    effects.every(e => typeof e.value === 'number') &&
    points.every(p => typeof p[1] === 'number');
  const xs = numeric
    ? [
        ...effects.map(e => e.value as number),
        ...points.map(p => p[1] as number)
      ]
    : [];
  const x = numeric
    ? {
        field: 'x',
        type: 'quantitative',
        title: param,
        scale: wantsLog(xs) ? { type: 'log' } : { zero: false },
        axis: wantsLog(xs)
          ? { format: '~g', values: decades(xs) }
          : { format: '~g', labelOverlap: 'greedy' }
      }
    : {
        field: 'x',
        type: 'ordinal',
        title: param,
        sort: effects.map(e => formatParam(e.value)),
        axis: { labelAngle: 0 }
      };
  const asX = (value: unknown): unknown =>
    numeric ? value : formatParam(value);
  const band = effects.map(e => ({
    x: asX(e.value),
    mean: e.mean,
    lower: e.mean - (e.std ?? 0),
    upper: e.mean + (e.std ?? 0),
    count: e.count
  }));
  const dots = points.map(([run, value, y]) => ({
    x: asX(value),
    run: `#${run}`,
    y
  }));
  const y = { type: 'quantitative', title: metric, scale: { zero: false } };
  // the server sends a sample of the runs where many have the parameter; the band holds all
  const counted = effects.reduce((sum, e) => sum + e.count, 0);
  const spec: VegaLiteSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: `${metric} by ${param}`,
      ...(points.length < counted
        ? { subtitle: sampleNote(points.length, counted) }
        : {}),
      anchor: 'start',
      frame: 'group',
      fontSize: 12
    },
    width: 300,
    height: 180,
    layer: [
      {
        data: { values: band },
        mark: { type: 'area', opacity: 0.25, color: colors.accent },
        encoding: {
          x,
          y: { field: 'lower', ...y },
          y2: { field: 'upper' }
        }
      },
      {
        data: { values: dots },
        mark: {
          type: 'point',
          filled: true,
          size: 22,
          opacity: 0.55,
          color: colors.muted
        },
        encoding: {
          x,
          y: { field: 'y', ...y },
          tooltip: [
            { field: 'run', type: 'nominal' },
            { field: 'x', title: param },
            { field: 'y', type: 'quantitative', title: metric, format: '.4~g' }
          ]
        }
      },
      {
        data: { values: band },
        mark: { type: 'line', point: true, color: colors.accent },
        encoding: {
          x,
          y: { field: 'mean', ...y },
          tooltip: [
            { field: 'x', title: param },
            { field: 'mean', type: 'quantitative', format: '.4~g' },
            { field: 'count', type: 'quantitative', title: 'runs' }
          ]
        }
      }
    ],
    config: CONFIG
  };
  return { title: `${metric} by ${param}`, spec };
}

/**
 * Vega-Lite specification of the experiment page's overlay: one metric's
 * curve of many runs on one chart, or each group's mean with a band of ± one
 * standard deviation. Pure: the data comes from `overlay.ts`.
 */

import { VegaLiteSpec } from './runCharts';
import { IBandPoint, IOverlayPoint, OverlayX } from '../overlay';

/** The x axis's title for each choice. */
const X_TITLES: Record<OverlayX, string> = {
  epoch: 'epoch',
  step: 'step',
  time: 'seconds since the run started'
};

/** The chart's look, shared with the page's other charts (transparent in both themes). */
export const CHART_CONFIG = {
  background: 'transparent',
  view: { stroke: null },
  font: 'system-ui, -apple-system, sans-serif',
  axis: { labelFontSize: 10, titleFontSize: 11 },
  legend: { labelFontSize: 10, titleFontSize: 11, labelLimit: 120 }
};

/** Options of {@link overlaySpec}. */
export interface IOverlaySpecOptions {
  metric: string;
  x: OverlayX;
  log: boolean;
  /** The groups' bands (grouped), or null: one line per run. */
  bands: ReadonlyArray<IBandPoint> | null;
  /** The theme's label colour. */
  labelColor?: string;
  width?: number;
}

/**
 * Curves overlaid: a line per run (or per group: its mean, over a band of
 * ± one standard deviation), coloured by run or group, y linear or log.
 */
export function overlaySpec(
  points: ReadonlyArray<IOverlayPoint>,
  options: IOverlaySpecOptions
): VegaLiteSpec | null {
  if (points.length === 0) {
    return null;
  }
  const x = {
    field: 'x',
    type: 'quantitative',
    title: X_TITLES[options.x],
    scale: { zero: false, nice: false }
  };
  // padded, so a curve's ends are not drawn on the plot's edge
  const yScale = options.log
    ? { type: 'log', nice: false, padding: 8 }
    : { type: 'linear', zero: false, padding: 8 };
  const legend = {
    title: options.bands ? 'group' : 'run',
    orient: 'right',
    ...(options.labelColor
      ? { labelColor: options.labelColor, titleColor: options.labelColor }
      : {})
  };
  const series = Array.from(
    new Set((options.bands ?? points).map(p => p.series))
  );
  const color = {
    field: 'series',
    type: 'nominal',
    scale: { domain: series, scheme: 'tableau10' },
    legend: series.length > 20 ? null : legend
  };
  const layer = options.bands
    ? [
        {
          data: { values: options.bands },
          mark: { type: 'area', opacity: 0.2 },
          encoding: {
            x,
            y: {
              field: 'low',
              type: 'quantitative',
              title: options.metric,
              scale: yScale
            },
            y2: { field: 'high' },
            color
          }
        },
        {
          data: { values: options.bands },
          mark: { type: 'line', strokeWidth: 2 },
          encoding: {
            x,
            y: {
              field: 'mean',
              type: 'quantitative',
              title: options.metric,
              scale: yScale
            },
            color,
            tooltip: [
              { field: 'series', type: 'nominal', title: 'group' },
              {
                field: 'x',
                type: 'quantitative',
                title: X_TITLES[options.x],
                format: '.4~g'
              },
              { field: 'mean', type: 'quantitative', format: '.4~g' },
              { field: 'n', type: 'quantitative', title: 'runs' }
            ]
          }
        }
      ]
    : [
        {
          data: { values: points },
          mark: { type: 'line', strokeWidth: 1.5, opacity: 0.85 },
          encoding: {
            x,
            y: {
              field: 'y',
              type: 'quantitative',
              title: options.metric,
              scale: yScale
            },
            color,
            detail: { field: 'id', type: 'nominal' },
            description: { field: 'label' },
            tooltip: [
              { field: 'label', type: 'nominal', title: 'run' },
              {
                field: 'x',
                type: 'quantitative',
                title: X_TITLES[options.x],
                format: '.4~g'
              },
              {
                field: 'y',
                type: 'quantitative',
                title: options.metric,
                format: '.4~g'
              }
            ]
          }
        }
      ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: `${options.metric} of ${options.bands ? 'each group (mean ± 1 sd)' : 'each run'}`,
      anchor: 'start',
      fontSize: 12
    },
    width: options.width ?? 520,
    height: 240,
    layer,
    config: CHART_CONFIG
  };
}

/**
 * The experiment page's overlay of curves: which runs it draws, how a curve
 * is smoothed, and the mean ± band of a group of repeats. Pure, so the rules
 * are tested without a browser; the chart is `charts/overlayCharts.ts`.
 */

import { formatParam } from './formatters';
import { IConfiguration } from './api/analysisPayloads';
import { IExperimentTableRow } from './api/experimentPayloads';
import { ICurvesReply, IRunCurve, ParamValue } from './api/runPayloads';

/** Runs one overlay draws at most (the server's bound, `GET curves`). */
export const MAX_OVERLAY_RUNS = 50;
/** Runs drawn when none is ticked: the first of the table's order. */
export const DEFAULT_TOP = 10;
/** Points a curve keeps (down-sampled on the server). */
export const OVERLAY_POINTS = 300;

/** What the x axis counts. */
export type OverlayX = 'epoch' | 'step' | 'time';

/** One drawn point of a run's curve (Vega-Lite data). */
export interface IOverlayPoint {
  /** `#12`, or the group's label when grouped. */
  series: string;
  /** The run id. */
  id: number;
  x: number;
  y: number;
  /** `run #12` — the point's accessible name, which a click reads to open the run. */
  label: string;
}

/** One x of a group's band: the mean of its runs there and mean ± one standard deviation. */
export interface IBandPoint {
  series: string;
  x: number;
  mean: number;
  low: number;
  high: number;
  /** How many runs have a value at this x. */
  n: number;
}

/** The runs an overlay asks for, with the group each belongs to (when grouped). */
export interface IOverlayRuns {
  ids: number[];
  /** Run id → its group's label (`config #3`); empty when not grouped. */
  groups: Map<number, string>;
  /** Why these runs: `3 ticked`, `the first 10 of the table`, `the first 4 configurations`. */
  source: string;
}

/**
 * The runs to overlay: the ticked runs of this page (its first rows or
 * its chart rows; the ticks are journal-wide) if any, else the
 * first `top` rows in the table's order (its sort); grouped, whole
 * configurations in their order until {@link MAX_OVERLAY_RUNS} runs.
 */
export function overlayRuns(options: {
  ticked: ReadonlyArray<number>;
  rows: ReadonlyArray<IExperimentTableRow>;
  top: number;
  configurations?: ReadonlyArray<IConfiguration> | null;
  /** The parameters the page groups by (empty: by configuration). */
  by?: ReadonlyArray<string>;
  /** Further runs of this page a ticked run may be (its chart rows). */
  members?: ReadonlyArray<IExperimentTableRow>;
}): IOverlayRuns {
  const top = Math.max(1, Math.min(MAX_OVERLAY_RUNS, Math.floor(options.top)));
  const { configurations } = options;
  if (configurations && configurations.length > 0) {
    // whole groups in their order, each its first runs, the whole within the bound
    const wanted = configurations.slice(0, top);
    const each = Math.max(1, Math.floor(MAX_OVERLAY_RUNS / wanted.length));
    const by = options.by ?? [];
    const groups = new Map<number, string>();
    for (const config of wanted) {
      const label = by.length
        ? by
            .map(
              name =>
                `${name}=${formatParam(config.params[name] as ParamValue)}`
            )
            .join(' ')
        : `config #${config.id}`;
      config.runs.slice(0, each).forEach(id => groups.set(id, label));
    }
    const n = wanted.length;
    const capped = wanted.some(c => c.runs.length > each)
      ? ` (at most ${each} runs each)`
      : '';
    return {
      ids: Array.from(groups.keys()),
      groups,
      source: `the first ${n} ${n === 1 ? 'group' : 'groups'}${capped}, their mean ± 1 sd`
    };
  }
  const inTable = new Set(
    [...options.rows, ...(options.members ?? [])].map(r => r.id)
  );
  const ticked = options.ticked.filter(id => inTable.has(id));
  if (ticked.length > 0) {
    const ids = ticked.slice(0, MAX_OVERLAY_RUNS);
    return {
      ids,
      groups: new Map(),
      source: `${ids.length} ticked ${ids.length === 1 ? 'run' : 'runs'}`
    };
  }
  const ids = options.rows.slice(0, top).map(r => r.id);
  return {
    ids,
    groups: new Map(),
    source: `the first ${ids.length} of the table's order`
  };
}

/**
 * An exponential moving average with TensorBoard's debiasing (the first
 * points are not pulled towards 0); gaps (null) stay gaps. `weight` 0 is
 * the curve itself.
 */
export function smooth(
  values: ReadonlyArray<number | null>,
  weight: number
): Array<number | null> {
  const w = Math.min(Math.max(weight, 0), 0.999);
  let last = 0;
  let count = 0;
  return values.map(value => {
    if (value === null || !isFinite(value)) {
      return null;
    }
    if (w === 0) {
      return value;
    }
    last = last * w + (1 - w) * value;
    count += 1;
    return last / (1 - Math.pow(w, count));
  });
}

/** The x of a point `[step, epoch, seconds, value]`, or null when it has none. */
function xOf(point: IRunCurve['points'][number], x: OverlayX): number | null {
  const value = x === 'step' ? point[0] : x === 'epoch' ? point[1] : point[2];
  return value === null || value === undefined || !isFinite(value)
    ? null
    : value;
}

/**
 * The drawn points of every curve: smoothed, without gaps, and (on a log
 * axis) without values ≤ 0, which it cannot show; `dropped` counts those.
 */
export function overlayPoints(
  reply: ICurvesReply,
  options: {
    x: OverlayX;
    smoothing: number;
    log: boolean;
    groups?: Map<number, string>;
  }
): { points: IOverlayPoint[]; dropped: number } {
  const points: IOverlayPoint[] = [];
  let dropped = 0;
  for (const curve of reply.curves) {
    const smoothed = smooth(
      curve.points.map(p => p[3]),
      options.smoothing
    );
    curve.points.forEach((point, index) => {
      const x = xOf(point, options.x);
      const y = smoothed[index];
      if (x === null || y === null) {
        return;
      }
      if (options.log && y <= 0) {
        dropped += 1;
        return;
      }
      points.push({
        series: options.groups?.get(curve.run_id) ?? `#${curve.run_id}`,
        id: curve.run_id,
        x,
        y,
        label: `run #${curve.run_id}`
      });
    });
  }
  return { points, dropped };
}

/** How many buckets a group's runs are pooled into on a time axis (times never align). */
const TIME_BUCKETS = 60;

/**
 * Each group's mean and mean ± one standard deviation at each x, over its
 * runs' (smoothed) points: runs align on epochs and steps; on time, points
 * are pooled into {@link TIME_BUCKETS} equal stretches.
 */
export function groupBands(
  points: ReadonlyArray<IOverlayPoint>,
  x: OverlayX
): IBandPoint[] {
  let bucket = (value: number): number => value;
  if (x === 'time' && points.length > 0) {
    const xs = points.map(p => p.x);
    const lo = Math.min(...xs);
    const width = (Math.max(...xs) - lo) / TIME_BUCKETS || 1;
    bucket = value => lo + (Math.floor((value - lo) / width) + 0.5) * width;
  }
  const cells = new Map<string, { series: string; x: number; ys: number[] }>();
  for (const point of points) {
    const at = bucket(point.x);
    const key = `${point.series}\u0000${at}`;
    const cell = cells.get(key) ?? { series: point.series, x: at, ys: [] };
    cell.ys.push(point.y);
    cells.set(key, cell);
  }
  return Array.from(cells.values())
    .map(({ series, x: at, ys }) => {
      const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
      const sd =
        ys.length > 1
          ? Math.sqrt(
              ys.reduce((a, b) => a + (b - mean) * (b - mean), 0) /
                (ys.length - 1)
            )
          : 0;
      return {
        series,
        x: at,
        mean,
        low: mean - sd,
        high: mean + sd,
        n: ys.length
      };
    })
    .sort((a, b) => a.series.localeCompare(b.series) || a.x - b.x);
}

/** The run a chart's mark names (`run #12…` in its accessible name), or null. */
export function runOfLabel(label: string | null | undefined): number | null {
  const found = /^run #(\d+)/.exec(label ?? '');
  return found ? Number(found[1]) : null;
}

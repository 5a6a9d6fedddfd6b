/**
 * The geometry of the parallel coordinates (issue 22.4), pure: an axis per
 * independent parameter and one for the key metric, each scaled on its own
 * (log over decades, categories evenly spaced: `axisOf`), and the way back
 * from a dragged span of an axis to the brush it means.
 */

import { IExperimentTableRow } from '../api/experimentPayloads';
import { ParamValue } from '../api/runPayloads';
import { Brush, keepsCategory, roundedEnd, setBrush } from '../brush';
import { axisOf, IAxis } from './experimentCharts';

/** One axis of the chart. */
export interface IParallelAxis extends IAxis {
  /** A parameter's axis, or the key metric's. */
  kind: 'param' | 'metric';
  /** The smallest and largest number of a numeric axis. */
  low: number;
  high: number;
}

/** A run's value on an axis. */
export function valueOn(
  row: IExperimentTableRow,
  axis: Pick<IParallelAxis, 'kind' | 'name'>
): ParamValue | undefined {
  return axis.kind === 'metric'
    ? row.metrics[axis.name]
    : row.params[axis.name];
}

/** The axes over `rows`: the parameters, then the key metric (when any run has it). */
export function parallelAxes(
  rows: ReadonlyArray<IExperimentTableRow>,
  params: ReadonlyArray<string>,
  metric: string | null
): IParallelAxis[] {
  const dims: Array<Pick<IParallelAxis, 'kind' | 'name'>> = [
    ...params.map(name => ({ kind: 'param' as const, name })),
    ...(metric ? [{ kind: 'metric' as const, name: metric }] : [])
  ];
  return dims.map(dim => {
    const values = rows.map(row => valueOn(row, dim));
    const numbers = values.filter(
      (v): v is number => typeof v === 'number' && isFinite(v)
    );
    return {
      ...axisOf(dim.name, values),
      kind: dim.kind,
      low: numbers.length ? Math.min(...numbers) : 0,
      high: numbers.length ? Math.max(...numbers) : 0
    };
  });
}

/** The number at a position (0–1) of a numeric axis. */
export function valueAt(axis: IParallelAxis, position: number): number {
  const p = Math.min(1, Math.max(0, position));
  if (axis.high === axis.low) {
    return axis.low;
  }
  if (axis.log) {
    const [lo, hi] = [Math.log10(axis.low), Math.log10(axis.high)];
    return Math.pow(10, lo + p * (hi - lo));
  }
  return axis.low + p * (axis.high - axis.low);
}

/**
 * The brush a span dragged on an axis means (`from`, `to`: positions 0–1
 * in any order), or null when it keeps every value. A numeric span ends at
 * four significant digits; a categorical one keeps the categories inside.
 */
export function brushOfSpan(
  axis: IParallelAxis,
  from: number,
  to: number
): Brush | null {
  const [p0, p1] = [Math.min(from, to), Math.max(from, to)];
  if (!axis.numeric) {
    const chosen = axis.categories.filter(c => {
      const at = axis.position(c);
      return at !== null && at >= p0 - 1e-9 && at <= p1 + 1e-9;
    });
    return setBrush(chosen, axis.categories);
  }
  const low = p0 <= 0 ? null : roundedEnd(valueAt(axis, p0), 'low');
  const high = p1 >= 1 ? null : roundedEnd(valueAt(axis, p1), 'high');
  return low === null && high === null ? null : { kind: 'range', low, high };
}

/** Where a brush sits on an axis: `[from, to]` positions 0–1, or null when off it. */
export function spanOfBrush(
  axis: IParallelAxis,
  brush: Brush
): [number, number] | null {
  if (brush.kind === 'range') {
    if (!axis.numeric) {
      return null;
    }
    const at = (value: number | null, end: number): number => {
      if (value === null) {
        return end;
      }
      const p = axis.position(value);
      if (p === null) {
        return end;
      }
      return Math.min(1, Math.max(0, p));
    };
    return [at(brush.low, 0), at(brush.high, 1)];
  }
  const kept = axis.categories
    .filter(c => keepsCategory(c, brush))
    .map(c => axis.position(c) as number);
  if (kept.length === 0) {
    return null;
  }
  const half =
    axis.categories.length > 1 ? 0.5 / (axis.categories.length - 1) : 0.5;
  return [
    Math.max(0, Math.min(...kept) - half / 2),
    Math.min(1, Math.max(...kept) + half / 2)
  ];
}

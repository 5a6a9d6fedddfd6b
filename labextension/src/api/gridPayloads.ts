/**
 * Payloads of the REST API about grids (docs/rest-api.md): the list, a grid's
 * runs and table, its best combination and inferences (with their history).
 */

import {
  IGridInference,
  IInferenceVersion,
  IMetricSummary,
  ParamValue,
  RunStatus
} from './runPayloads';

export type { IGridInference };

/** The best combination of a grid: the best mean of its key metric. */
export interface IGridBest {
  values: { [axis: string]: ParamValue };
  mean: number | null;
  std: number | null;
  /** The 95 % interval of the mean (null below two finished runs). */
  low: number | null;
  high: number | null;
  runs: number[];
}

/** A grid as a list shows it (`GET grids`). */
export interface IGridSummary {
  id: number;
  experiment: string;
  created: number;
  updated: number;
  hypothesis: string;
  notebook: string | null;
  spec: {
    axes: { [axis: string]: ParamValue[] };
    /** The axes in the order they were given (`axes` keeps its keys sorted). */
    order?: string[];
    repeat: number;
    sample: number | null;
    sample_seed?: number | null;
    fixed?: { [name: string]: unknown };
  };
  /** Runs the grid asks for (combinations × repeats). */
  points: number;
  /** Runs linked to it. */
  runs: number;
  done: number;
  failed: number;
  running: number;
  key_metric: string | null;
  inference: IGridInference | null;
  inference_count: number;
  best: IGridBest | null;
}

/** One run of a grid, in the grid's order. */
export interface IGridRun {
  run_id: number;
  point: number;
  values: { [axis: string]: ParamValue };
  status: RunStatus;
  started: number | null;
  ended: number | null;
  duration: number | null;
  error: string | null;
  metrics: { [name: string]: IMetricSummary };
}

/** One combination of a grid's axes, repeats folded. */
export interface IGridRow {
  values: { [axis: string]: ParamValue };
  runs: number[];
  statuses: RunStatus[];
  mean: { [metric: string]: number | null };
  std: { [metric: string]: number | null };
  /** The 95 % interval of each mean (null below two finished runs). */
  low: { [metric: string]: number | null };
  high: { [metric: string]: number | null };
}

/** The whole grid (`GET grids/{id}`). */
export interface IGrid extends IGridSummary {
  code: string;
  inferences: IGridInference[];
  /** Earlier versions of its inferences (edited or deleted), oldest first. */
  inference_history: IInferenceVersion[];
  grid_runs: IGridRun[];
  table: IGridRow[];
}

/** `GET grids`. */
export interface IGridsReply {
  grids: IGridSummary[];
}

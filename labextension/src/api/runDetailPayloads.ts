/**
 * The whole run (`GET runs/{id}`, docs/rest-api.md) and its parts the run view
 * shows: data fingerprints, diagnoses, the procedure and its replays, the
 * pre-fit checks, artifacts, the nearest earlier run.
 */

import {
  IInference,
  IInferenceVersion,
  IRunSummary,
  Verdict
} from './runPayloads';

/** The whole run (`GET runs/{id}`). */
export interface IRun extends IRunSummary {
  code: string;
  full_params: { [key: string]: unknown };
  data: IDataFingerprint[];
  env: { [key: string]: unknown };
  diagnoses: IDiagnosis[];
  error: string | null;
  inferences: IInference[];
  /** Earlier versions of its inferences (edited or deleted), oldest first. */
  inference_history: IInferenceVersion[];
  /** What the checks before each `fit` found, skipped and were told to ignore. */
  checks?: IChecks;
  /** What the run's cell made (names it bound, then its value). */
  artifacts?: IArtifact[];
  /** What the journal said as the cell started: the closest earlier run. */
  nearest?: INearest | null;
  /** A hash of the run's input data alone, or null. */
  data_fingerprint?: string | null;
  /** The run's upstream cells and their status; null when none was recorded. */
  procedure?: IProcedure | null;
}

/** An input's content fingerprint. */
export interface IDataFingerprint {
  name: string;
  kind: string;
  shape?: number[] | null;
  dtype?: string | null;
  hash: string;
  bytes?: number | null;
  [key: string]: unknown;
}

/** An automatic reading of a training curve. */
export interface IDiagnosis {
  kind: string;
  metric: string;
  epoch: number | null;
  part?: number;
  message: string;
}

/** One cell of a run's procedure (its upstream cells, or the experiment cell). */
export interface IProcedureCell {
  execution_count: number;
  cell_id: string | null;
  code_hash: string;
  code: string;
  bound: string[];
  /** The names the experiment depended on that this cell bound or may have changed. */
  names?: string[];
  /** What made the cell's bindings unknowable (`%run`, `exec()`). */
  opaque?: string;
}

/** How one metric of a replay compared with the recorded run. */
export interface IReplayMetric {
  recorded: number | null;
  replayed: number | null;
  verdict: string;
  difference: number | null;
  interval: [number, number] | null;
}

/** A run's procedure (`Run.procedure`), checked against its notebook as saved now. */
export interface IProcedure {
  /** `clean`, `out of order`, `upstream edited`, `upstream gone` or `hidden state`. */
  status: string;
  reason: string;
  problems: [string, string][];
  notebook_checked: boolean;
  cell?: IProcedureCell;
  cells: IProcedureCell[];
  hidden: string[];
  replay_of: number | null;
  replays: number[];
  comparison: {
    metrics?: { [name: string]: IReplayMetric };
    error?: string | null;
  } | null;
  /** When a replay of this run matched it (seconds since the epoch), or null. */
  reproduced: number | null;
}

/** One finding of a pre-fit check. */
export interface ICheckFinding {
  name: string;
  /** The line a person reads: evidence — fix. */
  message: string;
  /** The Keras fit's number in the cell, from 1. */
  fit?: number | null;
  /** A scikit-learn class name. */
  estimator?: string | null;
  evidence?: { [key: string]: unknown };
}

/** A check that could not read its input. */
export interface ICheckSkipped {
  name: string;
  fit?: number | null;
  estimator?: string | null;
  reason: string;
}

/** The checks before each `fit` (`Run.checks`). */
export interface IChecks {
  findings: ICheckFinding[];
  skipped: ICheckSkipped[];
  silenced: string[];
}

/** One thing a run's cell made. */
export interface IArtifact {
  name: string;
  /** `name`: a name the cell bound; `result`: the cell's value (`Out`). */
  role: 'name' | 'result' | string;
  /** The Python type, `module.Class`. */
  type: string;
  kind: string;
  /** Bytes. */
  size: number | null;
  hash: string | null;
  stored: boolean;
  /** Why it was not stored. */
  reason: string | null;
}

/** How the cell differed from the nearest earlier run in one parameter. */
export interface INearestDifference {
  name: string;
  before: unknown;
  after: unknown;
  /** The earlier run had no such parameter. */
  absent: boolean;
}

/** The closest earlier run, as said when the cell started (`Run.nearest`). */
export interface INearest {
  run_id: number;
  /** `""`: the same experiment; else the other experiment on the same data. */
  experiment: string;
  code_lines: number;
  differences: INearestDifference[];
  metric: string | null;
  value: number | null;
  verdict: Verdict | null;
  inference: string | null;
  /** Warnings: the cell repeats values already refuted. */
  notes: string[];
  /** The key metric over the earlier run's repeats (two or more), or null. */
  repeats: { n: number; mean: number; half: number | null } | null;
  /** What the cell read that differs from the run's inputs (`model (Sequential)`). */
  inputs?: string[];
  /** The line the cell showed. */
  line: string;
}

/**
 * Payloads of the REST API about runs as the list knows them (docs/rest-api.md):
 * status, verdict, a run's summary and inferences, the list, the change feed,
 * metric series and curves, the trash and tags. Times are UTC seconds since the
 * epoch (floats).
 */

/** A run's life cycle, as the store records it. */
export type RunStatus =
  'running' | 'finished' | 'failed' | 'interrupted' | 'crashed';

/** Every status, in the order the status filter offers them. */
export const STATUSES: ReadonlyArray<RunStatus> = [
  'running',
  'finished',
  'failed',
  'interrupted',
  'crashed'
];

/** The person's verdict on a hypothesis. */
export type Verdict = 'supported' | 'refuted' | 'inconclusive';

/** Every verdict, in the order the inference form offers them. */
export const VERDICTS: ReadonlyArray<Verdict> = [
  'supported',
  'refuted',
  'inconclusive'
];

/** A scalar parameter value, as `params` (flat) holds them. */
export type ParamValue = string | number | boolean | null;

/** The summary of one metric of a run. */
export interface IMetricSummary {
  last: number | null;
  last_epoch: number | null;
  best: number | null;
  best_epoch: number | null;
  /** Whether a bigger (`max`) or a smaller (`min`) value is better. */
  goal: 'max' | 'min' | string;
  count: number;
}

/** A conclusion written about a run. */
export interface IInference {
  id: number;
  run_id: number;
  /** Markdown written by a person: render sanitised, never as raw HTML. */
  text: string;
  verdict: Verdict | null;
  created: number;
  author: string | null;
  /**
   * What `%inference` rested on: the runs (`runs`: two lists of ids) and the
   * comparison rule's evidence on them (`metric`, `difference`, `interval`,
   * `n_a`, `n_b`, `verdict`, `said`…); null for a note without it.
   */
  evidence: { [key: string]: unknown } | null;
  /** When the current text replaced an earlier one, or null (never edited). */
  edited: number | null;
}

/**
 * What an inference said before it was edited or deleted (`Run.inference_history`,
 * `DELETE runs/{id}/inferences/{n}`).
 */
export interface IInferenceVersion {
  inference_id: number;
  /** Markdown written by a person: render sanitised, never as raw HTML. */
  text: string;
  verdict: Verdict | null;
  /** When this version was written, and when it stopped being current. */
  created: number;
  replaced: number;
  /** `edited` or `deleted`. */
  action: string;
  author: string | null;
}

/** `POST runs/{id}/inferences` body. */
export interface INewInference {
  text: string;
  verdict: Verdict | null;
}

/** One run as the list shows it (`GET runs`, `GET changes`). */
export interface IRunSummary {
  id: number;
  experiment: string;
  status: RunStatus;
  started: number;
  ended: number | null;
  duration: number | null;
  updated: number;
  hypothesis: string;
  tags: string[];
  repeat_of: number | null;
  /** The source notebook, relative to the server's root, when known. */
  notebook: string | null;
  fingerprint: string;
  /** Flat parameters: `a.b` keys, scalar values. */
  params: { [name: string]: ParamValue };
  metrics: { [name: string]: IMetricSummary };
  key_metric: string | null;
  /** The latest inference, or null. */
  inference: IInference | null;
  inference_count: number;
  /**
   * The run's verdict: that of the latest inference that gave one (a later
   * note without a verdict keeps it), or null.
   */
  verdict?: Verdict | null;
  /** Points a kernel keeps locally because the journal did not answer. */
  points_pending?: number;
  /** A failed run's exception in one line (`Type: message`), when sent. */
  error_summary?: string | null;
  /** When the run went to the trash (`nbjournal delete`); null while it is kept. */
  deleted_at?: number | null;
  /**
   * The newest inference on a grid the run is a point of: a conclusion about
   * every run of that grid (the run then needs no inference of its own), or null.
   */
  grid_inference?: IGridInference | null;
}

/** A conclusion written about a grid as a whole. */
export interface IGridInference {
  id: number;
  grid_id: number;
  /** Markdown written by a person: render sanitised, never as raw HTML. */
  text: string;
  verdict: Verdict | null;
  created: number;
  /** When its text was last replaced, or null (never edited). */
  edited: number | null;
  author: string | null;
}

/** `GET runs`. */
export interface IRunsReply {
  runs: IRunSummary[];
  next_cursor: number | null;
}

/** `GET changes?since=`. */
export interface IChangesReply {
  token: number;
  runs: IRunSummary[];
}

/** One down-sampled metric series: points are `[step, epoch, value]`. */
export interface IMetricSeries {
  name: string;
  /** `epoch`, `batch` or `value`. */
  kind: string;
  part: number;
  total: number;
  points: Array<[number, number | null, number | null]>;
}

/** `GET runs/{id}/metrics`. */
export interface IMetricsReply {
  run_id: number;
  series: IMetricSeries[];
}

/** One run's curve in `GET curves`: `[step, epoch, seconds since the run started, value]`. */
export interface IRunCurve {
  run_id: number;
  /** The series' length before down-sampling (0: the run has no such series). */
  total: number;
  points: Array<[number, number | null, number | null, number | null]>;
}

/** `GET curves?runs=…&metric=…`: one metric of many runs, in the order asked. */
export interface ICurvesReply {
  metric: string;
  /** `epoch` or `value` (a metric logged with `log_metric`). */
  kind: string;
  max_points: number;
  curves: IRunCurve[];
}

/** `POST trash`: the runs that went to the trash. */
export interface ITrashReply {
  trashed: number[];
}

/** `POST trash/restore`: the runs that came back. */
export interface IRestoreReply {
  restored: number[];
}

/** `PATCH runs/{id}/tags`: the run's tags afterwards, sorted. */
export interface ITagsReply {
  run_id: number;
  tags: string[];
}

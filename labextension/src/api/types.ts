/**
 * Payloads of the nbjournal REST API (docs/rest-api.md), as the sidebar reads
 * them. Times are UTC seconds since the epoch (floats).
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

/** One experiment (`GET experiments`). */
export interface IExperiment {
  name: string;
  runs: number;
  running: number;
  last_activity: number;
  best_metric: string | null;
  best_value: number | null;
  best_run: number | null;
}

/** `GET experiments`. */
export interface IExperimentsReply {
  experiments: IExperiment[];
}

/** `GET runs`. */
export interface IRunsReply {
  runs: IRunSummary[];
  next_cursor: number | null;
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

/** `GET changes?since=`. */
export interface IChangesReply {
  token: number;
  runs: IRunSummary[];
}

/** One run as a row of an experiment's table (`GET experiments/{name}/table`). */
export interface IExperimentTableRow {
  id: number;
  status: RunStatus;
  started: number;
  duration: number | null;
  /** The run's verdict (its latest inference's verdict), or null. */
  verdict: Verdict | null;
  /** The latest inference's text, or null when nobody wrote one. */
  inference: string | null;
  /** The parameters that vary in the experiment. */
  params: { [name: string]: ParamValue };
  /** The last value of each final metric. */
  metrics: { [name: string]: number | null };
  /** The run's tags, sorted (absent from servers before tags were shown). */
  tags?: string[];
}

/** A page of an experiment's table (`GET experiments/{name}/table`). */
/** A parameter the query box completes, with its commonest values. */
export interface IVocabularyParam {
  name: string;
  /** Its 20 commonest values, most common first (JSON scalars). */
  values: Array<number | string | boolean | null>;
}

/** `GET experiments/{name}/vocabulary`: what an experiment's query can name. */
export interface IVocabulary {
  experiment: string | null;
  /** How many runs (kept and trashed) the names were read from. */
  runs: number;
  params: IVocabularyParam[];
  metrics: string[];
  tags: string[];
  /** The values of the `key:value` filters (`status`, `verdict`, `inference`). */
  keywords: { [key: string]: string[] };
}

/** `GET query?q=&experiment=`: why the table would refuse a query, or null (always a 200). */
export interface IQueryCheck {
  q: string;
  error: string | null;
}

export interface IExperimentTable {
  experiment: string;
  /** The metric the table leads with, or null when the runs have none. */
  key_metric: string | null;
  /** The names of the parameters that vary between the runs. */
  params: string[];
  /** The names of the final metrics. */
  metrics: string[];
  /** Which way is better for each metric (`max`: higher), by the journal's one rule. */
  goals?: Record<string, string>;
  /** How many runs match the query (all pages). */
  total: number;
  rows: IExperimentTableRow[];
  /** Each parameter that others only mirror → those mirrors (`lr` → `optimizer.learning_rate`). */
  mirrors: { [kept: string]: string[] };
}

/** A metric's spread over a configuration's repeats (`low`–`high`: the 95 % interval of the mean). */
export interface IMetricSpread {
  /** The runs with a value of the metric (groups by parameters say it). */
  n?: number;
  mean: number | null;
  std: number | null;
  low: number | null;
  high: number | null;
}

/** The comparison rule's evidence on one metric (`Comparison.evidence()`): side a against side b. */
export interface IComparisonEvidence {
  metric: string | null;
  /** mean(a) − mean(b). */
  difference: number | null;
  /** The 95 % interval of the difference (nulls when there is none). */
  interval: [number | null, number | null];
  n_a: number;
  n_b: number;
  mean_a: number | null;
  mean_b: number | null;
  /** Paired seed by seed (both sides ran on the same seeds). */
  paired: boolean;
  /** The N of `needs N more repeats`, else null. */
  needed: number | null;
  /** `better`, `worse` (a against b, in the metric's direction), `within noise`, `needs N more repeats`. */
  verdict: string;
  higher_is_better: boolean;
  min_effect: number | null;
  /** Where the noise came from when each side had one run (`configuration #41`). */
  borrowed: string | null;
  /** `no repeats: run --repeat 3 to tell`, or null. */
  note: string | null;
}

/** One side of a comparison: a run, or a group of repeats. */
export interface ICompareSide {
  runs: number[];
  /** Per metric, its values over the side's runs (`n`, mean, 95 % interval of the mean). */
  metrics: { [name: string]: IMetricSpread & { n: number } };
}

/** `GET compare?runs=…&group=repeats`: the first side against each later one. */
export interface ICompareReply {
  /** The sides, each a list of run ids. */
  runs: number[][];
  /** Whether some side is a group of repeats. */
  grouped: boolean;
  /** The metric of record, or null. */
  metric: string | null;
  ranked_by: string | null;
  sides: ICompareSide[];
  /** The first side against each later side (`against`), per metric. */
  comparisons: Array<{
    against: number[];
    metrics: { [name: string]: IComparisonEvidence };
  }>;
}

/** A configuration (runs alike but for the seed) and its repeats. */
export interface IConfiguration {
  /** Its first run's id. */
  id: number;
  /** How many runs (repeats). */
  n: number;
  runs: number[];
  seeds: unknown[];
  /**
   * The comparison rule's verdict of the best configuration against this
   * one: `best` (itself), `better` (the best beats it), `within noise`,
   * `needs N more repeats`; null without values of the metric.
   */
  verdict: string | null;
  params: Record<string, unknown>;
  metrics: Record<string, IMetricSpread>;
}

/** `GET experiments/{name}/configurations`: best first by the metric of record. */
export interface IConfigurationsReply {
  experiment: string;
  /** The metric of record, or null when the runs have none. */
  metric: string | null;
  /** `ranked by val_accuracy (higher is better)…`, or null. */
  ranked_by: string | null;
  configurations: IConfiguration[];
}

/**
 * `GET experiments/{name}/groups?by=…&q=…`: the runs the query matches grouped
 * by the chosen parameters (by configuration when none), every metric's mean
 * and 95 % interval, best first by the metric of record.
 */
export interface IGroupsReply {
  experiment: string;
  /** The parameters grouped by; empty: by configuration (repeats). */
  by: string[];
  metric: string | null;
  ranked_by: string | null;
  /** Finished runs the query matched. */
  runs: number;
  /** The groups, as configurations are (`params`: the values grouped by). */
  groups: IConfiguration[];
}

/** The arguments of `GET experiments/{name}/table`. */
export interface IExperimentTableQuery {
  /** The query (docs/rest-api.md): `lr=0.003 val_accuracy>0.97 verdict:refuted`. */
  q?: string;
  /** The column to sort by: `id`, `status`, `started`, `duration`, `verdict`, a parameter or a metric. */
  sort?: string;
  order?: SortOrder;
  offset?: number;
  limit?: number;
}

/** A sort direction. */
export type SortOrder = 'asc' | 'desc';

/** `POST runs/{id}/inferences` body. */
export interface INewInference {
  text: string;
  verdict: Verdict | null;
}

/** A conclusion written about a grid as a whole. */
export interface IGridInference {
  id: number;
  grid_id: number;
  /** Markdown written by a person: render sanitised, never as raw HTML. */
  text: string;
  verdict: Verdict | null;
  created: number;
  author: string | null;
}

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
  grid_runs: IGridRun[];
  table: IGridRow[];
}

/** `GET grids`. */
export interface IGridsReply {
  grids: IGridSummary[];
}

/** A parameter's share of importance (`Insights.importances`). */
export interface IImportance {
  param: string;
  importance: number;
  /** The 5–95 % spread over subsamples. */
  low: number;
  high: number;
  raw?: number;
  /** Whether it beat the importance reached with the metric shuffled. */
  matters: boolean;
  runs: number;
}

/** The metric at one value (or bin) of a parameter (`Insights.effects`). */
export interface IEffect {
  param: string;
  value: ParamValue;
  low?: number | null;
  high?: number | null;
  mean: number;
  std: number | null;
  count: number;
  /** The 95 % interval of the mean (null for one run). */
  mean_low?: number | null;
  mean_high?: number | null;
}

/** A row of best configurations or of suggestions: the parameters' values beside. */
export interface IInsightRow {
  rank: number;
  [param: string]: unknown;
}

/** A conclusion already recorded (`Insights.conclusions`). */
export interface IConclusion {
  group: string;
  run_id: number;
  created: number;
  verdict: Verdict | null;
  text: string;
  [param: string]: unknown;
}

/** `GET experiments/{name}/insights`. */
export interface IInsights {
  experiment: string;
  same_data: boolean;
  metric: string | null;
  goal: 'max' | 'min' | string;
  runs: number;
  left_out: number;
  /** False with too few runs or no parameter that varied. */
  ranked: boolean;
  verdict: string;
  top: string[];
  aliases: { [name: string]: string };
  importances: IImportance[];
  effects: IEffect[];
  /** `[run_id, value, metric]` per run behind the top parameters' effects. */
  points: Array<{ param: string; points: Array<[number, ParamValue, number]> }>;
  best: IInsightRow[];
  suggestions: IInsightRow[];
  conclusions: IConclusion[];
  /** Sentences of conclusions repeated (`dropout 0.5 was refuted twice`). */
  repeated: string[];
  /**
   * How runs warm-started from another experiment's grid fared against this
   * experiment's own (docs/rest-api.md), or null.
   */
  transfer: { [key: string]: unknown; line: string } | null;
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

/** The forms of an experiment's report (`GET experiments/{name}/report?format=`). */
export type ReportFormat = 'html' | 'md';

/**
 * Payloads of the REST API that weigh runs against each other (docs/rest-api.md):
 * comparisons, configurations and their repeats, groups by parameters, insights.
 */

import { SortOrder } from './experimentPayloads';
import { ParamValue, Verdict } from './runPayloads';

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
 * and 95 % interval: the first `limit` (at most 500) by the key metric's
 * mean, best first unless `order` was asked.
 */
export interface IGroupsReply {
  experiment: string;
  /** The parameters grouped by; empty: by configuration (repeats). */
  by: string[];
  metric: string | null;
  ranked_by: string | null;
  /** Finished runs the query matched. */
  runs: number;
  /** The order by mean served (`desc`: highest first); null without a metric. */
  order: SortOrder | null;
  /** Whether that order puts the best first. */
  best_first: boolean;
  /** Groups in all (`groups` lists the first of them). */
  total: number;
  /** The groups, as configurations are (`params`: the values grouped by). */
  groups: IConfiguration[];
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
  /** `lr=0.1, units=64`, or `grid #1 (C in 0.1, 10; 4 runs)` for a grid's. */
  group: string;
  /** The run the inference is on; null for an inference on a grid. */
  run_id: number | null;
  /** The grid an inference on a grid as a whole is on; null for a run's. */
  grid_id: number | null;
  created: number;
  verdict: Verdict | null;
  text: string;
  [param: string]: unknown;
}

/**
 * The finished runs insights left out: they have no value of `metric`, the
 * metric of record (`source` says why it is the one); `instead`, the metric
 * every finished run has, which would count them all.
 */
export interface ILeftOut {
  runs: number[];
  /** The grids the left-out runs belong to. */
  grids: number[];
  metric: string;
  source: string;
  instead: string | null;
}

/** `GET experiments/{name}/insights`. */
export interface IInsights {
  experiment: string;
  same_data: boolean;
  metric: string | null;
  goal: 'max' | 'min' | string;
  runs: number;
  left_out: number;
  /** Which runs `metric` left out and why (null: none was). */
  left_out_detail: ILeftOut | null;
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

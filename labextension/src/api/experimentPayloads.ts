/**
 * Payloads of the REST API about experiments (docs/rest-api.md): the list, an
 * experiment's table and its query, the query box's vocabulary, the report.
 */

import { ParamValue, RunStatus, Verdict } from './runPayloads';

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

/** The forms of an experiment's report (`GET experiments/{name}/report?format=`). */
export type ReportFormat = 'html' | 'md';

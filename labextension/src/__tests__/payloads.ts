/**
 * The REST payloads as a real server answered them (recorded by
 * tests/server/test_payload_contract.py into `payloads/*.json`; rewrite with
 * `NBJOURNAL_UPDATE_PAYLOADS=1`), each checked here against its type in
 * `src/api/*Payloads.ts`: a field the server renamed, dropped or added, or a
 * value of another kind, fails to compile, so `jlpm test` fails.
 */

import {
  ICompareReply,
  IConfigurationsReply,
  IGroupsReply,
  IInsights
} from '../api/analysisPayloads';
import {
  IExperimentsReply,
  IExperimentTable,
  IQueryCheck,
  IVocabulary
} from '../api/experimentPayloads';
import { IGrid, IGridInference, IGridsReply } from '../api/gridPayloads';
import { IRun } from '../api/runDetailPayloads';
import {
  IChangesReply,
  ICurvesReply,
  IInference,
  IInferenceVersion,
  IMetricsReply,
  IRestoreReply,
  IRunsReply,
  ITagsReply,
  ITrashReply
} from '../api/runPayloads';
import changesJson from './payloads/changes.json';
import changesSinceJson from './payloads/changes_since.json';
import compareJson from './payloads/compare.json';
import configurationsJson from './payloads/configurations.json';
import curvesJson from './payloads/curves.json';
import groupsJson from './payloads/groups.json';
import experimentsJson from './payloads/experiments.json';
import gridJson from './payloads/grid.json';
import gridInferenceJson from './payloads/grid_inference.json';
import gridsJson from './payloads/grids.json';
import inferenceJson from './payloads/inference.json';
import inferenceEditedJson from './payloads/inference_edited.json';
import inferenceDeletedJson from './payloads/inference_deleted.json';
import runWithHistoryJson from './payloads/run_with_history.json';
import insightsJson from './payloads/insights.json';
import insightsAfterGridInferenceJson from './payloads/insights_after_grid_inference.json';
import metricsJson from './payloads/metrics.json';
import runJson from './payloads/run.json';
import runFailedJson from './payloads/run_failed.json';
import runGridPointJson from './payloads/run_grid_point.json';
import runsJson from './payloads/runs.json';
import runsQueryJson from './payloads/runs_query.json';
import tableJson from './payloads/table.json';
import tableCsvJson from './payloads/table_csv.json';
import tagsJson from './payloads/tags.json';
import trashJson from './payloads/trash.json';
import restoreJson from './payloads/restore.json';
import queryCheckJson from './payloads/query_check.json';
import vocabularyJson from './payloads/vocabulary.json';

/**
 * `T` as a JSON import can hold it: a union of strings (`RunStatus`) is a
 * string; a map's value may be undefined (an array of maps with different
 * keys is typed with the others' keys optional).
 */
type Json<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T extends null | undefined
        ? T
        : T extends ReadonlyArray<infer E>
          ? ReadonlyArray<Json<E>>
          : T extends object
            ? string extends keyof T
              ? { [key: string]: Json<T[string & keyof T]> | undefined }
              : { [K in keyof T]: Json<T[K]> }
            : T;

/** The keys of any member of a union. */
type KeysOf<T> = T extends unknown ? keyof T : never;

/** The type of field `K` in whichever members of `T` have it. */
type FieldOf<T, K> = T extends unknown
  ? K extends keyof T
    ? T[K]
    : never
  : never;

/** The element type of an array type among `T`. */
type ElementOf<T> = T extends ReadonlyArray<infer E> ? E : never;

/**
 * `U` (a recorded payload) with every field `T` does not declare turned to
 * `never`, at any depth: a payload holding such a field does not compile.
 */
// prettier-ignore
type NoExtra<T, U> = unknown extends T
  ? U // declared as unknown: anything goes
  : U extends ReadonlyArray<infer E>
    ? ReadonlyArray<NoExtra<ElementOf<NonNullable<T>>, E>>
    : U extends object
      ? {
          [K in keyof U]: K extends KeysOf<NonNullable<T>>
            ? NoExtra<FieldOf<NonNullable<T>, K>, U[K]>
            : never;
        }
      : U;

/** A recorded payload that fits `T` exactly: every field declared, none missing, same kinds. */
type Payload<T, U> = Json<T> & NoExtra<T, U>;

const changesChecked: Payload<IChangesReply, typeof changesJson> = changesJson;
const changesSinceChecked: Payload<IChangesReply, typeof changesSinceJson> =
  changesSinceJson;
const compareChecked: Payload<ICompareReply, typeof compareJson> = compareJson;
const configurationsChecked: Payload<
  IConfigurationsReply,
  typeof configurationsJson
> = configurationsJson;
const curvesChecked: Payload<ICurvesReply, typeof curvesJson> = curvesJson;
const groupsChecked: Payload<IGroupsReply, typeof groupsJson> = groupsJson;
const experimentsChecked: Payload<IExperimentsReply, typeof experimentsJson> =
  experimentsJson;
const gridChecked: Payload<IGrid, typeof gridJson> = gridJson;
const gridInferenceChecked: Payload<IGridInference, typeof gridInferenceJson> =
  gridInferenceJson;
const gridsChecked: Payload<IGridsReply, typeof gridsJson> = gridsJson;
const inferenceChecked: Payload<IInference, typeof inferenceJson> =
  inferenceJson;
const inferenceEditedChecked: Payload<IInference, typeof inferenceEditedJson> =
  inferenceEditedJson;
const inferenceDeletedChecked: Payload<
  IInferenceVersion,
  typeof inferenceDeletedJson
> = inferenceDeletedJson;
const runWithHistoryChecked: Payload<IRun, typeof runWithHistoryJson> =
  runWithHistoryJson;
const insightsChecked: Payload<IInsights, typeof insightsJson> = insightsJson;
const insightsAfterGridInferenceChecked: Payload<
  IInsights,
  typeof insightsAfterGridInferenceJson
> = insightsAfterGridInferenceJson;
const metricsChecked: Payload<IMetricsReply, typeof metricsJson> = metricsJson;
const runChecked: Payload<IRun, typeof runJson> = runJson;
const runFailedChecked: Payload<IRun, typeof runFailedJson> = runFailedJson;
const runGridPointChecked: Payload<IRun, typeof runGridPointJson> =
  runGridPointJson;
const runsChecked: Payload<IRunsReply, typeof runsJson> = runsJson;
const runsQueryChecked: Payload<IRunsReply, typeof runsQueryJson> =
  runsQueryJson;
const tagsChecked: Payload<ITagsReply, typeof tagsJson> = tagsJson;
const trashChecked: Payload<ITrashReply, typeof trashJson> = trashJson;
const restoreChecked: Payload<IRestoreReply, typeof restoreJson> = restoreJson;
const tableChecked: Payload<IExperimentTable, typeof tableJson> = tableJson;
const vocabularyChecked: Payload<IVocabulary, typeof vocabularyJson> =
  vocabularyJson;
const queryCheckChecked: Payload<IQueryCheck, typeof queryCheckJson> =
  queryCheckJson;

/** A checked payload as its type (the string unions JSON cannot say are as recorded). */
function as<T>(checked: unknown): T {
  return checked as T;
}

/** What the server answered to each request of the recorded session. */
export const payloads = {
  /** `GET changes` */
  changes: as<IChangesReply>(changesChecked),
  /** `GET changes?since=` after two inferences */
  changesSince: as<IChangesReply>(changesSinceChecked),
  /** `GET compare?runs=3,…,11&group=repeats`: a grid's 3 configurations */
  compare: as<ICompareReply>(compareChecked),
  /** `GET experiments/digits-mlp/configurations` */
  configurations: as<IConfigurationsReply>(configurationsChecked),
  /** `GET curves?runs=1,3,4,5&metric=val_accuracy`: a cell's run and three grid points */
  curves: as<ICurvesReply>(curvesChecked),
  /** `GET experiments/digits-mlp/groups?by=units&q=lr>0` */
  groups: as<IGroupsReply>(groupsChecked),
  /** `GET experiments` */
  experiments: as<IExperimentsReply>(experimentsChecked),
  /** `GET grids/{id}`: 3 points × 3 repeats */
  grid: as<IGrid>(gridChecked),
  /** `POST grids/{id}/inferences` */
  gridInference: as<IGridInference>(gridInferenceChecked),
  /** `GET grids?experiment=digits-mlp` */
  grids: as<IGridsReply>(gridsChecked),
  /** `POST runs/{id}/inferences` */
  inference: as<IInference>(inferenceChecked),
  /** `PATCH runs/3/inferences/{n}`: its text and verdict changed */
  inferenceEdited: as<IInference>(inferenceEditedChecked),
  /** `DELETE runs/3/inferences/{n}`: the version kept */
  inferenceDeleted: as<IInferenceVersion>(inferenceDeletedChecked),
  /** `GET runs/3` after both: its inference history */
  runWithHistory: as<IRun>(runWithHistoryChecked),
  /** `GET experiments/digits-mlp/insights` */
  insights: as<IInsights>(insightsChecked),
  /** the same, once the grid has an inference (`POST grids/{id}/inferences`) */
  insightsAfterGridInference: as<IInsights>(insightsAfterGridInferenceChecked),
  /** `GET runs/1/metrics?max_points=500` */
  metrics: as<IMetricsReply>(metricsChecked),
  /** `GET runs/1`: a cell's run with its procedure and an inference */
  run: as<IRun>(runChecked),
  /** `GET runs/2`: a failed run */
  runFailed: as<IRun>(runFailedChecked),
  /** `GET runs/3`: a grid point */
  runGridPoint: as<IRun>(runGridPointChecked),
  /** `GET runs?limit=5` */
  runs: as<IRunsReply>(runsChecked),
  /** `GET runs?q=units>=32&status=finished&limit=3` */
  runsQuery: as<IRunsReply>(runsQueryChecked),
  /** `GET experiments/digits-mlp/table?sort=metric.val_accuracy&order=desc&limit=4` */
  table: as<IExperimentTable>(tableChecked),
  /** `PATCH runs/1/tags` */
  tags: as<ITagsReply>(tagsChecked),
  /** `POST trash` */
  trash: as<ITrashReply>(trashChecked),
  /** `POST trash/restore` */
  restore: as<IRestoreReply>(restoreChecked),
  /** `GET experiments/digits-mlp/vocabulary` */
  vocabulary: as<IVocabulary>(vocabularyChecked),
  /** `GET query?q=unit>=32&experiment=digits-mlp`: a name no run has */
  queryCheck: as<IQueryCheck>(queryCheckChecked),
  /** `GET experiments/digits-mlp/table.csv?sort=id` */
  tableCsv: tableCsvJson.csv
};

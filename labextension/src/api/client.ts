/**
 * The nbjournal REST API (docs/rest-api.md) as typed calls: one method per
 * endpoint, so the model and the documents never spell a URL themselves.
 */

import { queryString, requestAPI, Requester } from './request';
import {
  ICompareReply,
  IConfigurationsReply,
  IGroupsReply,
  IInsights
} from './analysisPayloads';
import {
  IExperimentsReply,
  IExperimentTable,
  IExperimentTableQuery,
  IQueryCheck,
  IVocabulary,
  ReportFormat,
  SortOrder
} from './experimentPayloads';
import { IGrid, IGridInference, IGridsReply } from './gridPayloads';
import { IRun } from './runDetailPayloads';
import {
  IChangesReply,
  ICurvesReply,
  IInference,
  IInferenceVersion,
  IMetricsReply,
  INewInference,
  IRestoreReply,
  IRunsReply,
  ITagsReply,
  ITrashReply,
  RunStatus
} from './runPayloads';

/** The filters of `GET runs`. */
export interface IRunsQuery {
  /** Search text (the query grammar of docs/rest-api.md). */
  q?: string;
  /** Only runs of this status. */
  status?: RunStatus | '';
  /** The page size. */
  limit?: number;
  /** Where the previous page ended. */
  cursor?: number | null;
}

/** The calls of the REST API, over a {@link Requester}. */
export class JournalClient {
  /**
   * @param request - how to call the API; {@link requestAPI} (Jupyter
   *   Server's connection, with its authentication) by default.
   */
  constructor(request: Requester = requestAPI) {
    this._request = request;
  }

  /** `GET changes[?since=]`: the change token, and the runs changed since `since`. */
  changes(since: number | null = null): Promise<IChangesReply> {
    return this._request<IChangesReply>(`changes${queryString({ since })}`);
  }

  /** `GET experiments`. */
  experiments(): Promise<IExperimentsReply> {
    return this._request<IExperimentsReply>('experiments');
  }

  /** `GET runs`: a page of run summaries, newest first. */
  runs(query: IRunsQuery = {}): Promise<IRunsReply> {
    return this._request<IRunsReply>(
      `runs${queryString({
        q: query.q?.trim(),
        status: query.status,
        limit: query.limit,
        cursor: query.cursor
      })}`
    );
  }

  /** `GET runs/{id}`: the whole run. */
  run(id: number): Promise<IRun> {
    return this._request<IRun>(`runs/${id}`);
  }

  /** `GET runs/{id}/metrics`: each series down-sampled to `maxPoints`. */
  metrics(id: number, maxPoints = 500): Promise<IMetricsReply> {
    return this._request<IMetricsReply>(
      `runs/${id}/metrics${queryString({ max_points: maxPoints })}`
    );
  }

  /** `POST runs/{id}/inferences`. */
  addInference(id: number, body: INewInference): Promise<IInference> {
    return this._request<IInference>(`runs/${id}/inferences`, {
      method: 'POST',
      body: JSON.stringify(body)
    });
  }

  /** `PATCH runs/{id}/inferences/{n}`: a new text and verdict; the old version is kept. */
  editInference(
    id: number,
    inference: number,
    body: INewInference
  ): Promise<IInference> {
    return this._request<IInference>(`runs/${id}/inferences/${inference}`, {
      method: 'PATCH',
      body: JSON.stringify(body)
    });
  }

  /** `DELETE runs/{id}/inferences/{n}`: the version the run's history keeps. */
  deleteInference(id: number, inference: number): Promise<IInferenceVersion> {
    return this._request<IInferenceVersion>(
      `runs/${id}/inferences/${inference}`,
      { method: 'DELETE' }
    );
  }

  /** `GET experiments/{name}/insights`: what mattered, effects, best, suggestions. */
  insights(name: string): Promise<IInsights> {
    return this._request<IInsights>(
      `experiments/${encodeURIComponent(name)}/insights`
    );
  }

  /** `GET grids[?experiment=]`: grid summaries, newest first. */
  grids(experiment?: string): Promise<IGridsReply> {
    return this._request<IGridsReply>(`grids${queryString({ experiment })}`);
  }

  /** `GET grids/{id}`: the whole grid. */
  grid(id: number): Promise<IGrid> {
    return this._request<IGrid>(`grids/${id}`);
  }

  /** `POST grids/{id}/inferences`. */
  addGridInference(id: number, body: INewInference): Promise<IGridInference> {
    return this._request<IGridInference>(`grids/${id}/inferences`, {
      method: 'POST',
      body: JSON.stringify(body)
    });
  }

  /** `PATCH grids/{id}/inferences/{n}`: a new text and verdict; the old version is kept. */
  editGridInference(
    id: number,
    inference: number,
    body: INewInference
  ): Promise<IGridInference> {
    return this._request<IGridInference>(
      `grids/${id}/inferences/${inference}`,
      { method: 'PATCH', body: JSON.stringify(body) }
    );
  }

  /** `DELETE grids/{id}/inferences/{n}`: the version the grid's history keeps. */
  deleteGridInference(
    id: number,
    inference: number
  ): Promise<IInferenceVersion> {
    return this._request<IInferenceVersion>(
      `grids/${id}/inferences/${inference}`,
      { method: 'DELETE' }
    );
  }

  /** `GET experiments/{name}/table`: one page of an experiment's runs table. */
  experimentTable(
    name: string,
    query: IExperimentTableQuery
  ): Promise<IExperimentTable> {
    return this._request<IExperimentTable>(
      `experiments/${encodeURIComponent(name)}/table${tableQuery(query)}`
    );
  }

  /** `GET experiments/{name}/vocabulary`: the names, values and tags a query can use. */
  vocabulary(name: string): Promise<IVocabulary> {
    return this._request<IVocabulary>(
      `experiments/${encodeURIComponent(name)}/vocabulary`
    );
  }

  /** `GET query?q=&experiment=`: why a query would be refused, or null (a 200 either way). */
  checkQuery(q: string, experiment?: string): Promise<IQueryCheck> {
    return this._request<IQueryCheck>(
      `query${queryString({ q: q.trim(), experiment })}`
    );
  }

  /** `GET experiments/{name}/configurations`: runs grouped into configurations, best first. */
  configurations(name: string): Promise<IConfigurationsReply> {
    return this._request<IConfigurationsReply>(
      `experiments/${encodeURIComponent(name)}/configurations`
    );
  }

  /**
   * `GET experiments/{name}/groups`: the runs `q` matches grouped by `by`
   * (none: by configuration), the first 500 groups by the key metric's mean,
   * best first or in `order` (`desc`: highest first).
   */
  groups(
    name: string,
    by: ReadonlyArray<string>,
    q: string,
    order?: SortOrder
  ): Promise<IGroupsReply> {
    return this._request<IGroupsReply>(
      `experiments/${encodeURIComponent(name)}/groups` +
        queryString({ by: by.join(','), q: q.trim(), order })
    );
  }

  /**
   * `GET compare?runs=…&group=repeats`: the runs grouped by configuration
   * (repeats make one side), the first side against each later one.
   */
  compare(ids: ReadonlyArray<number>): Promise<ICompareReply> {
    return this._request<ICompareReply>(
      `compare?runs=${ids.join(',')}&group=repeats`
    );
  }

  /**
   * `GET curves?runs=…&metric=…`: one metric's curve of each run (at most
   * 50), each down-sampled to `maxPoints`, in the order asked.
   */
  curves(
    ids: ReadonlyArray<number>,
    metric: string,
    maxPoints = 300
  ): Promise<ICurvesReply> {
    return this._request<ICurvesReply>(
      `curves${queryString({ runs: ids.join(','), metric, max_points: maxPoints })}`
    );
  }

  /** `GET experiments/{name}/table.csv`: the whole table (query and order kept) as CSV text. */
  experimentCsv(
    name: string,
    query: Pick<IExperimentTableQuery, 'q' | 'sort' | 'order'>
  ): Promise<string> {
    return this._request<string>(
      `experiments/${encodeURIComponent(name)}/table.csv${tableQuery(query)}`,
      { headers: { Accept: 'text/csv' } },
      'text'
    );
  }

  /** `POST trash`: send runs to the trash (a running one is refused: nothing goes then). */
  trash(ids: ReadonlyArray<number>): Promise<ITrashReply> {
    return this._request<ITrashReply>('trash', {
      method: 'POST',
      body: JSON.stringify({ runs: ids })
    });
  }

  /** `POST trash/restore`: bring runs back from the trash (the undo of a delete). */
  restore(ids: ReadonlyArray<number>): Promise<IRestoreReply> {
    return this._request<IRestoreReply>('trash/restore', {
      method: 'POST',
      body: JSON.stringify({ runs: ids })
    });
  }

  /** `PATCH runs/{id}/tags`: the same edit as `%journal tag` and `nbjournal tag`. */
  editTags(
    id: number,
    add: ReadonlyArray<string>,
    remove: ReadonlyArray<string>
  ): Promise<ITagsReply> {
    return this._request<ITagsReply>(`runs/${id}/tags`, {
      method: 'PATCH',
      body: JSON.stringify({ add, remove })
    });
  }

  /** `GET experiments/{name}/report`: the file `nbjournal export NAME` writes, as text. */
  report(name: string, format: ReportFormat): Promise<string> {
    return this._request<string>(
      `experiments/${encodeURIComponent(name)}/report${queryString({ format })}`,
      {
        headers: { Accept: format === 'html' ? 'text/html' : 'text/markdown' }
      },
      'text'
    );
  }

  /** `GET runs/{id}/artifacts/{name}`: what the run's cell made, as a file named by the server. */
  artifact(id: number, name: string, role: string): Promise<File> {
    return this._request<File>(
      `runs/${id}/artifacts/${encodeURIComponent(name)}${queryString({ role })}`,
      {},
      'blob'
    );
  }

  private _request: Requester;
}

/** The query string of the table endpoints. */
function tableQuery(query: Partial<IExperimentTableQuery>): string {
  return queryString({
    q: query.q?.trim(),
    sort: query.sort,
    order: query.order,
    offset: query.offset,
    limit: query.limit
  });
}

/**
 * The state of an experiment's page: the query, the sort, the columns shown,
 * and the table's rows, read a page at a time as they scroll into view (so
 * 10,000 runs cost a few requests, not one huge one).
 */

import { ISignal, Signal } from '@lumino/signaling';

import { JournalClient } from './api/client';
import { describe, QueriedState } from './queried';
import { IConfigurationsReply } from './api/analysisPayloads';
import {
  IExperimentTable,
  IExperimentTableRow,
  SortOrder
} from './api/experimentPayloads';
import { RunGroups } from './groupBy';
import { paramsWithMirrors } from './mirrors';
import { PinBoard, PinnedRuns } from './pins';
import type { IPageView } from './savedViews';
import { VocabularyReader } from './querySuggest';

/** How many rows one request reads. */
export const TABLE_PAGE = 200;
/** How many runs the charts draw at most (the newest of the query). */
export const CHART_LIMIT = 1000;

/** What a column of the table shows. */
export type ColumnKind = 'fixed' | 'param' | 'metric';

/** A column of the runs table. */
export interface IColumn {
  /** What the server sorts by: `id`, `status`…, `param.NAME`, `metric.NAME`. */
  id: string;
  /** The heading. */
  label: string;
  kind: ColumnKind;
  /** Whether it is the experiment's key metric. */
  key?: boolean;
  /** False for a column the server cannot sort by (the tags). */
  sortable?: boolean;
  /** The parameter this one only mirrors (hidden until asked for: {@link paramsWithMirrors}). */
  mirrorOf?: string;
  /** The parameters that only mirror this one. */
  mirrors?: string[];
}

/** The query term of the trash (the CLI's and the sidebar's grammar: docs/rest-api.md). */
export const TRASH_TERM = 'status:trashed';
const TRASH_PATTERN = /(^|\s)status:trashed(?=\s|$)/gi;

/** Whether a query reads the trash. */
export function inTrash(query: string): boolean {
  return new RegExp(TRASH_PATTERN.source, 'i').test(query);
}

/** The query with the trash term added or taken out, its other terms kept. */
export function withTrash(query: string, trash: boolean): string {
  const rest = query.replace(TRASH_PATTERN, ' ').replace(/\s+/g, ' ').trim();
  return trash ? [TRASH_TERM, rest].filter(Boolean).join(' ') : rest;
}

/** The columns every experiment has, before its parameters and metrics. */
const FIXED: ReadonlyArray<IColumn> = [
  { id: 'status', label: 'status', kind: 'fixed' },
  { id: 'id', label: 'run', kind: 'fixed' }
];
const FIXED_AFTER_KEY: ReadonlyArray<IColumn> = [
  { id: 'started', label: 'started', kind: 'fixed' },
  { id: 'duration', label: 'duration', kind: 'fixed' },
  { id: 'verdict', label: 'verdict', kind: 'fixed' },
  { id: 'tags', label: 'tags', kind: 'fixed', sortable: false }
];

/**
 * The columns of a table, in the order the page shows them: status, run,
 * the key metric, started, duration, verdict, the varying parameters, then
 * the other metrics.
 */
export function tableColumns(
  table: Pick<IExperimentTable, 'key_metric' | 'params' | 'metrics'> &
    Partial<Pick<IExperimentTable, 'mirrors'>>
): IColumn[] {
  const key = table.key_metric;
  const metric = (name: string): IColumn => ({
    id: `metric.${name}`,
    label: name,
    kind: 'metric',
    key: name === key
  });
  return [
    ...FIXED,
    ...(key && table.metrics.includes(key) ? [metric(key)] : []),
    ...FIXED_AFTER_KEY,
    ...paramsWithMirrors(table).map(param => ({
      id: `param.${param.name}`,
      label: param.name,
      kind: 'param' as const,
      ...(param.mirrorOf ? { mirrorOf: param.mirrorOf } : {}),
      ...(param.mirrors ? { mirrors: param.mirrors } : {})
    })),
    ...table.metrics.filter(name => name !== key).map(metric)
  ];
}

/** Options of an {@link ExperimentTableModel}. */
export interface IExperimentTableModelOptions {
  /** The experiment's name. */
  name: string;
  /** The REST API. */
  client: JournalClient;
  /** Rows per request ({@link TABLE_PAGE} by default). */
  pageSize?: number;
  /** The lab's pinned runs (shared with the run views); the page's own without it. */
  pins?: PinBoard;
}

/** The state behind an experiment's page. */
export class ExperimentTableModel extends QueriedState {
  constructor(options: IExperimentTableModelOptions) {
    super();
    this.name = options.name;
    this._client = options.client;
    this._pageSize = options.pageSize ?? TABLE_PAGE;
    this.vocabulary = new VocabularyReader(this._client, this.name, () =>
      this._changed.emit()
    );
    this.groups = new RunGroups(
      this._client,
      this.name,
      () => this._query,
      () => this._changed.emit()
    );
    this.pins = new PinnedRuns(
      this._client,
      this.name,
      () => this._changed.emit(),
      options.pins
    );
  }

  /** Stop hearing of pins changed elsewhere (the page closed). */
  dispose(): void {
    this.pins.dispose();
  }

  /** The runs kept at the top of the table whatever the sort and query. */
  readonly pins: PinnedRuns;

  /** The experiment's name. */
  readonly name: string;

  /** Emitted whenever anything the page shows changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The last answer's header (columns, key metric, total), or null before the first. */
  get table(): IExperimentTable | null {
    return this._table;
  }

  /**
   * The query the rows shown answer: the box's {@link query} may be newer and
   * still being read, and "N runs match" is said of the answered one only.
   */
  get answeredQuery(): string {
    return this._answered;
  }

  /** How many runs match the query. */
  get total(): number {
    return this._table?.total ?? 0;
  }

  /** The columns, in order (shown or not). */
  get columns(): ReadonlyArray<IColumn> {
    return this._table ? tableColumns(this._table) : [];
  }

  /** The columns shown. */
  get visibleColumns(): ReadonlyArray<IColumn> {
    return this.columns.filter(c => !this.isHidden(c.id));
  }

  /** Whether a column is hidden (a mirror is, until shown). */
  isHidden(id: string): boolean {
    const mirror = this.columns.some(c => c.id === id && c.mirrorOf);
    return this._toggled.has(id) !== mirror;
  }

  /** Show or hide a column. */
  toggleColumn(id: string): void {
    if (!this._toggled.delete(id)) {
      this._toggled.add(id);
    }
    this._changed.emit();
  }

  /** Show a parameter's mirrors beside it, or hide them again. */
  toggleMirrors(name: string): void {
    const ids = (
      this.columns.find(c => c.id === `param.${name}`)?.mirrors ?? []
    ).map(m => `param.${m}`);
    const show = ids.some(id => this.isHidden(id));
    for (const id of ids) {
      if (this.isHidden(id) === show) {
        this.toggleColumn(id);
      }
    }
  }

  /** The column the table is sorted by (null: newest first). */
  get sort(): string | null {
    return this._sort;
  }

  /** The sort direction. */
  get order(): SortOrder {
    return this._order;
  }

  /** The runs the charts draw (the newest {@link CHART_LIMIT} of the query). */
  get chartRows(): ReadonlyArray<IExperimentTableRow> {
    return this._chartRows;
  }

  /**
   * The charts' runs for another query (the newest {@link CHART_LIMIT}): the
   * parallel coordinates draw their axes from the query without its brushes.
   */
  async chartRowsOf(q: string): Promise<IExperimentTableRow[]> {
    const answer = await this._client.experimentTable(this.name, {
      q,
      offset: 0,
      limit: CHART_LIMIT
    });
    return answer.rows;
  }

  /** The row at `index` of the sorted table, or null while its page is read. */
  row(index: number): IExperimentTableRow | null {
    const page = this._pages.get(Math.floor(index / this._pageSize));
    return page?.[index % this._pageSize] ?? null;
  }

  /** Read the pages that hold rows `start` to `end` (exclusive) if missing. */
  ensure(start: number, end: number): void {
    const last = Math.min(end, this.total) - 1;
    for (
      let page = Math.floor(Math.max(0, start) / this._pageSize);
      page <= Math.floor(last / this._pageSize);
      page++
    ) {
      if (!this._pages.has(page) && !this._pending.has(page)) {
        void this._readPage(page);
      }
    }
  }

  /**
   * Filter by a query (docs/rest-api.md). A query the server refuses keeps
   * the rows shown and sets {@link queryError}.
   */
  async setQuery(query: string): Promise<void> {
    // a newer query supersedes one still being checked, even the query shown already
    const checking = ++this._checking;
    if (query.trim() === this._query.trim() && this._queryError === null) {
      this._query = query;
      return;
    }
    const error = await this._client
      .checkQuery(query, this.name)
      .then(answer => answer.error)
      .catch(() => null); // the table's read will say what is wrong
    if (checking !== this._checking) {
      return;
    }
    if (error !== null) {
      // asked first (a 200): no failed request; the rows' query is kept
      this._queryError = error;
      this._changed.emit();
      return;
    }
    this._queryError = null;
    this._query = query;
    await this.reload();
  }

  /**
   * A read succeeded. A refused query stays said under the box: it was never
   * applied, so a later read of the kept query (a refresh) does not answer it.
   */
  protected readSucceeded(): void {
    this._error = null;
  }

  /** What the experiment's runs name: the query box completes it. */
  readonly vocabulary: VocabularyReader;

  /** What the page remembers of itself (saved per experiment). */
  get view(): IPageView {
    return {
      query: this._query,
      sort: this._sort,
      order: this._order,
      toggled: [...this._toggled],
      grouped: this.grouped,
      groupBy: [...this.groups.by],
      pinned: [...this.pins.ids]
    };
  }

  /** Take a remembered view (before a read: {@link reload} shows it). */
  setView(view: Partial<IPageView>): void {
    this._query = view.query ?? this._query;
    this._sort = view.sort === undefined ? this._sort : view.sort;
    this._order = view.order ?? this._order;
    this._toggled = view.toggled ? new Set(view.toggled) : this._toggled;
    this.groups.restore(view.grouped ?? this.grouped, view.groupBy);
    this.pins.restore(view.pinned);
    this._changed.emit();
  }

  /**
   * Sort by a column: a new column sorts metrics and parameters from the
   * top (descending), the rest ascending; the same column again reverses.
   */
  async setSort(id: string): Promise<void> {
    if (this._sort === id) {
      this._order = this._order === 'asc' ? 'desc' : 'asc';
    } else {
      this._sort = id;
      this._order =
        id.startsWith('metric.') || id === 'started' || id === 'id'
          ? 'desc'
          : 'asc';
    }
    await this.reload();
  }

  /**
   * Read the table anew from its first page (and the charts' runs); the
   * pages further down are read again as they come into view.
   */
  async reload(): Promise<IExperimentTable> {
    const generation = ++this._generation;
    const query = this._query;
    void this.pins.reload().catch(() => undefined); // a run deleted drops out
    try {
      const [first, charts] = await Promise.all([
        this._client.experimentTable(this.name, {
          ...this._arguments(),
          offset: 0,
          limit: this._pageSize
        }),
        this._client.experimentTable(this.name, {
          q: query,
          offset: 0,
          limit: CHART_LIMIT
        })
      ]);
      if (generation === this._generation) {
        this._table = first;
        this._answered = query;
        this._pages = new Map([[0, first.rows]]);
        this._pending.clear();
        this._chartRows = charts.rows;
        this.readSucceeded();
        this._changed.emit();
        if (this.groups.active) {
          void this.groups.reload(); // the query applies to the groups too
        }
      }
      return first;
    } catch (error) {
      if (generation === this._generation) {
        this.readFailed(error);
        this._changed.emit();
        if (this._table !== null) {
          return this._table;
        }
      }
      throw error;
    }
  }

  /** The grouped view: the runs grouped by parameters or by configuration. */
  readonly groups: RunGroups;

  /** Whether the page shows groups rather than runs. */
  get grouped(): boolean {
    return this.groups.active;
  }

  /** The groups as configurations (by parameters or repeats), or null before they are read. */
  get configurations(): IConfigurationsReply | null {
    return this.groups.configurations;
  }

  /** Group repeats (or by `by`) or not; grouping reads the groups anew. */
  setGrouped(grouped: boolean, by?: ReadonlyArray<string>): Promise<void> {
    return this.groups.set(grouped, by);
  }

  /** Whether the page shows the trash (its query says `status:trashed`). */
  get inTrash(): boolean {
    return inTrash(this._query);
  }

  /** Show the trash, or the kept runs again; the query's other terms stay. */
  async setTrash(trash: boolean): Promise<void> {
    this._query = withTrash(this._query, trash);
    this._changed.emit(); // the toggle and the query box follow at once
    await this.reload();
  }

  /** The query as the CSV export sends it. */
  csv(): Promise<string> {
    return this._client.experimentCsv(this.name, this._arguments());
  }

  private _arguments(): { q: string; sort?: string; order?: SortOrder } {
    return this._sort === null
      ? { q: this._query }
      : { q: this._query, sort: this._sort, order: this._order };
  }

  private async _readPage(page: number): Promise<void> {
    const generation = this._generation;
    this._pending.add(page);
    try {
      const answer = await this._client.experimentTable(this.name, {
        ...this._arguments(),
        offset: page * this._pageSize,
        limit: this._pageSize
      });
      if (generation !== this._generation) {
        return;
      }
      this._pages.set(page, answer.rows);
      this._table = { ...answer, rows: this._table?.rows ?? [] };
      this._changed.emit();
    } catch (error) {
      if (generation === this._generation) {
        this._error = describe(error);
        this._changed.emit();
      }
    } finally {
      if (generation === this._generation) {
        this._pending.delete(page);
      }
    }
  }

  private _client: JournalClient;
  private _pageSize: number;
  private _table: IExperimentTable | null = null;
  private _answered = '';
  private _pages = new Map<number, IExperimentTableRow[]>();
  private _pending = new Set<number>();
  private _chartRows: IExperimentTableRow[] = [];
  /** Columns shown or hidden against their default (a mirror is hidden by default). */
  private _toggled = new Set<string>();
  private _sort: string | null = null;
  private _order: SortOrder = 'desc';
  private _generation = 0;
  private _checking = 0;
  private _changed = new Signal<this, void>(this);
}

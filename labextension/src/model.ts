/**
 * The sidebar's state: the experiments and runs it lists, the search, the
 * selection; a `Poll` of `GET changes?since=` keeps it current while runs are
 * live, and stands by while nobody looks.
 */

import { IDisposable } from '@lumino/disposable';
import { Debouncer, Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { IRunsQuery, JournalClient } from './api/client';
import { requestAPI, Requester } from './api/request';
import { groupRuns, gridPoint, IExperimentGroup } from './grouping';
import { checked, describe, QueriedState } from './queried';
import {
  IChangesReply,
  IExperiment,
  IGridInference,
  IGridSummary,
  IInference,
  INewInference,
  IRunSummary,
  IRunsReply,
  RunStatus,
  Verdict
} from './api/types';

/** How often to look for changes while a run is live (ms). */
export const LIVE_INTERVAL = 1500;
/** How often to look for new runs while none is live (ms). */
export const IDLE_INTERVAL = 10000;
/** The longest wait between two tries while the server fails (ms). */
export const MAX_INTERVAL = 60000;
/** The sidebar's verdict filter: '' for every run. */
export type VerdictFilter = Verdict | 'none' | 'needs-inference' | '';

/** How many runs one page of the list holds. */
export const PAGE_SIZE = 200;

/** Options of a {@link JournalModel}. */
export interface IJournalModelOptions {
  /** How to call the REST API; {@link requestAPI} by default. */
  request?: Requester;
  /** Start polling at once (default true). */
  autoStart?: boolean;
}

/** What the sidebar keeps of a grid's detail: its runs and their points. */
interface IGridRuns {
  /** The grid's `updated` when read: read again when it changes. */
  updated: number;
  runs: number[];
  points: string[];
}

/** The state behind the sidebar and the run views. */
export class JournalModel extends QueriedState implements IDisposable {
  constructor(options: IJournalModelOptions = {}) {
    super();
    this.client = new JournalClient(options.request ?? requestAPI);
    this._poll = new Poll({
      auto: false,
      factory: () => this._tick(),
      frequency: {
        interval: IDLE_INTERVAL,
        backoff: true,
        max: MAX_INTERVAL
      },
      name: 'nbjournal:changes',
      standby: () => (this._watchers > 0 ? 'when-hidden' : true)
    });
    this._search = new Debouncer(() => this.refresh(), 250);
    if (options.autoStart !== false) {
      void this._poll.start();
    }
  }

  /** Emitted whenever anything the sidebar shows changes. */
  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
  }

  /** Emitted with the runs that changed on the server (open views reload). */
  get runsChanged(): ISignal<this, ReadonlyArray<IRunSummary>> {
    return this._runsChanged;
  }

  /** The experiments of the journal, newest activity first. */
  get experiments(): ReadonlyArray<IExperiment> {
    return this._experiments;
  }

  /** The runs matching the search, newest first. */
  get runs(): ReadonlyArray<IRunSummary> {
    return this._runs;
  }

  /** The runs grouped by experiment, as the list shows them. */
  get groups(): IExperimentGroup[] {
    return groupRuns(
      this._runs,
      this._experiments,
      this._grids,
      this._gridOf,
      this._gridPoints
    );
  }

  /** Whether older runs than those listed exist. */
  get hasMore(): boolean {
    return this._nextCursor !== null;
  }

  /** The status filter, or '' for every status. */
  get status(): RunStatus | '' {
    return this._status;
  }

  /** Whether the list is being loaded for the first time or anew. */
  get loading(): boolean {
    return this._loading;
  }

  /** Whether the journal has been read at least once. */
  get loaded(): boolean {
    return this._loaded;
  }

  /** Whether any listed run is live. */
  get live(): boolean {
    return (
      this._runs.some(r => r.status === 'running') ||
      this._experiments.some(e => e.running > 0)
    );
  }

  /** The selected runs' ids, in the order they were selected. */
  get selected(): ReadonlyArray<number> {
    return this._selected;
  }

  /** The run ids selected, as a set. */
  isSelected(id: number): boolean {
    return this._selected.includes(id);
  }

  /** Whether an experiment's group is collapsed. */
  isCollapsed(name: string): boolean {
    return this._collapsed.has(name);
  }

  /** The summary of a listed run. */
  summary(id: number): IRunSummary | undefined {
    return this._runs.find(r => r.id === id);
  }

  /** Whether the model is disposed. */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._poll.dispose();
    this._search.dispose();
    Signal.clearData(this);
  }

  /**
   * Someone looks at the journal (the sidebar or a run view is visible):
   * poll. Returns what to call when it looks away.
   */
  watch(): () => void {
    this._watchers += 1;
    void this._poll.refresh();
    let done = false;
    return () => {
      if (!done) {
        done = true;
        this._watchers = Math.max(0, this._watchers - 1);
      }
    };
  }

  /** Search runs by text (name, hypothesis, inferences, tags), debounced. */
  setQuery(query: string): void {
    if (query === this._query) {
      return;
    }
    this._query = query;
    this._stateChanged.emit();
    void this._search.invoke();
  }

  /** Show only runs of one status ('' for all). */
  /** The verdict filter: a verdict, `none`, `needs-inference`, or '' for all. */
  get verdict(): VerdictFilter {
    return this._verdict;
  }

  /** Show only runs of a verdict, without one, or needing an inference. */
  setVerdict(verdict: VerdictFilter): void {
    if (verdict === this._verdict) {
      return;
    }
    this._verdict = verdict;
    this._stateChanged.emit();
    void this.refresh().catch(() => undefined);
  }

  /** Whether a search or a filter narrows the list. */
  get filtered(): boolean {
    return (
      this._query.trim() !== '' || this._status !== '' || this._verdict !== ''
    );
  }

  setStatus(status: RunStatus | ''): void {
    if (status === this._status) {
      return;
    }
    this._status = status;
    this._stateChanged.emit();
    void this.refresh();
  }

  /** Select a run for comparison, or unselect it. */
  toggleSelected(id: number): void {
    this._selected = this._selected.includes(id)
      ? this._selected.filter(one => one !== id)
      : [...this._selected, id];
    this._stateChanged.emit();
  }

  /** Forget the selection. */
  clearSelection(): void {
    if (this._selected.length) {
      this._selected = [];
      this._stateChanged.emit();
    }
  }

  /** Fold or unfold an experiment's group. */
  toggleCollapsed(name: string): void {
    if (this._collapsed.has(name)) {
      this._collapsed.delete(name);
    } else {
      this._collapsed.add(name);
    }
    this._stateChanged.emit();
  }

  /** Read the journal anew: the change token first, so no change is missed. */
  async refresh(): Promise<void> {
    const generation = ++this._generation;
    this._loading = true;
    this._stateChanged.emit();
    try {
      const changes = await this.client.changes();
      const [experiments, page] = await Promise.all([
        this.client.experiments(),
        this._readList()
      ]);
      if (generation !== this._generation || this._isDisposed) {
        return; // a newer search won
      }
      this._token = changes.token;
      this._experiments = experiments.experiments;
      await this._readGrids();
      this._runs = page.runs;
      this._nextCursor = page.next_cursor;
      this.readSucceeded();
      this._loaded = true;
    } catch (error) {
      if (generation === this._generation) {
        if (this.readFailed(error)) {
          // a search the server cannot read: said in the box, the list stays
          return;
        }
      }
      throw error;
    } finally {
      if (generation === this._generation) {
        this._loading = false;
        this._adjustFrequency();
        this._stateChanged.emit();
      }
    }
  }

  /** Ask the server for changes now rather than at the next tick. */
  async refreshNow(): Promise<void> {
    await this._poll.refresh();
    await this._poll.tick;
  }

  /** Wait for the poll's next tick (it may have been scheduled already). */
  async tick(): Promise<void> {
    await this._poll.tick;
  }

  /** Append the next page of older runs. */
  async loadMore(): Promise<void> {
    if (this._nextCursor === null) {
      return;
    }
    const generation = this._generation;
    const page = await this.client.runs(this._filters(this._nextCursor));
    if (generation !== this._generation) {
      return;
    }
    const known = new Set(this._runs.map(r => r.id));
    this._runs = [...this._runs, ...page.runs.filter(r => !known.has(r.id))];
    this._nextCursor = page.next_cursor;
    // the list keeps this length when it is read again (a new run, a search
    // cleared): older runs once loaded stay loaded
    this._depth.set(this._filterKey(), this._runs.length);
    this._stateChanged.emit();
  }

  /** Record an inference on a grid; the list learns of it at once. */
  async addGridInference(
    id: number,
    body: INewInference
  ): Promise<IGridInference> {
    const inference = await this.client.addGridInference(id, body);
    void this.refreshNow().catch(() => undefined);
    return inference;
  }

  /** The grids of the journal, newest first (empty on a server without grids). */
  get grids(): ReadonlyArray<IGridSummary> {
    return this._grids;
  }

  /**
   * Read the grids, and which runs each holds: a grid's detail is read again
   * only when it changed. A server without grids has none (no error).
   */
  private async _readGrids(): Promise<void> {
    let grids: IGridSummary[];
    try {
      grids = (await this.client.grids()).grids;
    } catch {
      this._grids = [];
      return;
    }
    const runsOf = new Map<number, IGridRuns>();
    await Promise.all(
      grids.map(async grid => {
        const cached = this._gridRuns.get(grid.id);
        if (cached && cached.updated === grid.updated) {
          runsOf.set(grid.id, cached);
          return;
        }
        try {
          const detail = await this.client.grid(grid.id);
          runsOf.set(grid.id, {
            updated: grid.updated,
            runs: detail.grid_runs.map(r => r.run_id),
            points: detail.grid_runs.map(r => gridPoint(r.values))
          });
        } catch {
          // a grid that cannot be read lists its runs as loose ones
        }
      })
    );
    this._grids = grids;
    this._gridRuns = runsOf;
    const gridOf = new Map<number, number>();
    const points = new Map<number, string>();
    for (const [id, entry] of runsOf) {
      entry.runs.forEach((run, index) => {
        if (!gridOf.has(run)) {
          gridOf.set(run, id);
          points.set(run, entry.points[index]);
        }
      });
    }
    this._gridOf = gridOf;
    this._gridPoints = points;
  }

  /**
   * Send runs to the trash; the list, the selection and the open views learn
   * of it at once (the change feed says so). The ids that went.
   */
  async trash(ids: ReadonlyArray<number>): Promise<number[]> {
    const { trashed } = await this.client.trash(ids);
    const gone = new Set(trashed);
    if (this._selected.some(id => gone.has(id))) {
      this._selected = this._selected.filter(id => !gone.has(id));
      this._stateChanged.emit();
    }
    await this.refreshNow().catch(() => undefined);
    return trashed;
  }

  /** Bring runs back from the trash (the undo of {@link trash}); the ids that came back. */
  async restore(ids: ReadonlyArray<number>): Promise<number[]> {
    const { restored } = await this.client.restore(ids);
    await this.refreshNow().catch(() => undefined);
    return restored;
  }

  /** Add and remove a run's tags; its tags afterwards. */
  async editTags(
    id: number,
    add: ReadonlyArray<string>,
    remove: ReadonlyArray<string>
  ): Promise<string[]> {
    const { tags } = await this.client.editTags(id, add, remove);
    await this.refreshNow().catch(() => undefined);
    return tags;
  }

  /** Record an inference on a run; the list learns of it at once. */
  async addInference(id: number, body: INewInference): Promise<IInference> {
    const inference = await this.client.addInference(id, body);
    void this.refreshNow().catch(() => undefined);
    return inference;
  }

  /** One tick of the poll: fold the runs changed since the last token. */
  private async _tick(): Promise<void> {
    if (this._token === null) {
      await this.refresh();
      return;
    }
    const generation = this._generation;
    let reply: IChangesReply;
    try {
      reply = await this.client.changes(this._token);
    } catch (error) {
      this._error = describe(error);
      this._stateChanged.emit();
      throw error; // the poll backs off
    }
    if (generation !== this._generation) {
      return; // a search reloaded the list meanwhile
    }
    const recovered = this._error !== null;
    this._error = null;
    this._token = reply.token;
    if (reply.runs.length === 0) {
      if (recovered) {
        this._stateChanged.emit();
      }
      return;
    }
    await this._apply(reply.runs);
  }

  /** Fold changed runs into the list, and tell the open views. */
  private async _apply(changed: IRunSummary[]): Promise<void> {
    const listed = new Map(this._runs.map(r => [r.id, r]));
    // a run sent to the trash leaves the list; one restored comes back with the reload
    const gone = new Set(
      changed
        .filter(r => r.deleted_at !== null && r.deleted_at !== undefined)
        .map(r => r.id)
    );
    const unknown = changed.some(r => !listed.has(r.id) && !gone.has(r.id));
    const filtered = this.filtered;
    if (unknown || filtered) {
      // a new run, or a run whose match with the search may have changed:
      // let the server decide what the list holds
      const [experiments, page] = await Promise.all([
        this.client.experiments(),
        this._readList()
      ]);
      this._experiments = experiments.experiments;
      await this._readGrids();
      this._runs = page.runs;
      this._nextCursor = page.next_cursor;
    } else {
      const byId = new Map(changed.map(r => [r.id, r]));
      this._runs = this._runs
        .filter(r => !gone.has(r.id))
        .map(r => byId.get(r.id) ?? r);
      const experiments = await this.client.experiments();
      this._experiments = experiments.experiments;
      await this._readGrids();
    }
    this._adjustFrequency();
    this._stateChanged.emit();
    this._runsChanged.emit(changed);
  }

  /** Poll often while a run is live, rarely otherwise. */
  private _adjustFrequency(): void {
    const interval = this.live ? LIVE_INTERVAL : IDLE_INTERVAL;
    if (this._poll.frequency.interval !== interval) {
      this._poll.frequency = { ...this._poll.frequency, interval };
    }
  }

  /**
   * Read the list for the current search from its newest run, as deep as
   * the person had loaded it for this search (a page at first).
   */
  private async _readList(): Promise<IRunsReply> {
    const depth = this._depth.get(this._filterKey()) ?? PAGE_SIZE;
    await checked(this.client, this._query); // a refused search: no failed request
    const first = await this.client.runs(this._filters(null));
    const runs = [...first.runs];
    let cursor = first.next_cursor;
    while (cursor !== null && runs.length < depth) {
      const page = await this.client.runs(this._filters(cursor));
      runs.push(...page.runs);
      cursor = page.next_cursor;
    }
    return { runs, next_cursor: cursor };
  }

  /** The search and the status filter, as one key. */
  private _filterKey(): string {
    return `${this._query.trim()}\u0000${this._status}\u0000${this._verdict}`;
  }

  /** The filters of the list for the current search. */
  private _filters(cursor: number | null): IRunsQuery {
    // the verdict filter is a term of the query grammar (docs/rest-api.md)
    const term =
      this._verdict === ''
        ? ''
        : this._verdict === 'needs-inference'
          ? 'inference:none'
          : `verdict:${this._verdict}`;
    const q = [this._query.trim(), term].filter(Boolean).join(' ');
    return { q, status: this._status, limit: PAGE_SIZE, cursor };
  }

  /** The REST API. */
  readonly client: JournalClient;
  private _poll: Poll;
  private _search: Debouncer;
  private _token: number | null = null;
  private _generation = 0;
  private _watchers = 0;
  private _experiments: IExperiment[] = [];
  private _runs: IRunSummary[] = [];
  private _grids: IGridSummary[] = [];
  private _gridRuns = new Map<number, IGridRuns>();
  private _gridOf = new Map<number, number>();
  private _gridPoints = new Map<number, string>();
  private _nextCursor: number | null = null;
  private _status: RunStatus | '' = '';
  private _verdict: VerdictFilter = '';
  private _selected: number[] = [];
  private _collapsed = new Set<string>();
  private _depth = new Map<string, number>();
  private _loading = false;
  private _loaded = false;
  private _isDisposed = false;
  private _stateChanged = new Signal<this, void>(this);
  private _runsChanged = new Signal<this, ReadonlyArray<IRunSummary>>(this);
}

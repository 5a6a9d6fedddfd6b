/**
 * The sidebar's model: a `Poll` of `GET changes?since=` keeps its state
 * ({@link SidebarState}: experiments, runs, search, selection) current while
 * runs are live, and stands by while nobody looks; edits go to the server
 * through it so the list learns of them at once.
 */

import { IDisposable } from '@lumino/disposable';
import { Debouncer, Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { JournalClient } from './api/client';
import { requestAPI, Requester } from './api/request';
import { IGridInference } from './api/gridPayloads';
import {
  IChangesReply,
  IInference,
  INewInference,
  IRunSummary,
  IRunsReply,
  RunStatus
} from './api/runPayloads';
import { IGridRuns, readGridMembership } from './gridMembership';
import { describe } from './queried';
import {
  filterKey,
  PAGE_SIZE,
  readRunList,
  runsQuery,
  VerdictFilter
} from './runListQuery';
import { SidebarState } from './sidebarState';

/** How often to look for changes while a run is live (ms). */
export const LIVE_INTERVAL = 1500;
/** How often to look for new runs while none is live (ms). */
export const IDLE_INTERVAL = 10000;
/** The longest wait between two tries while the server fails (ms). */
export const MAX_INTERVAL = 60000;

/** Options of a {@link JournalModel}. */
export interface IJournalModelOptions {
  /** How to call the REST API; {@link requestAPI} by default. */
  request?: Requester;
  /** Start polling at once (default true). */
  autoStart?: boolean;
}

/** The state behind the sidebar and the run views. */
export class JournalModel extends SidebarState implements IDisposable {
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

  /** Emitted with the runs that changed on the server (open views reload). */
  get runsChanged(): ISignal<this, ReadonlyArray<IRunSummary>> {
    return this._runsChanged;
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

  /** Show only runs of a verdict, without one, or needing an inference. */
  setVerdict(verdict: VerdictFilter): void {
    if (verdict === this._verdict) {
      return;
    }
    this._verdict = verdict;
    this._stateChanged.emit();
    void this.refresh().catch(() => undefined);
  }

  /** Show only runs of one status ('' for all). */
  setStatus(status: RunStatus | ''): void {
    if (status === this._status) {
      return;
    }
    this._status = status;
    this._stateChanged.emit();
    void this.refresh();
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
    const page = await this.client.runs(
      runsQuery(this._listFilters(), this._nextCursor)
    );
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

  /**
   * Read the grids, and which runs each holds: a grid's detail is read again
   * only when it changed. A server without grids has none (no error).
   */
  private async _readGrids(): Promise<void> {
    const membership = await readGridMembership(this.client, this._gridRuns);
    if (membership === null) {
      this._grids = [];
      return;
    }
    this._grids = membership.grids;
    this._gridRuns = membership.gridRuns;
    this._gridOf = membership.gridOf;
    this._gridPoints = membership.gridPoints;
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
    return readRunList(this.client, this._listFilters(), depth);
  }

  /** The search and the filters, as one key. */
  private _filterKey(): string {
    return filterKey(this._listFilters());
  }

  /** The REST API. */
  readonly client: JournalClient;
  private _poll: Poll;
  private _search: Debouncer;
  private _token: number | null = null;
  private _generation = 0;
  private _watchers = 0;
  private _gridRuns = new Map<number, IGridRuns>();
  private _depth = new Map<string, number>();
  private _isDisposed = false;
  private _runsChanged = new Signal<this, ReadonlyArray<IRunSummary>>(this);
}

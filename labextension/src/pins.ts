/**
 * Pinned runs of an experiment page (issue 22.6): the runs a person keeps
 * in sight at the top of the table whatever the sort and the query, as W&B
 * and MLflow pin them. Their ids are part of the page's saved view; their
 * rows are read apart from the table's, by their numbers (`#12 OR #15`:
 * the query grammar of docs/rest-api.md), so no query hides them.
 *
 * One {@link PinBoard} holds the pins of every experiment for the whole lab:
 * a run pinned from its run view shows on its page at once, and the other
 * way round.
 */

import { IStateDB } from '@jupyterlab/statedb';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { ISignal, Signal } from '@lumino/signaling';

import { JournalClient } from './api/client';
import { IExperimentTableRow } from './api/experimentPayloads';
import { readView, viewKey } from './savedViews';

/** At most this many runs are pinned (a query holds at most 40 terms). */
export const PIN_LIMIT = 20;

/** The query that reads exactly the runs `ids` (any status, the trash aside). */
export function pinnedQuery(ids: ReadonlyArray<number>): string {
  return ids.map(id => `#${id}`).join(' OR ');
}

/**
 * The pinned runs of every experiment, kept in the saved views of JupyterLab's
 * state database (the `pinned` field of {@link viewKey}): the pages and the
 * run views read and change them here, and hear of each change.
 */
export class PinBoard {
  constructor(private readonly _state?: IStateDB | null) {}

  /** Emitted with the experiment whose pins changed. */
  get changed(): ISignal<this, string> {
    return this._changed;
  }

  /** The experiment's pins as known here (none before {@link read}). */
  ids(experiment: string): ReadonlyArray<number> {
    return this._ids.get(experiment) ?? [];
  }

  /** Whether run `id` is pinned on the page of `experiment`. */
  has(experiment: string, id: number): boolean {
    return this.ids(experiment).includes(id);
  }

  /** Whether another run can be pinned on the page of `experiment`. */
  full(experiment: string): boolean {
    return this.ids(experiment).length >= PIN_LIMIT;
  }

  /** The experiment's pins, read from its saved view the first time. */
  async read(experiment: string): Promise<ReadonlyArray<number>> {
    if (!this._ids.has(experiment)) {
      const stored = this._state
        ? await this._state.fetch(viewKey(experiment)).catch(() => undefined)
        : undefined;
      this.adopt(experiment, readView(stored).pinned);
    }
    return this.ids(experiment);
  }

  /**
   * Take remembered pins (a page's saved view) unless the experiment's are
   * known here already: those are as new or newer.
   */
  adopt(experiment: string, ids: ReadonlyArray<number> | undefined): void {
    if (!this._ids.has(experiment)) {
      this._ids.set(experiment, [...new Set(ids ?? [])].slice(0, PIN_LIMIT));
      this._changed.emit(experiment);
    }
  }

  /**
   * Pin a run, or unpin it, and keep that in the experiment's saved view.
   * Resolves to false when the run could not be pinned (the limit reached).
   */
  async toggle(experiment: string, id: number): Promise<boolean> {
    const ids = await this.read(experiment);
    if (ids.includes(id)) {
      this._ids.set(
        experiment,
        ids.filter(pinned => pinned !== id)
      );
    } else if (ids.length >= PIN_LIMIT) {
      return false;
    } else {
      this._ids.set(experiment, [...ids, id]);
    }
    this._changed.emit(experiment);
    await this._keep(experiment);
    return true;
  }

  /**
   * Write the pins into the experiment's saved view, its other fields kept
   * (an open page writes its whole view too, the same pins in it). Writes
   * of one experiment follow one another.
   */
  private _keep(experiment: string): Promise<void> {
    const state = this._state;
    if (!state) {
      return Promise.resolve();
    }
    const key = viewKey(experiment);
    const write = async (): Promise<void> => {
      const stored = await state.fetch(key).catch(() => undefined);
      const view =
        stored !== null && typeof stored === 'object' && !Array.isArray(stored)
          ? (stored as ReadonlyPartialJSONObject)
          : {};
      await state.save(key, { ...view, pinned: [...this.ids(experiment)] });
    };
    const next = (this._writes.get(experiment) ?? Promise.resolve())
      .then(write)
      .catch(() => undefined);
    this._writes.set(experiment, next);
    return next;
  }

  private _ids = new Map<string, number[]>();
  private _writes = new Map<string, Promise<void>>();
  private _changed = new Signal<this, string>(this);
}

/** The pinned runs of one experiment page, and their rows. */
export class PinnedRuns {
  /**
   * `board` holds the pins, shared with the lab's run views; a page of its
   * own (the tests) has one of its own, without a state database.
   */
  constructor(
    private readonly _client: JournalClient,
    private readonly _experiment: string,
    private readonly _changed: () => void,
    private readonly _board: PinBoard = new PinBoard()
  ) {
    _board.changed.connect(this._onBoard, this);
  }

  /** Stop hearing of the board's changes (the page closed). */
  dispose(): void {
    this._board.changed.disconnect(this._onBoard, this);
  }

  /** The pinned runs' ids, in the order they were pinned. */
  get ids(): ReadonlyArray<number> {
    return this._board.ids(this._experiment);
  }

  /** The pinned runs still in the journal, in the order they were pinned. */
  get rows(): ReadonlyArray<IExperimentTableRow> {
    return this._rows;
  }

  /** Whether run `id` is pinned. */
  has(id: number): boolean {
    return this._board.has(this._experiment, id);
  }

  /** Whether another run can be pinned. */
  get full(): boolean {
    return this._board.full(this._experiment);
  }

  /**
   * Take remembered pins (a saved view) unless the board knows this
   * experiment's already; their rows are read by {@link reload}.
   */
  restore(ids: ReadonlyArray<number> | undefined): void {
    if (ids) {
      this._board.adopt(this._experiment, ids);
    }
  }

  /** Pin a run, or unpin it; its row is read (or dropped) at once. */
  async toggle(id: number): Promise<void> {
    await this._board.toggle(this._experiment, id);
    await this._reading;
  }

  /** Read the pinned runs' rows again (a run deleted since is left out, its pin kept). */
  async reload(): Promise<void> {
    const ids = [...this.ids];
    const generation = ++this._generation;
    if (ids.length === 0) {
      this._rows = [];
      return;
    }
    const answer = await this._client.experimentTable(this._experiment, {
      q: pinnedQuery(ids),
      offset: 0,
      limit: PIN_LIMIT
    });
    if (generation !== this._generation) {
      return;
    }
    const byId = new Map(answer.rows.map(row => [row.id, row]));
    this._rows = this.ids
      .map(id => byId.get(id))
      .filter((row): row is IExperimentTableRow => row !== undefined);
    this._changed();
  }

  /**
   * The board's pins of this experiment changed (here, or in a run view):
   * an unpinned row leaves at once; a newly pinned one is read.
   */
  private _onBoard(_: PinBoard, experiment: string): void {
    if (experiment !== this._experiment) {
      return;
    }
    const shown = new Set(this._rows.map(row => row.id));
    this._rows = this._rows.filter(row => this.has(row.id));
    this._changed();
    if (this.ids.some(id => !shown.has(id))) {
      this._reading = this.reload().catch(() => undefined);
    }
  }

  private _rows: IExperimentTableRow[] = [];
  private _generation = 0;
  private _reading: Promise<void> = Promise.resolve();
}

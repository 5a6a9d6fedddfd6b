/**
 * Pinned runs of an experiment page (issue 22.6): the runs a person keeps
 * in sight at the top of the table whatever the sort and the query, as W&B
 * and MLflow pin them. Their ids are part of the page's saved view; their
 * rows are read apart from the table's, by their numbers (`#12 OR #15`:
 * the query grammar of docs/rest-api.md), so no query hides them.
 */

import { JournalClient } from './api/client';
import { IExperimentTableRow } from './api/experimentPayloads';

/** At most this many runs are pinned (a query holds at most 40 terms). */
export const PIN_LIMIT = 20;

/** The query that reads exactly the runs `ids` (any status, the trash aside). */
export function pinnedQuery(ids: ReadonlyArray<number>): string {
  return ids.map(id => `#${id}`).join(' OR ');
}

/** The pinned runs of one experiment page, and their rows. */
export class PinnedRuns {
  constructor(
    private readonly _client: JournalClient,
    private readonly _experiment: string,
    private readonly _changed: () => void
  ) {}

  /** The pinned runs' ids, in the order they were pinned. */
  get ids(): ReadonlyArray<number> {
    return this._ids;
  }

  /** The pinned runs still in the journal, in the order they were pinned. */
  get rows(): ReadonlyArray<IExperimentTableRow> {
    return this._rows;
  }

  /** Whether run `id` is pinned. */
  has(id: number): boolean {
    return this._ids.includes(id);
  }

  /** Whether another run can be pinned. */
  get full(): boolean {
    return this._ids.length >= PIN_LIMIT;
  }

  /** Take remembered pins (a saved view); their rows are read by {@link reload}. */
  restore(ids: ReadonlyArray<number> | undefined): void {
    if (ids) {
      this._ids = [...new Set(ids)].slice(0, PIN_LIMIT);
    }
  }

  /** Pin a run, or unpin it; its row is read (or dropped) at once. */
  async toggle(id: number): Promise<void> {
    if (this.has(id)) {
      this._ids = this._ids.filter(pinned => pinned !== id);
      this._rows = this._rows.filter(row => row.id !== id);
      this._changed();
      return;
    }
    if (this.full) {
      return;
    }
    this._ids = [...this._ids, id];
    this._changed();
    await this.reload();
  }

  /** Read the pinned runs' rows again (a run deleted since is left out, its pin kept). */
  async reload(): Promise<void> {
    const ids = [...this._ids];
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
    this._rows = this._ids
      .map(id => byId.get(id))
      .filter((row): row is IExperimentTableRow => row !== undefined);
    this._changed();
  }

  private _ids: number[] = [];
  private _rows: IExperimentTableRow[] = [];
  private _generation = 0;
}

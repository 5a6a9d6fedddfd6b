/**
 * The experiment page's grouped view, as state: the runs the query matches
 * grouped by chosen parameters (by configuration — "repeats" — when none is
 * chosen), each group's n and every metric's mean ± 95 % interval and the
 * verdict against the best (`GET experiments/{name}/groups`): the server's
 * first 500 by the key metric's mean, best first or the order asked (the sort
 * toggle asks the server again); a group opens into its runs' own values,
 * read on demand.
 */

import { JournalClient } from './api/client';
import {
  IConfiguration,
  IConfigurationsReply,
  IGroupsReply
} from './api/analysisPayloads';
import { IExperimentTableRow, SortOrder } from './api/experimentPayloads';
import { describe } from './queried';

/** Runs a group shows when opened (its best first by the key metric). */
export const GROUP_RUNS = 50;

/** A group's opened runs: their rows, or why they could not be read. */
export interface IGroupRuns {
  rows: IExperimentTableRow[] | null;
  error: string | null;
}

/** `act=relu` for a query: null for a value the grammar cannot say (a list, a space). */
function term(name: string, value: unknown): string | null {
  if (typeof value === 'number' && isFinite(value)) {
    return `${name}=${value}`;
  }
  if (typeof value === 'string' && /^[^\s"'=<>!:()]+$/.test(value)) {
    return `${name}=${value}`;
  }
  return null;
}

/**
 * The query that reads a group's runs: the page's query, finished runs, and
 * one term per value grouped by that the grammar can say (the answer is then
 * narrowed to the group's own runs, by id).
 */
export function groupQuery(
  query: string,
  params: Record<string, unknown>
): string {
  const terms = Object.entries(params)
    .map(([name, value]) => term(name, value))
    .filter((t): t is string => t !== null);
  return [query.trim(), 'status:finished', ...terms].filter(Boolean).join(' ');
}

/** Rows read to find a group's best {@link GROUP_RUNS} (its values may not all be said). */
const READ_RUNS = 4 * GROUP_RUNS;

/** The grouped view's state; `changed` is called whenever it changes. */
export class RunGroups {
  constructor(
    private _client: JournalClient,
    private _name: string,
    private _query: () => string,
    private _changed: () => void
  ) {}

  /** Whether the page shows groups rather than runs. */
  get active(): boolean {
    return this._active;
  }

  /** The parameters grouped by; empty: by configuration (repeats). */
  get by(): ReadonlyArray<string> {
    return this._by;
  }

  /** The answer (its groups the server's first by mean), or null before it is read. */
  get reply(): IGroupsReply | null {
    return this._reply;
  }

  /** The answer as the configurations of "group repeats" were (for older readers). */
  get configurations(): IConfigurationsReply | null {
    const reply = this._reply;
    return reply
      ? {
          experiment: reply.experiment,
          metric: reply.metric,
          ranked_by: reply.ranked_by,
          configurations: reply.groups
        }
      : null;
  }

  /** Why the groups could not be read, or null. */
  get error(): string | null {
    return this._error;
  }

  /** The order of the groups by mean (`desc`: highest first). */
  get order(): SortOrder {
    return this._order;
  }

  /** Show groups (by `by`; none: by configuration) or runs again; groups are read anew. */
  async set(
    active: boolean,
    by: ReadonlyArray<string> = this._by
  ): Promise<void> {
    this._active = active;
    this._by = [...by];
    this._changed();
    if (active) {
      await this.reload();
    }
  }

  /** Take a remembered grouping before the page's first read (which reads the groups). */
  restore(active: boolean, by: ReadonlyArray<string> = this._by): void {
    this._active = active;
    this._by = [...by];
  }

  /**
   * Sort the groups by mean the other way (at first: best first): the server
   * is asked for the first groups in that order (it lists only some).
   */
  async toggleOrder(): Promise<void> {
    this._order = this._order === 'desc' ? 'asc' : 'desc';
    this._orderChosen = true;
    this._changed();
    await this.reload();
  }

  /** Read the groups of the page's current query. */
  async reload(): Promise<void> {
    const generation = ++this._generation;
    try {
      const reply = await this._client.groups(
        this._name,
        this._by,
        this._query(),
        this._orderChosen ? this._order : undefined
      );
      if (generation === this._generation) {
        // the order that puts the best first (a loss: lowest first), for a group's runs
        const served = reply.order ?? 'desc';
        this._best = reply.best_first
          ? served
          : served === 'desc'
            ? 'asc'
            : 'desc';
        this._order = served;
        this._reply = reply;
        this._error = null;
        this._reopen(generation);
        this._changed();
      }
    } catch (error) {
      if (generation === this._generation) {
        this._error = describe(error);
        this._changed();
      }
    }
  }

  /** Whether a group (by its first run's id) shows its runs. */
  isExpanded(id: number): boolean {
    return this._opened.has(id);
  }

  /** A group's opened runs, or undefined while closed. */
  runsOf(id: number): IGroupRuns | undefined {
    return this._opened.get(id);
  }

  /** Show or hide a group's runs; opening reads their values (the best first). */
  async toggle(id: number): Promise<void> {
    if (this._opened.delete(id)) {
      this._changed();
      return;
    }
    const group = this._reply?.groups.find(g => g.id === id);
    if (!group) {
      return;
    }
    const generation = this._generation;
    this._opened.set(id, { rows: null, error: null });
    this._changed();
    const found = await this._readRuns(group);
    if (generation === this._generation && this._opened.has(id)) {
      this._opened.set(id, found);
      this._changed();
    }
  }

  private async _readRuns(group: IConfiguration): Promise<IGroupRuns> {
    const metric = this._reply?.metric;
    const members = new Set(group.runs);
    try {
      const answer = await this._client.experimentTable(this._name, {
        q: groupQuery(this._query(), group.params),
        limit: READ_RUNS,
        ...(metric ? { sort: `metric.${metric}`, order: this._best } : {})
      });
      const rows = answer.rows.filter(row => members.has(row.id));
      return { rows: rows.slice(0, GROUP_RUNS), error: null };
    } catch (error) {
      return { rows: null, error: describe(error) };
    }
  }

  /** Groups left open stay open over a new answer, their runs read anew (or closed if gone). */
  private _reopen(generation: number): void {
    for (const id of [...this._opened.keys()]) {
      const group = this._reply?.groups.find(g => g.id === id);
      if (!group) {
        this._opened.delete(id);
        continue;
      }
      void this._readRuns(group).then(found => {
        if (generation === this._generation && this._opened.has(id)) {
          this._opened.set(id, found);
          this._changed();
        }
      });
    }
  }

  private _active = false;
  private _by: string[] = [];
  private _reply: IGroupsReply | null = null;
  private _error: string | null = null;
  private _order: SortOrder = 'desc';
  private _best: SortOrder = 'desc';
  private _orderChosen = false;
  private _generation = 0;
  private _opened = new Map<number, IGroupRuns>();
}

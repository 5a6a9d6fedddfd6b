/**
 * An experiment page remembers its view — query, sort, columns shown or hidden,
 * grouping, pinned runs — in JupyterLab's state database, per experiment, so a
 * page closed and opened again (or a reloaded lab) shows what it showed.
 * A link (`?nbjournal-experiment=NAME&nbjournal-query=…`) or the command
 * `nbjournal:open-experiment` with the same fields opens a view.
 */

import { IStateDB } from '@jupyterlab/statedb';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { SortOrder } from './api/experimentPayloads';

/** What a page remembers of itself, per experiment. */
export interface IPageView {
  query: string;
  sort: string | null;
  order: SortOrder;
  /** The columns shown or hidden against their default (a mirror is hidden by default). */
  toggled: string[];
  /** Whether the runs are grouped, and by which parameters (none: by configuration). */
  grouped: boolean;
  groupBy: string[];
  /** The runs pinned to the top of the table, in the order they were pinned. */
  pinned: number[];
}

/** The state database's key of an experiment's view. */
export function viewKey(experiment: string): string {
  return `nbjournal:experiment-view:${experiment}`;
}

/** The fields of a view found in `raw` (stored JSON, command args, a URL's parameters). */
export function readView(raw: unknown): Partial<IPageView> {
  if (raw === null || typeof raw !== 'object') {
    return {};
  }
  const given = raw as { [key: string]: unknown };
  const view: Partial<IPageView> = {};
  if (typeof given.query === 'string') {
    view.query = given.query;
  }
  if (typeof given.sort === 'string' || given.sort === null) {
    view.sort = given.sort || null;
  }
  if (given.order === 'asc' || given.order === 'desc') {
    view.order = given.order;
  }
  if (
    Array.isArray(given.toggled) &&
    given.toggled.every(id => typeof id === 'string')
  ) {
    view.toggled = given.toggled as string[];
  }
  if (
    Array.isArray(given.groupBy) &&
    given.groupBy.every(name => typeof name === 'string')
  ) {
    view.groupBy = given.groupBy as string[];
  }
  if (
    Array.isArray(given.pinned) &&
    given.pinned.every(id => Number.isInteger(id) && (id as number) > 0)
  ) {
    view.pinned = given.pinned as number[];
  }
  if (typeof given.grouped === 'boolean') {
    view.grouped = given.grouped;
  } else if (given.grouped === 'true' || given.grouped === 'false') {
    view.grouped = given.grouped === 'true';
  }
  return view;
}

/** A view as JSON the state database keeps. */
export function storedView(view: IPageView): ReadonlyPartialJSONObject {
  return {
    ...view,
    toggled: [...view.toggled],
    groupBy: [...view.groupBy],
    pinned: [...view.pinned]
  };
}

/** The parameters of a link that opens things (`?nbjournal-run=12`). */
export const LINK_PARAMS = {
  run: 'nbjournal-run',
  experiment: 'nbjournal-experiment',
  grid: 'nbjournal-grid',
  query: 'nbjournal-query',
  sort: 'nbjournal-sort',
  order: 'nbjournal-order',
  grouped: 'nbjournal-grouped',
  groupBy: 'nbjournal-group-by'
} as const;

/** What a link asks to open, from its query string. */
export function readLink(search: string): {
  run?: number;
  grid?: number;
  experiment?: string;
  view: Partial<IPageView>;
} {
  const params = new URLSearchParams(search);
  const id = (key: string): number | undefined => {
    const value = Number(params.get(key));
    return Number.isInteger(value) && value > 0 ? value : undefined;
  };
  return {
    run: id(LINK_PARAMS.run),
    grid: id(LINK_PARAMS.grid),
    experiment: params.get(LINK_PARAMS.experiment) || undefined,
    view: readView({
      query: params.get(LINK_PARAMS.query) ?? undefined,
      sort: params.get(LINK_PARAMS.sort) ?? undefined,
      order: params.get(LINK_PARAMS.order) ?? undefined,
      grouped: params.get(LINK_PARAMS.grouped) ?? undefined,
      groupBy: params.get(LINK_PARAMS.groupBy)?.split(',').filter(Boolean)
    })
  };
}

/** The query string of a link to an experiment's view (`?nbjournal-experiment=…`). */
export function viewSearch(experiment: string, view: IPageView): string {
  const params = new URLSearchParams({ [LINK_PARAMS.experiment]: experiment });
  if (view.query.trim()) {
    params.set(LINK_PARAMS.query, view.query.trim());
  }
  if (view.sort) {
    params.set(LINK_PARAMS.sort, view.sort);
    params.set(LINK_PARAMS.order, view.order);
  }
  if (view.grouped) {
    params.set(LINK_PARAMS.grouped, 'true');
    if (view.groupBy.length) {
      params.set(LINK_PARAMS.groupBy, view.groupBy.join(','));
    }
  }
  return `?${params.toString()}`;
}

/**
 * Keeps an experiment page's view in the state database: {@link restore}
 * once before the first read, then {@link save} after each change (the
 * last one wins; writes are spaced by `delay` ms).
 */
export class SavedView {
  constructor(
    private readonly _state: IStateDB | null | undefined,
    private readonly _experiment: string,
    private readonly _delay = 300
  ) {}

  /** The view kept for the experiment ({} when none, or without a state database). */
  async restore(): Promise<Partial<IPageView>> {
    if (!this._state) {
      return {};
    }
    try {
      return readView(await this._state.fetch(viewKey(this._experiment)));
    } catch {
      return {};
    }
  }

  /** Keep `view` (soon: a burst of changes is one write). */
  save(view: IPageView): void {
    if (!this._state) {
      return;
    }
    const json = JSON.stringify(view);
    if (json === this._last) {
      return;
    }
    this._last = json;
    if (this._timer !== null) {
      window.clearTimeout(this._timer);
    }
    this._timer = window.setTimeout(() => {
      this._timer = null;
      void this._state
        ?.save(viewKey(this._experiment), storedView(view))
        .catch(() => undefined);
    }, this._delay);
  }

  private _last = '';
  private _timer: number | null = null;
}

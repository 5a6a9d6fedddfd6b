/**
 * What the sidebar shows, as state: the experiments, runs and grids last read,
 * the filters, the selection and the folded groups. {@link JournalModel} keeps
 * it current from the server.
 */

import { ISignal, Signal } from '@lumino/signaling';

import { IExperiment } from './api/experimentPayloads';
import { IGridSummary } from './api/gridPayloads';
import { IRunSummary, RunStatus } from './api/runPayloads';
import { groupRuns, IExperimentGroup } from './grouping';
import { QueriedState } from './queried';
import { IRunListFilters, VerdictFilter } from './runListQuery';

/** The sidebar's state, read and changed by the person; the model fills it. */
export abstract class SidebarState extends QueriedState {
  /** Emitted whenever anything the sidebar shows changes. */
  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
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

  /** The verdict filter: a verdict, `none`, `needs-inference`, or '' for all. */
  get verdict(): VerdictFilter {
    return this._verdict;
  }

  /** Whether a search or a filter narrows the list. */
  get filtered(): boolean {
    return (
      this._query.trim() !== '' || this._status !== '' || this._verdict !== ''
    );
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

  /** The grids of the journal, newest first (empty on a server without grids). */
  get grids(): ReadonlyArray<IGridSummary> {
    return this._grids;
  }

  /** The list's search and filters now. */
  protected _listFilters(): IRunListFilters {
    return { query: this._query, status: this._status, verdict: this._verdict };
  }

  protected _experiments: IExperiment[] = [];
  protected _runs: IRunSummary[] = [];
  protected _grids: IGridSummary[] = [];
  protected _gridOf = new Map<number, number>();
  protected _gridPoints = new Map<number, string>();
  protected _nextCursor: number | null = null;
  protected _status: RunStatus | '' = '';
  protected _verdict: VerdictFilter = '';
  protected _selected: number[] = [];
  protected _collapsed = new Set<string>();
  protected _loading = false;
  protected _loaded = false;
  protected _stateChanged = new Signal<this, void>(this);
}

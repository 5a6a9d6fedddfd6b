/**
 * Run tabs are kept few: opening runs one after another (from the sidebar,
 * a page's rows, a comparison) used to leave a tab per run. The run views
 * shown least recently close once more than {@link KEEP_RUN_TABS} are open,
 * except the one in front and any holding text the person is writing.
 */

/** How many run views stay open at most (unless one holds unsaved text). */
export const KEEP_RUN_TABS = 3;

/** What {@link RecentTabs} needs of a tab. */
export interface IClosableTab {
  readonly id: string;
  readonly node: HTMLElement;
  readonly isDisposed: boolean;
  close(): void;
}

/** Whether a tab holds text being written (an inference not yet recorded). */
export function holdsUnsavedText(tab: IClosableTab): boolean {
  return Array.from(tab.node.querySelectorAll('textarea')).some(
    area => area.value.trim() !== ''
  );
}

/** The tabs of one kind, least recently shown first; closes the surplus. */
export class RecentTabs<T extends IClosableTab> {
  constructor(readonly keep = KEEP_RUN_TABS) {}

  /** `tab` was opened or brought to the front. */
  shown(tab: T): void {
    this._tabs = this._tabs.filter(one => one !== tab && !one.isDisposed);
    this._tabs.push(tab);
  }

  /**
   * Close the least recently shown tabs beyond {@link keep}, never `front`
   * nor one holding unsaved text; the tabs closed.
   */
  trim(front: T): T[] {
    this._tabs = this._tabs.filter(one => !one.isDisposed);
    const closable = this._tabs.filter(
      one => one !== front && !holdsUnsavedText(one)
    );
    const surplus = Math.max(0, this._tabs.length - this.keep);
    const closing = closable.slice(0, surplus);
    closing.forEach(one => one.close());
    this._tabs = this._tabs.filter(one => !closing.includes(one));
    return closing;
  }

  /** The open tabs, least recently shown first. */
  get tabs(): ReadonlyArray<T> {
    return this._tabs.filter(one => !one.isDisposed);
  }

  private _tabs: T[] = [];
}

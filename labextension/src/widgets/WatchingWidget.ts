import { ReactWidget } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';

import { JournalModel } from '../model';

/**
 * Ask the model to poll while a widget is visible, and not otherwise; Lumino
 * tells a widget it is shown either by attaching it visible or by showing it.
 */
export abstract class WatchingWidget extends ReactWidget {
  constructor(protected readonly model: JournalModel) {
    super();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) {
      this.startWatching();
    }
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.startWatching();
  }

  protected onBeforeHide(msg: Message): void {
    this.stopWatching();
    super.onBeforeHide(msg);
  }

  protected onBeforeDetach(msg: Message): void {
    this.stopWatching();
    super.onBeforeDetach(msg);
  }

  dispose(): void {
    this.stopWatching();
    super.dispose();
  }

  /** The view is seen: poll, and catch up on what was missed. */
  protected startWatching(): void {
    if (!this._unwatch) {
      this._unwatch = this.model.watch();
    }
  }

  protected stopWatching(): void {
    if (this._unwatch) {
      this._unwatch();
      this._unwatch = null;
    }
  }

  private _unwatch: (() => void) | null = null;
}

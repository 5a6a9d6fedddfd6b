import { MainAreaWidget } from '@jupyterlab/apputils';
import React from 'react';

import { journalIcon } from '../icons';
import { describe } from '../queried';
import { JournalModel } from '../model';
import { INewInference, IRunSummary, Verdict } from '../api/runPayloads';
import { IJournalServices } from './services';
import { WatchingWidget } from './WatchingWidget';

/**
 * A document of the main area that reads something from the journal, shows
 * it, and reads it again when a run it shows changes on the server (so a
 * live run stays current while it is seen).
 *
 * Subclasses say what to read ({@link fetch}), which changed runs concern
 * them ({@link concerns}) and how to draw what was read ({@link renderData});
 * loading, errors and stale answers are handled here once. A subclass calls
 * `void this.load()` at the end of its constructor.
 */
export abstract class JournalDocument<T> extends WatchingWidget {
  constructor(protected readonly services: IJournalServices) {
    super(services.model);
    this.addClass('jp-nbjournal-Document');
    services.model.runsChanged.connect(this._onRunsChanged, this);
  }

  /** What was read last, or null before the first answer. */
  get data(): T | null {
    return this._data;
  }

  /** Called each time the document is read anew (to retitle its tab). */
  onLoaded: ((data: T) => void) | null = null;

  /**
   * Read the document anew. An answer that a newer `load` overtook is
   * dropped; an error keeps what was shown, or says what went wrong.
   */
  async load(): Promise<void> {
    const generation = ++this._generation;
    try {
      const data = await this.fetch();
      if (generation !== this._generation || this.isDisposed) {
        return;
      }
      this._data = data;
      this._error = null;
      this.onLoaded?.(data);
    } catch (error) {
      if (generation !== this._generation || this.isDisposed) {
        return;
      }
      this._error = describe(error);
    }
    this.update();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.services.model.runsChanged.disconnect(this._onRunsChanged, this);
    super.dispose();
  }

  render(): JSX.Element {
    if (this._error !== null && this._data === null) {
      return (
        <div className="jp-nbjournal-Error" role="alert">
          {this._error}
        </div>
      );
    }
    if (this._data === null) {
      return (
        <div className="jp-nbjournal-Message" role="status">
          {this.loadingText()}
        </div>
      );
    }
    return this.renderData(this._data);
  }

  /**
   * A handler of a view's `onAddInference`: `add` writes the inference,
   * then the document is read anew to show it.
   */
  protected inferenceAdder(
    add: (inference: INewInference) => Promise<unknown>
  ): (text: string, verdict: Verdict | null) => Promise<void> {
    return async (text, verdict) => {
      await add({ text, verdict });
      await this.load();
    };
  }

  /** Read the document from the journal. */
  protected abstract fetch(): Promise<T>;

  /** What to say while the first answer is awaited. */
  protected abstract loadingText(): string;

  /** Draw what was read. */
  protected abstract renderData(data: T): JSX.Element;

  /** Whether a change of these runs changes the document. */
  protected abstract concerns(runs: ReadonlyArray<IRunSummary>): boolean;

  private _onRunsChanged(
    _: JournalModel,
    runs: ReadonlyArray<IRunSummary>
  ): void {
    if (this.concerns(runs)) {
      void this.load();
    }
  }

  private _data: T | null = null;
  private _error: string | null = null;
  private _generation = 0;
}

/** How {@link documentWidget} dresses a document's tab. */
export interface IDocumentTab<T> {
  /** The widget's id. */
  id: string;
  /** A class of the widget. */
  className: string;
  /** The tab's label until the document is read. */
  label: string;
  /** The tab's label and caption once the document is read. */
  title: (data: T) => { label: string; caption: string };
}

/** What a {@link JournalDocument} reads. */
export type DocumentData<D> = D extends JournalDocument<infer T> ? T : never;

/** A document in a main-area tab, retitled each time it is read. */
export function documentWidget<D extends JournalDocument<any>>(
  content: D,
  tab: IDocumentTab<DocumentData<D>>
): MainAreaWidget<D> {
  const widget = new MainAreaWidget({ content });
  widget.id = tab.id;
  widget.addClass(tab.className);
  widget.title.icon = journalIcon;
  widget.title.label = tab.label;
  widget.title.closable = true;
  content.onLoaded = (data: DocumentData<D>) => {
    const { label, caption } = tab.title(data);
    widget.title.label = label;
    widget.title.caption = caption;
  };
  return widget;
}

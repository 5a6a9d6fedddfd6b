/**
 * The Lumino shells around the React views: the sidebar panel, and the run
 * and comparison documents of the main area.
 */

import { MainAreaWidget } from '@jupyterlab/apputils';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import {
  ReactWidget,
  refreshIcon,
  SidePanel,
  ToolbarButton,
  UseSignal
} from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import { Panel, Widget } from '@lumino/widgets';
import React from 'react';

import { CompareView } from './CompareView';
import { journalIcon } from './icons';
import { describe, JournalModel } from './model';
import { RunView } from './RunView';
import { Sidebar } from './Sidebar';
import { IMetricSeries, IRun, IRunSummary, Verdict } from './tokens';

/** What the documents need from the application. */
export interface IJournalServices {
  /** The journal's state and its REST calls. */
  model: JournalModel;
  /** JupyterLab's renderers (markdown, Vega-Lite). */
  rendermime: IRenderMimeRegistry;
  /** Highlight code into an element. */
  highlight?: (code: string, element: HTMLElement) => Promise<void>;
  /** The current theme's name. */
  theme: () => string;
  /** Whether a notebook is open to insert code into. */
  canInsert: () => boolean;
  /** Copy text to the clipboard. */
  copy: (text: string) => void;
  /** Insert code below the active cell of the current notebook. */
  insert: (code: string) => void;
  /** A recorded notebook path as JupyterLab opens it, or null (see `notebookInRoot`). */
  notebookPath: (recorded: string | null) => string | null;
  /** Open a notebook by its path relative to the server's root. */
  openNotebook: (path: string) => void;
  /** Open a run. */
  openRun: (id: number) => void;
  /** Open a comparison of runs. */
  compare: (ids: ReadonlyArray<number>) => void;
}

/**
 * Ask the model to poll while a widget is visible, and not otherwise; Lumino
 * tells a widget it is shown either by attaching it visible or by showing it.
 */
abstract class WatchingWidget extends ReactWidget {
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

/** The React body of the sidebar. */
class SidebarBody extends WatchingWidget {
  constructor(private readonly services: IJournalServices) {
    super(services.model);
    this.addClass('jp-nbjournal-SidebarBody');
  }

  render(): JSX.Element {
    const { model } = this.services;
    return (
      <UseSignal signal={model.stateChanged}>
        {() => (
          <Sidebar
            model={model}
            onOpen={id => this.services.openRun(id)}
            onCompare={ids => this.services.compare(ids)}
          />
        )}
      </UseSignal>
    );
  }
}

/** The "Journal" tab of the left area. */
export class JournalPanel extends SidePanel {
  constructor(services: IJournalServices) {
    super({ content: new Panel() });
    this.id = 'nbjournal-sidebar';
    this.addClass('jp-nbjournal-Panel');
    this.title.icon = journalIcon;
    this.title.caption = 'Journal';
    const heading = new Widget({ node: document.createElement('h2') });
    heading.node.textContent = 'Journal';
    heading.addClass('jp-nbjournal-Panel-heading');
    this.header.addWidget(heading);
    this.header.addWidget(
      new ToolbarButton({
        icon: refreshIcon,
        tooltip: 'Read the journal anew',
        onClick: () => void services.model.refresh().catch(() => undefined)
      })
    );
    this.body = new SidebarBody(services);
    this.addWidget(this.body);
  }

  /** The React body (the list). */
  readonly body: ReactWidget;
}

/** A run, read from the server and kept current while it is live. */
export class RunDocument extends WatchingWidget {
  constructor(
    readonly runId: number,
    private readonly services: IJournalServices
  ) {
    super(services.model);
    this.addClass('jp-nbjournal-Document');
    this.services.model.runsChanged.connect(this._onRunsChanged, this);
    void this.load();
  }

  /** The run, once loaded. */
  get run(): IRun | null {
    return this._run;
  }

  /** Emitted when the run is (re)loaded. */
  onLoaded: ((run: IRun) => void) | null = null;

  /** Read the run and its curves. */
  async load(): Promise<void> {
    const { model } = this.services;
    try {
      const [run, metrics] = await Promise.all([
        model.getRun(this.runId),
        model.getMetrics(this.runId)
      ]);
      this._run = run;
      this._series = metrics.series;
      this._error = null;
      this.onLoaded?.(run);
    } catch (error) {
      this._error = describe(error);
    }
    this.update();
  }

  dispose(): void {
    this.services.model.runsChanged.disconnect(this._onRunsChanged, this);
    super.dispose();
  }

  render(): JSX.Element {
    if (this._error !== null && this._run === null) {
      return (
        <div className="jp-nbjournal-Error" role="alert">
          {this._error}
        </div>
      );
    }
    if (this._run === null) {
      return (
        <div className="jp-nbjournal-Message" role="status">
          Reading run #{this.runId}…
        </div>
      );
    }
    const services = this.services;
    return (
      <RunView
        run={this._run}
        series={this._series}
        rendermime={services.rendermime}
        theme={services.theme()}
        highlight={services.highlight}
        canInsert={services.canInsert()}
        onCopy={services.copy}
        onInsert={services.insert}
        notebookPath={services.notebookPath(this._run.notebook)}
        onOpenNotebook={services.openNotebook}
        onOpenRun={services.openRun}
        onAddInference={(text: string, verdict: Verdict | null) =>
          this._addInference(text, verdict)
        }
      />
    );
  }

  private async _addInference(
    text: string,
    verdict: Verdict | null
  ): Promise<void> {
    await this.services.model.addInference(this.runId, { text, verdict });
    await this.load();
  }

  private _onRunsChanged(
    _: JournalModel,
    runs: ReadonlyArray<IRunSummary>
  ): void {
    if (runs.some(r => r.id === this.runId)) {
      void this.load();
    }
  }

  private _run: IRun | null = null;
  private _series: IMetricSeries[] | null = null;
  private _error: string | null = null;
}

/** Several runs side by side, kept current while they are live. */
export class CompareDocument extends WatchingWidget {
  constructor(
    ids: ReadonlyArray<number>,
    private readonly services: IJournalServices
  ) {
    super(services.model);
    this.addClass('jp-nbjournal-Document');
    this._ids = [...ids];
    this.services.model.runsChanged.connect(this._onRunsChanged, this);
    void this.load();
  }

  /** The compared runs' ids. */
  get ids(): ReadonlyArray<number> {
    return this._ids;
  }

  /** Compare other runs. */
  setIds(ids: ReadonlyArray<number>): void {
    if (ids.join(',') === this._ids.join(',')) {
      return;
    }
    this._ids = [...ids];
    this.onIdsChanged?.(this._ids);
    void this.load();
  }

  /** Called when the compared runs change (to retitle the tab). */
  onIdsChanged: ((ids: ReadonlyArray<number>) => void) | null = null;

  /** Read the runs' summaries and curves. */
  async load(): Promise<void> {
    const { model } = this.services;
    const ids = this._ids;
    try {
      const [runs, metrics] = await Promise.all([
        Promise.all(ids.map(id => model.getRun(id))),
        Promise.all(ids.map(id => model.getMetrics(id)))
      ]);
      if (ids !== this._ids) {
        return; // the selection moved on
      }
      this._runs = runs;
      this._series = new Map(metrics.map((m, i) => [ids[i], m.series]));
      this._error = null;
    } catch (error) {
      this._error = describe(error);
    }
    this.update();
  }

  dispose(): void {
    this.services.model.runsChanged.disconnect(this._onRunsChanged, this);
    super.dispose();
  }

  render(): JSX.Element {
    if (this._error !== null && this._runs === null) {
      return (
        <div className="jp-nbjournal-Error" role="alert">
          {this._error}
        </div>
      );
    }
    if (this._runs === null) {
      return (
        <div className="jp-nbjournal-Message" role="status">
          Reading runs…
        </div>
      );
    }
    return (
      <CompareView
        runs={this._runs}
        series={this._series}
        rendermime={this.services.rendermime}
        theme={this.services.theme()}
        onOpenRun={this.services.openRun}
      />
    );
  }

  private _onRunsChanged(
    _: JournalModel,
    runs: ReadonlyArray<IRunSummary>
  ): void {
    if (runs.some(r => this._ids.includes(r.id))) {
      void this.load();
    }
  }

  private _ids: number[];
  private _runs: IRun[] | null = null;
  private _series: Map<number, IMetricSeries[]> | null = null;
  private _error: string | null = null;
}

/** A run in a main-area tab. */
export function createRunWidget(
  id: number,
  services: IJournalServices
): MainAreaWidget<RunDocument> {
  const content = new RunDocument(id, services);
  const widget = new MainAreaWidget({ content });
  widget.id = `nbjournal-run-${id}`;
  widget.addClass('jp-nbjournal-RunWidget');
  widget.title.icon = journalIcon;
  widget.title.label = `#${id}`;
  widget.title.closable = true;
  content.onLoaded = run => {
    widget.title.label = `#${run.id} ${run.experiment}`;
    widget.title.caption = `Run #${run.id} of ${run.experiment} (${run.status})`;
  };
  return widget;
}

/** A comparison in a main-area tab. */
export function createCompareWidget(
  ids: ReadonlyArray<number>,
  services: IJournalServices
): MainAreaWidget<CompareDocument> {
  const content = new CompareDocument(ids, services);
  const widget = new MainAreaWidget({ content });
  widget.id = 'nbjournal-compare';
  widget.addClass('jp-nbjournal-CompareWidget');
  widget.title.icon = journalIcon;
  widget.title.closable = true;
  const retitle = (current: ReadonlyArray<number>): void => {
    widget.title.label = `Compare ${current.map(id => `#${id}`).join(' ')}`;
    widget.title.caption = `Comparison of runs ${current.join(', ')}`;
  };
  retitle(ids);
  content.onIdsChanged = retitle;
  return widget;
}

import { MainAreaWidget } from '@jupyterlab/apputils';
import React from 'react';

import { CompareView } from '../components/CompareView';
import { journalIcon } from '../icons';
import { ICompareReply } from '../api/analysisPayloads';
import { IRun } from '../api/runDetailPayloads';
import { IMetricSeries, IRunSummary } from '../api/runPayloads';
import { JournalDocument } from './JournalDocument';
import { IJournalServices } from './services';

/** The compared runs and their curves, as a {@link CompareDocument} reads them. */
export interface ICompareData {
  runs: IRun[];
  series: Map<number, IMetricSeries[]>;
  /** The rule's verdicts, or why they could not be read. */
  comparison: ICompareReply | string;
}

/** Several runs side by side, kept current while they are live. */
export class CompareDocument extends JournalDocument<ICompareData> {
  constructor(ids: ReadonlyArray<number>, services: IJournalServices) {
    super(services);
    this._ids = [...ids];
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

  protected async fetch(): Promise<ICompareData> {
    const { model } = this.services;
    const ids = this._ids;
    const [runs, metrics, comparison] = await Promise.all([
      Promise.all(ids.map(id => model.client.run(id))),
      Promise.all(ids.map(id => model.client.metrics(id))),
      // the verdicts are a part of the view: their failure leaves the rest
      model.client.compare(ids).catch((error: unknown) => errorText(error))
    ]);
    return {
      runs,
      series: new Map(metrics.map((m, i) => [ids[i], m.series])),
      comparison
    };
  }

  protected loadingText(): string {
    return 'Reading runs…';
  }

  protected concerns(runs: ReadonlyArray<IRunSummary>): boolean {
    return runs.some(r => this._ids.includes(r.id));
  }

  protected renderData({
    runs,
    series,
    comparison
  }: ICompareData): JSX.Element {
    return (
      <CompareView
        runs={runs}
        series={series}
        comparison={comparison}
        rendermime={this.services.rendermime}
        theme={this.services.theme()}
        onOpenRun={this.services.openRun}
      />
    );
  }

  private _ids: number[];
}

/** An error's message, one line. */
function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0];
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

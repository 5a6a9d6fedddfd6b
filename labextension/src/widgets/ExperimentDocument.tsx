import { MainAreaWidget, Notification } from '@jupyterlab/apputils';
import React from 'react';

import { ExperimentView } from '../components/ExperimentView';
import { OVERLAY_POINTS } from '../overlay';
import { InsightsView } from '../components/InsightsView';
import {
  DEFAULT_VERDICT_COLORS,
  NO_VERDICT,
  VerdictColors
} from '../charts/experimentCharts';
import { ExperimentTableModel } from '../experimentModel';
import {
  DEFAULT_INSIGHT_COLORS,
  IInsightColors
} from '../charts/insightsCharts';
import { journalIcon } from '../icons';
import { IInsights } from '../api/analysisPayloads';
import { IExperimentTable } from '../api/experimentPayloads';
import { IRunSummary } from '../api/runPayloads';
import { describe } from '../queried';
import { deleteWithUndo, restoreRuns } from '../retire';
import { IPageView, SavedView, viewSearch } from '../savedViews';
import { JournalDocument } from './JournalDocument';
import { IJournalServices } from './services';

/**
 * The verdicts' colours of the current theme (its success, error and warning
 * colours, and a border grey for runs without one), or the light theme's
 * defaults where the page has no theme.
 */
export function themeVerdictColors(): VerdictColors {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string): string =>
    style.getPropertyValue(name).trim() || fallback;
  const fallback = new Map(DEFAULT_VERDICT_COLORS);
  return [
    ['supported', read('--jp-success-color1', fallback.get('supported')!)],
    ['refuted', read('--jp-error-color1', fallback.get('refuted')!)],
    ['inconclusive', read('--jp-warn-color1', fallback.get('inconclusive')!)],
    [NO_VERDICT, read('--jp-border-color1', fallback.get(NO_VERDICT)!)]
  ];
}

/** An experiment's page: its runs table, query and charts. */
export class ExperimentDocument extends JournalDocument<IExperimentTable> {
  constructor(
    readonly experiment: string,
    services: IJournalServices,
    view: Partial<IPageView> = {}
  ) {
    super(services);
    this.table = new ExperimentTableModel({
      name: experiment,
      client: services.model.client,
      pins: services.pins
    });
    this.table.changed.connect(this.update, this);
    // ticks are the journal's selection, shared with the sidebar
    services.model.stateChanged.connect(this._onStateChanged, this);
    // the view kept for this experiment, then the one asked for (a link, a command)
    this._saved = new SavedView(services.state, experiment);
    void this._saved.restore().then(saved => {
      this.table.setView({ ...saved, ...view });
      this.table.changed.connect(this._keepView, this);
      return this.load();
    });
  }

  /** Show a view (a link or a command asked for it): query, sort, grouping. */
  showView(view: Partial<IPageView>): void {
    this.table.setView(view);
    void this.load();
  }

  /** The page's state. */
  readonly table: ExperimentTableModel;

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.services.model.stateChanged.disconnect(this._onStateChanged, this);
    this.table.changed.disconnect(this.update, this);
    this.table.changed.disconnect(this._keepView, this);
    this.table.dispose();
    super.dispose();
  }

  protected fetch(): Promise<IExperimentTable> {
    if (this._insightsWanted) {
      void this._loadInsights();
    }
    return this.table.reload(); // and the groups, when the page groups
  }

  /**
   * Read the insights beside the table, once the person asked for them (they
   * cost the server a model over every run): the page shows the table meanwhile.
   */
  private async _loadInsights(): Promise<void> {
    this._insightsWanted = true;
    if (this._insightsLoading) {
      return;
    }
    this._insightsLoading = true;
    this.update();
    try {
      this._insights = await this.services.model.client.insights(
        this.experiment
      );
      this._insightsError = null;
    } catch (error) {
      this._insightsError = `The insights cannot be read: ${describe(error)}`;
    } finally {
      this._insightsLoading = false;
    }
    this.update();
  }

  protected loadingText(): string {
    return `Reading the runs of ${this.experiment}…`;
  }

  protected concerns(runs: ReadonlyArray<IRunSummary>): boolean {
    return runs.some(r => r.experiment === this.experiment);
  }

  protected renderData(): JSX.Element {
    const { model } = this.services;
    return (
      <ExperimentView
        table={this.table}
        selected={model.selected}
        onToggleSelected={id => model.toggleSelected(id)}
        onCompare={this.services.compare}
        onOpenRun={this.services.openRun}
        onExport={async () => {
          const text = await this.table.csv();
          this.services.download(
            `${this.experiment.replace(/[^\w.-]+/g, '_') || 'runs'}.csv`,
            text,
            'text/csv'
          );
        }}
        onReport={async format => {
          const text = await model.client.report(this.experiment, format);
          this.services.download(
            `${this.experiment.replace(/[^\w.-]+/g, '_') || 'runs'}.${format}`,
            text,
            format === 'html' ? 'text/html' : 'text/markdown'
          );
        }}
        onDelete={async ids => {
          await deleteWithUndo(model, ids);
          await this.load();
        }}
        onRestore={async ids => {
          await restoreRuns(model, ids);
          await this.load();
        }}
        onTag={async (ids, add, remove) => {
          try {
            // one at a time: a refusal (a bad tag) stops at the first run, unchanged
            for (const id of ids) {
              await model.client.editTags(id, add, remove);
            }
          } finally {
            await model.refreshNow().catch(() => undefined);
            await this.load();
          }
        }}
        onCopyLink={
          this.services.link
            ? () => {
                const link = this.services.link!(
                  viewSearch(this.experiment, this.table.view)
                );
                this.services.copy(link);
                Notification.info(`Link copied: ${link}`, { autoClose: 4000 });
              }
            : undefined
        }
        colors={themeVerdictColors()}
        labelColor={
          getComputedStyle(document.body)
            .getPropertyValue('--jp-ui-font-color1')
            .trim() || undefined
        }
        rendermime={this.services.rendermime}
        theme={this.services.theme()}
        loadCurves={(ids, metric) =>
          model.client.curves(ids, metric, OVERLAY_POINTS)
        }
        insights={
          <InsightsView
            insights={this._insights}
            error={this._insightsError}
            onRead={
              this._insightsWanted ? undefined : () => this._loadInsights()
            }
            rendermime={this.services.rendermime}
            theme={this.services.theme()}
            colors={themeInsightColors()}
            now={Date.now() / 1000}
            onOpenRun={this.services.openRun}
          />
        }
      />
    );
  }

  private _onStateChanged(): void {
    const selected = this.services.model.selected.join(',');
    if (selected !== this._selected) {
      this._selected = selected;
      this.update();
    }
  }

  private _keepView(): void {
    this._saved.save(this.table.view);
  }

  private _saved: SavedView;
  private _selected = '';
  private _insights: IInsights | null = null;
  private _insightsError: string | null = null;
  private _insightsWanted = false;
  private _insightsLoading = false;
}

/** The insights charts' colours, from the theme. */
function themeInsightColors(): IInsightColors {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string): string =>
    style.getPropertyValue(name).trim() || fallback;
  return {
    accent: read('--jp-brand-color1', DEFAULT_INSIGHT_COLORS.accent),
    muted: read('--jp-ui-font-color3', DEFAULT_INSIGHT_COLORS.muted),
    text: read('--jp-ui-font-color1', DEFAULT_INSIGHT_COLORS.text)
  };
}

/** An experiment's page in a main-area tab. */
export function createExperimentWidget(
  name: string,
  services: IJournalServices,
  view: Partial<IPageView> = {}
): MainAreaWidget<ExperimentDocument> {
  const content = new ExperimentDocument(name, services, view);
  const widget = new MainAreaWidget({ content });
  widget.id = `nbjournal-experiment-${encodeURIComponent(name)}`;
  widget.addClass('jp-nbjournal-ExperimentWidget');
  widget.title.icon = journalIcon;
  widget.title.label = name;
  widget.title.caption = `Experiment ${name}: all its runs`;
  widget.title.closable = true;
  content.onLoaded = table => {
    widget.title.caption = `Experiment ${name}: ${table.total} runs`;
  };
  return widget;
}

import { MainAreaWidget } from '@jupyterlab/apputils';
import React from 'react';

import { GridView } from '../components/GridView';
import { journalIcon } from '../icons';
import { IGrid, IRunSummary, Verdict } from '../tokens';
import { JournalDocument } from './JournalDocument';
import { IJournalServices } from './services';

/** A grid, read from the server and read again when one of its runs changes. */
export class GridDocument extends JournalDocument<IGrid> {
  constructor(
    readonly gridId: number,
    services: IJournalServices
  ) {
    super(services);
    void this.load();
  }

  protected fetch(): Promise<IGrid> {
    return this.services.model.getGrid(this.gridId);
  }

  protected loadingText(): string {
    return `Reading grid #${this.gridId}…`;
  }

  protected concerns(runs: ReadonlyArray<IRunSummary>): boolean {
    const grid = this.data;
    if (!grid) {
      return false;
    }
    const ids = new Set(grid.grid_runs.map(r => r.run_id));
    // a running grid gains runs: any run of its experiment may be one
    return runs.some(
      r =>
        ids.has(r.id) ||
        (r.experiment === grid.experiment && grid.runs < grid.points)
    );
  }

  protected renderData(grid: IGrid): JSX.Element {
    const services = this.services;
    return (
      <GridView
        grid={grid}
        rendermime={services.rendermime}
        theme={services.theme()}
        onOpenRun={services.openRun}
        onOpenExperiment={services.openExperiment}
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
    await this.services.model.addGridInference(this.gridId, { text, verdict });
    await this.load();
  }
}

/** A grid in a main-area tab. */
export function createGridWidget(
  id: number,
  services: IJournalServices
): MainAreaWidget<GridDocument> {
  const content = new GridDocument(id, services);
  const widget = new MainAreaWidget({ content });
  widget.id = `nbjournal-grid-${id}`;
  widget.addClass('jp-nbjournal-GridWidget');
  widget.title.icon = journalIcon;
  widget.title.label = `grid #${id}`;
  widget.title.closable = true;
  content.onLoaded = grid => {
    widget.title.label = `grid #${grid.id} ${grid.experiment}`;
    widget.title.caption = `Grid #${grid.id} of ${grid.experiment}`;
  };
  return widget;
}

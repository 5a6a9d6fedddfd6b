import { MainAreaWidget } from '@jupyterlab/apputils';
import React from 'react';

import { GridView } from '../components/GridView';
import { IGrid } from '../api/gridPayloads';
import { IRunSummary } from '../api/runPayloads';
import { documentWidget, JournalDocument } from './JournalDocument';
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
    return this.services.model.client.grid(this.gridId);
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
        onAddInference={this.inferenceAdder(inference =>
          services.model.addGridInference(this.gridId, inference)
        )}
        onEditInference={async (id, text, verdict) => {
          const client = services.model.client;
          await client.editGridInference(this.gridId, id, { text, verdict });
          void services.model.refreshNow().catch(() => undefined);
          await this.load();
        }}
        onDeleteInference={async id => {
          await services.model.client.deleteGridInference(this.gridId, id);
          void services.model.refreshNow().catch(() => undefined);
          await this.load();
        }}
      />
    );
  }
}

/** A grid in a main-area tab. */
export function createGridWidget(
  id: number,
  services: IJournalServices
): MainAreaWidget<GridDocument> {
  return documentWidget(new GridDocument(id, services), {
    id: `nbjournal-grid-${id}`,
    className: 'jp-nbjournal-GridWidget',
    label: `grid #${id}`,
    title: grid => ({
      label: `grid #${grid.id} ${grid.experiment}`,
      caption: `Grid #${grid.id} of ${grid.experiment}`
    })
  });
}

import { MainAreaWidget } from '@jupyterlab/apputils';
import React from 'react';

import { RunView } from '../components/RunView';
import { IRun } from '../api/runDetailPayloads';
import { IMetricSeries, IRunSummary } from '../api/runPayloads';
import { PinBoard } from '../pins';
import { deleteWithUndo, restoreRuns } from '../retire';
import { documentWidget, JournalDocument } from './JournalDocument';
import { IJournalServices } from './services';

/** A run and its curves, as a {@link RunDocument} reads them. */
export interface IRunData {
  run: IRun;
  series: IMetricSeries[];
}

/** A run, read from the server and kept current while it is live. */
export class RunDocument extends JournalDocument<IRunData> {
  constructor(
    readonly runId: number,
    services: IJournalServices
  ) {
    super(services);
    services.pins?.changed.connect(this._onPins, this);
    void this.load();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.services.pins?.changed.disconnect(this._onPins, this);
    super.dispose();
  }

  /** The run, once loaded. */
  get run(): IRun | null {
    return this.data?.run ?? null;
  }

  protected async fetch(): Promise<IRunData> {
    const { model } = this.services;
    const [run, metrics] = await Promise.all([
      model.client.run(this.runId),
      model.client.metrics(this.runId)
    ]);
    // whether it is pinned on its page (the saved view), before it is drawn
    await this.services.pins?.read(run.experiment);
    return { run, series: metrics.series };
  }

  protected loadingText(): string {
    return `Reading run #${this.runId}…`;
  }

  protected concerns(runs: ReadonlyArray<IRunSummary>): boolean {
    return runs.some(r => r.id === this.runId);
  }

  protected renderData({ run, series }: IRunData): JSX.Element {
    const services = this.services;
    const pins = services.pins;
    return (
      <RunView
        run={run}
        series={series}
        rendermime={services.rendermime}
        theme={services.theme()}
        highlight={services.highlight}
        canInsert={services.canInsert()}
        onCopy={services.copy}
        onInsert={services.insert}
        notebookPath={services.notebookPath(run.notebook)}
        onOpenNotebook={services.openNotebook}
        onOpenRun={services.openRun}
        onOpenExperiment={services.openExperiment}
        onAddInference={this.inferenceAdder(inference =>
          services.model.addInference(this.runId, inference)
        )}
        onEditInference={async (id, text, verdict) => {
          await services.model.client.editInference(this.runId, id, {
            text,
            verdict
          });
          void services.model.refreshNow().catch(() => undefined);
          await this.load();
        }}
        onDeleteInference={async id => {
          await services.model.client.deleteInference(this.runId, id);
          void services.model.refreshNow().catch(() => undefined);
          await this.load();
        }}
        onDelete={async () => {
          await deleteWithUndo(services.model, [this.runId]);
          await this.load();
        }}
        onRestore={async () => {
          await restoreRuns(services.model, [this.runId]);
          await this.load();
        }}
        onDownloadArtifact={async item => {
          const file = await services.model.client.artifact(
            this.runId,
            item.name,
            item.role
          );
          services.download(
            file.name,
            file,
            file.type || 'application/octet-stream'
          );
        }}
        onEditTags={async (add, remove) => {
          await services.model.editTags(this.runId, add, remove);
          await this.load();
        }}
        pinned={pins?.has(run.experiment, run.id)}
        canPin={!pins?.full(run.experiment)}
        onTogglePin={
          pins ? () => void pins.toggle(run.experiment, run.id) : undefined
        }
      />
    );
  }

  /** The pins of an experiment changed (here, on its page or another run's view). */
  private _onPins(_: PinBoard, experiment: string): void {
    if (experiment === this.run?.experiment) {
      this.update();
    }
  }
}

/** A run in a main-area tab. */
export function createRunWidget(
  id: number,
  services: IJournalServices
): MainAreaWidget<RunDocument> {
  return documentWidget(new RunDocument(id, services), {
    id: `nbjournal-run-${id}`,
    className: 'jp-nbjournal-RunWidget',
    label: `#${id}`,
    title: ({ run }) => ({
      label: `#${run.id} ${run.experiment}`,
      caption: `Run #${run.id} of ${run.experiment} (${run.status})`
    })
  });
}

import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { deleteIcon, notebookIcon } from '@jupyterlab/ui-components';
import React from 'react';

import { runCharts } from '../charts/runCharts';
import { ArtifactsTable } from './ArtifactsTable';
import { ChecksList } from './ChecksList';
import { runCellId } from '../cellLink';
import { CodeBlock } from './CodeBlock';
import { CurvesSection } from './Curves';
import { DataTable } from './DataTable';
import {
  absoluteTime,
  experimentCell,
  flatten,
  formatDuration,
  pendingPoints,
  relativeTime
} from '../formatters';
import { useNow } from '../hooks';
import { InferenceForm } from './InferenceForm';
import { InferenceList } from './InferenceList';
import { KeyValueTable } from './KeyValueTable';
import { MetricsTable } from './MetricsTable';
import { NearestRun } from './NearestRun';
import { RunPinButton } from './PinButton';
import { ProcedureSection } from './ProcedureSection';
import { Section } from './Section';
import { StatusIcon } from './StatusIcon';
import { TagEditor } from './TagEditor';
import { IArtifact, IRun } from '../api/runDetailPayloads';
import { IMetricSeries, Verdict } from '../api/runPayloads';
import { PURGE_HINT } from '../retire';
import { VerdictBadge } from './VerdictBadge';

/** Props of {@link RunView}. */
export interface IRunViewProps {
  /** The whole run. */
  run: IRun;
  /** Its metric series, or null while they load. */
  series: ReadonlyArray<IMetricSeries> | null;
  /** JupyterLab's renderers (markdown, Vega-Lite). */
  rendermime: IRenderMimeRegistry;
  /** The theme's name; charts follow it. */
  theme: string;
  /** The current time, in seconds since the epoch; the clock's by default. */
  now?: number;
  /** Highlight code into an element; plain text without it. */
  highlight?: (code: string, element: HTMLElement) => Promise<void>;
  /** Whether a notebook is open to insert the code into. */
  canInsert: boolean;
  /** Copy the code to the clipboard. */
  onCopy: (code: string) => void;
  /** Insert the code below the active cell of the current notebook. */
  onInsert: (code: string) => void;
  /**
   * The source notebook's path relative to the server's root, or null when
   * it is unknown or outside the root (JupyterLab cannot open it then).
   */
  notebookPath: string | null;
  /** Open the source notebook, at the run's cell when it is known. */
  onOpenNotebook: (path: string, cellId?: string | null) => void;
  /** Open another run (the one this repeats). */
  onOpenRun: (id: number) => void;
  /** Open the page of the run's experiment. */
  onOpenExperiment?: (name: string) => void;
  /** Record an inference on this run. */
  onAddInference: (text: string, verdict: Verdict | null) => Promise<void>;
  /** Change an inference (rejects with the server's reason); read-only without it. */
  onEditInference?: (
    id: number,
    text: string,
    verdict: Verdict | null
  ) => Promise<void>;
  /** Withdraw an inference, its text kept in the history. */
  onDeleteInference?: (id: number) => Promise<void>;
  /** Download an artifact as a file (rejects with the server's reason). */
  onDownloadArtifact?: (artifact: IArtifact) => Promise<void>;
  /** Send the run to the trash (with an undo); no button without it. */
  onDelete?: () => Promise<void>;
  /** Bring the run back from the trash. */
  onRestore?: () => Promise<void>;
  /**
   * Whether the run is pinned on its experiment's page, or undefined while
   * that is read (no pin button then, nor without {@link onTogglePin}).
   */
  pinned?: boolean;
  /** False when the page holds as many pinned runs as it can. */
  canPin?: boolean;
  /** Pin the run to the top of its experiment's page, or unpin it. */
  onTogglePin?: () => void;
  /** Add and remove tags (rejects with the server's reason); tags are read-only without it. */
  onEditTags?: (
    add: ReadonlyArray<string>,
    remove: ReadonlyArray<string>
  ) => Promise<void>;
}

/** The run's delete button, or nothing when it cannot be deleted from here. */
function DeleteButton(props: {
  run: IRun;
  onDelete?: () => Promise<void>;
}): JSX.Element | null {
  const { run, onDelete } = props;
  if (!onDelete || (run.deleted_at ?? null) !== null) {
    return null;
  }
  const running = run.status === 'running';
  return (
    <button
      type="button"
      className="jp-nbjournal-Button jp-nbjournal-DeleteButton"
      disabled={running}
      title={
        running
          ? 'A running run cannot be deleted: let it end (or interrupt it) first'
          : `Send run #${run.id} to the trash (it can be restored)`
      }
      onClick={() => void onDelete()}
    >
      <deleteIcon.react tag="span" className="jp-nbjournal-ButtonIcon" />
      <span>Delete</span>
    </button>
  );
}

/** Said on a run in the trash: since when, a restore button, how purging is done. */
function TrashedBanner(props: {
  run: IRun;
  now: number;
  onRestore?: () => Promise<void>;
}): JSX.Element | null {
  const deleted = props.run.deleted_at ?? null;
  if (deleted === null) {
    return null;
  }
  return (
    <div className="jp-nbjournal-TrashedBanner" role="status">
      <span title={absoluteTime(deleted)}>
        In the trash (deleted {relativeTime(deleted, props.now)}): hidden from
        every listing.
      </span>
      {props.onRestore && (
        <button
          type="button"
          className="jp-nbjournal-Button"
          onClick={() => void props.onRestore?.()}
        >
          Restore
        </button>
      )}
      <span className="jp-nbjournal-Muted">{PURGE_HINT}</span>
    </div>
  );
}

/**
 * A run in the main area: what was expected (hypothesis), what the person
 * concluded (inferences and a form), what came out (metrics, diagnoses,
 * curves) and how it was done (parameters, code, data, environment).
 */
export function RunView(props: IRunViewProps): JSX.Element {
  const { run, series } = props;
  const ticking = useNow();
  const now = props.now ?? ticking;
  const env = flatten(run.env ?? {});
  const params = Object.keys(run.params ?? {})
    .sort((a, b) => a.localeCompare(b))
    .map(name => [name, run.params[name]] as [string, unknown]);
  const diagnoses = run.diagnoses ?? [];
  // a run without findings, skips or silenced checks shows no Checks section
  // (a run recorded before checks existed reads the same)
  const checked =
    (run.checks?.findings.length ?? 0) +
      (run.checks?.skipped.length ?? 0) +
      (run.checks?.silenced.length ?? 0) >
    0;

  return (
    <div className="jp-nbjournal-RunView" data-run-id={run.id}>
      <header className="jp-nbjournal-RunView-header">
        <div className="jp-nbjournal-RunView-titleRow">
          <StatusIcon status={run.status} />
          <h1 className="jp-nbjournal-RunView-title">
            <span className="jp-nbjournal-RunItem-id">#{run.id}</span>{' '}
            {props.onOpenExperiment ? (
              <button
                type="button"
                className="jp-nbjournal-Link jp-nbjournal-RunView-experiment"
                title={`Open the page of ${run.experiment}`}
                onClick={() => props.onOpenExperiment?.(run.experiment)}
              >
                {run.experiment}
              </button>
            ) : (
              run.experiment
            )}
          </h1>
          <VerdictBadge
            inference={run.inference}
            status={run.status}
            verdict={run.verdict}
            gridInference={run.grid_inference}
          />
          <span className="jp-nbjournal-RunItem-spacer" />
          {run.notebook && (
            <button
              type="button"
              className="jp-nbjournal-Button"
              disabled={props.notebookPath === null}
              title={
                props.notebookPath === null
                  ? `${run.notebook} lies outside this server's root`
                  : runCellId(run)
                    ? `Open ${props.notebookPath} at the cell that made this run`
                    : `Open ${props.notebookPath}`
              }
              onClick={() =>
                props.notebookPath !== null &&
                props.onOpenNotebook(props.notebookPath, runCellId(run))
              }
            >
              <notebookIcon.react
                tag="span"
                className="jp-nbjournal-ButtonIcon"
              />
              <span>Open notebook</span>
            </button>
          )}
          {props.onTogglePin &&
            props.pinned !== undefined &&
            // a run in the trash is on no page: it can only be unpinned
            (props.pinned || (run.deleted_at ?? null) === null) && (
              <RunPinButton
                id={run.id}
                experiment={run.experiment}
                pinned={props.pinned}
                canPin={props.canPin ?? true}
                onToggle={props.onTogglePin}
              />
            )}
          <DeleteButton run={run} onDelete={props.onDelete} />
        </div>
        <TrashedBanner run={run} now={now} onRestore={props.onRestore} />
        <div className="jp-nbjournal-RunView-facts">
          <span
            className={`jp-nbjournal-Status jp-nbjournal-status-${run.status}`}
          >
            {run.status}
          </span>
          <span title={absoluteTime(run.started)}>
            started {relativeTime(run.started, now)}
          </span>
          <span>
            {run.status === 'running'
              ? `running for ${formatDuration(now - run.started)}`
              : `took ${formatDuration(run.duration)}`}
          </span>
          {props.onEditTags ? (
            <TagEditor
              tags={run.tags}
              label={`Tag run #${run.id}`}
              onEdit={props.onEditTags}
            />
          ) : (
            run.tags.map(tag => (
              <span key={tag} className="jp-nbjournal-Tag">
                {tag}
              </span>
            ))
          )}
          {run.repeat_of !== null && (
            <button
              type="button"
              className="jp-nbjournal-Link"
              onClick={() => props.onOpenRun(run.repeat_of as number)}
            >
              repeat of #{run.repeat_of}
            </button>
          )}
          {run.notebook && (
            <span className="jp-nbjournal-Muted" title={run.notebook}>
              {props.notebookPath ?? run.notebook}
            </span>
          )}
          {(run.points_pending ?? 0) > 0 && (
            <span
              className="jp-nbjournal-Pending"
              title="A kernel keeps these points until the journal answers again; the record is incomplete until then"
            >
              {pendingPoints(run.points_pending)}
            </span>
          )}
        </div>
        {run.error_summary && (
          <p className="jp-nbjournal-ErrorSummary" title={run.error ?? ''}>
            {run.error_summary}
          </p>
        )}
        <NearestRun nearest={run.nearest} onOpenRun={props.onOpenRun} />
      </header>

      <Section name="hypothesis" title="Hypothesis">
        {run.hypothesis ? (
          <p className="jp-nbjournal-Hypothesis">{run.hypothesis}</p>
        ) : (
          <p className="jp-nbjournal-Muted">No hypothesis was written.</p>
        )}
      </Section>

      <Section
        name="inferences"
        title="Verdict and inferences"
        note={run.inferences.length ? String(run.inferences.length) : undefined}
      >
        <InferenceList
          inferences={run.inferences}
          history={run.inference_history}
          rendermime={props.rendermime}
          now={now}
          onEdit={props.onEditInference}
          onDelete={props.onDeleteInference}
        />
        <InferenceForm runId={run.id} onSubmit={props.onAddInference} />
      </Section>

      <Section name="result" title="Result">
        {run.error && (
          <pre className="jp-nbjournal-RunError" aria-label="Error">
            {run.error}
          </pre>
        )}
        <MetricsTable metrics={run.metrics} keyMetric={run.key_metric} />
        {diagnoses.length > 0 && (
          <ul className="jp-nbjournal-Diagnoses" aria-label="Diagnoses">
            {diagnoses.map((diagnosis, index) => (
              <li key={index}>
                <span className="jp-nbjournal-Badge jp-nbjournal-diagnosis">
                  {diagnosis.kind}
                </span>{' '}
                {diagnosis.message}
              </li>
            ))}
          </ul>
        )}
      </Section>

      {checked && (
        <Section
          name="checks"
          title="Checks before fit"
          note={
            run.checks?.findings.length
              ? String(run.checks.findings.length)
              : undefined
          }
        >
          <ChecksList checks={run.checks} />
        </Section>
      )}

      <CurvesSection
        charts={series === null ? null : log => runCharts(series, { log })}
        rendermime={props.rendermime}
        theme={props.theme}
      />

      <Section
        name="parameters"
        title="Parameters"
        note={String(params.length)}
      >
        <KeyValueTable
          rows={params}
          label="Parameters"
          empty="No parameter recorded."
        />
      </Section>

      <Section name="code" title="Code">
        {run.code ? (
          <CodeBlock
            code={experimentCell(run)}
            highlight={props.highlight}
            canInsert={props.canInsert}
            onCopy={props.onCopy}
            onInsert={props.onInsert}
          />
        ) : (
          <p className="jp-nbjournal-Muted">No code recorded.</p>
        )}
      </Section>

      <ProcedureSection procedure={run.procedure} onOpenRun={props.onOpenRun} />

      <Section name="data" title="Data fingerprints">
        <DataTable data={run.data ?? []} />
        <p className="jp-nbjournal-Muted jp-nbjournal-Fingerprint">
          run fingerprint <code title={run.fingerprint}>{run.fingerprint}</code>
        </p>
      </Section>

      <Section
        name="artifacts"
        title="Artifacts"
        note={run.artifacts?.length ? String(run.artifacts.length) : undefined}
      >
        <ArtifactsTable
          artifacts={run.artifacts}
          onDownload={props.onDownloadArtifact}
        />
      </Section>

      <Section name="environment" title="Environment">
        <KeyValueTable
          rows={env}
          label="Environment"
          empty="No environment recorded."
        />
      </Section>
    </div>
  );
}

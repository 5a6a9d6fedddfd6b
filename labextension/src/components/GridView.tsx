import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React from 'react';

import { gridChart, varyingAxes } from '../charts/gridCharts';
import {
  absoluteTime,
  formatMetric,
  formatSpread,
  formatParam,
  inExponents,
  relativeTime
} from '../formatters';
import { useNow } from '../hooks';
import { axisNames } from '../grouping';
import { Curves } from './Curves';
import { combination } from './GridItem';
import { InferenceForm } from './InferenceForm';
import { InferenceList } from './InferenceList';
import { Section } from './Section';
import { StatusIcon } from './StatusIcon';
import { IGrid, IGridRow } from '../api/gridPayloads';
import { IInference, Verdict } from '../api/runPayloads';

/** Props of {@link GridView}. */
export interface IGridViewProps {
  /** The whole grid. */
  grid: IGrid;
  /** JupyterLab's renderers (markdown, Vega-Lite). */
  rendermime: IRenderMimeRegistry;
  /** The theme's name; the chart follows it. */
  theme: string;
  /** The current time, in seconds since the epoch; the clock's by default. */
  now?: number;
  /** Open a run of the grid. */
  onOpenRun: (id: number) => void;
  /** Open the page of the grid's experiment. */
  onOpenExperiment?: (name: string) => void;
  /** Record an inference on the grid. */
  onAddInference: (text: string, verdict: Verdict | null) => Promise<void>;
  /** Change one of its inferences (the old text kept); read-only without it. */
  onEditInference?: (
    id: number,
    text: string,
    verdict: Verdict | null
  ) => Promise<void>;
  /** Withdraw one of its inferences (its text kept in the history). */
  onDeleteInference?: (id: number) => Promise<void>;
}

/** Half the 95 % interval of a mean, or null where there is none (below two runs). */
export function halfInterval(
  low: number | null | undefined,
  high: number | null | undefined
): number | null {
  return typeof low === 'number' && typeof high === 'number'
    ? (high - low) / 2
    : null;
}

/**
 * `0.971 ± 0.004` (the mean ± half its 95 % interval, as the notebook's grid
 * summary says it) over finished repeats; the mean alone for one run, and
 * `0.887 (1 of 2)` when only one of its repeats finished.
 */
export function meanInterval(row: IGridRow, metric: string): string {
  const mean = row.mean[metric];
  if (mean === null || mean === undefined) {
    return '–';
  }
  const half = halfInterval(row.low?.[metric], row.high?.[metric]);
  const finished = row.statuses.filter(s => s === 'finished').length;
  if (half === null || finished < 2) {
    return row.runs.length > 1
      ? `${formatMetric(mean)} (${finished} of ${row.runs.length})`
      : formatMetric(mean);
  }
  return formatSpread(mean, half);
}

/**
 * A grid in the main area: its hypothesis and progress, the summary table
 * (a row per combination: values, mean ± 95 % interval of the key metric over
 * repeats, the runs and their statuses), a chart of the key metric, its
 * inferences and a form to add one.
 */
export function GridView(props: IGridViewProps): JSX.Element {
  const { grid } = props;
  const ticking = useNow();
  const now = props.now ?? ticking;
  const metric = grid.key_metric;
  const axes = axisNames(grid);
  const shown = axes.length ? axes : varyingAxes(grid.table);
  const chart = gridChart(grid);
  // one notation per column: `3e-5` never beside `0.001`
  const exponents = new Set(
    shown.filter(axis => inExponents(grid.table.map(row => row.values[axis])))
  );
  const best = grid.best;
  const isBest = (row: IGridRow): boolean =>
    best !== null &&
    JSON.stringify(row.runs) === JSON.stringify(best.runs) &&
    best.runs.length > 0;
  const inferences: IInference[] = grid.inferences.map(i => ({
    ...i,
    run_id: i.grid_id,
    evidence: null
  }));
  const repeat = grid.spec?.repeat ?? 1;

  return (
    <div
      className="jp-nbjournal-RunView jp-nbjournal-GridView"
      data-grid-id={grid.id}
    >
      <header className="jp-nbjournal-RunView-header">
        <div className="jp-nbjournal-RunView-titleRow">
          <h1 className="jp-nbjournal-RunView-title">
            <span className="jp-nbjournal-RunItem-id">grid #{grid.id}</span>{' '}
            {props.onOpenExperiment ? (
              <button
                type="button"
                className="jp-nbjournal-Link jp-nbjournal-RunView-experiment"
                title={`Open the page of ${grid.experiment}`}
                onClick={() => props.onOpenExperiment?.(grid.experiment)}
              >
                {grid.experiment}
              </button>
            ) : (
              grid.experiment
            )}
          </h1>
        </div>
        <div className="jp-nbjournal-RunView-facts">
          <span className="jp-nbjournal-GridView-progress">
            {grid.done}/{grid.points} points done
            {grid.failed ? `, ${grid.failed} failed` : ''}
            {grid.running ? `, ${grid.running} running` : ''}
          </span>
          {repeat > 1 && <span>each point {repeat}×</span>}
          {grid.spec?.sample ? <span>{grid.spec.sample} sampled</span> : null}
          <span title={absoluteTime(grid.created)}>
            created {relativeTime(grid.created, now)}
          </span>
          {grid.notebook && (
            <span className="jp-nbjournal-Muted">{grid.notebook}</span>
          )}
        </div>
        {best && best.mean !== null && metric && (
          <p className="jp-nbjournal-GridView-best">
            best {combination(best.values, axes)}: {metric}{' '}
            {formatSpread(best.mean, halfInterval(best.low, best.high))}
          </p>
        )}
      </header>

      <Section name="hypothesis" title="Hypothesis">
        {grid.hypothesis ? (
          <p className="jp-nbjournal-Hypothesis">{grid.hypothesis}</p>
        ) : (
          <p className="jp-nbjournal-Muted">No hypothesis was written.</p>
        )}
      </Section>

      <Section
        name="summary"
        title="Summary"
        note={`${grid.table.length} combination${grid.table.length === 1 ? '' : 's'}`}
      >
        <table
          className="jp-nbjournal-Table jp-nbjournal-GridTable"
          aria-label="Grid summary"
        >
          <thead>
            <tr>
              {shown.map(axis => (
                <th key={axis} scope="col">
                  {axis}
                </th>
              ))}
              <th scope="col" className="jp-nbjournal-Number">
                {metric ?? 'key metric'}
                {repeat > 1 ? ' (mean ± 95 % interval)' : ''}
              </th>
              <th scope="col">runs</th>
            </tr>
          </thead>
          <tbody>
            {grid.table.map((row, index) => (
              <tr
                key={index}
                className={isBest(row) ? 'jp-mod-best' : undefined}
              >
                {shown.map(axis => (
                  <td key={axis} className="jp-nbjournal-Number">
                    {formatParam(row.values[axis], exponents.has(axis))}
                  </td>
                ))}
                <td className="jp-nbjournal-Number">
                  {metric ? meanInterval(row, metric) : '–'}
                  {isBest(row) && (
                    <span className="jp-nbjournal-Badge jp-nbjournal-BestBadge">
                      best
                    </span>
                  )}
                </td>
                <td className="jp-nbjournal-GridTable-runs">
                  {row.runs.length === 0 && (
                    <span className="jp-nbjournal-Muted">not run</span>
                  )}
                  {row.runs.map((id, k) => (
                    <button
                      key={id}
                      type="button"
                      className="jp-nbjournal-Link jp-nbjournal-GridTable-run"
                      title={`Open run #${id} (${row.statuses[k] ?? ''})`}
                      onClick={() => props.onOpenRun(id)}
                    >
                      <StatusIcon status={row.statuses[k] ?? 'finished'} />#{id}
                    </button>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section name="chart" title="Chart">
        <Curves
          charts={chart ? [chart] : []}
          rendermime={props.rendermime}
          theme={props.theme}
          empty="Nothing to draw yet: no finished point with a value of the key metric."
        />
      </Section>

      <Section
        name="inferences"
        title="Inferences"
        note={inferences.length ? String(inferences.length) : undefined}
      >
        <InferenceList
          inferences={inferences}
          rendermime={props.rendermime}
          now={now}
          history={grid.inference_history}
          onEdit={props.onEditInference}
          onDelete={props.onDeleteInference}
        />
        <InferenceForm
          runId={grid.id}
          formId={`grid-${grid.id}`}
          onSubmit={props.onAddInference}
        />
      </Section>
    </div>
  );
}

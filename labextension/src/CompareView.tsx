import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React, { useState } from 'react';

import { compareCharts, differingNote, runColor } from './charts';
import { Curves } from './Curves';
import {
  firstLine,
  formatMetric,
  formatParam,
  paramNames,
  valuesDiffer
} from './formatters';
import { Section } from './Section';
import { StatusIcon } from './StatusIcon';
import { IMetricSeries, IRunSummary } from './tokens';
import { VerdictBadge } from './VerdictBadge';

/** Props of {@link CompareView}. */
export interface ICompareViewProps {
  /** The runs compared, in the order they were selected. */
  runs: ReadonlyArray<IRunSummary>;
  /** Each run's metric series by run id, or null while they load. */
  series: ReadonlyMap<number, ReadonlyArray<IMetricSeries>> | null;
  /** JupyterLab's renderers, with its Vega renderer. */
  rendermime: IRenderMimeRegistry;
  /** The theme's name; charts follow it. */
  theme: string;
  /** Open one of the runs. */
  onOpenRun: (id: number) => void;
}

/** The index of the best value by the metric's goal, or -1. */
function bestIndex(values: Array<number | null>, goal: string): number {
  let best = -1;
  values.forEach((value, index) => {
    if (value === null || !isFinite(value)) {
      return;
    }
    const current = best < 0 ? null : values[best];
    if (
      current === null ||
      (goal === 'min'
        ? value < (current as number)
        : value > (current as number))
    ) {
      best = index;
    }
  });
  return values.filter(v => v !== null).length > 1 ? best : -1;
}

/** The colour of a run's curves, next to its `#id` in the tables' headers. */
function RunSwatch(props: { index: number }): JSX.Element {
  return (
    <span
      className="jp-nbjournal-RunSwatch"
      style={{ backgroundColor: runColor(props.index) }}
      aria-hidden="true"
    />
  );
}

/**
 * Several runs side by side: parameters with the differences marked, final
 * metrics with the best value marked, and the curves of each metric overlaid.
 */
export function CompareView(props: ICompareViewProps): JSX.Element {
  const { runs } = props;
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const names = paramNames(runs.map(r => r.params));
  const rows = names.map(name => {
    const values = runs.map(r =>
      name in r.params ? r.params[name] : undefined
    );
    return { name, values, differ: valuesDiffer(values) };
  });
  const differing = rows.filter(row => row.differ).length;
  const shown = onlyDifferences ? rows.filter(row => row.differ) : rows;
  const metricNames = Array.from(
    new Set(runs.flatMap(r => Object.keys(r.metrics)))
  ).sort((a, b) => a.localeCompare(b));
  const differingNames = rows.filter(row => row.differ).map(row => row.name);
  const charts = props.series
    ? compareCharts(
        runs.map(r => ({
          id: r.id,
          series: props.series?.get(r.id) ?? [],
          note: differingNote(r.params, differingNames)
        }))
      )
    : [];

  return (
    <div className="jp-nbjournal-CompareView">
      <header className="jp-nbjournal-RunView-header">
        <h1 className="jp-nbjournal-RunView-title">
          Comparing {runs.map(r => `#${r.id}`).join(', ')}
        </h1>
      </header>
      <Section name="runs" title="Runs">
        <div className="jp-nbjournal-TableScroll">
          <table
            className="jp-nbjournal-Table jp-nbjournal-CompareTable"
            aria-label="Runs"
          >
            <thead>
              <tr>
                <th scope="col" className="jp-nbjournal-CompareTable-corner">
                  run
                </th>
                {runs.map((run, index) => (
                  <th scope="col" key={run.id} data-run-id={run.id}>
                    <RunSwatch index={index} />
                    <button
                      type="button"
                      className="jp-nbjournal-Link jp-nbjournal-CompareTable-run"
                      onClick={() => props.onOpenRun(run.id)}
                      title={`Open run #${run.id}`}
                    >
                      <StatusIcon status={run.status} />
                      <span className="jp-nbjournal-RunItem-id">#{run.id}</span>
                      <span>{run.experiment}</span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">hypothesis</th>
                {runs.map(run => (
                  <td key={run.id} className="jp-nbjournal-CompareTable-text">
                    {firstLine(run.hypothesis) || '–'}
                  </td>
                ))}
              </tr>
              <tr>
                <th scope="row">verdict</th>
                {runs.map(run => (
                  <td key={run.id}>
                    <VerdictBadge
                      inference={run.inference}
                      status={run.status}
                    />
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
        </div>
      </Section>

      <Section
        name="parameters"
        title="Parameters"
        note={`${differing} of ${rows.length} differ`}
        actions={
          <label className="jp-nbjournal-Toggle">
            <input
              type="checkbox"
              checked={onlyDifferences}
              onChange={event =>
                setOnlyDifferences(event.currentTarget.checked)
              }
            />
            only differences
          </label>
        }
      >
        <div className="jp-nbjournal-TableScroll">
          <table
            className="jp-nbjournal-Table jp-nbjournal-CompareTable"
            aria-label="Parameters side by side"
          >
            <thead>
              <tr>
                <th scope="col" className="jp-nbjournal-CompareTable-corner">
                  parameter
                </th>
                {runs.map((run, index) => (
                  <th scope="col" key={run.id}>
                    <RunSwatch index={index} />#{run.id}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map(row => (
                <tr
                  key={row.name}
                  className={row.differ ? 'jp-nbjournal-diff' : undefined}
                  data-param={row.name}
                  data-differ={row.differ ? 'true' : 'false'}
                >
                  <th scope="row">
                    {row.name}
                    {row.differ && (
                      <span
                        className="jp-nbjournal-DiffMark"
                        title="values differ"
                      >
                        ≠
                      </span>
                    )}
                  </th>
                  {row.values.map((value, index) => (
                    <td key={runs[index].id}>
                      {value === undefined ? (
                        <span className="jp-nbjournal-Muted">–</span>
                      ) : (
                        formatParam(value)
                      )}
                    </td>
                  ))}
                </tr>
              ))}
              {shown.length === 0 && (
                <tr>
                  <td colSpan={runs.length + 1} className="jp-nbjournal-Muted">
                    {rows.length === 0
                      ? 'No parameter recorded.'
                      : 'No difference.'}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </Section>

      <Section name="metrics" title="Metrics" note="last value; best marked">
        <div className="jp-nbjournal-TableScroll">
          <table
            className="jp-nbjournal-Table jp-nbjournal-CompareTable"
            aria-label="Metrics side by side"
          >
            <thead>
              <tr>
                <th scope="col" className="jp-nbjournal-CompareTable-corner">
                  metric
                </th>
                {runs.map((run, index) => (
                  <th scope="col" key={run.id}>
                    <RunSwatch index={index} />#{run.id}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {metricNames.map(name => {
                const values = runs.map(r => r.metrics[name]?.last ?? null);
                const goal =
                  runs.map(r => r.metrics[name]?.goal).find(g => g) ?? 'max';
                const best = bestIndex(values, goal);
                return (
                  <tr key={name} data-metric={name}>
                    <th scope="row">{name}</th>
                    {values.map((value, index) => (
                      <td
                        key={runs[index].id}
                        className={
                          'jp-nbjournal-Number' +
                          (index === best ? ' jp-nbjournal-Best' : '')
                        }
                        title={index === best ? `best (${goal})` : undefined}
                      >
                        {formatMetric(value)}
                      </td>
                    ))}
                  </tr>
                );
              })}
              {metricNames.length === 0 && (
                <tr>
                  <td colSpan={runs.length + 1} className="jp-nbjournal-Muted">
                    No metric recorded.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </Section>

      <Section name="curves" title="Curves">
        {props.series === null ? (
          <p className="jp-nbjournal-Muted">Loading curves…</p>
        ) : (
          <Curves
            charts={charts}
            rendermime={props.rendermime}
            theme={props.theme}
            empty="No curve recorded."
          />
        )}
      </Section>
    </div>
  );
}

import React from 'react';

import { formatMetric } from '../formatters';
import { IMetricSummary } from '../api/types';

/** Props of {@link MetricsTable}. */
export interface IMetricsTableProps {
  /** The run's metric summaries, by name. */
  metrics: { [name: string]: IMetricSummary };
  /** The run's key metric, shown first and marked. */
  keyMetric: string | null;
}

/** Where an epoch is known: ` @ 12`, counted from 1 as Keras' progress bar does. */
function at(epoch: number | null): string {
  return epoch === null || epoch === undefined ? '' : ` @ ${epoch + 1}`;
}

/** Last and best value of each metric, with their epochs. */
export function MetricsTable(props: IMetricsTableProps): JSX.Element {
  const names = Object.keys(props.metrics).sort((a, b) =>
    a === props.keyMetric ? -1 : b === props.keyMetric ? 1 : a.localeCompare(b)
  );
  if (names.length === 0) {
    return <p className="jp-nbjournal-Muted">No metric recorded.</p>;
  }
  return (
    <table
      className="jp-nbjournal-Table jp-nbjournal-MetricsTable"
      aria-label="Metrics"
    >
      <thead>
        <tr>
          <th scope="col">metric</th>
          <th scope="col">last</th>
          <th scope="col">best</th>
          <th scope="col">goal</th>
        </tr>
      </thead>
      <tbody>
        {names.map(name => {
          const metric = props.metrics[name];
          return (
            <tr
              key={name}
              className={
                name === props.keyMetric ? 'jp-nbjournal-KeyMetric' : ''
              }
            >
              <th scope="row">
                {name}
                {name === props.keyMetric && (
                  <span
                    className="jp-nbjournal-Tag"
                    title="the run's key metric"
                  >
                    key
                  </span>
                )}
              </th>
              <td
                className="jp-nbjournal-Number"
                title={metric.last === null ? undefined : String(metric.last)}
              >
                {formatMetric(metric.last)}
                <span className="jp-nbjournal-Muted">
                  {at(metric.last_epoch)}
                </span>
              </td>
              <td
                className="jp-nbjournal-Number"
                title={metric.best === null ? undefined : String(metric.best)}
              >
                {formatMetric(metric.best)}
                <span className="jp-nbjournal-Muted">
                  {at(metric.best_epoch)}
                </span>
              </td>
              <td>{metric.goal}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

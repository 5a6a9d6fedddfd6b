import React from 'react';

import { formatMetric } from '../formatters';
import { IMetricSummary } from '../api/runPayloads';
import { RecordTable } from './RecordTable';

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
  return (
    <RecordTable
      label="Metrics"
      className="jp-nbjournal-MetricsTable"
      empty="No metric recorded."
      headings={['metric', 'last', 'best', 'goal']}
      rows={names}
      row={name => {
        const metric = props.metrics[name];
        return (
          <tr
            key={name}
            className={name === props.keyMetric ? 'jp-nbjournal-KeyMetric' : ''}
          >
            <th scope="row">
              {name}
              {name === props.keyMetric && (
                <span className="jp-nbjournal-Tag" title="the run's key metric">
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
      }}
    />
  );
}

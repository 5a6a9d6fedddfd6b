import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React from 'react';

import { experimentCharts, VerdictColors } from '../charts/experimentCharts';
import { IExperimentTableRow } from '../api/experimentPayloads';
import { ChartFigures } from './ChartFigures';

/** Props of {@link ExperimentCharts}. */
export interface IExperimentChartsProps {
  /** The runs to draw. */
  rows: ReadonlyArray<IExperimentTableRow>;
  /** The parameters that vary. */
  params: ReadonlyArray<string>;
  /** The key metric, or null. */
  metric: string | null;
  /** The verdicts' colours, from the theme. */
  colors: VerdictColors;
  /** The colour of the axes' labels, from the theme. */
  labelColor?: string;
  /** JupyterLab's renderers, with its Vega renderer. */
  rendermime: IRenderMimeRegistry;
  /** The theme's name: charts are drawn again in the new theme. */
  theme: string;
}

/**
 * What people look at after a sweep: the key metric against each varying
 * parameter, and parallel coordinates; one legend of the verdicts for all.
 */
export function ExperimentCharts(props: IExperimentChartsProps): JSX.Element {
  const charts = experimentCharts(
    props.rows,
    props.params,
    props.metric,
    props.colors,
    props.labelColor
  );
  if (charts.length === 0) {
    return (
      <p className="jp-nbjournal-Muted">
        {props.params.length === 0
          ? 'No parameter varies between these runs: nothing to chart.'
          : 'No run has a value of the key metric yet.'}
      </p>
    );
  }
  return (
    <div className="jp-nbjournal-ExperimentCharts">
      <ul className="jp-nbjournal-Legend" aria-label="Colours: verdicts">
        {props.colors.map(([verdict, color]) => (
          <li key={verdict}>
            <span
              className="jp-nbjournal-Legend-dot"
              style={{ backgroundColor: color }}
              aria-hidden="true"
            />
            {verdict}
          </li>
        ))}
      </ul>
      <ChartFigures
        charts={charts}
        rendermime={props.rendermime}
        theme={props.theme}
        kind="Chart"
        dataAttribute="data-chart"
      />
    </div>
  );
}

import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React, { useState } from 'react';

import { IExperimentTableRow } from '../api/experimentPayloads';
import { contourSpec, historySpec, sliceSpec } from '../charts/explorerCharts';
import { VegaLiteSpec } from '../charts/runCharts';
import { OpenableCharts } from './OpenableCharts';
import { Picker } from './CurvesOverlay';

/** The explorer's views (optuna-dashboard's names). */
export type ExplorerView = 'slice' | 'history' | 'contour';

/** Props of {@link MetricExplorer}. */
export interface IMetricExplorerProps {
  /** The runs to draw (the page's chart rows). */
  rows: ReadonlyArray<IExperimentTableRow>;
  /** The parameters that vary, and the metrics. */
  params: ReadonlyArray<string>;
  metrics: ReadonlyArray<string>;
  keyMetric: string | null;
  /** Which way is better for each metric (`min`, `max`). */
  goals: Record<string, string>;
  /** Marks' colours from the theme: a point, the best-so-far line. */
  colors: { point: string; best: string };
  labelColor?: string;
  rendermime: IRenderMimeRegistry;
  theme: string;
  /** Open a run (a click on its point). */
  onOpenRun: (id: number) => void;
}

/** The chart of a view, or why there is none. */
export function explorerChart(
  props: Pick<IMetricExplorerProps, 'rows' | 'goals' | 'colors' | 'labelColor'>,
  choice: { view: ExplorerView; metric: string; param: string; param2: string }
): { title: string; spec: VegaLiteSpec } | string {
  const { view, metric, param, param2 } = choice;
  if (view === 'history') {
    const spec = historySpec(
      props.rows,
      metric,
      props.goals[metric] ?? 'max',
      props.colors
    );
    return spec
      ? { title: `history of ${metric}`, spec }
      : `No run has a value of ${metric}.`;
  }
  if (!param) {
    return 'No parameter varies between these runs.';
  }
  if (view === 'contour') {
    if (!param2 || param2 === param) {
      return 'The contour needs two different parameters.';
    }
    const spec = contourSpec(
      props.rows,
      param,
      param2,
      metric,
      props.labelColor
    );
    return spec
      ? { title: `${metric} by ${param} and ${param2}`, spec }
      : `No run has values of ${param}, ${param2} and ${metric}.`;
  }
  const spec = sliceSpec(
    props.rows,
    param,
    metric,
    props.colors.point,
    props.labelColor
  );
  return spec
    ? { title: `${metric} by ${param}`, spec }
    : `No run has values of ${param} and ${metric}.`;
}

/**
 * Any metric against any parameter: a slice (log axis over decades, a box
 * and strip per category), the optimisation history, or the contour of two
 * parameters. A point clicked opens its run.
 */
export function MetricExplorer(props: IMetricExplorerProps): JSX.Element {
  const [metric, setMetric] = useState(
    props.keyMetric ?? props.metrics[0] ?? ''
  );
  const [param, setParam] = useState(props.params[0] ?? '');
  const [param2, setParam2] = useState(props.params[1] ?? '');
  const [view, setView] = useState<ExplorerView>('slice');
  const shownMetric = props.metrics.includes(metric)
    ? metric
    : (props.metrics[0] ?? '');
  const shownParam = props.params.includes(param)
    ? param
    : (props.params[0] ?? '');
  const shownParam2 = props.params.includes(param2)
    ? param2
    : (props.params.find(p => p !== shownParam) ?? '');
  if (!shownMetric) {
    return <p className="jp-nbjournal-Muted">No run has a final metric yet.</p>;
  }
  const chart = explorerChart(props, {
    view,
    metric: shownMetric,
    param: shownParam,
    param2: shownParam2
  });
  return (
    <div className="jp-nbjournal-MetricExplorer">
      <div className="jp-nbjournal-Controls">
        <Picker
          label="view"
          value={view}
          options={[
            ['slice', 'slice'],
            ['history', 'optimisation history'],
            ['contour', 'contour']
          ]}
          onChange={setView}
        />
        <Picker
          label="metric"
          value={shownMetric}
          options={props.metrics}
          onChange={setMetric}
        />
        {view !== 'history' && props.params.length > 0 && (
          <Picker
            label="parameter"
            value={shownParam}
            options={props.params}
            onChange={setParam}
          />
        )}
        {view === 'contour' && props.params.length > 1 && (
          <Picker
            label="against"
            value={shownParam2}
            options={props.params}
            onChange={setParam2}
          />
        )}
      </div>
      {typeof chart === 'string' ? (
        <p className="jp-nbjournal-Muted">{chart}</p>
      ) : (
        <OpenableCharts
          charts={[chart]}
          rendermime={props.rendermime}
          theme={props.theme}
          kind="Explorer"
          onOpenRun={props.onOpenRun}
        />
      )}
    </div>
  );
}

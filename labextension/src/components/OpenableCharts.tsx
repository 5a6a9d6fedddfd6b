import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React from 'react';

import { VegaLiteSpec } from '../charts/runCharts';
import { runOfLabel } from '../overlay';
import { ChartFigures } from './ChartFigures';

/** Props of {@link OpenableCharts}. */
export interface IOpenableChartsProps {
  /** The charts, each named by its title. */
  charts: ReadonlyArray<{ title: string; spec: VegaLiteSpec }>;
  /** JupyterLab's renderers, with its Vega renderer. */
  rendermime: IRenderMimeRegistry;
  /** The theme's name. */
  theme: string;
  /** The figures' accessible name, before the chart's title. */
  kind: string;
  /** Open a run (a click on its point or line). */
  onOpenRun: (id: number) => void;
}

/**
 * Charts whose marks open their run on a click. Each mark of a run is named
 * `run #ID…` (Vega-Lite's `description`, the SVG's `aria-label`), so the
 * click is read from the DOM: no handle on Vega's view is needed.
 */
export function OpenableCharts(props: IOpenableChartsProps): JSX.Element {
  return (
    <div
      className="jp-nbjournal-OpenableCharts"
      onClick={event => {
        const target = event.target as Element | null;
        const mark = target?.closest?.('[aria-label]');
        const id = runOfLabel(mark?.getAttribute('aria-label'));
        if (id !== null) {
          props.onOpenRun(id);
        }
      }}
    >
      <ChartFigures
        charts={props.charts}
        rendermime={props.rendermime}
        theme={props.theme}
        kind={props.kind}
        dataAttribute="data-chart"
      />
    </div>
  );
}

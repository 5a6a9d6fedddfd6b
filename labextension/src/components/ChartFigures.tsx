import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React from 'react';

import { VEGALITE_MIME, VegaLiteSpec } from '../charts/runCharts';
import { MimeView } from './MimeView';

/** Props of {@link ChartFigures}. */
export interface IChartFiguresProps {
  /** The charts to draw, each named by its title. */
  charts: ReadonlyArray<{ title: string; spec: VegaLiteSpec }>;
  /** JupyterLab's renderers, with its Vega renderer. */
  rendermime: IRenderMimeRegistry;
  /** The theme's name: charts are drawn again in the new theme's colours. */
  theme: string;
  /** The figures' accessible name, before the chart's title ("Curve"). */
  kind: string;
  /** The data attribute that carries the chart's title ("data-metric"). */
  dataAttribute: `data-${string}`;
}

const EMBED_OPTIONS = { embed_options: { actions: false, renderer: 'svg' } };

/**
 * Vega-Lite charts side by side, each a figure drawn by JupyterLab's
 * Vega-Lite renderer (the one place that says how).
 */
export function ChartFigures(props: IChartFiguresProps): JSX.Element {
  return (
    <div className="jp-nbjournal-Curves">
      {props.charts.map(chart => (
        <figure
          key={chart.title}
          className="jp-nbjournal-Chart"
          aria-label={`${props.kind} of ${chart.title}`}
          {...{ [props.dataAttribute]: chart.title }}
        >
          <MimeView
            rendermime={props.rendermime}
            mimeType={VEGALITE_MIME}
            data={chart.spec as any}
            metadata={EMBED_OPTIONS}
            renderKey={props.theme}
            fallback="Charts need JupyterLab's Vega renderer (@jupyterlab/vega5-extension)."
          />
        </figure>
      ))}
    </div>
  );
}

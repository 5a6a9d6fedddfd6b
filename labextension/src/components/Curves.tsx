import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React from 'react';

import { IChart, VEGALITE_MIME } from '../charts';
import { MimeView } from './MimeView';

/** Props of {@link Curves}. */
export interface ICurvesProps {
  /** The charts to draw. */
  charts: ReadonlyArray<IChart>;
  /** JupyterLab's renderers, with its Vega renderer. */
  rendermime: IRenderMimeRegistry;
  /** The theme's name: charts are drawn again in the new theme's colours. */
  theme: string;
  /** What to say when there is nothing to draw. */
  empty: string;
}

const EMBED_OPTIONS = { embed_options: { actions: false, renderer: 'svg' } };

/** Training curves, each drawn by JupyterLab's Vega-Lite renderer. */
export function Curves(props: ICurvesProps): JSX.Element {
  if (props.charts.length === 0) {
    return <p className="jp-nbjournal-Muted">{props.empty}</p>;
  }
  return (
    <div className="jp-nbjournal-Curves">
      {props.charts.map(chart => (
        <figure
          key={chart.title}
          className="jp-nbjournal-Chart"
          aria-label={`Curve of ${chart.title}`}
          data-metric={chart.title}
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

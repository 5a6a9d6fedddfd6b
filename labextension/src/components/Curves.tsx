import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React, { useState } from 'react';

import { IChart, ILegendEntry } from '../charts/runCharts';
import { ChartFigures } from './ChartFigures';
import { Section } from './Section';

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

/** The entries of the charts' legends, each label once, in order. */
export function sharedLegend(charts: ReadonlyArray<IChart>): ILegendEntry[] {
  const seen = new Map<string, ILegendEntry>();
  for (const chart of charts) {
    for (const entry of chart.legend ?? []) {
      if (!seen.has(entry.label)) {
        seen.set(entry.label, entry);
      }
    }
  }
  return Array.from(seen.values());
}

/** One legend for the charts of a view: a line in each colour or dash. */
export function Legend(props: {
  entries: ReadonlyArray<ILegendEntry>;
}): JSX.Element | null {
  if (props.entries.length === 0) {
    return null;
  }
  return (
    <ul className="jp-nbjournal-Legend" aria-label="Legend of the curves">
      {props.entries.map(entry => (
        <li key={entry.label} data-label={entry.label}>
          <svg width="22" height="10" aria-hidden="true">
            <line
              x1="1"
              y1="5"
              x2="21"
              y2="5"
              stroke={entry.color ?? 'currentColor'}
              strokeWidth="2.5"
              strokeDasharray={entry.dash?.join(' ')}
            />
          </svg>
          {entry.label}
        </li>
      ))}
    </ul>
  );
}

/**
 * Training curves, each drawn by JupyterLab's Vega-Lite renderer, under one
 * legend for them all.
 */
export function Curves(props: ICurvesProps): JSX.Element {
  if (props.charts.length === 0) {
    return <p className="jp-nbjournal-Muted">{props.empty}</p>;
  }
  return (
    <div className="jp-nbjournal-Curves-block">
      <Legend entries={sharedLegend(props.charts)} />
      <ChartFigures
        charts={props.charts}
        rendermime={props.rendermime}
        theme={props.theme}
        kind="Curve"
        dataAttribute="data-metric"
      />
    </div>
  );
}

/** Props of {@link LogToggle}. */
export interface ILogToggleProps {
  /** Whether losses are drawn on a log axis. */
  checked: boolean;
  /** The person switched it. */
  onChange: (checked: boolean) => void;
}

/** Log or linear axes for the losses of a view's charts. */
export function LogToggle(props: ILogToggleProps): JSX.Element {
  return (
    <label
      className="jp-nbjournal-Toggle"
      title="Draw losses on a log axis (overfitting shows there); accuracies stay linear"
    >
      <input
        type="checkbox"
        checked={props.checked}
        onChange={event => props.onChange(event.currentTarget.checked)}
      />
      log scale for losses
    </label>
  );
}

/** Props of {@link CurvesSection}. */
export interface ICurvesSectionProps {
  /** The charts on log or linear loss axes, or null while the curves are read. */
  charts: ((log: boolean) => ReadonlyArray<IChart>) | null;
  /** JupyterLab's renderers, with its Vega renderer. */
  rendermime: IRenderMimeRegistry;
  /** The theme's name: charts are drawn again in the new theme's colours. */
  theme: string;
}

/** A view's Curves section: the charts and their log-scale toggle. */
export function CurvesSection(props: ICurvesSectionProps): JSX.Element {
  const [log, setLog] = useState(true);
  return (
    <Section
      name="curves"
      title="Curves"
      actions={<LogToggle checked={log} onChange={setLog} />}
    >
      {props.charts === null ? (
        <p className="jp-nbjournal-Muted">Loading curves…</p>
      ) : (
        <Curves
          charts={props.charts(log)}
          rendermime={props.rendermime}
          theme={props.theme}
          empty="No curve recorded."
        />
      )}
    </Section>
  );
}

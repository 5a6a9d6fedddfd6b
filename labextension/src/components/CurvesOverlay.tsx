import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React, { useEffect, useRef, useState } from 'react';

import { IConfiguration } from '../api/analysisPayloads';
import { IExperimentTableRow } from '../api/experimentPayloads';
import { ICurvesReply } from '../api/runPayloads';
import { overlaySpec } from '../charts/overlayCharts';
import {
  DEFAULT_TOP,
  groupBands,
  MAX_OVERLAY_RUNS,
  OverlayX,
  overlayPoints,
  overlayRuns
} from '../overlay';
import { describe } from '../queried';
import { OpenableCharts } from './OpenableCharts';

/** Props of {@link CurvesOverlay}. */
export interface ICurvesOverlayProps {
  /** The first rows of the table, in its order (the sort). */
  rows: ReadonlyArray<IExperimentTableRow>;
  /** The page's chart rows (a ticked run among them is this page's). */
  members: ReadonlyArray<IExperimentTableRow>;
  /** The ticked runs (of the whole journal). */
  ticked: ReadonlyArray<number>;
  /** The configurations in the page's order when it groups repeats, else null. */
  configurations: ReadonlyArray<IConfiguration> | null;
  /** The parameters the page groups by (empty: by configuration). */
  by?: ReadonlyArray<string>;
  /** The experiment's metrics, and the one to start with. */
  metrics: ReadonlyArray<string>;
  keyMetric: string | null;
  /** `GET curves` for these runs and metric. */
  load: (ids: ReadonlyArray<number>, metric: string) => Promise<ICurvesReply>;
  rendermime: IRenderMimeRegistry;
  theme: string;
  labelColor?: string;
  /** Open a run (a click on its curve). */
  onOpenRun: (id: number) => void;
}

/** A labelled `<select>` of the overlay's and the explorer's controls. */
export function Picker<T extends string>(props: {
  label: string;
  value: T;
  options: ReadonlyArray<T | [T, string]>;
  onChange: (value: T) => void;
}): JSX.Element {
  return (
    <label className="jp-nbjournal-Picker">
      <span>{props.label}</span>
      <select
        className="jp-mod-styled"
        aria-label={props.label}
        value={props.value}
        onChange={event => props.onChange(event.currentTarget.value as T)}
      >
        {props.options.map(option => {
          const [value, text] = Array.isArray(option)
            ? option
            : [option, option];
          return (
            <option key={value} value={value}>
              {text}
            </option>
          );
        })}
      </select>
    </label>
  );
}

/**
 * The curves of many runs on one chart: the ticked runs, or the first N of
 * the table's order; when the page groups repeats, each configuration's mean
 * ± one standard deviation. One request (`GET curves`) for all of them.
 */
export function CurvesOverlay(props: ICurvesOverlayProps): JSX.Element {
  const [metric, setMetric] = useState<string>(
    props.keyMetric ?? props.metrics[0] ?? ''
  );
  const [x, setX] = useState<OverlayX>('epoch');
  const [smoothing, setSmoothing] = useState(0);
  const [log, setLog] = useState(false);
  const [top, setTop] = useState(DEFAULT_TOP);
  const [reply, setReply] = useState<ICurvesReply | null>(null);
  const [error, setError] = useState<string | null>(null);
  const chosen = overlayRuns({
    ticked: props.ticked,
    rows: props.rows,
    top,
    configurations: props.configurations,
    by: props.by,
    members: props.members
  });
  const key = `${metric}|${chosen.ids.join(',')}`;
  // the caller may pass a new function on each render: read it, do not depend on it
  const load = useRef(props.load);
  load.current = props.load;

  useEffect(() => {
    if (!metric || chosen.ids.length === 0) {
      setReply(null);
      return;
    }
    let live = true;
    setError(null);
    load
      .current(chosen.ids, metric)
      .then(found => live && setReply(found))
      .catch(reason => live && setError(describe(reason)));
    return () => {
      live = false;
    };
  }, [key]);

  const grouped = chosen.groups.size > 0;
  const drawn =
    reply && reply.metric === metric
      ? overlayPoints(reply, { x, smoothing, log, groups: chosen.groups })
      : null;
  const spec = drawn
    ? overlaySpec(drawn.points, {
        metric,
        x,
        log,
        bands: grouped ? groupBands(drawn.points, x) : null,
        labelColor: props.labelColor
      })
    : null;
  return (
    <div
      className="jp-nbjournal-CurvesOverlay"
      data-curves={drawn && reply ? reply.curves.length : undefined}
      data-metric={drawn ? metric : undefined}
    >
      <div className="jp-nbjournal-Controls">
        <Picker
          label="metric"
          value={metric}
          options={props.metrics}
          onChange={setMetric}
        />
        <Picker
          label="x"
          value={x}
          options={['epoch', 'step', ['time', 'time (s)']]}
          onChange={setX}
        />
        <Picker
          label="y"
          value={log ? 'log' : 'linear'}
          options={['linear', 'log']}
          onChange={value => setLog(value === 'log')}
        />
        <label className="jp-nbjournal-Picker">
          <span>smoothing</span>
          <input
            type="range"
            aria-label="smoothing"
            min={0}
            max={0.95}
            step={0.05}
            value={smoothing}
            onChange={event => setSmoothing(Number(event.currentTarget.value))}
          />
          <output>{smoothing.toFixed(2)}</output>
        </label>
        <label className="jp-nbjournal-Picker">
          <span>{grouped ? 'configurations' : 'runs'}</span>
          <input
            type="number"
            aria-label="how many runs"
            className="jp-mod-styled"
            min={1}
            max={MAX_OVERLAY_RUNS}
            value={top}
            onChange={event =>
              setTop(
                Math.max(
                  1,
                  Math.min(
                    MAX_OVERLAY_RUNS,
                    Number(event.currentTarget.value) || 1
                  )
                )
              )
            }
          />
        </label>
        <span className="jp-nbjournal-Muted jp-nbjournal-CurvesOverlay-source">
          {chosen.source}
        </span>
      </div>
      {error !== null ? (
        <div className="jp-nbjournal-Error" role="alert">
          The curves cannot be read: {error}
        </div>
      ) : chosen.ids.length === 0 ? (
        <p className="jp-nbjournal-Muted">No run to draw.</p>
      ) : drawn === null ? (
        <p className="jp-nbjournal-Muted">Reading the curves…</p>
      ) : spec === null ? (
        <p className="jp-nbjournal-Muted">
          None of these runs has a curve of {metric}
          {log && drawn.dropped > 0 ? ' above 0 (a log axis)' : ''}.
        </p>
      ) : (
        <>
          {drawn.dropped > 0 && (
            <p className="jp-nbjournal-Muted">
              {drawn.dropped} points ≤ 0 are not drawn on the log axis.
            </p>
          )}
          <OpenableCharts
            charts={[{ title: `curves of ${metric}`, spec }]}
            rendermime={props.rendermime}
            theme={props.theme}
            kind="Overlay"
            onOpenRun={props.onOpenRun}
          />
        </>
      )}
    </div>
  );
}

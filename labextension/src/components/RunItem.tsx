import React from 'react';

import {
  absoluteTime,
  firstLine,
  keyMetric,
  pendingPoints,
  relativeTime
} from '../formatters';
import { StatusIcon } from './StatusIcon';
import { IRunSummary } from '../api/runPayloads';
import { VerdictBadge } from './VerdictBadge';

/** Props of {@link RunItem}. */
export interface IRunItemProps {
  /** The run to show. */
  run: IRunSummary;
  /** Whether the run is selected for comparison. */
  selected: boolean;
  /** The current time, in seconds since the epoch (for relative times). */
  now: number;
  /** Open the run in the main area. */
  onOpen: (id: number) => void;
  /** Select the run for comparison, or unselect it. */
  onToggleSelected: (id: number) => void;
  /**
   * Whether Tab stops at this row: one row of the list is a Tab stop (the
   * arrow keys move between rows), not every row. True by default.
   */
  tabbable?: boolean;
  /** The row got the keyboard focus. */
  onFocus?: (id: number) => void;
  /**
   * The key metric its group names in its header: the row then shows the
   * value alone (the name only where the run's key metric is another).
   */
  groupMetric?: string | null;
  /**
   * What the second line says instead of the hypothesis: a grid's run shows
   * its point (`units=64 lr=0.01 seed=1`), the grid holding the hypothesis.
   */
  point?: string;
  /**
   * What a query matched in this run (`lr=0.01 units=128`): said instead of
   * the hypothesis (or the point) while the list answers a query.
   */
  matched?: string;
}

/**
 * Move the focus to the previous or next stop of the list: experiments'
 * headers and their runs, in the order they are shown (`data-nav`).
 */
export function moveFocus(from: HTMLElement, step: 1 | -1): void {
  const list = from.closest('.jp-nbjournal-Sidebar');
  if (!list) {
    return;
  }
  const stops = Array.from(list.querySelectorAll<HTMLElement>('[data-nav]'));
  const next = stops[stops.indexOf(from) + step];
  if (next) {
    next.focus();
  }
}

/**
 * One run in the list: status (live marker while running), `#id`, when it
 * started, its key metric; the first line of its hypothesis across the whole
 * width (or the values a query matched); its verdict and the first line of
 * its inference, or a prompt to write one.
 *
 * Click or Enter opens it; Space, a Ctrl/Cmd/Shift-click or the check box
 * selects it for comparison; the arrow keys move between runs and into and
 * out of the experiments' headers.
 */
export function RunItem(props: IRunItemProps): JSX.Element {
  const { run, selected, now, onOpen, onToggleSelected } = props;
  const metric = keyMetric(run);
  const hypothesis = firstLine(run.hypothesis);
  // the run's own conclusion, else its grid's (the badge says whose)
  const concludedBy = run.inference ?? run.grid_inference;
  const conclusion = firstLine(concludedBy?.text);
  // a query's hits say the values it matched; a grid's run its point
  const about = props.matched ?? props.point;
  const error = run.status === 'failed' ? run.error_summary : null;
  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>): void => {
    if (event.target !== event.currentTarget) {
      return;
    }
    switch (event.key) {
      case 'Enter':
        event.preventDefault();
        onOpen(run.id);
        break;
      case ' ':
        event.preventDefault();
        onToggleSelected(run.id);
        break;
      case 'ArrowDown':
        event.preventDefault();
        moveFocus(event.currentTarget, 1);
        break;
      case 'ArrowUp':
        event.preventDefault();
        moveFocus(event.currentTarget, -1);
        break;
    }
  };
  const onClick = (event: React.MouseEvent<HTMLDivElement>): void => {
    if (event.ctrlKey || event.metaKey || event.shiftKey) {
      onToggleSelected(run.id);
    } else {
      onOpen(run.id);
    }
  };
  return (
    <div
      className={'jp-nbjournal-RunItem' + (selected ? ' jp-mod-selected' : '')}
      role="option"
      aria-selected={selected}
      aria-label={`Run #${run.id}, ${run.status}${hypothesis ? `: ${hypothesis}` : ''}`}
      tabIndex={props.tabbable === false ? -1 : 0}
      data-nav="run"
      data-run-id={run.id}
      onFocus={event => {
        if (event.target === event.currentTarget) {
          props.onFocus?.(run.id);
        }
      }}
      data-status={run.status}
      onClick={onClick}
      onKeyDown={onKeyDown}
    >
      <input
        type="checkbox"
        className="jp-nbjournal-RunItem-select"
        checked={selected}
        tabIndex={-1}
        aria-label={`Select run #${run.id} for comparison`}
        title="Select for comparison"
        onClick={event => event.stopPropagation()}
        onChange={() => onToggleSelected(run.id)}
      />
      <div className="jp-nbjournal-RunItem-body">
        <div className="jp-nbjournal-RunItem-line">
          <StatusIcon status={run.status} />
          <span className="jp-nbjournal-RunItem-id">#{run.id}</span>
          <span
            className="jp-nbjournal-RunItem-time"
            title={`started ${absoluteTime(run.started)}`}
          >
            {relativeTime(run.started, now)}
          </span>
          <span className="jp-nbjournal-RunItem-spacer" />
          {(run.points_pending ?? 0) > 0 && (
            <span
              className="jp-nbjournal-Badge jp-nbjournal-PendingMarker"
              role="img"
              aria-label={pendingPoints(run.points_pending)}
              title={pendingPoints(run.points_pending)}
            >
              {run.points_pending} pending
            </span>
          )}
          {metric && (
            <span
              className="jp-nbjournal-RunItem-metric"
              title={`${metric[0]} ${metric[1]} (last value)`}
            >
              {metric[0] !== props.groupMetric && (
                <>
                  <span className="jp-nbjournal-RunItem-metricName">
                    {metric[0]}
                  </span>{' '}
                </>
              )}
              <span className="jp-nbjournal-RunItem-metricValue">
                {metric[1]}
              </span>
            </span>
          )}
        </div>
        {error && (
          <div className="jp-nbjournal-RunItem-error" title={error}>
            {error}
          </div>
        )}
        <div className="jp-nbjournal-RunItem-line">
          {about !== undefined ? (
            <span
              className="jp-nbjournal-RunItem-hypothesis jp-nbjournal-RunItem-point"
              title={run.hypothesis || undefined}
            >
              {about}
            </span>
          ) : (
            <span
              className={
                'jp-nbjournal-RunItem-hypothesis' +
                (hypothesis ? '' : ' jp-mod-empty')
              }
              title={run.hypothesis || undefined}
            >
              {hypothesis || 'no hypothesis'}
            </span>
          )}
        </div>
        {(props.point === undefined || run.inference || run.verdict) && (
          // a grid's run is concluded with its grid: no prompt on each point
          <div className="jp-nbjournal-RunItem-line jp-nbjournal-RunItem-verdict">
            <VerdictBadge
              inference={run.inference}
              status={run.status}
              verdict={run.verdict}
              gridInference={run.grid_inference}
            />
            {conclusion && (
              <span
                className="jp-nbjournal-RunItem-inference"
                title={concludedBy?.text}
              >
                {conclusion}
              </span>
            )}
          </div>
        )}
      </div>
    </div>
  );
}

import React from 'react';

import { formatMetric } from '../formatters';
import { axisNames, combination as joined } from '../grouping';
import { IGridSummary } from '../api/gridPayloads';
import { moveFocus } from './RunItem';

/** Props of {@link GridItem}. */
export interface IGridItemProps {
  /** The grid to show. */
  grid: IGridSummary;
  /** Open the grid in the main area. */
  onOpen: (id: number) => void;
}

/**
 * `units=64 lr=0.001`: a combination of a grid's axes, in the order of
 * `axes` (the grid's spec) when given.
 */
export function combination(
  values: { [axis: string]: unknown },
  axes: ReadonlyArray<string> = []
): string {
  const names = [
    ...axes.filter(name => name in values),
    ...Object.keys(values).filter(name => !axes.includes(name))
  ];
  return joined(Object.fromEntries(names.map(name => [name, values[name]])));
}

/**
 * A grid inside its experiment: points done of total (failed and running
 * said), its best point and key metric; its runs follow, indented.
 */
export function GridItem(props: IGridItemProps): JSX.Element {
  const { grid } = props;
  const best = grid.best;
  const progress =
    `${grid.done}/${grid.points} done` +
    (grid.failed ? `, ${grid.failed} failed` : '') +
    (grid.running ? `, ${grid.running} running` : '');
  const bestText =
    best && best.mean !== null
      ? `best ${combination(best.values, axisNames(grid))}: ${formatMetric(best.mean)}`
      : null;
  return (
    <div
      className="jp-nbjournal-GridItem"
      role="button"
      tabIndex={0}
      data-nav="grid"
      data-grid-id={grid.id}
      aria-label={`Grid #${grid.id}: ${progress}`}
      title={grid.hypothesis || `Grid #${grid.id}`}
      onClick={() => props.onOpen(grid.id)}
      onKeyDown={event => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          props.onOpen(grid.id);
        } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
          event.preventDefault();
          moveFocus(event.currentTarget, event.key === 'ArrowDown' ? 1 : -1);
        }
      }}
    >
      <div className="jp-nbjournal-RunItem-line">
        <span className="jp-nbjournal-GridItem-label">grid #{grid.id}</span>
        <span className="jp-nbjournal-GridItem-progress">{progress}</span>
        <span className="jp-nbjournal-RunItem-spacer" />
        {grid.running > 0 && <span className="jp-nbjournal-LiveDot" />}
      </div>
      {bestText && (
        <div
          className="jp-nbjournal-GridItem-best"
          title={`${bestText} (${grid.key_metric ?? 'key metric'}, mean over repeats)`}
        >
          {bestText}
        </div>
      )}
    </div>
  );
}

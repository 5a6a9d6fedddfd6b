import React, { useEffect, useLayoutEffect, useRef, useState } from 'react';

import { IColumn } from '../experimentModel';
import {
  absoluteTime,
  formatDuration,
  formatInColumn,
  formatParam,
  inExponents,
  relativeTime
} from '../formatters';
import { IExperimentTableRow } from '../api/experimentPayloads';
import { MirrorsButton } from './MirrorsButton';
import { PinButton } from './PinButton';
import { StatusIcon } from './StatusIcon';

/** The height of a row, in pixels (fixed, so that rows can be skipped). */
export const ROW_HEIGHT = 26;
/** Rows drawn above and below the visible ones. */
const OVERSCAN = 15;
/** The viewport assumed before it is measured (and in tests). */
const DEFAULT_VIEWPORT = 600;

/** Props of {@link RunsTable}. */
export interface IRunsTableProps {
  /** The columns shown, in order. */
  columns: ReadonlyArray<IColumn>;
  /** How many rows the table has. */
  total: number;
  /** The row at an index, or null while it is read. */
  row: (index: number) => IExperimentTableRow | null;
  /** Ask for the rows from `start` to `end` (exclusive) to be read. */
  onRange: (start: number, end: number) => void;
  /** The column sorted by, or null (newest first). */
  sort: string | null;
  /** The sort direction. */
  order: 'asc' | 'desc';
  /** Sort by a column (again: the other way). */
  onSort: (id: string) => void;
  /** The current time, in seconds since the epoch. */
  now: number;
  /** Whether a run is ticked for comparison. */
  isSelected: (id: number) => boolean;
  /** Tick or untick a run. */
  onToggleSelected: (id: number) => void;
  /** Open a run. */
  onOpen: (id: number) => void;
  /** Show or hide the parameters that only mirror one (`+1` beside its heading). */
  onToggleMirrors?: (name: string) => void;
  /** The pinned runs' rows, drawn above the others whatever the sort and query. */
  pinned?: ReadonlyArray<IExperimentTableRow>;
  /** Whether a run is pinned. */
  isPinned?: (id: number) => boolean;
  /** Pin a run, or unpin it; without it there is no pin button. */
  onTogglePin?: (id: number) => void;
  /** Whether one more run can be pinned (the limit reached: false). */
  canPin?: boolean;
}

/** The width of a column, in pixels. */
function width(column: IColumn): number {
  switch (column.id) {
    case 'status':
      return 60;
    case 'id':
      return 64;
    case 'started':
      return 92;
    case 'duration':
      return 86;
    case 'verdict':
      return 104;
    case 'tags':
      return 140;
    default:
      return column.kind === 'metric' ? 116 : 104;
  }
}

/** The value of a param or metric column in a row. */
function valueOf(column: IColumn, row: IExperimentTableRow): unknown {
  if (column.kind === 'param') {
    return row.params[column.id.slice('param.'.length)];
  }
  if (column.kind === 'metric') {
    return row.metrics[column.id.slice('metric.'.length)];
  }
  return undefined;
}

/** The columns written in exponent form over the rows shown (one notation per column). */
function columnNotations(
  columns: ReadonlyArray<IColumn>,
  rowAt: (index: number) => IExperimentTableRow | null,
  first: number,
  last: number
): Set<string> {
  const shown: IExperimentTableRow[] = [];
  for (let index = first; index < last; index++) {
    const row = rowAt(index);
    if (row) {
      shown.push(row);
    }
  }
  return new Set(
    columns
      .filter(column => inExponents(shown.map(row => valueOf(column, row))))
      .map(column => column.id)
  );
}

/** A cell of a row. */
function Cell(props: {
  column: IColumn;
  row: IExperimentTableRow;
  now: number;
  /** The column is in exponent form (one notation per column). */
  exponents: boolean;
  onOpen: (id: number) => void;
}): JSX.Element {
  const { column, row } = props;
  if (column.kind === 'param') {
    const name = column.id.slice('param.'.length);
    const value = row.params[name];
    const text =
      value === undefined ? '–' : formatParam(value, props.exponents);
    return (
      <td title={value === undefined ? undefined : String(value)}>{text}</td>
    );
  }
  if (column.kind === 'metric') {
    const name = column.id.slice('metric.'.length);
    const value = row.metrics[name];
    return (
      <td
        className={
          'jp-nbjournal-Number' + (column.key ? ' jp-nbjournal-KeyMetric' : '')
        }
        title={
          value === null || value === undefined ? undefined : String(value)
        }
      >
        {formatInColumn(value, props.exponents)}
      </td>
    );
  }
  switch (column.id) {
    case 'status':
      return (
        <td>
          <StatusIcon status={row.status} />
        </td>
      );
    case 'id':
      return (
        <td>
          <button
            type="button"
            className="jp-nbjournal-Link jp-nbjournal-RunItem-id"
            onClick={event => {
              event.stopPropagation();
              props.onOpen(row.id);
            }}
            title={`Open run #${row.id}`}
          >
            #{row.id}
          </button>
        </td>
      );
    case 'started':
      return (
        <td title={absoluteTime(row.started)}>
          {relativeTime(row.started, props.now)}
        </td>
      );
    case 'duration':
      return <td>{formatDuration(row.duration)}</td>;
    case 'verdict':
      return (
        <td title={row.inference ?? undefined}>
          {row.verdict ? (
            <span
              className={`jp-nbjournal-Badge jp-nbjournal-verdict-${row.verdict}`}
            >
              {row.verdict}
            </span>
          ) : row.inference ? (
            <span className="jp-nbjournal-Badge jp-nbjournal-verdict-noted">
              noted
            </span>
          ) : (
            <span className="jp-nbjournal-Muted">–</span>
          )}
        </td>
      );
    case 'tags': {
      const tags = row.tags ?? [];
      return (
        <td className="jp-nbjournal-RunsTable-tags" title={tags.join(' ')}>
          {tags.length ? (
            tags.map(tag => (
              <span key={tag} className="jp-nbjournal-Tag">
                {tag}
              </span>
            ))
          ) : (
            <span className="jp-nbjournal-Muted">–</span>
          )}
        </td>
      );
    }
    default:
      return <td />;
  }
}

/** The arrow of a sorted column. */
function arrow(order: 'asc' | 'desc'): string {
  return order === 'asc' ? '▲' : '▼';
}

/**
 * An experiment's runs as a table: a row per run, drawn only where it is
 * seen (a fixed row height lets 10,000 rows scroll like 30), and read from
 * the server a page at a time as it comes into view. A heading sorts by its
 * column; a row opens its run; the box ticks it for comparison.
 */
export function RunsTable(props: IRunsTableProps): JSX.Element {
  const { columns, total, now } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [viewport, setViewport] = useState(DEFAULT_VIEWPORT);

  useLayoutEffect(() => {
    const node = scroller.current;
    if (!node || typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(() => {
      if (node.clientHeight > 0) {
        setViewport(node.clientHeight);
      }
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, []);

  const pinned = props.pinned ?? [];
  const selectWidth = props.onTogglePin ? 54 : 32;
  // the pinned rows sit above the others: the scroll is counted below them
  const below = Math.max(0, top - pinned.length * ROW_HEIGHT);
  const first = Math.max(0, Math.floor(below / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(
    total,
    Math.ceil((below + viewport) / ROW_HEIGHT) + OVERSCAN
  );

  useEffect(() => {
    props.onRange(first, last);
  }, [first, last, total]);

  const sortedBy = props.sort ?? 'id';
  const order = props.sort === null ? 'desc' : props.order;
  const exponents = columnNotations(columns, props.row, first, last);
  const drawRow = (
    row: IExperimentTableRow,
    rowIndex: number,
    atTop: boolean
  ): JSX.Element => {
    const selected = props.isSelected(row.id);
    const isPinned = props.isPinned?.(row.id) ?? false;
    const classes = [
      selected ? 'jp-mod-selected' : '',
      atTop ? 'jp-nbjournal-RunsTable-pinnedRow' : ''
    ].filter(Boolean);
    return (
      <tr
        key={atTop ? `pinned-${row.id}` : row.id}
        data-run-id={row.id}
        data-status={row.status}
        data-pinned={isPinned || undefined}
        aria-rowindex={rowIndex}
        aria-selected={selected}
        className={classes.join(' ') || undefined}
        style={{ height: ROW_HEIGHT }}
        onClick={event => {
          if (event.ctrlKey || event.metaKey || event.shiftKey) {
            props.onToggleSelected(row.id);
          } else {
            props.onOpen(row.id);
          }
        }}
      >
        <td className="jp-nbjournal-RunsTable-select">
          <input
            type="checkbox"
            checked={selected}
            aria-label={`Select run #${row.id}`}
            title="Select (to compare, delete or tag)"
            onClick={event => event.stopPropagation()}
            onChange={() => props.onToggleSelected(row.id)}
          />
          {props.onTogglePin && (
            <PinButton
              id={row.id}
              pinned={isPinned}
              disabled={props.canPin === false}
              onToggle={props.onTogglePin}
            />
          )}
        </td>
        {columns.map(column => (
          <Cell
            key={column.id}
            column={column}
            row={row}
            now={now}
            exponents={exponents.has(column.id)}
            onOpen={props.onOpen}
          />
        ))}
      </tr>
    );
  };
  const rows: JSX.Element[] = [];
  for (let index = first; index < last; index++) {
    const row = props.row(index);
    if (!row) {
      rows.push(
        <tr
          key={`pending-${index}`}
          className="jp-nbjournal-RunsTable-pending"
          style={{ height: ROW_HEIGHT }}
        >
          <td colSpan={columns.length + 1} className="jp-nbjournal-Muted">
            …
          </td>
        </tr>
      );
      continue;
    }
    rows.push(drawRow(row, index + 2 + pinned.length, false));
  }

  return (
    <div
      ref={scroller}
      className="jp-nbjournal-RunsTable"
      onScroll={event => setTop(event.currentTarget.scrollTop)}
    >
      <table
        className="jp-nbjournal-Table jp-nbjournal-RunsTable-table"
        aria-label="Runs"
        aria-rowcount={total + pinned.length + 1}
        style={{
          width: selectWidth + columns.reduce((sum, c) => sum + width(c), 0)
        }}
      >
        <colgroup>
          <col style={{ width: selectWidth }} />
          {columns.map(column => (
            <col key={column.id} style={{ width: width(column) }} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col" className="jp-nbjournal-RunsTable-select">
              <span className="jp-nbjournal-VisuallyHidden">select</span>
            </th>
            {columns.map(column => {
              const sorted = sortedBy === column.id;
              return (
                <th
                  key={column.id}
                  scope="col"
                  data-column={column.id}
                  aria-sort={
                    sorted
                      ? order === 'asc'
                        ? 'ascending'
                        : 'descending'
                      : undefined
                  }
                  className={
                    (column.kind === 'metric' ? 'jp-nbjournal-Number' : '') +
                    (column.key ? ' jp-nbjournal-KeyMetric' : '')
                  }
                >
                  {column.sortable === false ? (
                    <span className="jp-nbjournal-RunsTable-label jp-nbjournal-RunsTable-unsorted">
                      {column.label}
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="jp-nbjournal-RunsTable-sort"
                      title={`Sort by ${column.label}${column.key ? ' (the key metric)' : ''}`}
                      onClick={() => props.onSort(column.id)}
                    >
                      <span className="jp-nbjournal-RunsTable-label">
                        {column.label}
                      </span>
                      {sorted && (
                        <span className="jp-nbjournal-RunsTable-arrow">
                          {arrow(order)}
                        </span>
                      )}
                    </button>
                  )}
                  {column.mirrors && props.onToggleMirrors && (
                    <MirrorsButton
                      name={column.label}
                      mirrors={column.mirrors}
                      shown={columns.some(c => c.mirrorOf === column.label)}
                      onToggle={() => props.onToggleMirrors?.(column.label)}
                    />
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        {pinned.length > 0 && (
          <tbody
            className="jp-nbjournal-RunsTable-pinned"
            aria-label="Pinned runs"
          >
            {pinned.map((row, at) => drawRow(row, at + 2, true))}
          </tbody>
        )}
        <tbody>
          {first > 0 && (
            <tr aria-hidden="true" style={{ height: first * ROW_HEIGHT }} />
          )}
          {rows}
          {last < total && (
            <tr
              aria-hidden="true"
              style={{ height: (total - last) * ROW_HEIGHT }}
            />
          )}
        </tbody>
      </table>
    </div>
  );
}

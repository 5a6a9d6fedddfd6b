import React from 'react';

import { runColor } from '../charts/runCharts';
import { IRunSummary } from '../api/runPayloads';

/** One cell of a {@link CompareTable}. */
export interface ICompareCell {
  /** What the cell shows. */
  content: React.ReactNode;
  /** Its CSS classes. */
  className?: string;
  /** Its tooltip. */
  title?: string;
}

/** One row of a {@link CompareTable}: a heading, then a cell per run. */
export interface ICompareRow {
  /** React's key, unique in the table. */
  key: string;
  /** The row's heading (a parameter's or a metric's name). */
  heading: React.ReactNode;
  /** One cell per run, in the order of the runs. */
  cells: ReadonlyArray<ICompareCell>;
  /** The row's CSS classes. */
  className?: string;
  /** `data-*` attributes of the row, for tests and styles. */
  data?: { [name: string]: string };
}

/** Props of {@link CompareTable}. */
export interface ICompareTableProps {
  /** The accessible name of the table. */
  label: string;
  /** The text of the top-left corner (what the rows are). */
  corner: string;
  /** The compared runs: one column each. */
  runs: ReadonlyArray<IRunSummary>;
  /** The rows. */
  rows: ReadonlyArray<ICompareRow>;
  /** What a column's header shows; the run's swatch and `#id` by default. */
  renderHeader?: (run: IRunSummary, index: number) => React.ReactNode;
  /** `data-*` attributes of each column's header. */
  headerData?: (run: IRunSummary) => { [name: string]: string };
  /** What to say in the table when it has no row. */
  empty?: string;
}

/** The colour of a run's curves, next to its `#id` in the tables' headers. */
export function RunSwatch(props: { index: number }): JSX.Element {
  return (
    <span
      className="jp-nbjournal-RunSwatch"
      style={{ backgroundColor: runColor(props.index) }}
      aria-hidden="true"
    />
  );
}

/**
 * Runs side by side: a column per run (headed by its colour in the charts),
 * a row per parameter or metric, scrolling sideways when the runs are many.
 */
export function CompareTable(props: ICompareTableProps): JSX.Element {
  const { runs, rows } = props;
  const header =
    props.renderHeader ??
    ((run: IRunSummary, index: number) => (
      <>
        <RunSwatch index={index} />#{run.id}
      </>
    ));
  return (
    <div className="jp-nbjournal-TableScroll">
      <table
        className="jp-nbjournal-Table jp-nbjournal-CompareTable"
        aria-label={props.label}
      >
        <thead>
          <tr>
            <th scope="col" className="jp-nbjournal-CompareTable-corner">
              {props.corner}
            </th>
            {runs.map((run, index) => (
              <th
                scope="col"
                key={run.id}
                {...dataAttributes(props.headerData?.(run))}
              >
                {header(run, index)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(row => (
            <tr
              key={row.key}
              className={row.className}
              {...dataAttributes(row.data)}
            >
              <th scope="row">{row.heading}</th>
              {row.cells.map((cell, index) => (
                <td
                  key={runs[index]?.id ?? index}
                  className={cell.className}
                  title={cell.title}
                >
                  {cell.content}
                </td>
              ))}
            </tr>
          ))}
          {rows.length === 0 && props.empty && (
            <tr>
              <td colSpan={runs.length + 1} className="jp-nbjournal-Muted">
                {props.empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** `{units: '64'}` → `{'data-units': '64'}`: a row's data as attributes tests can select. */
export function dataAttributes(data?: { [name: string]: string }): {
  [name: string]: string;
} {
  const attributes: { [name: string]: string } = {};
  for (const [name, value] of Object.entries(data ?? {})) {
    attributes[`data-${name}`] = value;
  }
  return attributes;
}

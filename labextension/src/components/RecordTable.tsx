import React from 'react';

/** Props of {@link RecordTable}. */
export interface IRecordTableProps<T> {
  /** The accessible name of the table. */
  label: string;
  /** Its own class, beside `jp-nbjournal-Table`. */
  className: string;
  /** What to say when there is no row. */
  empty: string;
  /** The column headings; none: a table of names and values, without a head. */
  headings?: ReadonlyArray<string>;
  /** The headings of columns of numbers (aligned as numbers). */
  numeric?: ReadonlyArray<string>;
  /** The records, one row each. */
  rows: ReadonlyArray<T>;
  /** The `<tr>` of one record. */
  row: (record: T, index: number) => JSX.Element;
}

/**
 * A run's records as a table (its metrics, inputs, artifacts, parameters,
 * environment): the one shape every such section shares, with the sentence
 * that stands in for it when there is nothing to list.
 */
export function RecordTable<T>(props: IRecordTableProps<T>): JSX.Element {
  if (props.rows.length === 0) {
    return <p className="jp-nbjournal-Muted">{props.empty}</p>;
  }
  const numeric = new Set(props.numeric ?? []);
  return (
    <table
      className={`jp-nbjournal-Table ${props.className}`}
      aria-label={props.label}
    >
      {props.headings && (
        <thead>
          <tr>
            {props.headings.map(heading => (
              <th
                key={heading}
                scope="col"
                className={
                  numeric.has(heading) ? 'jp-nbjournal-Number' : undefined
                }
              >
                {heading}
              </th>
            ))}
          </tr>
        </thead>
      )}
      <tbody>{props.rows.map(props.row)}</tbody>
    </table>
  );
}

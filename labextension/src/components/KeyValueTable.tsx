import React from 'react';

import { formatParam } from '../formatters';

/** Props of {@link KeyValueTable}. */
export interface IKeyValueTableProps {
  /** Rows of `[name, value]`; values are shown as text. */
  rows: ReadonlyArray<[string, unknown]>;
  /** The accessible name of the table. */
  label: string;
  /** What to say when there is no row. */
  empty: string;
}

/** Names and values (parameters, environment), as plain text. */
export function KeyValueTable(props: IKeyValueTableProps): JSX.Element {
  if (props.rows.length === 0) {
    return <p className="jp-nbjournal-Muted">{props.empty}</p>;
  }
  return (
    <table
      className="jp-nbjournal-Table jp-nbjournal-KeyValueTable"
      aria-label={props.label}
    >
      <tbody>
        {props.rows.map(([name, value]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td title={typeof value === 'number' ? String(value) : undefined}>
              {formatParam(value)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

import React from 'react';

import { formatParam } from '../formatters';
import { RecordTable } from './RecordTable';

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
  return (
    <RecordTable
      label={props.label}
      className="jp-nbjournal-KeyValueTable"
      empty={props.empty}
      rows={props.rows}
      row={([name, value]) => (
        <tr key={name}>
          <th scope="row">{name}</th>
          <td title={typeof value === 'number' ? String(value) : undefined}>
            {formatParam(value)}
          </td>
        </tr>
      )}
    />
  );
}

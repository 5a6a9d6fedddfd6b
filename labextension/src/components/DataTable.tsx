import React from 'react';

import { formatBytes, formatShape, shortHash } from '../formatters';
import { IDataFingerprint } from '../api/types';

/** Props of {@link DataTable}. */
export interface IDataTableProps {
  /** The fingerprints of the run's inputs. */
  data: ReadonlyArray<IDataFingerprint>;
}

/** The inputs of a run and their content hashes. */
export function DataTable(props: IDataTableProps): JSX.Element {
  if (props.data.length === 0) {
    return <p className="jp-nbjournal-Muted">No input data fingerprinted.</p>;
  }
  return (
    <table
      className="jp-nbjournal-Table jp-nbjournal-DataTable"
      aria-label="Data fingerprints"
    >
      <thead>
        <tr>
          <th scope="col">name</th>
          <th scope="col">kind</th>
          <th scope="col">shape</th>
          <th scope="col">dtype</th>
          <th scope="col">size</th>
          <th scope="col">hash</th>
        </tr>
      </thead>
      <tbody>
        {props.data.map((item, index) => (
          <tr key={`${item.name}-${index}`}>
            <th scope="row">{item.name}</th>
            <td>{item.kind}</td>
            <td>{formatShape(item.shape)}</td>
            <td>{item.dtype ?? '–'}</td>
            <td className="jp-nbjournal-Number">{formatBytes(item.bytes)}</td>
            <td>
              <code title={item.hash}>{shortHash(item.hash)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

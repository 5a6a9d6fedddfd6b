import React from 'react';

import { formatBytes, formatShape, shortHash } from '../formatters';
import { IDataFingerprint } from '../api/runDetailPayloads';
import { RecordTable } from './RecordTable';

/** Props of {@link DataTable}. */
export interface IDataTableProps {
  /** The fingerprints of the run's inputs. */
  data: ReadonlyArray<IDataFingerprint>;
}

/** The inputs of a run and their content hashes. */
export function DataTable(props: IDataTableProps): JSX.Element {
  return (
    <RecordTable
      label="Data fingerprints"
      className="jp-nbjournal-DataTable"
      empty="No input data fingerprinted."
      headings={['name', 'kind', 'shape', 'dtype', 'size', 'hash']}
      rows={props.data}
      row={(item, index) => (
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
      )}
    />
  );
}

import React from 'react';

import { formatBytes, shortType } from '../formatters';
import { IArtifact } from '../api/types';

/** Props of {@link ArtifactsTable}. */
export interface IArtifactsTableProps {
  /** What the run's cell made, in the cell's order. */
  artifacts: ReadonlyArray<IArtifact> | null | undefined;
}

/**
 * What the run's cell made and whether the journal kept it: each name it
 * bound, then its value (`Out`, shown as "the cell's value", left out when
 * the cell ended without one).
 */
export function ArtifactsTable(props: IArtifactsTableProps): JSX.Element {
  const rows = (props.artifacts ?? []).filter(
    item => !(item.role === 'result' && item.type === 'NoneType')
  );
  if (rows.length === 0) {
    return <p className="jp-nbjournal-Muted">The run saved nothing.</p>;
  }
  return (
    <table
      className="jp-nbjournal-Table jp-nbjournal-Artifacts"
      aria-label="Artifacts"
    >
      <thead>
        <tr>
          <th scope="col">name</th>
          <th scope="col">type</th>
          <th scope="col" className="jp-nbjournal-Number">
            size
          </th>
          <th scope="col">stored</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((item, index) => (
          <tr key={`${item.name}-${index}`}>
            <th scope="row">
              {item.role === 'result' ? (
                <span className="jp-nbjournal-Muted">the cell’s value</span>
              ) : (
                <code>{item.name}</code>
              )}
            </th>
            <td title={item.type}>{shortType(item.type)}</td>
            <td
              className="jp-nbjournal-Number"
              title={item.size === null ? undefined : `${item.size} bytes`}
            >
              {item.stored || item.size ? formatBytes(item.size) : '–'}
            </td>
            <td className={item.stored ? '' : 'jp-nbjournal-Muted'}>
              {item.stored
                ? 'stored'
                : `not stored: ${item.reason ?? 'unknown reason'}`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

import { downloadIcon } from '@jupyterlab/ui-components';
import React, { useState } from 'react';

import { formatBytes, shortType } from '../formatters';
import { IArtifact } from '../api/runDetailPayloads';
import { describe } from '../queried';
import { RecordTable } from './RecordTable';

/** Props of {@link ArtifactsTable}. */
export interface IArtifactsTableProps {
  /** What the run's cell made, in the cell's order. */
  artifacts: ReadonlyArray<IArtifact> | null | undefined;
  /** Download one as a file (rejects with the server's reason); no button without it. */
  onDownload?: (artifact: IArtifact) => Promise<void>;
}

/** The kinds stored as a file a person can open (the server's `ARTIFACT_FILES`). */
export const DOWNLOADABLE = new Set([
  'keras',
  'numpy',
  'json',
  'keras-history',
  'pickle',
  'cloudpickle'
]);

/** A stored artifact's download button. */
function DownloadButton(props: {
  item: IArtifact;
  onDownload: (artifact: IArtifact) => Promise<void>;
  onError: (message: string | null) => void;
}): JSX.Element | null {
  const { item } = props;
  const [busy, setBusy] = useState(false);
  if (!item.stored || !DOWNLOADABLE.has(item.kind)) {
    return null;
  }
  const label = item.role === 'result' ? 'the cell’s value' : item.name;
  return (
    <button
      type="button"
      className="jp-nbjournal-Button jp-nbjournal-Artifacts-download"
      aria-label={`Download ${label}`}
      title={`Download ${label} as a file${item.kind === 'keras' ? ' (.keras)' : ''}`}
      disabled={busy}
      onClick={() => {
        setBusy(true);
        props.onError(null);
        props
          .onDownload(item)
          .catch(reason => props.onError(describe(reason)))
          .finally(() => setBusy(false));
      }}
    >
      <downloadIcon.react tag="span" className="jp-nbjournal-ButtonIcon" />
    </button>
  );
}

/**
 * What the run's cell made and whether the journal kept it: each name it
 * bound, then its value (`Out`, shown as "the cell's value", left out when
 * the cell ended without one).
 */
export function ArtifactsTable(props: IArtifactsTableProps): JSX.Element {
  const [error, setError] = useState<string | null>(null);
  const rows = (props.artifacts ?? []).filter(
    item => !(item.role === 'result' && item.type === 'NoneType')
  );
  return (
    <>
      {error && (
        <div className="jp-nbjournal-Error" role="alert">
          {error}
        </div>
      )}
      <RecordTable
        label="Artifacts"
        className="jp-nbjournal-Artifacts"
        empty="The run saved nothing."
        headings={['name', 'type', 'size', 'stored']}
        numeric={['size']}
        rows={rows}
        row={(item, index) => (
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
              {props.onDownload && (
                <DownloadButton
                  item={item}
                  onDownload={props.onDownload}
                  onError={setError}
                />
              )}
            </td>
          </tr>
        )}
      />
    </>
  );
}

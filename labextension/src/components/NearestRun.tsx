import React from 'react';

import { INearest } from '../api/runDetailPayloads';

/** Props of {@link NearestRun}. */
export interface INearestRunProps {
  /** What the journal said as the cell started, or null. */
  nearest: INearest | null | undefined;
  /** Open the earlier run. */
  onOpenRun: (id: number) => void;
}

/**
 * The closest earlier run, as the cell said when it started: its line (with
 * a link to the run) and the notes that warn of values already refuted.
 */
export function NearestRun(props: INearestRunProps): JSX.Element | null {
  const { nearest } = props;
  if (!nearest) {
    return null;
  }
  const notes = nearest.notes ?? [];
  return (
    <div className="jp-nbjournal-Nearest" aria-label="Nearest earlier run">
      <p className="jp-nbjournal-Nearest-line">
        <span>{nearest.line}</span>{' '}
        <button
          type="button"
          className="jp-nbjournal-Link"
          title={`Open run #${nearest.run_id}`}
          onClick={() => props.onOpenRun(nearest.run_id)}
        >
          open #{nearest.run_id}
        </button>
      </p>
      {notes.length > 0 && (
        <ul className="jp-nbjournal-Warnings" aria-label="Warnings">
          {notes.map((note, index) => (
            <li key={index} className="jp-nbjournal-Warning">
              ⚠ {note}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

import React from 'react';

import { IChecks } from '../api/runDetailPayloads';

/** Props of {@link ChecksList}. */
export interface IChecksListProps {
  /** The run's checks; an older run has none. */
  checks: IChecks | null | undefined;
}

/** Where a finding was made: `fit 2`, `RandomForestClassifier`. */
function where(item: { fit?: number | null; estimator?: string | null }) {
  if (item.estimator) {
    return item.estimator;
  }
  return typeof item.fit === 'number' ? `fit ${item.fit}` : '';
}

/**
 * What the checks before each `fit` found, one line each (`name: message`),
 * then the checks skipped or silenced, muted: they said nothing.
 */
export function ChecksList(props: IChecksListProps): JSX.Element {
  const findings = props.checks?.findings ?? [];
  const skipped = props.checks?.skipped ?? [];
  const silenced = props.checks?.silenced ?? [];
  if (findings.length + skipped.length + silenced.length === 0) {
    return (
      <p className="jp-nbjournal-Muted">
        {props.checks ? 'No check found anything.' : 'No check was recorded.'}
      </p>
    );
  }
  return (
    <ul className="jp-nbjournal-Checks" aria-label="Checks">
      {findings.map((finding, index) => (
        <li key={`f${index}`} className="jp-nbjournal-Check">
          <span className="jp-nbjournal-Check-name">{finding.name}:</span>{' '}
          <span className="jp-nbjournal-Check-message">{finding.message}</span>
          {where(finding) && (
            <span className="jp-nbjournal-Muted"> ({where(finding)})</span>
          )}
        </li>
      ))}
      {skipped.map((item, index) => (
        <li key={`s${index}`} className="jp-nbjournal-Check jp-mod-muted">
          {item.name}: skipped, {item.reason}
          {where(item) && ` (${where(item)})`}
        </li>
      ))}
      {silenced.length > 0 && (
        <li className="jp-nbjournal-Check jp-mod-muted">
          silenced: {silenced.join(', ')}
        </li>
      )}
    </ul>
  );
}

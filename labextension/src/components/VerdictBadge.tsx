import React from 'react';

import { IInference, RunStatus } from '../tokens';

/** Props of {@link VerdictBadge}. */
export interface IVerdictBadgeProps {
  /** The run's latest inference, or null when nobody wrote one yet. */
  inference: IInference | null;
  /** The run's status: a live run needs no inference yet. */
  status: RunStatus;
}

/**
 * The verdict of a run's latest inference (`supported`, `refuted`,
 * `inconclusive`), `noted` for an inference without verdict, or the prompt
 * `needs inference` for a run that ended and has none.
 */
export function VerdictBadge(props: IVerdictBadgeProps): JSX.Element | null {
  const { inference, status } = props;
  if (inference) {
    const verdict = inference.verdict ?? 'noted';
    return (
      <span
        className={`jp-nbjournal-Badge jp-nbjournal-verdict-${verdict}`}
        title={`verdict: ${verdict}`}
      >
        {verdict}
      </span>
    );
  }
  if (status === 'running') {
    return null;
  }
  return (
    <span
      className="jp-nbjournal-Badge jp-nbjournal-needs-inference"
      title="Nobody has written an inference about this run yet"
    >
      needs inference
    </span>
  );
}

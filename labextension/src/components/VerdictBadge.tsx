import React from 'react';

import {
  IGridInference,
  IInference,
  RunStatus,
  Verdict
} from '../api/runPayloads';

/** Props of {@link VerdictBadge}. */
export interface IVerdictBadgeProps {
  /** The run's latest inference, or null when nobody wrote one yet. */
  inference: IInference | null;
  /** The run's status: a live run needs no inference yet. */
  status: RunStatus;
  /**
   * The run's verdict (the latest inference that gave one); the latest
   * inference's own when the server does not send it.
   */
  verdict?: Verdict | null;
  /**
   * The newest inference on a grid the run is a point of: without one of its
   * own, the run shows that verdict, marked as the grid's, and needs none.
   */
  gridInference?: IGridInference | null;
}

/**
 * The run's verdict (`supported`, `refuted`, `inconclusive`: the latest one
 * given, a later note without a verdict keeps it), `noted` for inferences
 * without any verdict, else its grid's verdict marked `(grid #N)` when a grid
 * it is a point of has an inference, or the prompt `needs inference` for a run
 * that ended with neither (the server's `inference:none`).
 */
export function VerdictBadge(props: IVerdictBadgeProps): JSX.Element | null {
  const { inference, status } = props;
  if (inference || props.verdict) {
    const given =
      props.verdict === undefined ? inference?.verdict : props.verdict;
    const verdict = given ?? 'noted';
    return (
      <span
        className={`jp-nbjournal-Badge jp-nbjournal-verdict-${verdict}`}
        title={`verdict: ${verdict}`}
      >
        {verdict}
      </span>
    );
  }
  const grid = props.gridInference;
  if (grid) {
    const verdict = grid.verdict ?? 'noted';
    return (
      <span
        className={`jp-nbjournal-Badge jp-nbjournal-verdict-${verdict}`}
        title={`verdict on grid #${grid.grid_id} as a whole: ${verdict}`}
      >
        {verdict} (grid #{grid.grid_id})
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

/** Props of {@link NoiseVerdictBadge}. */
export interface INoiseVerdictBadgeProps {
  /** The words: `better`, `worse`, `within noise`, `needs 2 more repeats`, `best`. */
  text: string;
  /** Its colour: `best` (better), `worse`, `noise`, `needs`, `none`. */
  kind: 'best' | 'worse' | 'noise' | 'needs' | 'none';
  /** The evidence in words. */
  title?: string;
}

/**
 * The comparison rule's verdict on a difference (docs/statistics.md), as the
 * compare view and the grouped experiment page show it.
 */
export function NoiseVerdictBadge(props: INoiseVerdictBadgeProps): JSX.Element {
  return (
    <span
      className={`jp-nbjournal-Badge jp-nbjournal-repeats-${props.kind}`}
      title={props.title}
      data-verdict={props.text}
    >
      {props.text}
    </span>
  );
}

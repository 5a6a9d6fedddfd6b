import React from 'react';

import { PIN_LIMIT } from '../pins';

/** A push pin (Material's `push_pin`), in the text's colour. */
export function PinIcon(props: { size?: number }): JSX.Element {
  const size = props.size ?? 14;
  return (
    <svg viewBox="0 0 24 24" width={size} height={size} aria-hidden="true">
      <path d="M16 9V4h1c.55 0 1-.45 1-1s-.45-1-1-1H7c-.55 0-1 .45-1 1s.45 1 1 1h1v5c0 1.66-1.34 3-3 3v2h5.97v7l1 1 1-1v-7H19v-2c-1.66 0-3-1.34-3-3z" />
    </svg>
  );
}

/** A row's pin in the runs table, filled when the run is pinned. */
export function PinButton(props: {
  id: number;
  pinned: boolean;
  disabled: boolean;
  onToggle: (id: number) => void;
}): JSX.Element {
  const { id, pinned } = props;
  return (
    <button
      type="button"
      className="jp-nbjournal-PinButton"
      aria-pressed={pinned}
      aria-label={pinned ? `Unpin run #${id}` : `Pin run #${id}`}
      title={
        pinned
          ? `Unpin run #${id}`
          : props.disabled
            ? `At most ${PIN_LIMIT} runs are pinned: unpin one first`
            : `Pin run #${id} to the top of the table, whatever the sort and query`
      }
      disabled={!pinned && props.disabled}
      onClick={event => {
        event.stopPropagation();
        props.onToggle(id);
      }}
    >
      <PinIcon />
    </button>
  );
}

/**
 * The run view's pin: keeps the run at the top of its experiment's page
 * (the page, open or not, shows it there), or takes it off.
 */
export function RunPinButton(props: {
  id: number;
  experiment: string;
  pinned: boolean;
  /** False when the page holds as many pins as it can. */
  canPin: boolean;
  onToggle: () => void;
}): JSX.Element {
  const { id, experiment, pinned } = props;
  const full = !pinned && !props.canPin;
  return (
    <button
      type="button"
      className="jp-nbjournal-Button jp-nbjournal-RunPinButton"
      data-pinned={pinned || undefined}
      disabled={full}
      title={
        pinned
          ? `Take run #${id} off the top of the page of ${experiment}`
          : full
            ? `At most ${PIN_LIMIT} runs are pinned on the page of ${experiment}: unpin one first`
            : `Keep run #${id} at the top of the page of ${experiment}, whatever its sort and query`
      }
      onClick={() => props.onToggle()}
    >
      <span className="jp-nbjournal-ButtonIcon">
        <PinIcon size={16} />
      </span>
      <span>{pinned ? 'Unpin' : 'Pin'}</span>
    </button>
  );
}

import React from 'react';

/** Props of {@link MirrorsButton}. */
export interface IMirrorsButtonProps {
  /** The parameter kept (`lr`). */
  name: string;
  /** The parameters that only mirror it (`optimizer.learning_rate`). */
  mirrors: ReadonlyArray<string>;
  /** Whether they are shown beside it. */
  shown: boolean;
  /** Show or hide them. */
  onToggle: () => void;
}

/**
 * `+1` beside a parameter's heading: the parameters that carry the same
 * information (issue 22.7), shown beside it on a click.
 */
export function MirrorsButton(props: IMirrorsButtonProps): JSX.Element {
  const names = props.mirrors.join(', ');
  return (
    <button
      type="button"
      className="jp-nbjournal-MirrorsButton"
      aria-pressed={props.shown}
      title={`${names} ${props.mirrors.length === 1 ? 'mirrors' : 'mirror'} ${props.name} (the same information): ${props.shown ? 'hide' : 'show'}`}
      onClick={props.onToggle}
    >
      {props.shown ? '−' : '+'}
      {props.mirrors.length}
    </button>
  );
}

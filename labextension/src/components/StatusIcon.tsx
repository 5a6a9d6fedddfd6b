import {
  checkIcon,
  closeIcon,
  errorIcon,
  LabIcon,
  stopIcon
} from '@jupyterlab/ui-components';
import React from 'react';

import { RunStatus } from '../api/runPayloads';

/** Props of {@link StatusIcon}. */
export interface IStatusIconProps {
  /** The run's status. */
  status: RunStatus;
}

const ICONS: { [status: string]: LabIcon } = {
  finished: checkIcon,
  failed: closeIcon,
  interrupted: stopIcon,
  crashed: errorIcon
};

/**
 * A run's status at a glance: a pulsing dot while it runs (the live marker),
 * otherwise JupyterLab's icon for the outcome. The status is also its
 * accessible name, so colour is never the only cue.
 */
export function StatusIcon(props: IStatusIconProps): JSX.Element {
  const { status } = props;
  const className = `jp-nbjournal-StatusIcon jp-nbjournal-status-${status}`;
  if (status === 'running') {
    return (
      <span
        className={className}
        role="img"
        aria-label="running"
        title="running"
      >
        <span className="jp-nbjournal-LiveDot" />
      </span>
    );
  }
  const icon = ICONS[status] ?? errorIcon;
  return (
    <span className={className} role="img" aria-label={status} title={status}>
      <icon.react tag="span" width="14px" height="14px" />
    </span>
  );
}

import { linkIcon } from '@jupyterlab/ui-components';
import React from 'react';

/** A button that copies a link to the page as it is (query, sort, grouping). */
export function ViewLinkButton(props: { onCopy: () => void }): JSX.Element {
  return (
    <button
      type="button"
      className="jp-nbjournal-Button"
      title="Copy a link that opens this page with this query, sort and grouping"
      onClick={props.onCopy}
    >
      <linkIcon.react tag="span" className="jp-nbjournal-ButtonIcon" />
      <span>Copy link</span>
    </button>
  );
}

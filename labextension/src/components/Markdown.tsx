import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React from 'react';

import { MimeView } from './MimeView';

/** Props of {@link Markdown}. */
export interface IMarkdownProps {
  /** Markdown that a person wrote. */
  source: string;
  /** JupyterLab's renderers; without them the text is shown as it is. */
  rendermime: IRenderMimeRegistry | null;
}

/**
 * A person's markdown, rendered by JupyterLab's markdown renderer as an
 * untrusted output (so through its HTML sanitizer), or as plain text.
 */
export function Markdown(props: IMarkdownProps): JSX.Element {
  if (!props.rendermime) {
    return <div className="jp-nbjournal-PlainText">{props.source}</div>;
  }
  return (
    <MimeView
      rendermime={props.rendermime}
      mimeType="text/markdown"
      data={props.source}
      className="jp-nbjournal-Markdown"
      fallback={props.source}
    />
  );
}

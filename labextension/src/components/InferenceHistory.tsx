import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React from 'react';

import { absoluteTime, relativeTime } from '../formatters';
import { Markdown } from './Markdown';
import { IInferenceVersion } from '../api/runPayloads';

/** Props of {@link InferenceHistory}. */
export interface IInferenceHistoryProps {
  /** The replaced and deleted versions, oldest first. */
  history: ReadonlyArray<IInferenceVersion>;
  /** JupyterLab's renderers, for the markdown. */
  rendermime: IRenderMimeRegistry | null;
  /** The current time, in seconds since the epoch. */
  now: number;
}

/**
 * What the run's inferences said before they were edited or deleted, newest
 * change first, folded: a conclusion changed later never hides what it was.
 */
export function InferenceHistory(props: IInferenceHistoryProps): JSX.Element {
  const versions = [...props.history].reverse();
  return (
    <details className="jp-nbjournal-InferenceHistory">
      <summary>
        Earlier versions ({versions.length}): edited or deleted inferences
      </summary>
      <ol aria-label="Earlier versions of the inferences">
        {versions.map((version, index) => (
          <li
            key={`${version.inference_id}-${version.replaced}-${index}`}
            className="jp-nbjournal-InferenceHistory-version"
            data-action={version.action}
          >
            <div className="jp-nbjournal-Inference-meta">
              <span
                className={`jp-nbjournal-Badge jp-nbjournal-verdict-${
                  version.verdict ?? 'noted'
                }`}
              >
                {version.verdict ?? 'noted'}
              </span>
              <span title={absoluteTime(version.replaced)}>
                {version.action} {relativeTime(version.replaced, props.now)}
              </span>
              <span className="jp-nbjournal-Muted">
                written {relativeTime(version.created, props.now)}
              </span>
            </div>
            <Markdown source={version.text} rendermime={props.rendermime} />
          </li>
        ))}
      </ol>
    </details>
  );
}

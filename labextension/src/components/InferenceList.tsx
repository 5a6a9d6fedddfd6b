import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React from 'react';

import { absoluteTime, relativeTime } from '../formatters';
import { Markdown } from './Markdown';
import { IInference } from '../api/types';

/** Props of {@link InferenceList}. */
export interface IInferenceListProps {
  /** The run's inferences, oldest first. */
  inferences: ReadonlyArray<IInference>;
  /** JupyterLab's renderers, for the markdown. */
  rendermime: IRenderMimeRegistry | null;
  /** The current time, in seconds since the epoch. */
  now: number;
}

/** The conclusions written about a run, each with its verdict. */
export function InferenceList(props: IInferenceListProps): JSX.Element {
  if (props.inferences.length === 0) {
    return (
      <p className="jp-nbjournal-Muted jp-nbjournal-NeedsInference">
        No inference yet: what does this run tell you?
      </p>
    );
  }
  return (
    <ol className="jp-nbjournal-InferenceList" aria-label="Inferences">
      {props.inferences.map(inference => (
        <li
          key={inference.id}
          className="jp-nbjournal-Inference"
          data-inference-id={inference.id}
        >
          <div className="jp-nbjournal-Inference-meta">
            <span
              className={`jp-nbjournal-Badge jp-nbjournal-verdict-${
                inference.verdict ?? 'noted'
              }`}
            >
              {inference.verdict ?? 'noted'}
            </span>
            <span title={absoluteTime(inference.created)}>
              {relativeTime(inference.created, props.now)}
            </span>
            {inference.author && <span>by {inference.author}</span>}
          </div>
          <Markdown source={inference.text} rendermime={props.rendermime} />
        </li>
      ))}
    </ol>
  );
}

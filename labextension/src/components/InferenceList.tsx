import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React, { useState } from 'react';

import { absoluteTime, relativeTime } from '../formatters';
import { InferenceForm } from './InferenceForm';
import { InferenceHistory } from './InferenceHistory';
import { Markdown } from './Markdown';
import { IInference, IInferenceVersion, Verdict } from '../api/runPayloads';

/** Props of {@link InferenceList}. */
export interface IInferenceListProps {
  /** The run's inferences, oldest first. */
  inferences: ReadonlyArray<IInference>;
  /** JupyterLab's renderers, for the markdown. */
  rendermime: IRenderMimeRegistry | null;
  /** The current time, in seconds since the epoch. */
  now: number;
  /** Earlier versions of the inferences (edited or deleted), oldest first. */
  history?: ReadonlyArray<IInferenceVersion>;
  /** Change an inference (rejects with the server's reason); read-only without it. */
  onEdit?: (id: number, text: string, verdict: Verdict | null) => Promise<void>;
  /** Withdraw an inference (rejects with the server's reason). */
  onDelete?: (id: number) => Promise<void>;
}

/** An inference's verdict, when it was written and whether it was edited since. */
function InferenceMeta(props: {
  inference: IInference;
  now: number;
}): JSX.Element {
  const { inference, now } = props;
  return (
    <>
      <span
        className={`jp-nbjournal-Badge jp-nbjournal-verdict-${
          inference.verdict ?? 'noted'
        }`}
      >
        {inference.verdict ?? 'noted'}
      </span>
      <span title={absoluteTime(inference.created)}>
        {relativeTime(inference.created, now)}
      </span>
      {inference.edited !== null && (
        <span
          className="jp-nbjournal-Inference-edited"
          title={`edited ${absoluteTime(inference.edited)}; the earlier text is kept below`}
        >
          edited {relativeTime(inference.edited, now)}
        </span>
      )}
      {inference.author && <span>by {inference.author}</span>}
    </>
  );
}

/**
 * The conclusions written about a run, each with its verdict; each can be
 * edited or deleted, what it said before being kept in the history below.
 */
export function InferenceList(props: IInferenceListProps): JSX.Element {
  const [editing, setEditing] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const history = props.history ?? [];
  const remove = async (id: number): Promise<void> => {
    setError(null);
    try {
      await props.onDelete?.(id);
    } catch (reason) {
      setError(reason instanceof Error ? reason.message : String(reason));
    }
  };
  return (
    <>
      {props.inferences.length === 0 ? (
        <p className="jp-nbjournal-Muted jp-nbjournal-NeedsInference">
          No inference yet: what does this run tell you?
        </p>
      ) : (
        <ol className="jp-nbjournal-InferenceList" aria-label="Inferences">
          {props.inferences.map(inference => (
            <li
              key={inference.id}
              className="jp-nbjournal-Inference"
              data-inference-id={inference.id}
            >
              <div className="jp-nbjournal-Inference-meta">
                <InferenceMeta inference={inference} now={props.now} />
                <span className="jp-nbjournal-RunItem-spacer" />
                {props.onEdit && editing !== inference.id && (
                  <button
                    type="button"
                    className="jp-nbjournal-Link"
                    onClick={() => setEditing(inference.id)}
                    aria-label="Edit this inference"
                    title="Change this inference; what it says now is kept in the history"
                  >
                    Edit
                  </button>
                )}
                {props.onDelete && (
                  <button
                    type="button"
                    className="jp-nbjournal-Link"
                    onClick={() => void remove(inference.id)}
                    aria-label="Delete this inference"
                    title="Withdraw this inference; its text is kept in the history"
                  >
                    Delete
                  </button>
                )}
              </div>
              {editing === inference.id && props.onEdit ? (
                <InferenceForm
                  runId={inference.run_id}
                  formId={`edit-${inference.id}`}
                  initial={{ text: inference.text, verdict: inference.verdict }}
                  onCancel={() => setEditing(null)}
                  onSubmit={async (text, verdict) => {
                    await props.onEdit?.(inference.id, text, verdict);
                    setEditing(null);
                  }}
                />
              ) : (
                <Markdown
                  source={inference.text}
                  rendermime={props.rendermime}
                />
              )}
            </li>
          ))}
        </ol>
      )}
      {error && (
        <div className="jp-nbjournal-Error" role="alert">
          {error}
        </div>
      )}
      {history.length > 0 && (
        <InferenceHistory
          history={history}
          rendermime={props.rendermime}
          now={props.now}
        />
      )}
    </>
  );
}

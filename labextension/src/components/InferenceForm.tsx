import React, { useState } from 'react';

import { Verdict, VERDICTS } from '../api/runPayloads';

/** Props of {@link InferenceForm}. */
export interface IInferenceFormProps {
  /** The run the inference is about (names the fields). */
  runId: number;
  /** What the ids of its fields are made unique with; `run-{runId}` by default. */
  formId?: string;
  /** Record the inference; rejects with the server's reason. */
  onSubmit: (text: string, verdict: Verdict | null) => Promise<void>;
  /** Editing one already recorded: its text and verdict to start from. */
  initial?: { text: string; verdict: Verdict | null };
  /** Leave the edit unchanged; the form shows a Cancel button with it. */
  onCancel?: () => void;
}

/**
 * Write an inference: markdown text and an optional verdict. Ctrl/Cmd+Enter
 * records it; the form empties once the journal holds it.
 */
export function InferenceForm(props: IInferenceFormProps): JSX.Element {
  const editing = props.initial !== undefined;
  const [text, setText] = useState(props.initial?.text ?? '');
  const [verdict, setVerdict] = useState<Verdict | ''>(
    props.initial?.verdict ?? ''
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const key = props.formId ?? String(props.runId);
  const textId = `jp-nbjournal-inference-text-${key}`;
  const verdictId = `jp-nbjournal-inference-verdict-${key}`;

  const submit = async (): Promise<void> => {
    if (!text.trim() || busy) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(text.trim(), verdict === '' ? null : verdict);
      if (!editing) {
        setText('');
        setVerdict('');
      }
    } catch (reason) {
      setError(reason instanceof Error ? reason.message : String(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="jp-nbjournal-InferenceForm"
      aria-label={editing ? 'Edit the inference' : 'Add an inference'}
      onSubmit={event => {
        event.preventDefault();
        void submit();
      }}
    >
      <label htmlFor={textId} className="jp-nbjournal-Label">
        {editing ? 'What do you conclude now?' : 'What do you conclude?'}{' '}
        <span className="jp-nbjournal-Muted">(markdown)</span>
      </label>
      <textarea
        id={textId}
        className="jp-mod-styled jp-nbjournal-InferenceForm-text"
        rows={3}
        value={text}
        placeholder="The MLP reached 97 %; depth is not the bottleneck here."
        onChange={event => setText(event.currentTarget.value)}
        onKeyDown={event => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            void submit();
          }
        }}
      />
      <div className="jp-nbjournal-InferenceForm-row">
        <label htmlFor={verdictId} className="jp-nbjournal-Label">
          Verdict
        </label>
        <select
          id={verdictId}
          className="jp-mod-styled jp-nbjournal-InferenceForm-verdict"
          value={verdict}
          onChange={event =>
            setVerdict(event.currentTarget.value as Verdict | '')
          }
        >
          <option value="">no verdict</option>
          {VERDICTS.map(one => (
            <option key={one} value={one}>
              {one}
            </option>
          ))}
        </select>
        <span className="jp-nbjournal-RunItem-spacer" />
        {props.onCancel && (
          <button
            type="button"
            className="jp-mod-styled jp-mod-reject"
            onClick={props.onCancel}
          >
            Cancel
          </button>
        )}
        <button
          type="submit"
          className="jp-mod-styled jp-mod-accept"
          disabled={busy || !text.trim()}
          title={
            editing
              ? 'Save the new text; the old one stays in the history (Ctrl+Enter)'
              : 'Record the inference (Ctrl+Enter)'
          }
        >
          {busy ? 'Saving…' : editing ? 'Save' : 'Add inference'}
        </button>
      </div>
      {error && (
        <div className="jp-nbjournal-Error" role="alert">
          {error}
        </div>
      )}
    </form>
  );
}

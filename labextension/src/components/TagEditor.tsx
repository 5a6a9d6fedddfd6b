import React, { useState } from 'react';

import { describe } from '../queried';

/** Props of {@link TagEditor}. */
export interface ITagEditorProps {
  /** The run's tags (none for a selection of runs). */
  tags: ReadonlyArray<string>;
  /** Add and remove tags (rejects with the server's one-line reason). */
  onEdit: (
    add: ReadonlyArray<string>,
    remove: ReadonlyArray<string>
  ) => Promise<void>;
  /** What the input's label says (`Tag run #12`, `Tag 3 selected runs`). */
  label: string;
  /** Show the tags as chips with a remove button (a run), or only the input (a selection). */
  showTags?: boolean;
}

/**
 * `+a -b c` as `{add: [a, c], remove: [b]}`: the reading of `%journal tag`
 * and `nbjournal tag` (a bare word is added).
 */
export function tagChanges(text: string): { add: string[]; remove: string[] } {
  const add: string[] = [];
  const remove: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (word.startsWith('-')) {
      remove.push(word.slice(1));
    } else {
      add.push(word.startsWith('+') ? word.slice(1) : word);
    }
  }
  return { add: add.filter(Boolean), remove: remove.filter(Boolean) };
}

/**
 * A run's tags after the fact: each tag with a remove button, and a box
 * that takes `+tag -tag` as the command line does. The rule of what a tag
 * may be is the server's; its refusal is shown here, and nothing changes.
 */
export function TagEditor(props: ITagEditorProps): JSX.Element {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const edit = (add: string[], remove: string[]): void => {
    setBusy(true);
    setError(null);
    props
      .onEdit(add, remove)
      .then(() => setText(''))
      .catch(reason => setError(describe(reason)))
      .finally(() => setBusy(false));
  };

  return (
    <span className="jp-nbjournal-TagEditor">
      {props.showTags !== false &&
        props.tags.map(tag => (
          <span key={tag} className="jp-nbjournal-Tag" data-tag={tag}>
            {tag}
            <button
              type="button"
              className="jp-nbjournal-Tag-remove"
              aria-label={`Remove tag ${tag}`}
              title={`Remove tag ${tag}`}
              disabled={busy}
              onClick={() => edit([], [tag])}
            >
              ×
            </button>
          </span>
        ))}
      <form
        className="jp-nbjournal-TagEditor-form"
        onSubmit={event => {
          event.preventDefault();
          const { add, remove } = tagChanges(text);
          if (add.length + remove.length > 0) {
            edit(add, remove);
          }
        }}
      >
        <input
          type="text"
          className="jp-nbjournal-TagEditor-input"
          aria-label={props.label}
          title={`${props.label}: +tag adds, -tag removes (as %journal tag)`}
          placeholder="+tag -tag"
          value={text}
          disabled={busy}
          maxLength={400}
          onChange={event => setText(event.currentTarget.value)}
        />
      </form>
      {error && (
        <span
          className="jp-nbjournal-Error jp-nbjournal-TagEditor-error"
          role="alert"
        >
          {error}
        </span>
      )}
    </span>
  );
}

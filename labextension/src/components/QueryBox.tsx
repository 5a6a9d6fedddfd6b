import { InputGroup } from '@jupyterlab/ui-components';
import React, { useEffect, useRef, useState } from 'react';

import { IVocabulary } from '../api/experimentPayloads';
import { accept, ISuggestion, ISuggestions, suggest } from '../querySuggest';

/** Props of {@link QueryBox}. */
export interface IQueryBoxProps {
  /** The query the table shows. */
  query: string;
  /** Why the server refused the query, or null. */
  error: string | null;
  /** Run a query (after a pause in typing, or on Enter). */
  onQuery: (query: string) => void;
  /** How long a pause in typing runs the query (ms). */
  delay?: number;
  /** The id of the line under the box (unique in the page). */
  helpId: string;
  /** What the experiment's runs name, to complete as you type (null: not read yet). */
  vocabulary?: IVocabulary | null;
  /** Asked when the box takes the focus: read the vocabulary (anew). */
  onFocus?: () => void;
}

/** What the box offers as an example. */
export const QUERY_EXAMPLE =
  'lr=0.003 units>=64 val_accuracy>0.97 verdict:refuted';

/** Whether a key takes an offer: Tab (the first unless one is picked), Enter once one is picked. */
function taking(event: React.KeyboardEvent, active: number): boolean {
  return (
    (event.key === 'Tab' && !event.shiftKey) ||
    (event.key === 'Enter' && active >= 0)
  );
}

/** The list of offers under the box (a listbox the input controls). */
function SuggestionList(props: {
  id: string;
  offers: ISuggestions;
  active: number;
  onPick: (item: ISuggestion) => void;
}): JSX.Element {
  return (
    <ul
      id={props.id}
      role="listbox"
      aria-label="Completions"
      className="jp-nbjournal-QueryBox-suggestions"
    >
      {props.offers.items.map((item, index) => (
        <li
          key={`${item.detail}:${item.label}`}
          id={`${props.id}-${index}`}
          role="option"
          aria-selected={index === props.active}
          className="jp-nbjournal-QueryBox-suggestion"
          onMouseDown={event => {
            event.preventDefault(); // keep the focus in the box
            props.onPick(item);
          }}
        >
          <code>{item.label}</code>
          <span className="jp-nbjournal-Muted">{item.detail}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The experiment page's query: `lr=0.003 units>=64 val_accuracy>0.97
 * verdict:refuted status:failed tag:baseline #123` and free text. A query
 * the server refuses is said under the box, and the table stays as it was.
 */
export function QueryBox(props: IQueryBoxProps): JSX.Element {
  const { onQuery, delay = 400 } = props;
  const [text, setText] = useState(props.query);
  const timer = useRef<number | null>(null);
  // the query as last sent or shown: a query set elsewhere (the trash toggle) shows here
  const shown = useRef(props.query);
  // the page's query as last seen: only a change of it is a query set elsewhere (not
  // the page keeping its query while a refused one stays in the box)
  const given = useRef(props.query);
  useEffect(() => {
    const changed = props.query.trim() !== given.current.trim();
    given.current = props.query;
    if (changed && props.query.trim() !== shown.current.trim()) {
      shown.current = props.query;
      setText(props.query);
    }
  }, [props.query]);

  useEffect(
    () => () => {
      if (timer.current !== null) {
        window.clearTimeout(timer.current);
      }
    },
    []
  );

  const run = (value: string, after: number): void => {
    if (timer.current !== null) {
      window.clearTimeout(timer.current);
      timer.current = null;
    }
    if (after <= 0) {
      shown.current = value;
      onQuery(value);
    } else {
      timer.current = window.setTimeout(() => {
        timer.current = null;
        shown.current = value;
        onQuery(value);
      }, after);
    }
  };

  // the offers for the word at the caret; `active` is -1 until arrows pick one
  const [caret, setCaret] = useState<number | null>(null);
  const [active, setActive] = useState(-1);
  const [closed, setClosed] = useState(false);
  const offers =
    caret === null || closed
      ? null
      : suggest(text, caret, props.vocabulary ?? null);
  const listId = `${props.helpId}-completions`;
  const input = useRef<HTMLInputElement | null>(null);

  const type = (value: string, at: number | null): void => {
    setText(value);
    setCaret(at);
    setActive(-1);
    setClosed(false);
    // a word being completed (`va`) is not run as text: Enter or a pause after it runs
    const completing =
      at !== null && suggest(value, at, props.vocabulary ?? null) !== null;
    run(value, completing ? delay * 4 : delay);
  };
  const pick = (item: ISuggestion): void => {
    if (!offers) {
      return;
    }
    const taken = accept(text, offers, item);
    type(taken.text, taken.caret);
    window.requestAnimationFrame(() =>
      input.current?.setSelectionRange(taken.caret, taken.caret)
    );
  };
  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>): void => {
    const count = offers?.items.length ?? 0;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (count) {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        const next = active + step;
        setActive(next >= count ? -1 : next < -1 ? count - 1 : next);
      }
    } else if (offers && taking(event, active)) {
      event.preventDefault();
      pick(offers.items[Math.max(active, 0)]);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      setClosed(true);
      run(text, 0);
    } else if (event.key === 'Escape' && offers) {
      event.preventDefault();
      setClosed(true);
    } else if (event.key === 'Escape' && text) {
      event.preventDefault();
      setText('');
      run('', 0);
    }
  };

  return (
    <div className="jp-nbjournal-QueryBox" role="search">
      <div className="jp-nbjournal-QueryBox-field">
        <InputGroup
          className="jp-nbjournal-QueryBox-input"
          type="search"
          inputRef={input}
          placeholder={QUERY_EXAMPLE}
          aria-label="Query the runs"
          aria-invalid={props.error !== null}
          aria-describedby={props.helpId}
          aria-autocomplete="list"
          aria-controls={offers ? listId : undefined}
          aria-activedescendant={
            offers && active >= 0 ? `${listId}-${active}` : undefined
          }
          autoComplete="off"
          spellCheck={false}
          title="Filter: name=value, name>=value (parameters and metrics), name in (a, b), … OR …, verdict:…, status:…, tag:…, #id, and free text"
          rightIcon="ui-components:search"
          value={text}
          onFocus={() => props.onFocus?.()}
          onBlur={() => setCaret(null)}
          onChange={event =>
            type(event.currentTarget.value, event.currentTarget.selectionStart)
          }
          onSelect={event => setCaret(event.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
        />
        {offers && (
          <SuggestionList
            id={listId}
            offers={offers}
            active={active}
            onPick={pick}
          />
        )}
      </div>
      {props.error !== null ? (
        <div
          id={props.helpId}
          className="jp-nbjournal-QueryBox-error"
          role="alert"
        >
          {props.error}
        </div>
      ) : (
        <div id={props.helpId} className="jp-nbjournal-Muted">
          e.g. <code>{QUERY_EXAMPLE}</code>, <code>status:failed</code>,{' '}
          <code>tag:baseline</code>, <code>#123</code>
        </div>
      )}
    </div>
  );
}

import { InputGroup } from '@jupyterlab/ui-components';
import React, { useEffect, useRef, useState } from 'react';

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
}

/** What the box offers as an example. */
export const QUERY_EXAMPLE =
  'lr=0.003 units>=64 val_accuracy>0.97 verdict:refuted';

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
  useEffect(() => {
    if (props.query !== shown.current) {
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

  return (
    <div className="jp-nbjournal-QueryBox" role="search">
      <InputGroup
        className="jp-nbjournal-QueryBox-input"
        type="search"
        placeholder={QUERY_EXAMPLE}
        aria-label="Query the runs"
        aria-invalid={props.error !== null}
        aria-describedby={props.helpId}
        title="Filter: name=value, name>=value (parameters and metrics), verdict:…, status:…, tag:…, #id, and free text"
        rightIcon="ui-components:search"
        value={text}
        onChange={event => {
          const value = event.currentTarget.value;
          setText(value);
          run(value, delay);
        }}
        onKeyDown={event => {
          if (event.key === 'Enter') {
            event.preventDefault();
            run(text, 0);
          } else if (event.key === 'Escape' && text) {
            event.preventDefault();
            setText('');
            run('', 0);
          }
        }}
      />
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

import { addBelowIcon, copyIcon } from '@jupyterlab/ui-components';
import React, { useEffect, useRef, useState } from 'react';

/** Props of {@link CodeBlock}. */
export interface ICodeBlockProps {
  /** The code, shown read-only. */
  code: string;
  /** Fill `element` with the code highlighted; without it, plain text. */
  highlight?: (code: string, element: HTMLElement) => Promise<void>;
  /** Copy the code to the clipboard. */
  onCopy: (code: string) => void;
  /** Insert the code in a new cell below the active cell of the current notebook. */
  onInsert: (code: string) => void;
  /** Whether a notebook is open to insert into. */
  canInsert: boolean;
}

/**
 * A run's code, read-only and highlighted by JupyterLab's editor languages,
 * with "Copy" and "Insert into notebook".
 */
export function CodeBlock(props: ICodeBlockProps): JSX.Element {
  const { code, highlight } = props;
  const element = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    const node = element.current;
    if (!node) {
      return;
    }
    node.textContent = code;
    if (!highlight) {
      return;
    }
    let cancelled = false;
    const target = document.createElement('code');
    highlight(code, target)
      .then(() => {
        if (!cancelled) {
          node.replaceChildren(...Array.from(target.childNodes));
        }
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [code, highlight]);

  useEffect(() => {
    if (!copied) {
      return;
    }
    const timer = window.setTimeout(() => setCopied(false), 1500);
    return () => window.clearTimeout(timer);
  }, [copied]);

  return (
    <div className="jp-nbjournal-CodeBlock">
      <div className="jp-nbjournal-CodeBlock-actions">
        <button
          type="button"
          className="jp-nbjournal-Button"
          onClick={() => {
            props.onCopy(code);
            setCopied(true);
          }}
          title="Copy the code to the clipboard"
        >
          <copyIcon.react tag="span" className="jp-nbjournal-ButtonIcon" />
          <span>{copied ? 'Copied' : 'Copy'}</span>
        </button>
        <button
          type="button"
          className="jp-nbjournal-Button"
          disabled={!props.canInsert}
          onClick={() => props.onInsert(code)}
          title={
            props.canInsert
              ? 'Insert the code in a new cell below the active cell'
              : 'Open a notebook to insert the code into'
          }
        >
          <addBelowIcon.react tag="span" className="jp-nbjournal-ButtonIcon" />
          <span>Insert into notebook</span>
        </button>
      </div>
      <pre
        className="jp-nbjournal-Code cm-s-jupyter"
        aria-label="Code of the run"
      >
        <code ref={element} />
      </pre>
    </div>
  );
}

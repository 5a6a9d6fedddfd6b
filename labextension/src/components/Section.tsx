import React from 'react';

/** Props of {@link Section}. */
export interface ISectionProps {
  /** The heading. */
  title: string;
  /** A word after the heading (a count, a hint). */
  note?: string;
  /** Buttons at the right of the heading. */
  actions?: React.ReactNode;
  /** The content. */
  children?: React.ReactNode;
  /** A name for tests and styles: `data-section`. */
  name: string;
}

/** A titled part of a run view or a comparison. */
export function Section(props: ISectionProps): JSX.Element {
  const headingId = `jp-nbjournal-section-${props.name}`;
  return (
    <section
      className="jp-nbjournal-Section"
      data-section={props.name}
      aria-labelledby={headingId}
    >
      <div className="jp-nbjournal-Section-header">
        <h2 id={headingId} className="jp-nbjournal-Section-title">
          {props.title}
          {props.note && (
            <span className="jp-nbjournal-Section-note">{props.note}</span>
          )}
        </h2>
        {props.actions && (
          <div className="jp-nbjournal-Section-actions">{props.actions}</div>
        )}
      </div>
      {props.children}
    </section>
  );
}

import React from 'react';

/** Props of {@link EmptyState}. */
export interface IEmptyStateProps {
  /** Whether a search or a filter hides runs (rather than the journal being empty). */
  filtered: boolean;
  /** Clear the search and the filter. */
  onClearFilters?: () => void;
}

const LOAD = '%load_ext nbjournal';
const EXPERIMENT = `%%experiment digits-mlp --tag baseline
# Hypothesis: one hidden layer of 64 units reaches 95 % accuracy.
units = 64
model.fit(X_train, y_train, validation_split=0.2, epochs=20)`;

/**
 * What the sidebar shows when it has no run to list: how to record a first
 * experiment, or, when a search hides everything, a way back.
 */
export function EmptyState(props: IEmptyStateProps): JSX.Element {
  if (props.filtered) {
    return (
      <div className="jp-nbjournal-EmptyState" role="status">
        <p className="jp-nbjournal-EmptyState-title">No run matches.</p>
        {props.onClearFilters && (
          <button
            type="button"
            className="jp-mod-styled jp-mod-reject jp-nbjournal-ClearFilters"
            onClick={props.onClearFilters}
          >
            Clear search
          </button>
        )}
      </div>
    );
  }
  return (
    <div className="jp-nbjournal-EmptyState" role="status">
      <p className="jp-nbjournal-EmptyState-title">No experiment yet.</p>
      <p>In a notebook, load the extension once:</p>
      <pre className="jp-nbjournal-Snippet">{LOAD}</pre>
      <p>
        then start a cell with <code>%%experiment NAME</code>, and write your
        hypothesis as its first comment:
      </p>
      <pre className="jp-nbjournal-Snippet">{EXPERIMENT}</pre>
      <p>Each run appears here, live while it trains.</p>
    </div>
  );
}

import React, { useState } from 'react';

import { EmptyState } from './EmptyState';
import { ExperimentGroup } from './ExperimentGroup';
import { useNow } from '../hooks';
import { JournalModel } from '../model';
import { SearchBar } from './SearchBar';

/** Props of {@link Sidebar}. */
export interface ISidebarProps {
  /** The journal's state; the caller re-renders on its `stateChanged`. */
  model: JournalModel;
  /** Open a run in the main area. */
  onOpen: (id: number) => void;
  /** Open an experiment's page in the main area. */
  onOpenExperiment?: (name: string) => void;
  /** Open a grid in the main area. */
  onOpenGrid?: (id: number) => void;
  /** Open a comparison of runs. */
  onCompare: (ids: ReadonlyArray<number>) => void;
}

/**
 * The Journal panel: search and status filter, the experiments (collapsible,
 * newest activity first) with their runs, and a bar to compare the selected
 * runs.
 */
export function Sidebar(props: ISidebarProps): JSX.Element {
  const { model, onOpen, onCompare } = props;
  const now = useNow();
  const groups = model.groups;
  const filtered = model.filtered;
  const selected = model.selected;
  const [loadingMore, setLoadingMore] = useState(false);
  // one run is the list's Tab stop: the last one focused while it is shown,
  // else the first shown
  const [focusedRun, setFocusedRun] = useState<number | null>(null);
  const shown = groups.flatMap(g =>
    model.isCollapsed(g.name) ? [] : g.runs.map(r => r.id)
  );
  const tabbableRun =
    focusedRun !== null && shown.includes(focusedRun)
      ? focusedRun
      : (shown[0] ?? null);

  let body: JSX.Element;
  if (!model.loaded && model.error === null) {
    body = (
      <div className="jp-nbjournal-Message" role="status">
        Reading the journal…
      </div>
    );
  } else if (groups.length === 0 && model.loaded) {
    body = (
      <EmptyState
        filtered={filtered}
        onClearFilters={() => {
          model.setQuery('');
          model.setStatus('');
          model.setVerdict('');
        }}
      />
    );
  } else {
    body = (
      <div className="jp-nbjournal-Groups">
        {groups.map(group => (
          <ExperimentGroup
            key={group.name}
            group={group}
            collapsed={model.isCollapsed(group.name)}
            now={now}
            isSelected={id => model.isSelected(id)}
            onToggleCollapsed={name => model.toggleCollapsed(name)}
            onOpen={onOpen}
            onOpenExperiment={props.onOpenExperiment}
            onOpenGrid={props.onOpenGrid}
            onToggleSelected={id => model.toggleSelected(id)}
            tabbableRun={tabbableRun}
            onFocusRun={setFocusedRun}
            query={model.query}
          />
        ))}
        {model.hasMore && (
          <button
            type="button"
            className="jp-mod-styled jp-mod-reject jp-nbjournal-LoadMore"
            disabled={loadingMore}
            onClick={() => {
              setLoadingMore(true);
              model
                .loadMore()
                .catch(() => undefined)
                .finally(() => setLoadingMore(false));
            }}
          >
            {loadingMore ? 'Loading…' : 'Load older runs'}
          </button>
        )}
      </div>
    );
  }

  return (
    <div className="jp-nbjournal-Sidebar">
      <SearchBar
        query={model.query}
        status={model.status}
        onQueryChange={query => model.setQuery(query)}
        onStatusChange={status => model.setStatus(status)}
        error={model.queryError}
        verdict={model.verdict}
        onVerdictChange={verdict => model.setVerdict(verdict)}
      />
      {model.error !== null && (
        <div className="jp-nbjournal-Error" role="alert">
          <span>{model.error}</span>
          <button
            type="button"
            className="jp-mod-styled jp-mod-reject"
            onClick={() => void model.refresh().catch(() => undefined)}
          >
            Retry
          </button>
        </div>
      )}
      <div className="jp-nbjournal-Sidebar-body">{body}</div>
      {selected.length > 0 && (
        <div
          className="jp-nbjournal-SelectionBar"
          role="region"
          aria-label="Selection"
        >
          <span className="jp-nbjournal-SelectionBar-count">
            {selected.length} selected
          </span>
          <button
            type="button"
            className="jp-mod-styled jp-mod-reject"
            onClick={() => model.clearSelection()}
          >
            Clear
          </button>
          <button
            type="button"
            className="jp-mod-styled jp-mod-accept jp-nbjournal-CompareButton"
            disabled={selected.length < 2}
            title={
              selected.length < 2
                ? 'Select at least two runs to compare them'
                : `Compare ${selected.map(id => `#${id}`).join(', ')}`
            }
            onClick={() => onCompare(selected)}
          >
            Compare
          </button>
        </div>
      )}
    </div>
  );
}

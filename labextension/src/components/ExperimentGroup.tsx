import { caretDownIcon, caretRightIcon } from '@jupyterlab/ui-components';
import React from 'react';

import { formatMetric } from '../formatters';
import { IExperimentGroup, listOrder } from '../grouping';
import { matchedValues } from '../matched';
import { IRunSummary } from '../api/runPayloads';
import { GridItem } from './GridItem';
import { moveFocus, RunItem } from './RunItem';

/** Props of {@link ExperimentGroup}. */
export interface IExperimentGroupProps {
  /** The experiment and the runs of it that the list holds. */
  group: IExperimentGroup;
  /** Whether its runs are hidden. */
  collapsed: boolean;
  /** The current time, in seconds since the epoch. */
  now: number;
  /** Whether a run is selected for comparison. */
  isSelected: (id: number) => boolean;
  /** Fold or unfold the group. */
  onToggleCollapsed: (name: string) => void;
  /** Open a run in the main area. */
  onOpen: (id: number) => void;
  /** Open a grid in the main area. */
  onOpenGrid?: (id: number) => void;
  /** Open the experiment's page; without it the name only folds. */
  onOpenExperiment?: (name: string) => void;
  /** Select a run for comparison, or unselect it. */
  onToggleSelected: (id: number) => void;
  /** The run that is the list's Tab stop (see `RunItem.tabbable`). */
  tabbableRun?: number | null;
  /** A run got the keyboard focus. */
  onFocusRun?: (id: number) => void;
  /** The list's query: its hits say the values it matched. */
  query?: string;
}

/** The key metric most of a group's runs have, or null. */
export function groupMetric(group: IExperimentGroup): string | null {
  const counts = new Map<string, number>();
  const runs = [...group.runs, ...(group.grids ?? []).flatMap(g => g.runs)];
  for (const run of runs) {
    if (run.key_metric && run.metrics[run.key_metric]) {
      counts.set(run.key_metric, (counts.get(run.key_metric) ?? 0) + 1);
    }
  }
  let best: string | null = null;
  for (const [name, count] of counts) {
    if (best === null || count > (counts.get(best) ?? 0)) {
      best = name;
    }
  }
  return best;
}

/**
 * An experiment: a header that folds (name, run count, live runs, best value
 * of its key metric) and its runs, newest first.
 */
export function ExperimentGroup(props: IExperimentGroupProps): JSX.Element {
  const { group, collapsed, now } = props;
  const { experiment } = group;
  const total = experiment?.runs ?? group.runs.length;
  const listed = [...group.runs, ...(group.grids ?? []).flatMap(g => g.runs)];
  const running = listed.filter(r => r.status === 'running').length;
  const count =
    listed.length < total ? `${listed.length}/${total}` : `${total}`;
  const caret = collapsed ? caretRightIcon : caretDownIcon;
  const best =
    experiment && experiment.best_metric && experiment.best_value !== null
      ? `best ${experiment.best_metric} ${formatMetric(experiment.best_value)}` +
        (experiment.best_run !== null ? ` (#${experiment.best_run})` : '')
      : null;
  const bodyId = `jp-nbjournal-group-${encodeURIComponent(group.name)}`;
  const metric = groupMetric(group);
  const opens = props.onOpenExperiment !== undefined;
  // ↓ ↑ walk the list; → unfolds, ← folds (as in a tree)
  const renderRun = (run: IRunSummary, point?: string): JSX.Element => (
    <RunItem
      key={run.id}
      run={run}
      now={now}
      selected={props.isSelected(run.id)}
      onOpen={props.onOpen}
      onToggleSelected={props.onToggleSelected}
      tabbable={props.tabbableRun === undefined || props.tabbableRun === run.id}
      onFocus={props.onFocusRun}
      groupMetric={metric}
      point={point}
      matched={props.query ? matchedValues(run, props.query) : undefined}
    />
  );
  const onKeyDown = (event: React.KeyboardEvent<HTMLElement>): void => {
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        event.preventDefault();
        moveFocus(event.currentTarget, event.key === 'ArrowDown' ? 1 : -1);
        break;
      case 'ArrowRight':
      case 'ArrowLeft':
        if (collapsed === (event.key === 'ArrowRight')) {
          event.preventDefault();
          props.onToggleCollapsed(group.name);
        }
        break;
    }
  };
  return (
    <section
      className="jp-nbjournal-ExperimentGroup"
      data-experiment={group.name}
    >
      <div
        className="jp-nbjournal-ExperimentGroup-header"
        title={best ?? group.name}
        onClick={event => {
          // the bar folds, as the caret does; the name opens the page
          if (event.target === event.currentTarget) {
            props.onToggleCollapsed(group.name);
          }
        }}
      >
        <button
          type="button"
          className="jp-nbjournal-ExperimentGroup-fold"
          aria-expanded={!collapsed}
          aria-controls={bodyId}
          aria-label={`Runs of ${group.name}`}
          title={collapsed ? 'Show the runs' : 'Hide the runs'}
          tabIndex={opens ? -1 : 0}
          data-nav={opens ? undefined : 'experiment'}
          onKeyDown={opens ? undefined : onKeyDown}
          onClick={() => props.onToggleCollapsed(group.name)}
        >
          <caret.react tag="span" className="jp-nbjournal-Caret" />
        </button>
        {props.onOpenExperiment ? (
          <button
            type="button"
            className="jp-nbjournal-ExperimentGroup-name jp-nbjournal-ExperimentGroup-open"
            title={`Open the page of ${group.name}: all its runs, a query, charts`}
            data-nav="experiment"
            onKeyDown={onKeyDown}
            onClick={() => props.onOpenExperiment?.(group.name)}
          >
            {group.name}
          </button>
        ) : (
          <span className="jp-nbjournal-ExperimentGroup-name">
            {group.name}
          </span>
        )}
        {metric && (
          <span
            className="jp-nbjournal-ExperimentGroup-metric"
            title={`The runs show their last ${metric}`}
          >
            {metric}
          </span>
        )}
        {running > 0 && (
          <span
            className="jp-nbjournal-ExperimentGroup-live"
            title={`${running} running`}
          >
            <span className="jp-nbjournal-LiveDot" />
            {running}
          </span>
        )}
        <span
          className="jp-nbjournal-ExperimentGroup-count"
          title={
            listed.length < total
              ? `${listed.length} of ${total} runs listed`
              : `${total} runs`
          }
        >
          {count}
        </span>
      </div>
      {!collapsed && (
        <div
          id={bodyId}
          className="jp-nbjournal-ExperimentGroup-runs"
          role="listbox"
          aria-multiselectable="true"
          aria-label={`Runs of ${group.name}`}
        >
          {listOrder(group).map(entry =>
            entry.kind === 'run' ? (
              renderRun(entry.run)
            ) : (
              <div
                key={`grid-${entry.grid.grid.id}`}
                className="jp-nbjournal-GridGroup"
                data-grid-id={entry.grid.grid.id}
              >
                <GridItem
                  grid={entry.grid.grid}
                  onOpen={id => props.onOpenGrid?.(id)}
                />
                <div className="jp-nbjournal-GridGroup-runs">
                  {entry.grid.runs.map(run =>
                    renderRun(run, entry.grid.points[run.id])
                  )}
                </div>
              </div>
            )
          )}
        </div>
      )}
    </section>
  );
}

import React from 'react';

import { RunGroups } from '../groupBy';
import { ConfigurationsTable } from './ConfigurationsTable';

/** `1234` → `1,234`. */
function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** Props of {@link GroupByPicker}. */
export interface IGroupByPickerProps {
  /** The page's grouped view. */
  groups: RunGroups;
  /** The parameters that vary (what one can group by). */
  params: ReadonlyArray<string>;
}

/**
 * "group [by repeats ▾]": a toggle, and the parameters to group by (none
 * chosen: by configuration, runs alike but for the seed).
 */
export function GroupByPicker(props: IGroupByPickerProps): JSX.Element {
  const { groups } = props;
  const by = groups.by;
  const [open, setOpen] = React.useState(false);
  const choose = (name: string, on: boolean) => {
    const next = on ? [...by, name] : by.filter(n => n !== name);
    void groups.set(true, next);
  };
  return (
    <span className="jp-nbjournal-GroupBy">
      <label
        className="jp-nbjournal-GroupToggle"
        title="One row per group: n, every metric's mean ± 95 % interval, the verdict against the best"
      >
        <input
          type="checkbox"
          checked={groups.active}
          onChange={event => void groups.set(event.currentTarget.checked)}
        />
        <span>group</span>
      </label>
      <details
        className="jp-nbjournal-GroupBy-picker"
        onToggle={event => setOpen(event.currentTarget.open)}
      >
        <summary title="Group by parameters; none chosen: by configuration (runs alike but for the seed)">
          by {by.length ? by.join(', ') : 'repeats'}
        </summary>
        {open && (
          <div
            className="jp-nbjournal-GroupBy-list"
            role="group"
            aria-label="Group by"
          >
            {props.params.map(name => (
              <label key={name}>
                <input
                  type="checkbox"
                  checked={by.includes(name)}
                  onChange={event => choose(name, event.currentTarget.checked)}
                />
                {name}
              </label>
            ))}
          </div>
        )}
      </details>
    </span>
  );
}

/** Props of {@link GroupedRuns}. */
export interface IGroupedRunsProps {
  /** The page's grouped view. */
  groups: RunGroups;
  /** The parameters that vary (columns of a configuration). */
  params: ReadonlyArray<string>;
  /** The experiment's metrics (each a column of mean ± interval). */
  metrics: ReadonlyArray<string>;
  /** Whether the page has a query (the groups are of the runs it matches). */
  queried: boolean;
  /** Open a run. */
  onOpenRun: (id: number) => void;
}

/** The page's runs grouped: a note of what was grouped, and the groups' table. */
export function GroupedRuns(props: IGroupedRunsProps): JSX.Element {
  const { groups } = props;
  const reply = groups.reply;
  if (groups.error !== null) {
    return (
      <div className="jp-nbjournal-Error" role="alert">
        The groups cannot be read: {groups.error}
      </div>
    );
  }
  if (reply === null) {
    return <p className="jp-nbjournal-Muted">Grouping the runs…</p>;
  }
  const n = reply.total;
  const listed = reply.groups.length;
  const byParams = reply.by.length > 0;
  const noun = byParams ? 'group' : 'configuration';
  const nouns = n === 1 ? noun : `${noun}s`;
  const shown = byParams
    ? reply.by
    : props.params.filter(name => reply.groups.some(g => name in g.params));
  return (
    <>
      <p className="jp-nbjournal-Muted jp-nbjournal-GroupNote">
        {listed < n
          ? `the ${reply.order === null ? 'first' : reply.best_first ? 'best' : 'worst'} ${count(listed)} of ${count(n)} ${nouns}`
          : `${count(n)} ${nouns}`}{' '}
        of {count(reply.runs)} finished {reply.runs === 1 ? 'run' : 'runs'}
        {props.queried ? ' matching the query' : ''}
        {reply.ranked_by ? ` · ${reply.ranked_by}` : ''}
      </p>
      <ConfigurationsTable
        configurations={reply.groups}
        metric={reply.metric}
        rankedBy={reply.ranked_by}
        params={shown}
        metrics={props.metrics.filter(name => name !== reply.metric)}
        order={groups.order}
        onSort={() => void groups.toggleOrder()}
        isExpanded={id => groups.isExpanded(id)}
        onToggle={id => void groups.toggle(id)}
        runsOf={id => groups.runsOf(id)}
        noun={noun}
        onOpen={props.onOpenRun}
      />
    </>
  );
}

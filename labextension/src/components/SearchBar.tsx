import { HTMLSelect, InputGroup } from '@jupyterlab/ui-components';
import React from 'react';

import { VerdictFilter } from '../runListQuery';
import { RunStatus, STATUSES, VERDICTS } from '../api/runPayloads';

/** Props of {@link SearchBar}. */
export interface ISearchBarProps {
  /** The search text. */
  query: string;
  /** The status filter, '' for every status. */
  status: RunStatus | '';
  /** The search text changed. */
  onQueryChange: (query: string) => void;
  /** The status filter changed. */
  onStatusChange: (status: RunStatus | '') => void;
  /** Why the server refused the search, or null. */
  error?: string | null;
  /** The verdict filter, '' for every run. */
  verdict?: VerdictFilter;
  /** The verdict filter changed; without it, no verdict filter is offered. */
  onVerdictChange?: (verdict: VerdictFilter) => void;
}

const VERDICT_OPTIONS = [
  { value: '', label: 'any verdict' },
  ...VERDICTS.map(verdict => ({ value: verdict, label: verdict })),
  { value: 'none', label: 'no verdict' },
  { value: 'needs-inference', label: 'needs inference' }
];

const STATUS_OPTIONS = [
  { value: '', label: 'any status' },
  ...STATUSES.map(status => ({ value: status, label: status }))
];

/**
 * The search box (name, hypothesis, inferences, tags) and the status filter.
 * Escape in the box clears it.
 */
export function SearchBar(props: ISearchBarProps): JSX.Element {
  return (
    <div className="jp-nbjournal-SearchBar" role="search">
      <InputGroup
        className="jp-nbjournal-SearchBar-input"
        type="search"
        placeholder="Search"
        aria-label="Search runs by name, hypothesis, inference or tag"
        title="Search runs by name, hypothesis, inference or tag, or query them: lr=0.003 val_accuracy>0.97 verdict:refuted status:failed tag:baseline #123"
        aria-invalid={!!props.error}
        rightIcon="ui-components:search"
        value={props.query}
        onChange={event => props.onQueryChange(event.currentTarget.value)}
        onKeyDown={event => {
          if (event.key === 'Escape' && props.query) {
            event.preventDefault();
            props.onQueryChange('');
          }
        }}
      />
      <HTMLSelect
        className="jp-nbjournal-SearchBar-status"
        aria-label="Show runs of status"
        title="Show runs of status"
        value={props.status}
        options={STATUS_OPTIONS}
        onChange={event =>
          props.onStatusChange(event.currentTarget.value as RunStatus | '')
        }
      />
      {props.onVerdictChange && (
        <HTMLSelect
          className="jp-nbjournal-SearchBar-verdict"
          aria-label="Show runs of verdict"
          title="Show runs of a verdict, without one, or that need an inference"
          value={props.verdict ?? ''}
          options={VERDICT_OPTIONS}
          onChange={event =>
            props.onVerdictChange?.(event.currentTarget.value as VerdictFilter)
          }
        />
      )}
      {props.error && (
        <div className="jp-nbjournal-SearchBar-error" role="alert">
          {props.error}
        </div>
      )}
    </div>
  );
}

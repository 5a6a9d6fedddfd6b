/**
 * What the sidebar's run list asks the server for: the search and its filters
 * as one `GET runs` query, and the list read as deep as the person had loaded it.
 */

import { IRunsQuery, JournalClient } from './api/client';
import { RunStatus, Verdict, IRunsReply } from './api/runPayloads';
import { checked } from './queried';

/** The sidebar's verdict filter: '' for every run. */
export type VerdictFilter = Verdict | 'none' | 'needs-inference' | '';

/** How many runs one page of the list holds. */
export const PAGE_SIZE = 200;

/** The list's search and filters. */
export interface IRunListFilters {
  query: string;
  status: RunStatus | '';
  verdict: VerdictFilter;
}

/** The search and the filters, as one key. */
export function filterKey(filters: IRunListFilters): string {
  return `${filters.query.trim()}\u0000${filters.status}\u0000${filters.verdict}`;
}

/** The `GET runs` query of a page of the list from `cursor` (null: the newest). */
export function runsQuery(
  filters: IRunListFilters,
  cursor: number | null
): IRunsQuery {
  // the verdict filter is a term of the query grammar (docs/rest-api.md)
  const term =
    filters.verdict === ''
      ? ''
      : filters.verdict === 'needs-inference'
        ? 'inference:none'
        : `verdict:${filters.verdict}`;
  const q = [filters.query.trim(), term].filter(Boolean).join(' ');
  return { q, status: filters.status, limit: PAGE_SIZE, cursor };
}

/**
 * Read the list for a search from its newest run, `depth` runs deep at least
 * (or to the end).
 */
export async function readRunList(
  client: JournalClient,
  filters: IRunListFilters,
  depth: number
): Promise<IRunsReply> {
  await checked(client, filters.query); // a refused search: no failed request
  const first = await client.runs(runsQuery(filters, null));
  const runs = [...first.runs];
  let cursor = first.next_cursor;
  while (cursor !== null && runs.length < depth) {
    const page = await client.runs(runsQuery(filters, cursor));
    runs.push(...page.runs);
    cursor = page.next_cursor;
  }
  return { runs, next_cursor: cursor };
}

/**
 * What a query matched in a run, for the sidebar's hits: `lr=0.01 units=128`
 * (the run's own values of the names the query compares), rather than a
 * hypothesis every hit of a sweep shares. Pure.
 */

import { IRunSummary } from './api/runPayloads';
import { formatMetric, formatParam } from './formatters';

/** `name op value` terms of the grammar (`lr=0.01`, `units>=128`); `status:…` and words are not. */
const TERM = /^([A-Za-z_][\w.]*)(>=|<=|!=|=|>|<)(.+)$/;

/** The names a query compares, in its order, each once. */
export function comparedNames(query: string): string[] {
  const names: string[] = [];
  for (const token of query.trim().split(/\s+/)) {
    const match = TERM.exec(token);
    if (match && !names.includes(match[1])) {
      names.push(match[1]);
    }
  }
  return names;
}

/** The run's values of the names a query compares, or undefined when it compares none it has. */
export function matchedValues(
  run: Pick<IRunSummary, 'params' | 'metrics'>,
  query: string
): string | undefined {
  const parts: string[] = [];
  for (const name of comparedNames(query)) {
    if (name in run.params) {
      parts.push(`${name}=${formatParam(run.params[name])}`);
    } else if (typeof run.metrics[name]?.last === 'number') {
      parts.push(`${name}=${formatMetric(run.metrics[name].last as number)}`);
    }
  }
  return parts.length ? parts.join(' ') : undefined;
}

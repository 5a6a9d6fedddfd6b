import { ServerConnection } from '@jupyterlab/services';

import {
  IConfiguration,
  IConfigurationsReply,
  IGroupsReply
} from '../api/analysisPayloads';
import {
  IExperimentTable,
  IExperimentTableRow,
  IVocabulary,
  SortOrder
} from '../api/experimentPayloads';
import { Verdict } from '../api/runPayloads';
import { sortByMean } from '../repeats';

const VERDICTS: Array<Verdict | null> = [
  'supported',
  'refuted',
  null,
  'inconclusive',
  null
];

/**
 * `n` rows of a sweep over `lr`, `units` and `activation`, as
 * `GET experiments/{name}/table` returns them (newest first).
 */
export function sweepRows(n: number): IExperimentTableRow[] {
  const rows: IExperimentTableRow[] = [];
  for (let id = n; id >= 1; id--) {
    rows.push({
      id,
      status: id % 17 === 0 ? 'failed' : 'finished',
      started: 1_700_000_000 + id * 60,
      duration: 4 + (id % 7),
      verdict: VERDICTS[id % VERDICTS.length],
      inference: VERDICTS[id % VERDICTS.length] ? 'written' : null,
      params: {
        lr: [0.0001, 0.001, 0.01][id % 3],
        units: [32, 64, 128][id % 3 === 0 ? 0 : (id % 2) + 1],
        activation: id % 2 ? 'relu' : 'tanh'
      },
      metrics: {
        val_accuracy: id % 17 === 0 ? null : 0.9 + (id % 100) / 1000,
        loss: 0.5 - (id % 100) / 400
      }
    });
  }
  return rows;
}

/**
 * An in-memory stand-in for the experiment table's endpoints, for the unit
 * tests only (the browser tests talk to the real server). It filters with a
 * tiny subset of the query grammar (`name>value`), refuses anything with
 * `!`, sorts and pages, and records the requests.
 */
export class TableServer {
  constructor(public rows: IExperimentTableRow[] = sweepRows(50)) {}

  requests: string[] = [];

  /** The varying parameters the table names. */
  params: string[] = ['activation', 'lr', 'units'];

  /** What the table's `mirrors` say (none by default). */
  mirrors: { [kept: string]: string[] } = {};

  /** What `GET experiments/{name}/configurations` answers (best first). */
  configurations: IConfigurationsReply = {
    experiment: 'sweep',
    metric: 'val_accuracy',
    ranked_by: 'ranked by val_accuracy (higher is better; reported)',
    configurations: [
      {
        id: 4,
        n: 3,
        runs: [4, 5, 6],
        seeds: [0, 1, 2],
        verdict: 'best',
        params: { lr: 0.001, units: 64, activation: 'relu' },
        metrics: {
          val_accuracy: {
            mean: 0.912345,
            std: 0.004,
            low: 0.902345,
            high: 0.922345
          }
        }
      },
      {
        id: 1,
        n: 3,
        runs: [1, 2, 3],
        seeds: [0, 1, 2],
        verdict: 'better',
        params: { lr: 0.01, units: 32, activation: 'relu' },
        metrics: {
          val_accuracy: { mean: 0.8, std: 0.004, low: 0.79, high: 0.81 }
        }
      },
      {
        id: 7,
        n: 1,
        runs: [7],
        seeds: [null],
        verdict: 'needs 4 more repeats',
        params: { lr: 0.0001, units: 128, activation: 'tanh' },
        metrics: {
          val_accuracy: { mean: 0.85, std: null, low: null, high: null }
        }
      }
    ]
  };

  /** What `GET experiments/{name}/vocabulary` answers. */
  vocabulary: IVocabulary = {
    experiment: 'sweep',
    runs: 50,
    params: [
      { name: 'activation', values: ['relu', 'tanh'] },
      { name: 'lr', values: [0.001, 0.0001, 0.01] },
      { name: 'units', values: [64, 128, 32] }
    ],
    metrics: ['loss', 'val_accuracy'],
    tags: ['baseline', 'wide net'],
    keywords: {
      status: ['running', 'finished', 'failed', 'trashed'],
      verdict: ['supported', 'refuted', 'inconclusive', 'none'],
      inference: ['none', 'any']
    }
  };

  request = async <T>(endPoint: string): Promise<T> => {
    this.requests.push(endPoint);
    const [path, query = ''] = endPoint.split('?');
    const params = new URLSearchParams(query);
    const q = params.get('q') ?? '';
    if (path === 'query') {
      // the check the page asks first: a 200 either way
      return { q, error: q.includes('!') ? `cannot read "${q}"` : null } as T;
    }
    if (path.endsWith('/vocabulary')) {
      return this.vocabulary as T;
    }
    if (q.includes('!')) {
      const response = new Response(
        JSON.stringify({ message: `cannot read "${q}"` }),
        { status: 400 }
      );
      throw new ServerConnection.ResponseError(response, `cannot read "${q}"`);
    }
    if (path.endsWith('/configurations')) {
      return this.configurations as T;
    }
    const rows = this.matching(q);
    if (path.endsWith('/groups')) {
      return this.groups(params.get('by'), rows, params.get('order')) as T;
    }
    return this.page(path, params, rows);
  };

  /**
   * The rows a query matches: `name>value` (a metric), `name=value` (a
   * parameter), `status:finished`, every term at once; or `#12 OR #15`.
   */
  matching(q: string): IExperimentTableRow[] {
    const named = q.split(' OR ').map(term => /^#(\d+)$/.exec(term.trim()));
    if (q && named.every(Boolean)) {
      // `#12 OR #15`: the runs of those numbers (how pinned runs are read)
      const ids = new Set(named.map(match => Number(match?.[1])));
      return this.rows.filter(r => ids.has(r.id));
    }
    let rows = this.rows;
    for (const token of q.trim().split(/\s+/).filter(Boolean)) {
      const above = /^(\w+)>(\S+)$/.exec(token);
      const equal = /^(\w+)=(\S+)$/.exec(token);
      if (above) {
        const [, name, value] = above;
        rows = rows.filter(r => (r.metrics[name] ?? -Infinity) > Number(value));
      } else if (equal) {
        const [, name, value] = equal;
        rows = rows.filter(r => String(r.params[name]) === value);
      } else if (token === 'status:finished') {
        rows = rows.filter(r => r.status === 'finished');
      }
    }
    return rows;
  }

  /** Groups one answer lists at most (the server's 500). */
  groupsLimit = 500;

  /**
   * `GET experiments/{name}/groups`: by configuration (the fixed answer
   * above) or the finished rows grouped by `by` (means; a toy interval of
   * ±0.01); the first {@link groupsLimit} by mean, best first or in `order`.
   */
  groups(
    by: string | null,
    matched: IExperimentTableRow[],
    order: string | null = null
  ): IGroupsReply {
    const names = (by ?? '').split(',').filter(Boolean);
    const served: SortOrder = order === 'asc' ? 'asc' : 'desc';
    const listed = (all: IConfiguration[]) => ({
      order: served,
      best_first: served === 'desc',
      total: all.length,
      groups: sortByMean(all, 'val_accuracy', served).slice(0, this.groupsLimit)
    });
    if (names.length === 0) {
      const { configurations, ...rest } = this.configurations;
      return {
        ...rest,
        by: [],
        runs: matched.length,
        ...listed(configurations)
      };
    }
    const finished = matched.filter(r => r.status === 'finished');
    const found = new Map<string, IExperimentTableRow[]>();
    for (const row of [...finished].reverse()) {
      const key = JSON.stringify(names.map(n => row.params[n]));
      found.set(key, [...(found.get(key) ?? []), row]);
    }
    const groups = Array.from(found.values()).map(members => {
      const metrics: IConfiguration['metrics'] = {};
      for (const metric of ['val_accuracy', 'loss']) {
        const values = members.map(r => r.metrics[metric] as number);
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        metrics[metric] = {
          mean,
          std: 0.01,
          low: mean - 0.01,
          high: mean + 0.01
        };
      }
      return {
        id: members[0].id,
        n: members.length,
        runs: members.map(r => r.id),
        seeds: members.map(() => null),
        verdict: null as string | null,
        params: Object.fromEntries(names.map(n => [n, members[0].params[n]])),
        metrics
      };
    });
    groups.sort(
      (a, b) => b.metrics.val_accuracy.mean! - a.metrics.val_accuracy.mean!
    );
    groups.forEach((g, i) => (g.verdict = i === 0 ? 'best' : 'better'));
    return {
      experiment: 'sweep',
      by: names,
      metric: 'val_accuracy',
      ranked_by: 'ranked by val_accuracy (higher is better)',
      runs: finished.length,
      ...listed(groups)
    };
  }

  private page<T>(
    path: string,
    params: URLSearchParams,
    matched: IExperimentTableRow[]
  ): T {
    let rows = matched;
    const sort = params.get('sort');
    if (sort) {
      const sign = params.get('order') === 'asc' ? 1 : -1;
      const value = (r: IExperimentTableRow): number =>
        sort.startsWith('metric.')
          ? (r.metrics[sort.slice(7)] ?? -Infinity)
          : sort.startsWith('param.')
            ? Number(r.params[sort.slice(6)])
            : Number((r as any)[sort]);
      rows = [...rows].sort((a, b) => sign * (value(a) - value(b)));
    }
    if (path.endsWith('/table.csv')) {
      return ['id', ...rows.map(r => String(r.id))].join('\n') as T;
    }
    const offset = Number(params.get('offset') ?? 0);
    const limit = Number(params.get('limit') ?? 100);
    const table: IExperimentTable = {
      experiment: decodeURIComponent(path.split('/')[1]),
      key_metric: 'val_accuracy',
      params: this.params,
      metrics: ['loss', 'val_accuracy'],
      total: rows.length,
      rows: rows.slice(offset, offset + limit),
      mirrors: this.mirrors
    };
    return table as T;
  }
}

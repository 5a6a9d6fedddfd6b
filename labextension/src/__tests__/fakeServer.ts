import { IExperiment } from '../api/experimentPayloads';
import { IGrid } from '../api/gridPayloads';
import { IRunSummary } from '../api/runPayloads';

/**
 * An in-memory stand-in for the REST API, for the model's unit tests only
 * (the browser tests talk to the real server extension). It records every
 * request so tests can check what the model asked for.
 */
export class FakeServer {
  runs: IRunSummary[] = [];
  experiments: IExperiment[] = [];
  grids: IGrid[] = [];
  token = 100;
  changed: IRunSummary[] = [];
  requests: string[] = [];
  failWith: number | null = null;

  request = async <T>(endPoint: string, init?: RequestInit): Promise<T> => {
    this.requests.push(`${init?.method ?? 'GET'} ${endPoint}`);
    if (this.failWith !== null) {
      const { ServerConnection } = await import('@jupyterlab/services');
      const response = new Response(JSON.stringify({ message: 'no' }), {
        status: this.failWith
      });
      throw new ServerConnection.ResponseError(response, 'no');
    }
    const [path, query = ''] = endPoint.split('?');
    const params = new URLSearchParams(query);
    if (path === 'changes') {
      const since = params.get('since');
      const runs = since === null ? [] : this.changed;
      this.changed = [];
      return { token: this.token, runs } as T;
    }
    if (path === 'grids') {
      return { grids: this.grids } as T;
    }
    if (path.startsWith('grids/')) {
      const grid = this.grids.find(g => `grids/${g.id}` === path);
      if (grid) {
        return grid as T;
      }
    }
    if (path === 'experiments') {
      return { experiments: this.experiments } as T;
    }
    if (path === 'query') {
      // the check the sidebar asks first: a 200 either way
      const q = (params.get('q') ?? '').toLowerCase();
      const error = q.includes('>abc') ? `${q}: > compares numbers` : null;
      return { q, error } as T;
    }
    if (path === 'runs') {
      const q = (params.get('q') ?? '').toLowerCase();
      if (q.includes('>abc')) {
        const { ServerConnection } = await import('@jupyterlab/services');
        const message = `${q}: > compares numbers`;
        const response = new Response(JSON.stringify({ message }), {
          status: 400
        });
        throw new ServerConnection.ResponseError(response, message);
      }
      const status = params.get('status');
      const runs = this.runs
        .filter(
          r => !q || `${r.experiment} ${r.hypothesis}`.toLowerCase().includes(q)
        )
        .filter(r => !status || r.status === status)
        .sort((a, b) => b.id - a.id);
      // pages of `limit`, older than `cursor` (the last id of the page before)
      const cursor = params.get('cursor');
      const limit = Number(params.get('limit') ?? runs.length);
      const older = cursor ? runs.filter(r => r.id < Number(cursor)) : runs;
      const page = older.slice(0, limit);
      const more = older.length > limit;
      return {
        runs: page,
        next_cursor: more ? page[page.length - 1].id : null
      } as T;
    }
    throw new Error(`unexpected request ${endPoint}`);
  };
}

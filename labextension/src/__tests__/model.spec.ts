import { groupRuns } from '../grouping';
import { JournalModel } from '../model';
import { IExperiment } from '../api/experimentPayloads';
import { IRunSummary } from '../api/runPayloads';
import { FakeServer } from './fakeServer';
import { summary } from './fixtures';

function experiment(
  name: string,
  lastActivity: number,
  running = 0
): IExperiment {
  return {
    name,
    runs: 1,
    running,
    last_activity: lastActivity,
    best_metric: null,
    best_value: null,
    best_run: null
  };
}

describe('groupRuns', () => {
  it('groups by experiment, newest activity first, runs newest first', () => {
    const runs = [
      summary({ id: 1, experiment: 'a', updated: 10, started: 5 }),
      summary({ id: 3, experiment: 'b', updated: 30, started: 25 }),
      summary({ id: 2, experiment: 'a', updated: 40, started: 20 })
    ];
    const groups = groupRuns(runs, [experiment('a', 40)]);
    expect(groups.map(g => g.name)).toEqual(['a', 'b']);
    expect(groups[0].runs.map(r => r.id)).toEqual([2, 1]);
    expect(groups[0].experiment?.name).toBe('a');
    expect(groups[1].experiment).toBeNull();
  });

  it('is empty without runs', () => {
    expect(groupRuns([], [experiment('a', 1)])).toEqual([]);
  });
});

describe('JournalModel', () => {
  let server: FakeServer;
  let model: JournalModel;
  let unwatch: () => void;

  beforeEach(() => {
    server = new FakeServer();
    server.runs = [
      summary({ id: 1, experiment: 'digits', status: 'finished', updated: 10 }),
      summary({ id: 2, experiment: 'digits', status: 'running', updated: 20 })
    ];
    server.experiments = [experiment('digits', 20, 1)];
    model = new JournalModel({ request: server.request, autoStart: false });
    unwatch = model.watch();
  });

  afterEach(() => {
    unwatch();
    model.dispose();
  });

  it('reads the change token before the list, so no change is missed', async () => {
    await model.refresh();
    expect(server.requests[0]).toBe('GET changes');
    expect(model.runs.map(r => r.id)).toEqual([2, 1]);
    expect(model.loaded).toBe(true);
    expect(model.live).toBe(true);
    expect(model.groups).toHaveLength(1);
  });

  it('folds changed runs in place and tells the open views', async () => {
    await model.refresh();
    const changed: Array<ReadonlyArray<IRunSummary>> = [];
    model.runsChanged.connect((_, runs) => changed.push(runs));
    server.changed = [
      summary({ id: 2, experiment: 'digits', status: 'finished', updated: 30 })
    ];
    server.token = 101;
    await model.refreshNow();
    expect(server.requests).toContain('GET changes?since=100');
    expect(model.summary(2)?.status).toBe('finished');
    expect(changed).toHaveLength(1);
    expect(changed[0][0].id).toBe(2);
    await model.refreshNow();
    expect(server.requests).toContain('GET changes?since=101');
  });

  it('drops a run sent to the trash from the list', async () => {
    await model.refresh();
    server.changed = [
      summary({
        id: 2,
        experiment: 'digits',
        status: 'finished',
        updated: 30,
        deleted_at: 31
      })
    ];
    server.token = 101;
    await model.refreshNow();
    expect(model.runs.map(r => r.id)).toEqual([1]);
  });

  it('reloads the list when a new run appears', async () => {
    await model.refresh();
    const fresh = summary({
      id: 3,
      experiment: 'other',
      status: 'running',
      updated: 40
    });
    server.runs.push(fresh);
    server.changed = [fresh];
    await model.refreshNow();
    expect(model.runs.map(r => r.id)).toEqual([3, 2, 1]);
    expect(model.groups.map(g => g.name)).toEqual(['other', 'digits']);
  });

  it('keeps older runs loaded when a search is cleared or a run appears', async () => {
    server.runs = Array.from({ length: 450 }, (_, i) =>
      summary({ id: i + 1, experiment: 'big', updated: i })
    );
    await model.refresh();
    expect(model.runs).toHaveLength(200);
    await model.loadMore();
    expect(model.runs).toHaveLength(400);
    expect(model.hasMore).toBe(true);
    model.setQuery('nothing matches this');
    await model.refresh();
    expect(model.runs).toHaveLength(0);
    model.setQuery('');
    await model.refresh();
    expect(model.runs).toHaveLength(400);
    expect(model.runs[399].id).toBe(51);
    expect(model.hasMore).toBe(true);
    const fresh = summary({ id: 451, experiment: 'big', updated: 500 });
    server.runs.push(fresh);
    server.changed = [fresh];
    await model.refreshNow();
    expect(model.runs.length).toBeGreaterThanOrEqual(400);
    expect(model.runs[0].id).toBe(451);
  });

  it('sends the verdict filter as a term of the query', async () => {
    model.setQuery('dropout');
    model.setVerdict('needs-inference');
    await model.refresh();
    expect(server.requests).toContain(
      'GET runs?q=dropout%20inference%3Anone&limit=200'
    );
    model.setVerdict('refuted');
    await model.refresh();
    expect(server.requests).toContain(
      'GET runs?q=dropout%20verdict%3Arefuted&limit=200'
    );
    expect(model.filtered).toBe(true);
  });

  it('sends the search and the status filter to the server', async () => {
    model.setStatus('running');
    await model.refresh();
    expect(server.requests).toContain('GET runs?status=running&limit=200');
    expect(model.runs.map(r => r.id)).toEqual([2]);
  });

  it('debounces the search', async () => {
    await model.refresh();
    const before = server.requests.length;
    model.setQuery('d');
    model.setQuery('di');
    model.setQuery('dig');
    expect(model.query).toBe('dig');
    await new Promise(resolve =>
      model.stateChanged.connect(() => resolve(null))
    );
    await model.refresh();
    const searches = server.requests
      .slice(before)
      .filter(r => r.startsWith('GET runs?q='));
    expect(searches.every(r => r.startsWith('GET runs?q=dig&'))).toBe(true);
  });

  it('says what went wrong when the server extension is missing', async () => {
    server.failWith = 404;
    await expect(model.refresh()).rejects.toBeDefined();
    expect(model.error).toMatch(/server extension/);
    server.failWith = null;
    await model.refresh();
    expect(model.error).toBeNull();
  });

  it('stands by while nobody looks, and catches up when looked at', async () => {
    await model.refresh();
    unwatch();
    server.requests = [];
    server.changed = [
      summary({ id: 2, experiment: 'digits', status: 'finished' })
    ];
    await model.refreshNow();
    expect(server.requests).toEqual([]);
    expect(model.summary(2)?.status).toBe('running');

    unwatch = model.watch();
    await model.tick();
    expect(server.requests).toContain('GET changes?since=100');
    expect(model.summary(2)?.status).toBe('finished');
  });

  it('reads the journal on the first look', async () => {
    expect(model.loaded).toBe(false);
    await model.tick();
    expect(model.loaded).toBe(true);
    expect(server.requests[0]).toBe('GET changes');
  });

  it('keeps the selection in the order it was made', () => {
    model.toggleSelected(5);
    model.toggleSelected(3);
    expect(model.selected).toEqual([5, 3]);
    expect(model.isSelected(3)).toBe(true);
    model.toggleSelected(5);
    expect(model.selected).toEqual([3]);
    model.clearSelection();
    expect(model.selected).toEqual([]);
  });

  it('folds and unfolds experiments', () => {
    expect(model.isCollapsed('digits')).toBe(false);
    model.toggleCollapsed('digits');
    expect(model.isCollapsed('digits')).toBe(true);
  });
});

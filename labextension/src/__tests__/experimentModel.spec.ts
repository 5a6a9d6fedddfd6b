import { JournalClient } from '../api/client';
import { ExperimentTableModel, tableColumns } from '../experimentModel';
import { sweepRows, TableServer } from './tableServer';

function setup(rows = sweepRows(1000)) {
  const server = new TableServer(rows);
  const table = new ExperimentTableModel({
    name: 'sweep mlp',
    client: new JournalClient(server.request),
    pageSize: 100
  });
  return { server, table };
}

describe('tableColumns', () => {
  it('puts the key metric right after the run, parameters before other metrics', () => {
    const ids = tableColumns({
      key_metric: 'val_accuracy',
      params: ['lr', 'units'],
      metrics: ['val_accuracy', 'loss']
    }).map(c => c.id);
    expect(ids).toEqual([
      'status',
      'id',
      'metric.val_accuracy',
      'started',
      'duration',
      'verdict',
      'tags',
      'param.lr',
      'param.units',
      'metric.loss'
    ]);
  });
});

/**
 * A page read once, whose later requests that `held` picks wait until
 * `release()`: a request on its way while the person goes on.
 */
async function heldTable(held: (endPoint: string) => boolean) {
  const server = new TableServer(sweepRows(1000));
  let release: () => void = () => undefined;
  const gate = new Promise<void>(resolve => (release = resolve));
  let holding = false;
  const request = async <T>(endPoint: string): Promise<T> => {
    if (holding && held(endPoint)) {
      await gate;
    }
    return server.request<T>(endPoint);
  };
  const table = new ExperimentTableModel({
    name: 'sweep mlp',
    client: new JournalClient(request),
    pageSize: 100
  });
  await table.reload();
  holding = true;
  return { table, release };
}

describe('ExperimentTableModel', () => {
  it('keeps the query given last, even when it is the one shown already', async () => {
    // the check of `va` is on its way
    const { table, release } = await heldTable(end => end.startsWith('query?'));
    const typed = table.setQuery('va'); // a pause after `va` ran it
    await table.setQuery(''); // Escape cleared the box before its check came back
    release();
    await typed;
    expect(table.query).toBe('');
    expect(table.answeredQuery).toBe('');
    expect(table.total).toBe(1000);
  });

  it('answers a new query with its rows before it says they match', async () => {
    // the rows of the new query are on their way
    const { table, release } = await heldTable(end => end.includes('/table?'));
    const asked = table.setQuery('units>=64');
    await new Promise(resolve => setTimeout(resolve, 0));
    // the box has the query; the rows shown (1,000) still answer none
    expect(table.query).toBe('units>=64');
    expect(table.answeredQuery).toBe('');
    expect(table.total).toBe(1000);
    release();
    await asked;
    expect(table.answeredQuery).toBe('units>=64');
    expect(table.total).toBeLessThan(1000);
  });

  it('reads the first page, then pages only as rows are asked for', async () => {
    const { server, table } = setup();
    await table.reload();
    expect(table.total).toBe(1000);
    expect(table.row(0)?.id).toBe(1000);
    expect(table.row(150)).toBeNull();
    expect(server.requests).toEqual([
      'experiments/sweep%20mlp/table?offset=0&limit=100',
      'experiments/sweep%20mlp/table?offset=0&limit=1000'
    ]);
    server.requests = [];
    const changed = new Promise(resolve => table.changed.connect(resolve));
    table.ensure(140, 160);
    table.ensure(140, 160); // no second request while one is on its way
    await changed;
    expect(server.requests).toEqual([
      'experiments/sweep%20mlp/table?offset=100&limit=100'
    ]);
    expect(table.row(150)?.id).toBe(850);
  });

  it('sorts by a column, and the same column again reverses', async () => {
    const { server, table } = setup();
    await table.reload();
    await table.setSort('metric.val_accuracy');
    expect(table.order).toBe('desc');
    expect(server.requests).toContain(
      'experiments/sweep%20mlp/table?sort=metric.val_accuracy&order=desc&offset=0&limit=100'
    );
    const top = table.row(0)!.metrics.val_accuracy as number;
    expect(top).toBeCloseTo(0.999);
    await table.setSort('metric.val_accuracy');
    expect(table.order).toBe('asc');
    await table.setSort('param.units');
    expect(table.order).toBe('asc');
  });

  it('keeps the rows and says why when the server refuses a query', async () => {
    const { server, table } = setup();
    await table.reload();
    await table.setQuery('val_accuracy>0.99');
    const filtered = table.total;
    expect(filtered).toBeGreaterThan(0);
    expect(filtered).toBeLessThan(100);
    expect(table.queryError).toBeNull();
    const asked = server.requests.length;
    await table.setQuery('lr=!');
    expect(table.queryError).toBe('cannot read "lr=!"');
    // asked first (a 200), and the table not read: no failed request in the console
    expect(server.requests.slice(asked)).toEqual([
      'query?q=lr%3D!&experiment=sweep%20mlp'
    ]);
    expect(table.total).toBe(filtered);
    expect(table.row(0)).not.toBeNull();
    // a refresh of the kept query (new runs, the page re-read) leaves the refusal said
    await table.reload();
    expect(table.queryError).toBe('cannot read "lr=!"');
    expect(table.total).toBe(filtered);
    await table.setQuery('');
    expect(table.queryError).toBeNull();
    expect(table.total).toBe(1000);
  });

  it('gives its view and takes a remembered one before reading', async () => {
    const { server, table } = setup();
    table.setView({
      query: 'val_accuracy>0.99',
      sort: 'param.units',
      order: 'asc',
      toggled: ['duration'],
      grouped: false,
      groupBy: []
    });
    await table.reload();
    expect(server.requests[0]).toBe(
      'experiments/sweep%20mlp/table?q=val_accuracy%3E0.99&sort=param.units&order=asc&offset=0&limit=100'
    );
    expect(table.isHidden('duration')).toBe(true);
    table.toggleColumn('verdict');
    expect(table.view).toEqual({
      query: 'val_accuracy>0.99',
      sort: 'param.units',
      order: 'asc',
      toggled: ['duration', 'verdict'],
      grouped: false,
      groupBy: [],
      pinned: []
    });
  });

  it('reads the vocabulary the query box completes', async () => {
    const { table } = setup();
    expect(table.vocabulary.value).toBeNull();
    await table.vocabulary.load();
    expect(table.vocabulary.value?.metrics).toEqual(['loss', 'val_accuracy']);
  });

  it('exports the query and the order as CSV', async () => {
    const { server, table } = setup(sweepRows(3));
    await table.reload();
    await table.setSort('id');
    const text = await table.csv();
    expect(text).toBe('id\n3\n2\n1');
    expect(server.requests.pop()).toBe(
      'experiments/sweep%20mlp/table.csv?sort=id&order=desc'
    );
  });

  it('hides and shows columns', async () => {
    const { table } = setup(sweepRows(3));
    await table.reload();
    table.toggleColumn('param.lr');
    expect(table.visibleColumns.map(c => c.id)).not.toContain('param.lr');
    expect(table.isHidden('param.lr')).toBe(true);
    table.toggleColumn('param.lr');
    expect(table.visibleColumns.map(c => c.id)).toContain('param.lr');
  });
});

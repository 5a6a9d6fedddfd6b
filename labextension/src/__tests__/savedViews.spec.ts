import { StateDB } from '@jupyterlab/statedb';

import {
  readLink,
  readView,
  SavedView,
  viewKey,
  viewSearch
} from '../savedViews';

const VIEW = {
  query: 'act in (relu, tanh) OR lr<0.01',
  sort: 'metric.val_accuracy',
  order: 'asc' as const,
  toggled: ['duration'],
  grouped: true,
  groupBy: ['units', 'act'],
  pinned: [12, 7]
};

describe('SavedView', () => {
  it('keeps a view per experiment in the state database, the last one written', async () => {
    jest.useFakeTimers();
    const state = new StateDB();
    const saved = new SavedView(state, 'lr sweep', 300);
    expect(await saved.restore()).toEqual({});
    saved.save({ ...VIEW, query: 'first' });
    saved.save(VIEW);
    jest.advanceTimersByTime(300);
    jest.useRealTimers();
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(await state.fetch(viewKey('lr sweep'))).toEqual(VIEW);
    expect(await new SavedView(state, 'lr sweep').restore()).toEqual(VIEW);
    expect(await new SavedView(state, 'other').restore()).toEqual({});
    expect(await new SavedView(null, 'lr sweep').restore()).toEqual({});
  });

  it('reads only the fields it knows, of the kinds it knows', () => {
    expect(
      readView({
        query: 3,
        sort: 'id',
        order: 'up',
        toggled: ['a', 1],
        grouped: 'true',
        pinned: [3, 'x']
      })
    ).toEqual({ sort: 'id', grouped: true });
    expect(readView({ pinned: [3, 0] })).toEqual({});
    expect(readView({ pinned: [9, 3] })).toEqual({ pinned: [9, 3] });
    expect(readView(null)).toEqual({});
  });
});

describe('links', () => {
  it('names a view in a query string and reads it back', () => {
    const search = viewSearch('lr sweep', VIEW);
    expect(search).toBe(
      '?nbjournal-experiment=lr+sweep&nbjournal-query=act+in+%28relu%2C+tanh%29+OR+lr%3C0.01' +
        '&nbjournal-sort=metric.val_accuracy&nbjournal-order=asc&nbjournal-grouped=true' +
        '&nbjournal-group-by=units%2Cact'
    );
    expect(readLink(search)).toEqual({
      run: undefined,
      grid: undefined,
      experiment: 'lr sweep',
      view: {
        query: VIEW.query,
        sort: VIEW.sort,
        order: 'asc',
        grouped: true,
        groupBy: ['units', 'act']
      }
    });
    expect(readLink('?reset&nbjournal-run=12')).toMatchObject({
      run: 12,
      view: {}
    });
    expect(readLink('?nbjournal-run=-3').run).toBeUndefined();
  });
});

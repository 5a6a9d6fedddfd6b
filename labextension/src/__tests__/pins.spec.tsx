import { StateDB } from '@jupyterlab/statedb';
import { fireEvent, render, screen } from '@testing-library/react';
import React from 'react';

import { JournalClient } from '../api/client';
import { RunPinButton } from '../components/PinButton';
import { RunsTable } from '../components/RunsTable';
import { ExperimentTableModel } from '../experimentModel';
import { PIN_LIMIT, PinBoard, pinnedQuery } from '../pins';
import { viewKey } from '../savedViews';
import { sweepRows, TableServer } from './tableServer';

function setup(pins?: PinBoard) {
  const server = new TableServer(sweepRows(300));
  const table = new ExperimentTableModel({
    name: 'sweep mlp',
    client: new JournalClient(server.request),
    pageSize: 100,
    pins
  });
  return { server, table };
}

/** Let the rows' reads (a resolved fake server) settle. */
const settled = () => new Promise(resolve => setTimeout(resolve, 0));

describe('pinned runs (22.6)', () => {
  it('keeps the pinned runs whatever the sort and query, in the saved view', async () => {
    const { table } = setup();
    await table.reload();
    await table.pins.toggle(17);
    await table.pins.toggle(250);
    expect(table.pins.rows.map(r => r.id)).toEqual([17, 250]);
    await table.setSort('metric.val_accuracy');
    await table.setQuery('units=64');
    expect(table.pins.rows.map(r => r.id)).toEqual([17, 250]);
    expect(table.view.pinned).toEqual([17, 250]);

    // a page opened again takes them from the saved view
    const again = setup().table;
    again.setView(table.view);
    await again.reload();
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(again.pins.rows.map(r => r.id)).toEqual([17, 250]);
    await again.pins.toggle(17);
    expect(again.view.pinned).toEqual([250]);
    expect(again.pins.rows.map(r => r.id)).toEqual([250]);
  });

  it('reads the pinned runs by number, at most PIN_LIMIT of them', async () => {
    expect(pinnedQuery([3, 12])).toBe('#3 OR #12');
    const { table } = setup();
    for (let id = 1; id <= PIN_LIMIT + 2; id++) {
      await table.pins.toggle(id);
    }
    expect(table.pins.ids).toHaveLength(PIN_LIMIT);
    expect(table.pins.full).toBe(true);
  });

  it('draws the pinned rows first, marked, with a button that unpins', () => {
    const rows = sweepRows(30);
    const onTogglePin = jest.fn();
    const view = render(
      <RunsTable
        columns={[{ id: 'id', label: 'run', kind: 'fixed' }]}
        total={rows.length}
        row={index => rows[index]}
        onRange={() => undefined}
        sort="metric.val_accuracy"
        order="desc"
        onSort={() => undefined}
        now={0}
        isSelected={() => false}
        onToggleSelected={() => undefined}
        onOpen={() => undefined}
        pinned={[rows[20]]}
        isPinned={id => id === rows[20].id}
        onTogglePin={onTogglePin}
      />
    );
    const first = view.container.querySelector('tbody tr') as Element;
    expect(first.getAttribute('data-run-id')).toBe(String(rows[20].id));
    expect(first.closest('tbody')?.getAttribute('aria-label')).toBe(
      'Pinned runs'
    );
    const unpin = view.getAllByRole('button', {
      name: `Unpin run #${rows[20].id}`
    });
    expect(unpin[0].getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(unpin[0]);
    expect(onTogglePin).toHaveBeenCalledWith(rows[20].id);
    fireEvent.click(
      view.getByRole('button', { name: `Pin run #${rows[0].id}` })
    );
    expect(onTogglePin).toHaveBeenLastCalledWith(rows[0].id);
  });

  it('a run pinned from its run view is on its open page at once, and kept', async () => {
    const state = new StateDB();
    await state.save(viewKey('sweep mlp'), { query: 'units=64', pinned: [3] });
    const board = new PinBoard(state);
    const heard: string[] = [];
    board.changed.connect((_, experiment) => heard.push(experiment));
    const { table } = setup(board);
    table.setView({ query: 'units=64', pinned: [3] });
    await table.reload();
    await settled();
    expect(table.pins.rows.map(r => r.id)).toEqual([3]);

    // the run view pins #250 and unpins #3: the page follows, the view keeps the rest
    expect(await board.toggle('sweep mlp', 250)).toBe(true);
    await settled();
    expect(table.pins.rows.map(r => r.id)).toEqual([3, 250]);
    await board.toggle('sweep mlp', 3);
    expect(table.pins.rows.map(r => r.id)).toEqual([250]);
    expect(table.view.pinned).toEqual([250]);
    expect(await state.fetch(viewKey('sweep mlp'))).toEqual({
      query: 'units=64',
      pinned: [250]
    });
    // and the run view hears of pins made on the page
    await table.pins.toggle(17);
    expect(board.has('sweep mlp', 17)).toBe(true);
    expect(heard.filter(e => e === 'sweep mlp').length).toBeGreaterThan(2);

    // with no page open, a pin read from and written to the saved view
    const other = new PinBoard(state);
    expect(await other.read('sweep mlp')).toEqual([250, 17]);
    await other.toggle('digits', 5);
    expect(await state.fetch(viewKey('digits'))).toEqual({ pinned: [5] });
    // a page closed no longer hears of the board
    table.dispose();
    await board.toggle('sweep mlp', 250);
    expect(table.pins.rows.map(r => r.id)).toEqual([250, 17]);
  });

  it('refuses a pin past the limit, from the run view too', async () => {
    const board = new PinBoard();
    for (let id = 1; id <= PIN_LIMIT; id++) {
      expect(await board.toggle('e', id)).toBe(true);
    }
    expect(board.full('e')).toBe(true);
    expect(await board.toggle('e', 99)).toBe(false);
    expect(board.ids('e')).toHaveLength(PIN_LIMIT);

    const onToggle = jest.fn();
    const { rerender } = render(
      <RunPinButton
        id={99}
        experiment="e"
        pinned={false}
        canPin={false}
        onToggle={onToggle}
      />
    );
    const full = screen.getByRole('button', { name: 'Pin' });
    expect(full).toBeDisabled();
    expect(full.title).toMatch(/At most 20 runs are pinned on the page of e/);
    rerender(
      <RunPinButton
        id={3}
        experiment="e"
        pinned={true}
        canPin={false}
        onToggle={onToggle}
      />
    );
    fireEvent.click(screen.getByRole('button', { name: 'Unpin' }));
    expect(onToggle).toHaveBeenCalledTimes(1);
  });
});

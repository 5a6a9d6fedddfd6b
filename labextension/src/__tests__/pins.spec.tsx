import { fireEvent, render } from '@testing-library/react';
import React from 'react';

import { JournalClient } from '../api/client';
import { RunsTable } from '../components/RunsTable';
import { ExperimentTableModel } from '../experimentModel';
import { PIN_LIMIT, pinnedQuery } from '../pins';
import { sweepRows, TableServer } from './tableServer';

function setup() {
  const server = new TableServer(sweepRows(300));
  const table = new ExperimentTableModel({
    name: 'sweep mlp',
    client: new JournalClient(server.request),
    pageSize: 100
  });
  return { server, table };
}

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
});

import {
  RenderMimeRegistry,
  standardRendererFactories
} from '@jupyterlab/rendermime';
import {
  act,
  fireEvent,
  render,
  screen,
  waitFor,
  within
} from '@testing-library/react';
import React from 'react';

import { JournalClient } from '../api/client';
import { ExperimentView } from '../components/ExperimentView';
import { DEFAULT_VERDICT_COLORS } from '../charts/experimentCharts';
import { ExperimentTableModel } from '../experimentModel';
import { sweepRows, TableServer } from './tableServer';

const rendermime = new RenderMimeRegistry({
  initialFactories: standardRendererFactories
});

async function setup(n = 10000) {
  const server = new TableServer(sweepRows(n));
  const table = new ExperimentTableModel({
    name: 'sweep',
    client: new JournalClient(server.request)
  });
  await table.reload();
  const onOpenRun = jest.fn();
  const onToggleSelected = jest.fn();
  const onCompare = jest.fn();
  const onExport = jest.fn().mockResolvedValue(undefined);
  let selected: number[] = [];
  const element = () => (
    <ExperimentView
      table={table}
      selected={selected}
      onToggleSelected={onToggleSelected}
      onCompare={onCompare}
      onOpenRun={onOpenRun}
      onExport={onExport}
      colors={DEFAULT_VERDICT_COLORS}
      rendermime={rendermime}
      theme="JupyterLab Light"
      now={1_700_000_000 + 20000 * 60}
    />
  );
  const view = render(element());
  table.changed.connect(() => view.rerender(element()));
  const select = (ids: number[]) => {
    selected = ids;
    view.rerender(element());
  };
  return {
    server,
    table,
    view,
    select,
    onOpenRun,
    onToggleSelected,
    onCompare,
    onExport
  };
}

/** Click the grouped table's mean heading (the sort the server does). */
async function sortByMean(grouped: HTMLElement): Promise<void> {
  await act(async () => {
    fireEvent.click(
      within(
        grouped.querySelector('th[data-column="mean"]') as HTMLElement
      ).getByRole('button')
    );
  });
}

function bodyRows(): HTMLElement[] {
  return Array.from(
    screen
      .getByRole('table', { name: 'Runs' })
      .querySelectorAll('tr[data-run-id]')
  );
}

describe('ExperimentView', () => {
  it('draws only the rows in view of 10,000, key metric first', async () => {
    await setup();
    expect(screen.getByText('10,000 runs')).toBeInTheDocument();
    const rows = bodyRows();
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(80);
    expect(rows[0]).toHaveAttribute('data-run-id', '10000');
    const headings = within(screen.getByRole('table', { name: 'Runs' }))
      .getAllByRole('columnheader')
      .map(th => th.textContent);
    expect(headings.slice(1, 5)).toEqual([
      'status',
      'run▼',
      'val_accuracy',
      'started'
    ]);
    expect(screen.getByRole('table', { name: 'Runs' })).toHaveAttribute(
      'aria-rowcount',
      '10001'
    );
  });

  it('sorts by a heading, and the other way on a second click', async () => {
    const { table } = await setup(300);
    const heading = () =>
      screen
        .getByRole('table', { name: 'Runs' })
        .querySelector('th[data-column="metric.loss"]') as HTMLElement;
    await act(async () => {
      fireEvent.click(within(heading()).getByRole('button'));
    });
    expect(heading()).toHaveAttribute('aria-sort', 'descending');
    expect(table.sort).toBe('metric.loss');
    await act(async () => {
      fireEvent.click(within(heading()).getByRole('button'));
    });
    expect(heading()).toHaveAttribute('aria-sort', 'ascending');
    await waitFor(() =>
      expect(bodyRows()[0]).toHaveAttribute('data-run-id', '299')
    );
  });

  it('says in the box why a query is refused, and keeps the table', async () => {
    jest.useFakeTimers();
    try {
      await setup(300);
      const box = screen.getByRole('searchbox', { name: 'Query the runs' });
      fireEvent.change(box, { target: { value: 'lr=!' } });
      await act(async () => {
        fireEvent.keyDown(box, { key: 'Enter' });
      });
      expect(screen.getByRole('alert')).toHaveTextContent('cannot read "lr=!"');
      expect(box).toHaveAttribute('aria-invalid', 'true');
      expect(bodyRows().length).toBeGreaterThan(0);
      fireEvent.change(box, { target: { value: 'val_accuracy>0.99' } });
      await act(async () => {
        jest.advanceTimersByTime(500);
      });
      expect(screen.queryByRole('alert')).toBeNull();
      expect(screen.getByText(/runs match/)).toBeInTheDocument();
    } finally {
      jest.useRealTimers();
    }
  });

  it('opens a run on click, ticks it with the box', async () => {
    const { onOpenRun, onToggleSelected, onCompare, select } = await setup(20);
    fireEvent.click(bodyRows()[2]);
    expect(onOpenRun).toHaveBeenCalledWith(18);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select run #19' }));
    expect(onToggleSelected).toHaveBeenCalledWith(19);
    expect(onOpenRun).toHaveBeenCalledTimes(1);
    select([19, 4]);
    expect(bodyRows()[1]).toHaveAttribute('aria-selected', 'true');
    fireEvent.click(screen.getByRole('button', { name: 'Compare' }));
    expect(onCompare).toHaveBeenCalledWith([19, 4]);
  });

  it('hides a column from the picker, and exports CSV', async () => {
    const { onExport } = await setup(20);
    const table = screen.getByRole('table', { name: 'Runs' });
    expect(table.querySelector('th[data-column="param.lr"]')).not.toBeNull();
    act(() => {
      fireEvent.click(screen.getByRole('checkbox', { name: 'lr' }));
    });
    expect(table.querySelector('th[data-column="param.lr"]')).toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: /Export CSV/ }));
    });
    expect(onExport).toHaveBeenCalled();
  });

  it('groups repeats on a toggle: n, mean ± interval, verdict, runs that open', async () => {
    const { table, onOpenRun, server } = await setup(300);
    await act(async () => {
      fireEvent.click(screen.getByRole('checkbox', { name: 'group' }));
    });
    const grouped = await screen.findByRole('table', {
      name: 'Configurations'
    });
    expect(server.requests).toContain('experiments/sweep/groups');
    const rows = () =>
      Array.from(grouped.querySelectorAll('tr[data-configuration-id]'));
    expect(rows().map(r => r.getAttribute('data-configuration-id'))).toEqual([
      '4',
      '7',
      '1'
    ]);
    const cells = (row: Element) =>
      Array.from(row.querySelectorAll('td')).map(td => td.textContent);
    expect(cells(rows()[0]).slice(1, 5)).toEqual([
      '#4',
      '3',
      '0.9123 ± 0.0100',
      'best'
    ]);
    expect(cells(rows()[2])[4]).toBe('worse');
    expect(cells(rows()[1])[4]).toBe('needs 4 more repeats');
    expect(screen.queryByRole('table', { name: 'Runs' })).toBeNull();

    // sorted by mean: the heading turns it around, the server sorting
    await sortByMean(grouped);
    expect(server.requests[server.requests.length - 1]).toBe(
      'experiments/sweep/groups?order=asc'
    );
    expect(rows().map(r => r.getAttribute('data-configuration-id'))).toEqual([
      '1',
      '7',
      '4'
    ]);

    // a configuration opens into its runs; a run opens as in the table
    await act(async () => {
      fireEvent.click(
        screen.getByRole('button', {
          name: 'Show the runs of configuration #4'
        })
      );
    });
    const runs = grouped.querySelectorAll('tr[data-run-id]');
    expect(Array.from(runs).map(r => r.getAttribute('data-run-id'))).toEqual([
      '4',
      '5',
      '6'
    ]);
    fireEvent.click(within(runs[1] as HTMLElement).getByRole('button'));
    expect(onOpenRun).toHaveBeenCalledWith(5);

    // remembered while the page is open: a reload keeps grouping, order, open rows
    await act(async () => {
      await table.reload();
    });
    expect(table.grouped).toBe(true);
    expect(table.groups.order).toBe('asc');
    expect(table.groups.isExpanded(4)).toBe(true);

    await act(async () => {
      fireEvent.click(screen.getByRole('checkbox', { name: 'group' }));
    });
    expect(screen.getByRole('table', { name: 'Runs' })).toBeInTheDocument();
  });

  it('lists the best groups the server sends of all, and asks it for the worst when sorted the other way', async () => {
    const { server } = await setup(300);
    server.groupsLimit = 2;
    await act(async () => {
      fireEvent.click(screen.getByRole('checkbox', { name: 'group' }));
    });
    const grouped = await screen.findByRole('table', {
      name: 'Configurations'
    });
    const rows = () =>
      Array.from(grouped.querySelectorAll('tr[data-configuration-id]')).map(r =>
        r.getAttribute('data-configuration-id')
      );
    expect(rows()).toEqual(['4', '7']);
    expect(
      screen.getByText(/^the best 2 of 3 configurations of 300 finished runs/)
    ).toBeInTheDocument();

    const sorts = server.requests.length;
    await sortByMean(grouped);
    // the server lists the lowest means first: not the two above turned around
    expect(server.requests.slice(sorts)).toEqual([
      'experiments/sweep/groups?order=asc'
    ]);
    expect(rows()).toEqual(['1', '7']);
    expect(
      screen.getByText(/^the worst 2 of 3 configurations/)
    ).toBeInTheDocument();
    expect(
      grouped.querySelector('th[data-column="mean"]')?.getAttribute('aria-sort')
    ).toBe('ascending');

    // and back: the best again
    await sortByMean(grouped);
    expect(server.requests[server.requests.length - 1]).toBe(
      'experiments/sweep/groups?order=desc'
    );
    expect(rows()).toEqual(['4', '7']);
  });

  it('groups by chosen parameters: every metric, the query applied, runs with their values', async () => {
    const { table, server } = await setup(300);
    await act(async () => {
      await table.setQuery('val_accuracy>0.95');
    });
    await act(async () => {
      const picker = screen.getByText('by repeats').closest('details')!;
      picker.open = true;
      fireEvent(picker, new Event('toggle'));
    });
    await act(async () => {
      fireEvent.click(
        within(screen.getByRole('group', { name: 'Group by' })).getByRole(
          'checkbox',
          { name: 'lr' }
        )
      );
    });
    const grouped = await screen.findByRole('table', { name: 'Groups' });
    expect(server.requests).toContain(
      'experiments/sweep/groups?by=lr&q=val_accuracy%3E0.95'
    );
    // planted: the finished runs above 0.95, by lr
    const matched = server.matching('val_accuracy>0.95 status:finished');
    const rows = Array.from(
      grouped.querySelectorAll('tr[data-configuration-id]')
    );
    expect(rows).toHaveLength(3);
    const first = server.groups('lr', matched).groups[0];
    expect(rows[0].getAttribute('data-configuration-id')).toBe(
      String(first.id)
    );
    expect(rows[0].querySelector('td[data-column="n"]')).toHaveTextContent(
      String(first.n)
    );
    expect(
      screen.getByText(/3 groups of \d+ finished runs matching the query/)
    ).toBeInTheDocument();
    // every metric: the loss too, as mean ± interval
    expect(
      rows[0].querySelector('td[data-column="metric.loss"]')
    ).toHaveTextContent('±');

    // a group opens into its runs with their own values, the best first
    await act(async () => {
      fireEvent.click(
        screen.getByRole('button', {
          name: `Show the runs of group #${first.id}`
        })
      );
    });
    await waitFor(() =>
      expect(
        grouped.querySelectorAll('tr.jp-nbjournal-ConfigurationsTable-run')
      ).toHaveLength(Math.min(first.n, 50))
    );
    const opened = Array.from(
      grouped.querySelectorAll('tr.jp-nbjournal-ConfigurationsTable-run')
    );
    const best = [...matched]
      .filter(r => first.runs.includes(r.id))
      .sort((a, b) => b.metrics.val_accuracy! - a.metrics.val_accuracy!)[0];
    expect(opened[0].getAttribute('data-run-id')).toBe(String(best.id));
    expect(
      opened[0].querySelector('td[data-column="metric.loss"]')
    ).toHaveTextContent(String(best.metrics.loss).slice(0, 4));

    // a new query groups anew
    await act(async () => {
      await table.setQuery('');
    });
    await waitFor(() =>
      expect(server.requests[server.requests.length - 1]).toContain(
        'groups?by=lr'
      )
    );
  });
});

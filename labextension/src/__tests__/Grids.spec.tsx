import { fireEvent, render, screen, within } from '@testing-library/react';
import React from 'react';

import { ExperimentGroup } from '../components/ExperimentGroup';
import { GridItem } from '../components/GridItem';
import { GridView, meanInterval } from '../components/GridView';
import { gridChart, varyingAxes } from '../charts/gridCharts';
import { axisNames, groupRuns, listOrder } from '../grouping';
import { JournalModel } from '../model';
import { FakeServer } from './fakeServer';
import { grid, summary } from './fixtures';
import { RunStatus } from '../api/runPayloads';

describe('gridChart', () => {
  it('draws a heatmap for two axes, the key metric as colour and text', () => {
    const chart = gridChart(grid());
    expect(chart).not.toBeNull();
    const spec = chart!.spec as any;
    expect(spec.layer[0].mark).toBe('rect');
    expect(spec.layer[0].encoding.x.field).toBe('lr');
    expect(spec.layer[0].encoding.y.field).toBe('units');
    expect(spec.layer[1].encoding.text.field).toBe('mean');
    // the failed point has no value: three cells
    expect(spec.data.values).toHaveLength(3);
  });

  it('draws a line with error bars of the 95 % interval for one axis', () => {
    const one = grid();
    one.table = one.table.map((row, index) => ({
      ...row,
      values: { units: index },
      std: { val_accuracy: 0.01 },
      low: { val_accuracy: 0.87 },
      high: { val_accuracy: 0.93 }
    }));
    const spec = gridChart(one)!.spec as any;
    expect(spec.layer.map((l: any) => l.mark.type)).toEqual([
      'errorbar',
      'line'
    ]);
    // the interval, not mean ± std (0.89–0.91)
    expect(spec.data.values[0].low).toBeCloseTo(0.87);
    expect(spec.data.values[0].high).toBeCloseTo(0.93);
    expect(varyingAxes(one.table)).toEqual(['units']);
  });

  it('says a repeated point as mean ± half its 95 % interval, as the notebook does', () => {
    const half = (4.302652729911275 * 0.02) / Math.sqrt(3);
    const row = {
      values: { units: 64 },
      runs: [1, 2, 3],
      statuses: ['finished', 'finished', 'finished'] as RunStatus[],
      mean: { val_accuracy: 0.92 },
      std: { val_accuracy: 0.02 },
      low: { val_accuracy: 0.92 - half },
      high: { val_accuracy: 0.92 + half }
    };
    expect(meanInterval(row, 'val_accuracy')).toBe('0.92 ± 0.0497');
    const single = { ...row, runs: [1], statuses: row.statuses.slice(0, 1) };
    expect(
      meanInterval(
        {
          ...single,
          low: { val_accuracy: null },
          high: { val_accuracy: null }
        },
        'val_accuracy'
      )
    ).toBe('0.92');
  });

  it('draws nothing without a key metric', () => {
    expect(gridChart(grid({ key_metric: null }))).toBeNull();
  });
});

describe('GridView', () => {
  function setup() {
    const onOpenRun = jest.fn();
    const onAddInference = jest.fn(async () => undefined);
    render(
      <GridView
        grid={grid({
          inferences: [
            {
              id: 1,
              grid_id: 3,
              text: 'width <b>wins</b>',
              verdict: 'supported',
              created: 1_700_000_060,
              edited: null,
              author: null
            }
          ]
        })}
        rendermime={{ mimeTypes: [] } as any}
        theme="light"
        now={1_700_000_100}
        onOpenRun={onOpenRun}
        onAddInference={onAddInference}
      />
    );
    return { onOpenRun, onAddInference };
  }

  it('shows the summary table: values, mean, runs that open, the best marked', () => {
    const { onOpenRun } = setup();
    const table = screen.getByRole('table', { name: 'Grid summary' });
    const rows = within(table).getAllByRole('row');
    expect(rows[0]).toHaveTextContent('unitslrval_accuracyruns');
    expect(rows[1]).toHaveTextContent('320.010.9#21');
    expect(rows[3]).toHaveTextContent('640.01–#23');
    expect(rows[4]).toHaveTextContent('0.95best');
    fireEvent.click(within(rows[4]).getByRole('button', { name: /#24/ }));
    expect(onOpenRun).toHaveBeenCalledWith(24);
    expect(screen.getByText(/3\/4 points done, 1 failed/)).toBeInTheDocument();
  });

  it('writes an axis in one notation (issue 21.12)', () => {
    const base = grid();
    const table = base.table.map(row => ({
      ...row,
      values: { ...row.values, lr: row.values.lr === 0.01 ? 0.00003 : 0.001 }
    }));
    render(
      <GridView
        grid={{ ...base, table }}
        rendermime={{ mimeTypes: [] } as any}
        theme="light"
        now={1_700_000_100}
        onOpenRun={jest.fn()}
        onAddInference={jest.fn(async () => undefined)}
      />
    );
    const rows = within(
      screen.getByRole('table', { name: 'Grid summary' })
    ).getAllByRole('row');
    const lr = rows
      .slice(1)
      .map(row => row.querySelectorAll('td')[1].textContent);
    expect(lr).toEqual(['3e-5', '1e-3', '3e-5', '1e-3']);
  });

  it('lists the grid’s inferences and records a new one', async () => {
    const { onAddInference } = setup();
    expect(
      screen.getByRole('list', { name: 'Inferences' })
    ).toBeInTheDocument();
    fireEvent.change(screen.getByRole('textbox'), {
      target: { value: 'lr matters less' }
    });
    fireEvent.click(screen.getByRole('button', { name: 'Add inference' }));
    await screen.findByRole('textbox');
    expect(onAddInference).toHaveBeenCalledWith('lr matters less', null);
  });
});

describe('grids in the sidebar', () => {
  it('groups a grid’s runs under it, inside their experiment', () => {
    const runs = [21, 22, 23, 24, 30].map(id => summary({ id }));
    const gridOf = new Map([21, 22, 23, 24].map(id => [id, 3]));
    const points = new Map([[24, 'units=64 lr=0.1']]);
    const [group] = groupRuns(runs, [], [grid()], gridOf, points);
    expect(group.runs.map(r => r.id)).toEqual([30]);
    expect(group.grids).toHaveLength(1);
    expect(group.grids[0].runs.map(r => r.id)).toEqual([24, 23, 22, 21]);

    const onOpenGrid = jest.fn();
    render(
      <ExperimentGroup
        group={group}
        collapsed={false}
        now={1_700_000_100}
        isSelected={() => false}
        onToggleCollapsed={jest.fn()}
        onOpen={jest.fn()}
        onOpenGrid={onOpenGrid}
        onToggleSelected={jest.fn()}
      />
    );
    const item = screen.getByRole('button', { name: /Grid #3/ });
    expect(item).toHaveTextContent('grid #3');
    expect(item).toHaveTextContent('3/4 done, 1 failed');
    expect(item).toHaveTextContent('best units=64 lr=0.1: 0.95');
    fireEvent.click(item);
    expect(onOpenGrid).toHaveBeenCalledWith(3);
    expect(screen.getAllByRole('option')).toHaveLength(5);
    // newest first: run #30, newer than the grid's runs, above the grid's block
    const options = screen.getAllByRole('option');
    expect(options.map(o => o.getAttribute('data-run-id'))).toEqual([
      '30',
      '24',
      '23',
      '22',
      '21'
    ]);
    expect(options[1]).toHaveTextContent('units=64 lr=0.1');
    expect(listOrder(group).map(e => e.kind)).toEqual(['run', 'grid']);
    const older = groupRuns(
      [21, 22, 23, 24, 20].map(id => summary({ id })),
      [],
      [grid()],
      gridOf,
      points
    )[0];
    expect(listOrder(older).map(e => e.kind)).toEqual(['grid', 'run']);
  });

  it('names the best point’s axes in the order they were given', () => {
    // as the server sends a spec: axes with sorted keys, and their order
    const sorted = grid({
      spec: {
        axes: { lr: [0.01, 0.1], units: [32, 64] },
        order: ['units', 'lr'],
        repeat: 1,
        sample: null
      },
      best: {
        values: { lr: 0.1, units: 64 },
        mean: 0.95,
        std: null,
        low: null,
        high: null,
        runs: [24]
      }
    });
    expect(axisNames(sorted)).toEqual(['units', 'lr']);
    render(<GridItem grid={sorted} onOpen={jest.fn()} />);
    expect(screen.getByRole('button', { name: /Grid #3/ })).toHaveTextContent(
      'best units=64 lr=0.1: 0.95'
    );
    const older = grid({
      spec: { axes: { lr: [0.1] }, repeat: 1, sample: null }
    });
    expect(axisNames(older)).toEqual(['lr']);
  });

  it('reads grids and their runs from the server', async () => {
    const server = new FakeServer();
    server.runs = [21, 22, 23, 24, 30].map(id => summary({ id }));
    server.grids = [grid()];
    const model = new JournalModel({
      request: server.request,
      autoStart: false
    });
    await model.refresh();
    const [group] = model.groups;
    expect(group.grids[0].grid.id).toBe(3);
    expect(group.runs.map(r => r.id)).toEqual([30]);
    expect(group.grids[0].points[24]).toBe('units=64 lr=0.1');
    // a grid unchanged is not read again
    await model.refresh();
    expect(server.requests.filter(r => r === 'GET grids/3')).toHaveLength(1);
    model.dispose();
  });
});

import {
  RenderMimeRegistry,
  standardRendererFactories
} from '@jupyterlab/rendermime';
import { fireEvent, render, screen, within } from '@testing-library/react';
import React from 'react';

import { JournalClient } from '../api/client';
import { IExperimentTableRow } from '../api/experimentPayloads';
import { DEFAULT_VERDICT_COLORS } from '../charts/experimentCharts';
import { ExperimentView } from '../components/ExperimentView';
import { ExperimentTableModel, tableColumns } from '../experimentModel';
import { independentParams, paramsWithMirrors } from '../mirrors';
import { sweepRows, TableServer } from './tableServer';

/** A Keras sweep's rows: `lr` mirrored by `optimizer.learning_rate`, `units` by `model.params`. */
function kerasRows(n: number): IExperimentTableRow[] {
  return sweepRows(n).map(row => {
    const lr = row.params.lr as number;
    const units = row.params.units as number;
    return {
      ...row,
      params: {
        ...row.params,
        'optimizer.learning_rate': Math.fround(lr),
        'model.params': 75 * units + 10
      }
    };
  });
}

const MIRRORS = {
  lr: ['optimizer.learning_rate'],
  units: ['model.params']
};
const PARAMS = [
  'activation',
  'lr',
  'model.params',
  'optimizer.learning_rate',
  'units'
];

describe('mirrored parameters (22.7)', () => {
  it('keeps each mirror behind its parameter and off the axes', () => {
    const header = { params: PARAMS, mirrors: MIRRORS };
    expect(independentParams(header)).toEqual(['activation', 'lr', 'units']);
    expect(paramsWithMirrors(header).map(p => p.name)).toEqual([
      'activation',
      'lr',
      'optimizer.learning_rate',
      'units',
      'model.params'
    ]);
    const columns = tableColumns({
      key_metric: 'val_accuracy',
      metrics: ['val_accuracy'],
      ...header
    }).filter(c => c.kind === 'param');
    expect(columns.map(c => [c.label, c.mirrorOf ?? null])).toEqual([
      ['activation', null],
      ['lr', null],
      ['optimizer.learning_rate', 'lr'],
      ['units', null],
      ['model.params', 'units']
    ]);
    expect(columns[1].mirrors).toEqual(['optimizer.learning_rate']);
    // a table without mirrors (an older server) keeps every parameter
    expect(independentParams({ params: PARAMS })).toEqual(PARAMS);
  });

  it('shows one column per parameter, the mirrors on demand', async () => {
    const server = new TableServer(kerasRows(30));
    server.params = PARAMS;
    server.mirrors = MIRRORS;
    const table = new ExperimentTableModel({
      name: 'keras',
      client: new JournalClient(server.request)
    });
    await table.reload();
    const element = () => (
      <ExperimentView
        table={table}
        selected={[]}
        onToggleSelected={jest.fn()}
        onCompare={jest.fn()}
        onOpenRun={jest.fn()}
        onExport={jest.fn()}
        colors={DEFAULT_VERDICT_COLORS}
        rendermime={
          new RenderMimeRegistry({
            initialFactories: standardRendererFactories
          })
        }
        theme="JupyterLab Light"
        now={1_700_000_000}
      />
    );
    const view = render(element());
    table.changed.connect(() => view.rerender(element()));
    const headings = () =>
      screen
        .getAllByRole('columnheader')
        .map(th => th.getAttribute('data-column'))
        .filter(id => id?.startsWith('param.'));
    expect(headings()).toEqual(['param.activation', 'param.lr', 'param.units']);
    // the picker says what a mirror is
    const picker = view.container.querySelector(
      '.jp-nbjournal-ColumnPicker'
    ) as HTMLElement;
    expect(within(picker).getByText('= lr')).toBeTruthy();

    // When the `+1` beside lr is clicked
    const button = screen.getByTitle(
      'optimizer.learning_rate mirrors lr (the same information): show'
    );
    expect(button.textContent).toBe('+1');
    fireEvent.click(button);

    // Then the mirror shows right after lr, with its values; a second click hides it
    expect(headings()).toEqual([
      'param.activation',
      'param.lr',
      'param.optimizer.learning_rate',
      'param.units'
    ]);
    fireEvent.click(
      screen.getByTitle(
        'optimizer.learning_rate mirrors lr (the same information): hide'
      )
    );
    expect(headings()).toEqual(['param.activation', 'param.lr', 'param.units']);
  });
});

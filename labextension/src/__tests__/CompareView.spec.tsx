import {
  RenderMimeRegistry,
  standardRendererFactories
} from '@jupyterlab/rendermime';
import { fireEvent, render, screen, within } from '@testing-library/react';
import React from 'react';

import { CompareView } from '../components/CompareView';
import { summary } from './fixtures';

const rendermime = new RenderMimeRegistry({
  initialFactories: standardRendererFactories
});

function setup() {
  const runs = [
    summary({ id: 4, params: { units: 64, lr: 0.001, epochs: 20 } }),
    summary({
      id: 7,
      params: { units: 128, lr: 0.001, dropout: 0.2, epochs: 20 },
      metrics: {
        val_accuracy: {
          last: 0.981,
          last_epoch: 19,
          best: 0.983,
          best_epoch: 15,
          goal: 'max',
          count: 20
        }
      }
    })
  ];
  const onOpenRun = jest.fn();
  render(
    <CompareView
      runs={runs}
      series={null}
      rendermime={rendermime}
      theme="JupyterLab Light"
      onOpenRun={onOpenRun}
    />
  );
  return { onOpenRun };
}

describe('CompareView', () => {
  it('puts parameters side by side and marks the differences', () => {
    setup();
    const table = screen.getByRole('table', {
      name: 'Parameters side by side'
    });
    const row = (name: string) =>
      table.querySelector(`tr[data-param="${name}"]`) as HTMLElement;
    expect(row('units')).toHaveAttribute('data-differ', 'true');
    expect(row('units')).toHaveClass('jp-nbjournal-diff');
    expect(within(row('units')).getByText('64')).toBeInTheDocument();
    expect(within(row('units')).getByText('128')).toBeInTheDocument();
    expect(row('lr')).toHaveAttribute('data-differ', 'false');
    expect(row('dropout')).toHaveAttribute('data-differ', 'true');
    expect(screen.getByText('2 of 4 differ')).toBeInTheDocument();
  });

  it('shows only the differences on request', () => {
    setup();
    fireEvent.click(screen.getByRole('checkbox', { name: 'only differences' }));
    const table = screen.getByRole('table', {
      name: 'Parameters side by side'
    });
    expect(table.querySelector('tr[data-param="lr"]')).toBeNull();
    expect(table.querySelector('tr[data-param="units"]')).not.toBeNull();
  });

  it('marks the best value of each metric by its goal', () => {
    setup();
    const table = screen.getByRole('table', { name: 'Metrics side by side' });
    const best = table.querySelector(
      'tr[data-metric="val_accuracy"] .jp-nbjournal-Best'
    );
    expect(best).toHaveTextContent('0.981');
  });

  it("shows each run's curve colour next to its #id", () => {
    setup();
    const table = screen.getByRole('table', { name: 'Runs' });
    const swatches = Array.from(
      table.querySelectorAll<HTMLElement>('th .jp-nbjournal-RunSwatch')
    ).map(swatch => swatch.style.backgroundColor);
    expect(swatches).toHaveLength(2);
    expect(swatches[0]).not.toEqual(swatches[1]);
  });

  it('opens a run from its column', () => {
    const { onOpenRun } = setup();
    fireEvent.click(screen.getByRole('button', { name: /#7/ }));
    expect(onOpenRun).toHaveBeenCalledWith(7);
  });

  it('writes a parameter in one notation across the runs (issue 21.12)', () => {
    render(
      <CompareView
        runs={[
          summary({ id: 4, params: { lr: 0.00003 } }),
          summary({ id: 7, params: { lr: 0.001 } })
        ]}
        series={null}
        rendermime={rendermime}
        theme="JupyterLab Light"
        onOpenRun={jest.fn()}
      />
    );
    const row = screen
      .getByRole('table', { name: 'Parameters side by side' })
      .querySelector('tr[data-param="lr"]') as HTMLElement;
    expect(within(row).getByText('3e-5')).toBeInTheDocument();
    expect(within(row).getByText('1e-3')).toBeInTheDocument();
  });
});

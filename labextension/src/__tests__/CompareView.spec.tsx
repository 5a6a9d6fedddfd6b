import {
  RenderMimeRegistry,
  standardRendererFactories
} from '@jupyterlab/rendermime';
import { fireEvent, render, screen, within } from '@testing-library/react';
import React from 'react';

import { ICompareReply, IComparisonEvidence } from '../api/analysisPayloads';
import { differenceRows } from '../comparison';
import { CompareView } from '../components/CompareView';
import { summary } from './fixtures';
import { payloads } from './payloads';

const rendermime = new RenderMimeRegistry({
  initialFactories: standardRendererFactories
});

function evidence(fields: Partial<IComparisonEvidence>): IComparisonEvidence {
  return {
    metric: 'val_loss',
    difference: -0.05,
    interval: [-0.0712, -0.0288],
    n_a: 3,
    n_b: 3,
    mean_a: 0.3123,
    mean_b: 0.3623,
    paired: false,
    needed: null,
    verdict: 'better',
    higher_is_better: false,
    min_effect: null,
    borrowed: null,
    note: null,
    ...fields
  };
}

/** Repeats 4, 5, 6 (dropout) against 7, 8, 9 (none), as the server groups them. */
function grouped(): ICompareReply {
  const spread = (mean: number, half: number) => ({
    n: 3,
    mean,
    std: half,
    low: mean - half,
    high: mean + half
  });
  return {
    runs: [
      [4, 5, 6],
      [7, 8, 9]
    ],
    grouped: true,
    metric: 'val_loss',
    ranked_by: 'ranked by val_loss (lower is better; --metric)',
    sides: [
      {
        runs: [4, 5, 6],
        metrics: {
          val_loss: spread(0.3123, 0.0081),
          val_accuracy: spread(0.9123, 0.0081)
        }
      },
      {
        runs: [7, 8, 9],
        metrics: {
          val_loss: spread(0.3623, 0.0123),
          val_accuracy: spread(0.9101, 0.0123)
        }
      }
    ],
    comparisons: [
      {
        against: [7, 8, 9],
        metrics: {
          val_accuracy: evidence({
            metric: 'val_accuracy',
            difference: 0.0022,
            interval: [-0.012, 0.0164],
            mean_a: 0.9123,
            mean_b: 0.9101,
            higher_is_better: true,
            verdict: 'within noise'
          }),
          val_loss: evidence({})
        }
      }
    ]
  };
}

function setup(comparison: ICompareReply | string | null = null) {
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
      comparison={comparison}
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
    expect(row('dropout')).toHaveAttribute('data-differ', 'true');
    expect(screen.getByText('2 of 4 differ')).toBeInTheDocument();
  });

  it('folds the parameters the same for all into one place (22.9)', () => {
    setup();
    const differ = screen.getByRole('table', {
      name: 'Parameters side by side'
    });
    expect(differ.querySelector('tr[data-param="lr"]')).toBeNull();
    const same = screen.getByRole('table', {
      name: 'Parameters the same for all',
      hidden: true
    });
    const lr = same.querySelector('tr[data-param="lr"]') as HTMLElement;
    expect(lr).toHaveAttribute('data-differ', 'false');
    expect(lr).toHaveTextContent('lr0.001');
    expect(
      screen.getByText('Same for all (2): epochs, lr')
    ).toBeInTheDocument();
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

describe('CompareView differences', () => {
  it('gives each metric the difference, its interval and the verdict beside the values', () => {
    setup(grouped());
    const table = screen.getByRole('table', {
      name: 'Differences and verdicts'
    });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map(h => h.textContent);
    // repeats are one side each, headed as %journal compare heads them
    expect(headers).toEqual([
      'metric',
      'verdict',
      '#4 +2 repeats',
      '#7 +2 repeats',
      '#4 +2 repeats − #7 +2 repeats'
    ]);
    const rows = Array.from(table.querySelectorAll('tbody tr'));
    // the metric of record first
    expect(rows.map(r => r.getAttribute('data-metric'))).toEqual([
      'val_loss',
      'val_accuracy'
    ]);
    const cells = Array.from(rows[0].querySelectorAll('td')).map(
      c => c.textContent
    );
    expect(cells).toEqual([
      'better',
      '0.3123 ± 0.0081',
      '0.3623 ± 0.0123',
      '-0.05 [-0.0712, -0.0288]'
    ]);
    const badge = rows[0].querySelector('.jp-nbjournal-Badge') as HTMLElement;
    expect(badge).toHaveClass('jp-nbjournal-repeats-best');
    expect(badge.title).toContain('3 vs 3 runs');
    expect(badge.title).toContain('lower is better');
    const noise = rows[1].querySelector('.jp-nbjournal-Badge') as HTMLElement;
    expect(noise).toHaveTextContent('within noise');
    expect(noise).toHaveClass('jp-nbjournal-repeats-noise');
    expect(
      screen.getByText('repeats grouped by configuration')
    ).toBeInTheDocument();
    expect(screen.getByText(/ranked by val_loss/)).toBeInTheDocument();
  });

  it('says where single runs borrow their noise, and why there is none', () => {
    const reply = grouped();
    reply.runs = [[4], [7], [9]];
    reply.grouped = false;
    reply.sides = [
      { runs: [4], metrics: {} },
      { runs: [7], metrics: {} },
      { runs: [9], metrics: {} }
    ];
    reply.comparisons = [
      {
        against: [7],
        metrics: {
          val_loss: evidence({
            n_a: 1,
            n_b: 1,
            verdict: 'needs 3 more repeats',
            needed: 3,
            borrowed: 'configuration #12'
          })
        }
      },
      {
        against: [9],
        metrics: {
          val_loss: evidence({
            n_a: 1,
            n_b: 1,
            interval: [null, null],
            verdict: 'needs 2 more repeats',
            needed: 2,
            note: 'no repeats: run `--repeat 3` to tell'
          })
        }
      }
    ];
    const rows = differenceRows(reply);
    // more than two sides: the first against each, named
    expect(rows.map(r => r.metric)).toEqual([
      'val_loss vs #7',
      'val_loss vs #9'
    ]);
    expect(rows[0]).toMatchObject({
      a: '0.3123',
      b: '0.3623',
      kind: 'needs',
      note: 'noise from configuration #12'
    });
    expect(rows[1]).toMatchObject({
      interval: 'no interval',
      note: 'no repeats: run `--repeat 3` to tell'
    });
    setup(reply);
    expect(screen.getByText('run against run')).toBeInTheDocument();
    expect(
      screen.getByText('noise from configuration #12')
    ).toBeInTheDocument();
  });

  it('keeps the rest of the view when the verdicts cannot be read', () => {
    setup('the journal is unavailable');
    expect(
      screen.getByText(
        /The verdicts cannot be read: the journal is unavailable/
      )
    ).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'Parameters side by side' })
    ).toBeInTheDocument();
  });
});

describe('differenceRows on the server payload', () => {
  it("names each later side and gives the first side's mean ± interval", () => {
    const reply = payloads.compare;
    const rows = differenceRows(reply);
    const record = rows.filter(r => r.record);
    // three configurations: the first against each of the two others
    expect(record.map(r => r.metric)).toEqual([
      `val_accuracy vs #${reply.runs[1][0]} +2 repeats`,
      `val_accuracy vs #${reply.runs[2][0]} +2 repeats`
    ]);
    const found = reply.comparisons[0].metrics.val_accuracy;
    expect(record[0].verdict).toBe(found.verdict);
    expect(record[0].a).toMatch(/^0\.763 ± 0\.00\d+$/);
    expect(rows[0].record).toBe(true); // the metric of record first
  });
});

import { fireEvent, render, screen, within } from '@testing-library/react';
import React from 'react';

import { groupConclusions, InsightsView } from '../components/InsightsView';
import { effectSpec, importanceSpec } from '../charts/insightsCharts';
import { IInsights } from '../api/analysisPayloads';
import { payloads } from './payloads';

function insights(overrides: Partial<IInsights> = {}): IInsights {
  return {
    experiment: 'digits-mlp',
    same_data: false,
    metric: 'val_accuracy',
    goal: 'max',
    runs: 30,
    left_out: 1,
    left_out_detail: null,
    ranked: true,
    verdict: 'lr mattered for val_accuracy (30 runs)',
    top: ['lr'],
    aliases: {},
    importances: [
      {
        param: 'lr',
        importance: 0.9,
        low: 0.8,
        high: 0.95,
        matters: true,
        runs: 30
      },
      {
        param: 'units',
        importance: 0.05,
        low: 0.01,
        high: 0.1,
        matters: false,
        runs: 30
      }
    ],
    effects: [
      { param: 'lr', value: 0.0001, mean: 0.8, std: 0.02, count: 5 },
      { param: 'lr', value: 0.003, mean: 0.95, std: 0.01, count: 5 },
      { param: 'lr', value: 0.1, mean: 0.85, std: null, count: 1 }
    ],
    points: [
      {
        param: 'lr',
        points: [
          [1, 0.0001, 0.79],
          [2, 0.003, 0.951]
        ]
      }
    ],
    best: [
      {
        rank: 1,
        mean: 0.968,
        std: null,
        repeats: 1,
        runs: [22],
        lr: 0.0032,
        units: 32
      }
    ],
    suggestions: [
      {
        rank: 1,
        reason: 'neighbours of the best region',
        expected: 0.955,
        point: { lr: 0.0026, units: 37 },
        lr: 0.0026,
        units: 37
      }
    ],
    transfer: null,
    conclusions: [
      {
        group: 'lr=0.1',
        run_id: 14,
        grid_id: null,
        created: 300,
        verdict: 'refuted',
        text: 'too <b>large</b>'
      },
      {
        group: 'lr=0.003',
        run_id: 9,
        grid_id: null,
        created: 200,
        verdict: 'supported',
        text: 'best'
      },
      {
        group: 'lr=0.1',
        run_id: 17,
        grid_id: null,
        created: 400,
        verdict: null,
        text: 'again'
      }
    ],
    repeated: ['lr 0.1 was refuted twice (#14, #17)'],
    ...overrides
  };
}

function show(data: IInsights) {
  return render(
    <InsightsView
      insights={data}
      rendermime={{ mimeTypes: [] } as any}
      theme="light"
      now={500}
      onOpenRun={jest.fn()}
    />
  );
}

describe('insights charts', () => {
  it('draws importances with their spread, greyed when they did not matter', () => {
    const spec = importanceSpec(insights())!.spec as any;
    expect(spec.data.values.map((v: any) => v.matters)).toEqual([
      'mattered',
      'did not matter'
    ]);
    expect(spec.layer[1].encoding.x2.field).toBe('high');
    expect(
      importanceSpec(insights({ ranked: false, importances: [] }))
    ).toBeNull();
  });

  it('draws an effect as points, a mean line and a band, on a log axis for lr', () => {
    const spec = effectSpec(insights(), 'lr')!.spec as any;
    expect(spec.layer.map((l: any) => l.mark.type)).toEqual([
      'area',
      'point',
      'line'
    ]);
    expect(spec.layer[0].encoding.x.scale.type).toBe('log');
    expect(spec.layer[1].data.values).toHaveLength(2);
    expect(spec.layer[0].data.values[1].upper).toBeCloseTo(0.96);
  });

  it('says when the points are a sample of the runs (the band counts them all)', () => {
    const many = insights({
      effects: [
        { param: 'lr', value: 0.001, mean: 0.9, std: 0.01, count: 6000 },
        { param: 'lr', value: 0.003, mean: 0.95, std: 0.01, count: 3897 }
      ]
    });
    const spec = effectSpec(many, 'lr')!.spec as any;
    expect(spec.title.subtitle).toBe(
      '2 of 9,897 runs drawn (a sample); line and band over all'
    );
    const whole = insights({
      effects: [{ param: 'lr', value: 0.001, mean: 0.9, std: 0.01, count: 2 }]
    });
    expect(
      (effectSpec(whole, 'lr')!.spec as any).title.subtitle
    ).toBeUndefined();
  });
});

describe('InsightsView', () => {
  it('shows the verdict, the tables and the conclusions, user text as text', () => {
    const { container } = show(insights());
    expect(screen.getByRole('status')).toHaveTextContent('lr mattered');
    expect(screen.getByRole('list', { name: 'Importances' })).toHaveTextContent(
      'units 5% (1% – 10%) — did not matter'
    );
    const best = screen.getByRole('table', { name: 'Best configurations' });
    expect(within(best).getAllByRole('row')[1]).toHaveTextContent(
      '10.0032320.968#22'
    );
    const suggestions = screen.getByRole('table', { name: 'Suggestions' });
    expect(suggestions).toHaveTextContent('lr=0.0026 units=37');
    expect(suggestions).toHaveTextContent('neighbours of the best region');
    expect(screen.getByRole('list', { name: 'Repeated' })).toHaveTextContent(
      'refuted twice'
    );
    expect(container.querySelector('.jp-nbjournal-Conclusions b')).toBeNull();
    expect(screen.getByText('too <b>large</b>')).toBeInTheDocument();
  });

  it("shows an inference on a grid as a whole as the grid's, newest first", () => {
    const { container } = show(
      insights({
        repeated: [],
        conclusions: [
          {
            group: 'grid #1 (C in 0.1, 10; 4 runs)',
            run_id: null,
            grid_id: 1,
            created: 500,
            verdict: 'supported',
            text: 'C=10 is as good as C=1'
          },
          ...insights().conclusions
        ]
      })
    );
    const list = container.querySelector('.jp-nbjournal-Conclusions')!;
    const groups = Array.from(list.querySelectorAll('dt')).map(
      d => d.textContent
    );
    expect(groups[0]).toBe('grid #1 (C in 0.1, 10; 4 runs)');
    const first = list.querySelector('dd')!;
    expect(first).toHaveTextContent('supported grid #1 C=10 is as good as C=1');
    expect(first.querySelector('button')).toBeNull();
    expect(container).not.toHaveTextContent('No conclusion recorded yet.');
  });

  it('shows the grid inference the server recorded in its insights', () => {
    const { container } = show(payloads.insightsAfterGridInference);
    const list = container.querySelector('.jp-nbjournal-Conclusions')!;
    expect(list).toHaveTextContent('grid #1 (units in 16, 32, 64; 9 runs)');
    expect(list).toHaveTextContent(
      'inconclusive grid #1 seed noise is **small**'
    );
  });

  it('names the runs the metric of record left out, why, and what counts them all', () => {
    show(
      insights({
        metric: 'test_accuracy',
        left_out: 2,
        left_out_detail: {
          runs: [3, 4],
          grids: [1],
          metric: 'test_accuracy',
          source: "the cell's result",
          instead: 'val_accuracy'
        }
      })
    );
    expect(
      screen.getByText(/^left out: #3, #4 \(grid #1\) have no test_accuracy/)
    ).toHaveTextContent(
      "left out: #3, #4 (grid #1) have no test_accuracy; ranked by test_accuracy (the cell's result); val_accuracy counts every run"
    );
  });

  it('says too few runs to tell when not ranked', () => {
    show(
      insights({
        ranked: false,
        importances: [],
        verdict: 'too few runs to tell (3 runs; insights need 10)'
      })
    );
    expect(screen.getByRole('status')).toHaveTextContent(
      'too few runs to tell'
    );
    expect(screen.queryByRole('list', { name: 'Importances' })).toBeNull();
  });

  it('asks before reading', () => {
    const onRead = jest.fn();
    render(
      <InsightsView
        insights={null}
        rendermime={{ mimeTypes: [] } as any}
        theme="light"
        now={500}
        onOpenRun={jest.fn()}
        onRead={onRead}
      />
    );
    screen.getByRole('button', { name: 'Show insights' }).click();
    expect(onRead).toHaveBeenCalled();
  });

  it('draws the first few run links and conclusions of a long history, the rest on demand', () => {
    const runs = Array.from({ length: 200 }, (_, i) => i + 1);
    const many = Array.from({ length: 12 }, (_, i) => ({
      group: 'lr=0.1',
      run_id: 100 + i,
      grid_id: null,
      created: 1000 + i,
      verdict: null,
      text: `note ${i}`
    }));
    show(
      insights({
        best: [{ ...insights().best[0], runs, repeats: 200 }],
        conclusions: many
      })
    );
    const table = screen.getByRole('table', { name: 'Best configurations' });
    // 3 links and a count, not 200 links in a row (4 s to draw at 10,000 runs)
    expect(table.querySelectorAll('.jp-nbjournal-InsightRun')).toHaveLength(3);
    fireEvent.click(within(table).getByRole('button', { name: '+197 more' }));
    expect(
      screen
        .getByRole('table', { name: 'Best configurations' })
        .querySelectorAll('.jp-nbjournal-InsightRun')
    ).toHaveLength(200);

    const conclusions = screen.getByRole('term');
    expect(conclusions).toHaveTextContent('lr=0.1 12 conclusions');
    expect(screen.getAllByRole('definition')).toHaveLength(6); // 5 and the button
    expect(screen.getByText('note 11')).toBeInTheDocument(); // the newest first
    fireEvent.click(
      screen.getByRole('button', { name: 'Show 7 more conclusions' })
    );
    expect(screen.getByText('note 0')).toBeInTheDocument();
    expect(screen.getAllByRole('definition')).toHaveLength(12);
  });

  it('groups conclusions, newest first inside a group', () => {
    const groups = groupConclusions(insights().conclusions);
    expect(groups.map(([g]) => g)).toEqual(['lr=0.1', 'lr=0.003']);
    expect(groups[0][1].map(c => c.run_id)).toEqual([17, 14]);
  });
});

describe('InsightsView over a recorded payload', () => {
  it('shows the best configurations: parameters in one notation, mean ± interval, vs best', () => {
    show(payloads.insights);
    const table = screen.getByRole('table', { name: 'Best configurations' });
    const headers = Array.from(table.querySelectorAll('th')).map(
      th => th.textContent
    );
    expect(headers).toEqual([
      '#',
      'lr',
      'units',
      'val_accuracy',
      'vs best',
      'runs'
    ]);
    const second = table.querySelectorAll('tbody tr')[1];
    expect(second).toHaveTextContent('0.883 ± 0.0075');
    expect(second).toHaveTextContent('needs 13 more repeats');
  });
});

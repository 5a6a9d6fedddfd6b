import { render, screen, within } from '@testing-library/react';
import React from 'react';

import { RunItem } from '../components/RunItem';
import { RunView } from '../components/RunView';
import { IRun } from '../api/runDetailPayloads';
import { Verdict } from '../api/runPayloads';
import { run, summary } from './fixtures';
import { payloads } from './payloads';

function view(overrides: Partial<IRun>) {
  const rendermime = { mimeTypes: [] } as any;
  return render(
    <RunView
      run={run(overrides)}
      series={[]}
      rendermime={rendermime}
      theme="light"
      now={1_700_000_100}
      canInsert={false}
      onCopy={jest.fn()}
      onInsert={jest.fn()}
      notebookPath={null}
      onOpenNotebook={jest.fn()}
      onOpenRun={jest.fn()}
      onAddInference={jest.fn()}
    />
  );
}

const inference = (verdict: Verdict | null, id: number) => ({
  ...payloads.inference,
  id,
  run_id: 12,
  text: `note ${id}`,
  verdict,
  created: 1_700_000_000 + id
});

describe('RunView: what runs carry', () => {
  it('shows each finding on one line, skipped and silenced muted', () => {
    const { container } = view({
      checks: {
        findings: [
          {
            name: 'sorted-labels',
            fit: 1,
            message: 'the last 20 % of y holds only class 9 — shuffle'
          }
        ],
        skipped: [{ name: 'leakage', fit: 1, reason: 'x is a list' }],
        silenced: ['imbalance']
      }
    });
    const list = screen.getByRole('list', { name: 'Checks' });
    const items = within(list).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(
      'sorted-labels: the last 20 % of y holds only class 9 — shuffle (fit 1)'
    );
    expect(items[1]).toHaveTextContent('leakage: skipped, x is a list');
    expect(items[1]).toHaveClass('jp-mod-muted');
    expect(items[2]).toHaveTextContent('silenced: imbalance');
    expect(container.querySelectorAll('.jp-mod-muted')).toHaveLength(2);
  });

  it('lists artifacts with sizes, reasons, and the cell value labelled', () => {
    view({
      artifacts: [
        {
          name: 'model',
          role: 'name',
          type: 'keras.src.models.sequential.Sequential',
          kind: 'keras',
          size: 212345,
          hash: 'a',
          stored: true,
          reason: null
        },
        {
          name: 'stream',
          role: 'name',
          type: '_io.TextIOWrapper',
          kind: 'none',
          size: 0,
          hash: null,
          stored: false,
          reason: 'an open file'
        },
        {
          name: 'Out',
          role: 'result',
          type: 'dict',
          kind: 'pickle',
          size: 52,
          hash: 'b',
          stored: true,
          reason: null
        }
      ]
    });
    const rows = within(
      screen.getByRole('table', { name: 'Artifacts' })
    ).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('modelkeras Sequential212.3 kBstored');
    expect(rows[2]).toHaveTextContent('not stored: an open file');
    expect(rows[3]).toHaveTextContent('the cell’s value');
    expect(rows[3]).not.toHaveTextContent('Out');
  });

  it('hides a cell value that is None', () => {
    view({
      artifacts: [
        {
          name: 'Out',
          role: 'result',
          type: 'NoneType',
          kind: 'pickle',
          size: 4,
          hash: 'b',
          stored: true,
          reason: null
        }
      ]
    });
    expect(screen.queryByRole('table', { name: 'Artifacts' })).toBeNull();
    expect(screen.getByText('The run saved nothing.')).toBeInTheDocument();
  });

  it('shows the nearest run and its notes as warnings, as text', () => {
    view({
      nearest: {
        run_id: 41,
        experiment: '',
        code_lines: 0,
        differences: [],
        metric: 'val_accuracy',
        value: 0.962,
        verdict: 'refuted',
        inference: 'x',
        notes: ['run #37 <b>was refuted</b>'],
        repeats: null,
        line: 'closest earlier run: #41 differs only in lr'
      }
    });
    expect(
      screen.getByText('closest earlier run: #41 differs only in lr')
    ).toBeInTheDocument();
    const warnings = screen.getByRole('list', { name: 'Warnings' });
    expect(warnings).toHaveTextContent('run #37 <b>was refuted</b>');
    expect(warnings.querySelector('b')).toBeNull();
  });

  it('says points not yet written and the error summary', () => {
    view({
      status: 'failed',
      points_pending: 3,
      error: 'Traceback…\nValueError: bad shape',
      error_summary: 'ValueError: bad shape'
    });
    expect(screen.getByText('3 points not yet written')).toBeInTheDocument();
    expect(screen.getByText('ValueError: bad shape')).toHaveClass(
      'jp-nbjournal-ErrorSummary'
    );
  });

  it('keeps the verdict when a later note gives none', () => {
    const { container } = view({
      verdict: 'refuted',
      inference: inference(null, 2),
      inferences: [inference('refuted', 1), inference(null, 2)]
    });
    const badge = container.querySelector(
      '.jp-nbjournal-RunView-header .jp-nbjournal-Badge'
    );
    expect(badge).toHaveTextContent('refuted');
  });
});

describe('RunItem: pending points and errors', () => {
  it('marks pending points and a failed run’s error', () => {
    render(
      <RunItem
        run={summary({
          status: 'failed',
          points_pending: 5,
          error_summary: 'ValueError: bad',
          verdict: 'supported',
          inference: inference(null, 3)
        })}
        selected={false}
        now={1_700_000_100}
        onOpen={jest.fn()}
        onToggleSelected={jest.fn()}
      />
    );
    expect(
      screen.getByRole('img', { name: '5 points not yet written' })
    ).toBeInTheDocument();
    expect(screen.getByText('ValueError: bad')).toBeInTheDocument();
    expect(screen.getByRole('option')).toHaveTextContent('supported');
  });
});

describe('RunView: a run without checks', () => {
  it('shows no Checks section (and no stray text)', () => {
    const { container } = view({
      checks: { findings: [], skipped: [], silenced: [] }
    });
    expect(container.querySelector('[data-section="checks"]')).toBeNull();
    expect(
      container.querySelector('[data-section="result"]')?.nextSibling
        ?.textContent
    ).not.toBe('0');
  });
});

describe('RunView: the procedure', () => {
  const procedure = {
    status: 'upstream edited',
    reason: 'In [3] has other code in the notebook now',
    problems: [
      ['upstream edited', 'In [3] has other code in the notebook now']
    ] as [string, string][],
    notebook_checked: true,
    cells: [
      {
        execution_count: 2,
        cell_id: 'a',
        code_hash: 'h2',
        code: 'X = load()',
        bound: ['X'],
        names: ['X']
      },
      {
        execution_count: 3,
        cell_id: 'b',
        code_hash: 'h3',
        code: 'X = X / 16.0',
        bound: ['X'],
        names: ['X']
      }
    ],
    hidden: ['scale'],
    replay_of: null,
    replays: [14],
    comparison: null,
    reproduced: 1_700_000_000
  };

  it('shows the status badge, its reason and each upstream cell collapsed', () => {
    const { container } = view({ procedure });
    const section = container.querySelector('[data-section="procedure"]')!;
    expect(section).toHaveTextContent('2 upstream cells');
    const badge = section.querySelector('.jp-nbjournal-ProcedureBadge')!;
    expect(badge).toHaveTextContent('upstream edited');
    expect(badge).toHaveClass('jp-mod-upstream-edited');
    expect(section).toHaveTextContent(
      'In [3] has other code in the notebook now'
    );
    const cells = within(
      screen.getByRole('list', { name: 'Upstream cells' })
    ).getAllByRole('listitem');
    expect(cells.map(c => c.querySelector('summary')!.textContent)).toEqual([
      'In [2] · X',
      'In [3] · X'
    ]);
    expect(cells[1].querySelector('details')).not.toHaveAttribute('open');
    expect(cells[1]).toHaveTextContent('X = X / 16.0');
    expect(section).toHaveTextContent(
      'read but bound by no recorded cell: scale'
    );
    expect(section).toHaveTextContent('reproduced');
    expect(
      within(section as HTMLElement).getByRole('button', { name: '#14' })
    ).toBeTruthy();
  });

  it('says when no procedure was recorded', () => {
    const { container } = view({ procedure: null });
    expect(
      container.querySelector('[data-section="procedure"]')
    ).toHaveTextContent('No procedure recorded for this run.');
  });

  it('a replay names the run it replays and how each metric compared', () => {
    const onOpenRun = jest.fn();
    const rendermime = { mimeTypes: [] } as any;
    render(
      <RunView
        run={run({
          procedure: {
            ...procedure,
            status: 'clean',
            reason: 'every upstream cell is in the saved notebook',
            replays: [],
            reproduced: null,
            hidden: [],
            replay_of: 12,
            comparison: {
              metrics: {
                accuracy: {
                  recorded: 0.95,
                  replayed: 0.9512,
                  verdict: 'within noise',
                  difference: 0.0012,
                  interval: [-0.01, 0.012]
                }
              }
            }
          }
        })}
        series={[]}
        rendermime={rendermime}
        theme="light"
        now={1_700_000_100}
        canInsert={false}
        onCopy={jest.fn()}
        onInsert={jest.fn()}
        notebookPath={null}
        onOpenNotebook={jest.fn()}
        onOpenRun={onOpenRun}
        onAddInference={jest.fn()}
      />
    );
    const line = document.querySelector('.jp-nbjournal-ProcedureReplay')!;
    expect(line).toHaveTextContent(
      'a replay of #12: accuracy 0.9512 (within noise)'
    );
    within(line as HTMLElement)
      .getByRole('button', { name: '#12' })
      .click();
    expect(onOpenRun).toHaveBeenCalledWith(12);
  });
});

describe('RunView: a link to the cell (22.10)', () => {
  it('opens the notebook at the cell that made the run, when it is known', () => {
    const onOpenNotebook = jest.fn();
    const props = {
      series: [],
      rendermime: { mimeTypes: [] } as any,
      theme: 'light',
      now: 1_700_000_100,
      canInsert: false,
      onCopy: jest.fn(),
      onInsert: jest.fn(),
      notebookPath: 'example_notebooks/01_quickstart.ipynb',
      onOpenNotebook,
      onOpenRun: jest.fn(),
      onAddInference: jest.fn()
    };
    const { unmount } = render(<RunView run={run()} {...props} />);
    const button = screen.getByRole('button', { name: 'Open notebook' });
    expect(button).toHaveAttribute(
      'title',
      'Open example_notebooks/01_quickstart.ipynb at the cell that made this run'
    );
    button.click();
    // the recorded run's cell: JupyterLab sent its id ("run") with the execution
    expect(onOpenNotebook).toHaveBeenCalledWith(
      'example_notebooks/01_quickstart.ipynb',
      'run'
    );
    unmount();
    render(<RunView run={run({ procedure: null })} {...props} />);
    screen.getByRole('button', { name: 'Open notebook' }).click();
    expect(onOpenNotebook).toHaveBeenLastCalledWith(
      'example_notebooks/01_quickstart.ipynb',
      null
    );
  });
});

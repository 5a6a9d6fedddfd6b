import {
  RenderMimeRegistry,
  standardRendererFactories
} from '@jupyterlab/rendermime';
import {
  act,
  fireEvent,
  render,
  RenderResult,
  screen,
  waitFor
} from '@testing-library/react';
import React from 'react';

import { JournalClient } from '../api/client';
import { ICurvesReply } from '../api/runPayloads';
import { DEFAULT_VERDICT_COLORS } from '../charts/experimentCharts';
import { ExperimentView } from '../components/ExperimentView';
import { OpenableCharts } from '../components/OpenableCharts';
import { ExperimentTableModel } from '../experimentModel';
import { sweepRows, TableServer } from './tableServer';

const rendermime = new RenderMimeRegistry({
  initialFactories: standardRendererFactories
});

function curvesOf(ids: ReadonlyArray<number>, metric: string): ICurvesReply {
  return {
    metric,
    kind: 'epoch',
    max_points: 300,
    curves: ids.map(id => ({
      run_id: id,
      total: 2,
      points: [
        [0, 0, 1, 1 / id],
        [1, 1, 2, 0.5 / id]
      ]
    }))
  };
}

async function setup(selected: number[] = []) {
  const server = new TableServer(sweepRows(200));
  const table = new ExperimentTableModel({
    name: 'sweep',
    client: new JournalClient(server.request)
  });
  await table.reload();
  const loadCurves = jest.fn((ids: ReadonlyArray<number>, metric: string) =>
    Promise.resolve(curvesOf(ids, metric))
  );
  const onOpenRun = jest.fn();
  const element = () => (
    <ExperimentView
      table={table}
      selected={selected}
      onToggleSelected={jest.fn()}
      onCompare={jest.fn()}
      onOpenRun={onOpenRun}
      onExport={jest.fn()}
      colors={DEFAULT_VERDICT_COLORS}
      rendermime={rendermime}
      theme="JupyterLab Light"
      loadCurves={loadCurves}
    />
  );
  let view: RenderResult | undefined;
  // the overlay's first request resolves inside act
  await act(async () => {
    view = render(element());
  });
  table.changed.connect(() => view!.rerender(element()));
  return {
    table,
    view,
    loadCurves,
    onOpenRun,
    rerender: () => view!.rerender(element())
  };
}

/** Change a control, the overlay's request resolving inside act. */
async function change(control: Element, value: string): Promise<void> {
  await act(async () => {
    fireEvent.change(control, { target: { value } });
  });
}

/** Wait until the overlay drew `n` curves of `metric`. */
async function drawn(n: number, metric: string): Promise<void> {
  await waitFor(() =>
    expect(
      document.querySelector(
        `.jp-nbjournal-CurvesOverlay[data-curves="${n}"][data-metric="${metric}"]`
      )
    ).not.toBeNull()
  );
}

describe('the curves overlay and the metric explorer', () => {
  it("asks once for the first 10 runs of the table's order, again on a new metric", async () => {
    const { loadCurves, rerender } = await setup();
    await waitFor(() => expect(loadCurves).toHaveBeenCalledTimes(1));
    await drawn(10, 'val_accuracy');
    expect(loadCurves.mock.calls[0][0]).toEqual([
      200, 199, 198, 197, 196, 195, 194, 193, 192, 191
    ]);
    expect(loadCurves.mock.calls[0][1]).toBe('val_accuracy');
    rerender(); // a re-render with a new load function asks nothing again
    expect(loadCurves).toHaveBeenCalledTimes(1);
    expect(
      screen.getByText("the first 10 of the table's order")
    ).toBeInTheDocument();
    const section = document.querySelector(
      '[data-section="curves"]'
    ) as HTMLElement;
    await change(section.querySelector('select[aria-label="metric"]')!, 'loss');
    await waitFor(() => expect(loadCurves).toHaveBeenCalledTimes(2));
    await drawn(10, 'loss');
    expect(loadCurves.mock.calls[1][1]).toBe('loss');
    await change(
      section.querySelector('input[aria-label="how many runs"]')!,
      '500'
    );
    await waitFor(() => expect(loadCurves).toHaveBeenCalledTimes(3));
    await drawn(50, 'loss');
    expect(loadCurves.mock.calls[2][0]).toHaveLength(50); // the bound
  });

  it('overlays the ticked runs when some are ticked', async () => {
    const { loadCurves } = await setup([150, 7]);
    await waitFor(() => expect(loadCurves).toHaveBeenCalled());
    await drawn(2, 'val_accuracy');
    expect(loadCurves.mock.calls[0][0]).toEqual([150, 7]);
    expect(screen.getByText('2 ticked runs')).toBeInTheDocument();
  });

  it('says why the curves cannot be read', async () => {
    const { loadCurves } = await setup();
    await drawn(10, 'val_accuracy');
    loadCurves.mockRejectedValueOnce(
      new Error('curves draws at most 50 runs at once, not 51')
    );
    const section = document.querySelector(
      '[data-section="curves"]'
    ) as HTMLElement;
    await change(section.querySelector('select[aria-label="metric"]')!, 'loss');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The curves cannot be read: curves draws at most 50 runs at once, not 51'
    );
  });

  it('the explorer offers every metric and parameter, and its views', async () => {
    await setup();
    await drawn(10, 'val_accuracy');
    const section = document.querySelector(
      '[data-section="explore"]'
    ) as HTMLElement;
    const metric = section.querySelector(
      'select[aria-label="metric"]'
    ) as HTMLSelectElement;
    expect(
      Array.from(metric.options)
        .map(o => o.value)
        .sort()
    ).toEqual(['loss', 'val_accuracy']);
    const param = section.querySelector(
      'select[aria-label="parameter"]'
    ) as HTMLSelectElement;
    expect(
      Array.from(param.options)
        .map(o => o.value)
        .sort()
    ).toEqual(['activation', 'lr', 'units']);
    fireEvent.change(section.querySelector('select[aria-label="view"]')!, {
      target: { value: 'contour' }
    });
    expect(
      section.querySelector('select[aria-label="against"]')
    ).not.toBeNull();
    fireEvent.change(section.querySelector('select[aria-label="view"]')!, {
      target: { value: 'history' }
    });
    expect(section.querySelector('select[aria-label="parameter"]')).toBeNull();
  });
});

describe('OpenableCharts', () => {
  it('opens the run a clicked mark names, and nothing for other clicks', () => {
    const onOpenRun = jest.fn();
    const { container } = render(
      <OpenableCharts
        charts={[]}
        rendermime={rendermime}
        theme="light"
        kind="Chart"
        onOpenRun={onOpenRun}
      />
    );
    const host = container.firstChild as HTMLElement;
    host.innerHTML =
      '<svg aria-label="Vega visualization"><g><path aria-label="run #42: lr 1e-3"></path><path></path></g></svg>';
    fireEvent.click(host.querySelector('path[aria-label]')!);
    expect(onOpenRun).toHaveBeenCalledWith(42);
    fireEvent.click(host.querySelectorAll('path')[1]);
    expect(onOpenRun).toHaveBeenCalledTimes(1);
  });
});

import { IExperimentTableRow } from '../api/experimentPayloads';
import { contourSpec, historySpec, sliceSpec } from '../charts/explorerCharts';
import { sweepRows } from './tableServer';

function row(
  id: number,
  lr: number,
  act: string,
  loss: number
): IExperimentTableRow {
  return {
    id,
    status: 'finished',
    started: 1000 + id,
    duration: 1,
    verdict: null,
    inference: null,
    params: { lr, act },
    metrics: { loss }
  };
}

const rows = [
  row(1, 1e-4, 'relu', 0.9),
  row(2, 1e-3, 'tanh', 0.5),
  row(3, 1e-2, 'relu', 0.7),
  row(4, 1e-3, 'relu', 0.3)
];

describe('sliceSpec', () => {
  it('a parameter over decades on a log axis, padded so no point is cut', () => {
    const spec = sliceSpec(rows, 'lr', 'loss') as any;
    expect(spec.encoding.x.scale).toEqual({ type: 'log', padding: 12 });
    expect(spec.encoding.x.title).toBe('lr (log)');
    expect(spec.encoding.y.scale.padding).toBe(12);
    expect(spec.encoding.description).toEqual({ field: 'label' });
    expect(spec.data.values.map((v: any) => v.label)).toEqual([
      'run #1: lr 1e-4',
      'run #2: lr 1e-3',
      'run #3: lr 1e-2',
      'run #4: lr 1e-3'
    ]);
  });

  it('a narrow numeric range stays linear', () => {
    const narrow = rows.map((r, i) => ({
      ...r,
      params: { ...r.params, lr: 1 + i }
    }));
    expect((sliceSpec(narrow, 'lr', 'loss') as any).encoding.x.scale.type).toBe(
      'linear'
    );
  });

  it('categories: a box per value and the runs jittered beside it', () => {
    const spec = sliceSpec(rows, 'act', 'loss') as any;
    expect(spec.layer[1].mark.type).toBe('boxplot');
    expect(spec.layer[0].encoding.xOffset.field).toBe('jitter');
    expect(spec.layer[0].encoding.x.sort).toEqual(['relu', 'tanh']);
    const jitters = spec.data.values.map((v: any) => v.jitter);
    expect(new Set(jitters).size).toBe(4);
    expect(sliceSpec(rows, 'act', 'nope')).toBeNull();
  });
});

describe('historySpec', () => {
  it('runs in the order started and the best so far, by the goal', () => {
    const low = historySpec(rows, 'loss', 'min') as any;
    expect(low.data.values.map((v: any) => v.best)).toEqual([
      0.9, 0.5, 0.5, 0.3
    ]);
    expect(low.data.values.map((v: any) => v.order)).toEqual([1, 2, 3, 4]);
    const high = historySpec(rows, 'loss', 'max') as any;
    expect(high.data.values.map((v: any) => v.best)).toEqual([
      0.9, 0.9, 0.9, 0.9
    ]);
    expect(high.title.text).toContain('higher is better');
    expect(low.layer[1].mark.interpolate).toBe('step-after');
  });
});

describe('contourSpec', () => {
  it("a cell per pair of values, coloured by the metric's mean", () => {
    const spec = contourSpec(rows, 'lr', 'act', 'loss') as any;
    const cell = spec.data.values.find(
      (v: any) => v.x === '1e-3' && v.y === 'relu'
    );
    expect(cell).toMatchObject({ mean: 0.3, n: 1 });
    expect(spec.data.values).toHaveLength(4);
    expect(contourSpec(rows, 'lr', 'lr', 'loss')).toBeNull();
  });

  it('means over repeats of a 10,000-run sweep', () => {
    const sweep = sweepRows(10000);
    const spec = contourSpec(sweep, 'lr', 'units', 'loss') as any;
    const total = spec.data.values.reduce((n: number, v: any) => n + v.n, 0);
    expect(total).toBe(10000);
  });
});

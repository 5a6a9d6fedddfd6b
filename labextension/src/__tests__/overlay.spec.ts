import { ICurvesReply } from '../api/runPayloads';
import { overlaySpec } from '../charts/overlayCharts';
import {
  groupBands,
  MAX_OVERLAY_RUNS,
  overlayPoints,
  overlayRuns,
  runOfLabel,
  smooth
} from '../overlay';
import { payloads } from './payloads';
import { sweepRows } from './tableServer';

const reply: ICurvesReply = {
  metric: 'loss',
  kind: 'epoch',
  max_points: 300,
  curves: [
    {
      run_id: 7,
      total: 3,
      points: [
        [0, 0, 1, 1.0],
        [1, 1, 2, 0.5],
        [2, 2, 3, 0.25]
      ]
    },
    {
      run_id: 9,
      total: 3,
      points: [
        [0, 0, 2, 3.0],
        [1, 1, 4, null],
        [2, 2, 6, -1]
      ]
    },
    { run_id: 11, total: 0, points: [] }
  ]
};

describe('overlayRuns', () => {
  const rows = sweepRows(100);

  it('takes the ticked runs of this table, else the first N of its order', () => {
    expect(overlayRuns({ ticked: [5, 99, 5000], rows, top: 10 })).toMatchObject(
      {
        ids: [5, 99],
        source: '2 ticked runs'
      }
    );
    const top = overlayRuns({ ticked: [5000], rows, top: 3 });
    expect(top.ids).toEqual([100, 99, 98]);
    expect(top.source).toBe("the first 3 of the table's order");
    expect(overlayRuns({ ticked: [], rows, top: 500 }).ids).toHaveLength(
      MAX_OVERLAY_RUNS
    );
  });

  it('grouped: the first groups in order, their first runs, never past the bound', () => {
    const configurations = [
      { ...payloads.configurations.configurations[0], id: 1, runs: [1, 2, 3] },
      { ...payloads.configurations.configurations[0], id: 4, runs: [4, 5] },
      {
        ...payloads.configurations.configurations[0],
        id: 6,
        runs: Array.from({ length: 49 }, (_, i) => 6 + i)
      }
    ];
    const chosen = overlayRuns({ ticked: [], rows, top: 10, configurations });
    // three groups: at most 16 runs of each, 3 + 2 + 16 in all
    expect(chosen.ids).toHaveLength(21);
    expect(chosen.ids.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(chosen.groups.get(5)).toBe('config #4');
    expect(chosen.source).toBe(
      'the first 3 groups (at most 16 runs each), their mean ± 1 sd'
    );
    const one = overlayRuns({ ticked: [], rows, top: 1, configurations });
    expect(one.ids).toEqual([1, 2, 3]);
    const byUnits = overlayRuns({
      ticked: [],
      rows,
      top: 1,
      by: ['units'],
      configurations: [{ ...configurations[2], params: { units: 64 } }]
    });
    expect(byUnits.ids).toHaveLength(MAX_OVERLAY_RUNS - 1); // 49 runs, within the bound
    expect(byUnits.groups.get(6)).toBe('units=64');
  });
});

describe('smooth', () => {
  it('is the curve itself at 0 and a debiased moving average above', () => {
    expect(smooth([1, 2, null, 4], 0)).toEqual([1, 2, null, 4]);
    const out = smooth([1, 1, 1], 0.9) as number[];
    out.forEach(v => expect(v).toBeCloseTo(1, 10)); // no pull towards 0 at the start
    const [a, b] = smooth([0, 10], 0.5) as number[];
    expect(a).toBe(0);
    expect(b).toBeCloseTo((0.5 * 0 * 0.5 + 0.5 * 10) / 0.75, 10);
  });
});

describe('overlayPoints', () => {
  it('draws each run by the x chosen, skips gaps, drops ≤ 0 on a log axis', () => {
    const linear = overlayPoints(reply, {
      x: 'time',
      smoothing: 0,
      log: false
    });
    expect(linear.dropped).toBe(0);
    expect(linear.points.map(p => [p.series, p.x, p.y])).toEqual([
      ['#7', 1, 1.0],
      ['#7', 2, 0.5],
      ['#7', 3, 0.25],
      ['#9', 2, 3.0],
      ['#9', 6, -1]
    ]);
    expect(linear.points[0].label).toBe('run #7');
    const log = overlayPoints(reply, { x: 'epoch', smoothing: 0, log: true });
    expect(log.dropped).toBe(1);
    expect(log.points.every(p => p.y > 0)).toBe(true);
  });

  it('groups: a mean and ± one standard deviation at each epoch', () => {
    const groups = new Map([
      [7, 'config #7'],
      [9, 'config #7']
    ]);
    const { points } = overlayPoints(reply, {
      x: 'epoch',
      smoothing: 0,
      log: false,
      groups
    });
    const bands = groupBands(points, 'epoch');
    const first = bands.find(b => b.x === 0)!;
    expect(first.mean).toBe(2);
    expect(first.n).toBe(2);
    expect(first.high - first.mean).toBeCloseTo(Math.SQRT2, 10); // sd of 1 and 3
    expect(bands.find(b => b.x === 1)).toMatchObject({
      mean: 0.5,
      low: 0.5,
      n: 1
    });
  });
});

describe('overlaySpec', () => {
  it('a line per run, its marks named for a click; log y without a zero', () => {
    const { points } = overlayPoints(reply, {
      x: 'step',
      smoothing: 0,
      log: true
    });
    const spec = overlaySpec(points, {
      metric: 'loss',
      x: 'step',
      log: true,
      bands: null
    }) as any;
    const line = spec.layer[0];
    expect(line.mark.type).toBe('line');
    expect(line.encoding.description).toEqual({ field: 'label' });
    expect(line.encoding.y.scale).toEqual({
      type: 'log',
      nice: false,
      padding: 8
    }); // no "zero" on a log scale
    expect(spec.layer[0].encoding.color.scale.domain).toEqual(['#7', '#9']);
    expect(
      overlaySpec([], { metric: 'loss', x: 'step', log: false, bands: null })
    ).toBeNull();
  });

  it('grouped: a band and a mean line per configuration', () => {
    const groups = new Map([
      [7, 'config #7'],
      [9, 'config #7']
    ]);
    const { points } = overlayPoints(reply, {
      x: 'epoch',
      smoothing: 0,
      log: false,
      groups
    });
    const spec = overlaySpec(points, {
      metric: 'loss',
      x: 'epoch',
      log: false,
      bands: groupBands(points, 'epoch')
    }) as any;
    expect(spec.layer.map((l: any) => l.mark.type)).toEqual(['area', 'line']);
    expect(spec.layer[0].encoding.y2).toEqual({ field: 'high' });
  });
});

describe('runOfLabel', () => {
  it('reads the run of a mark', () => {
    expect(runOfLabel('run #42: lr 0.001')).toBe(42);
    expect(runOfLabel('Vega visualization')).toBeNull();
    expect(runOfLabel(null)).toBeNull();
  });
});

describe('the recorded GET curves payload', () => {
  it('draws', () => {
    const { points } = overlayPoints(payloads.curves, {
      x: 'epoch',
      smoothing: 0,
      log: false
    });
    expect(new Set(points.map(p => p.id)).size).toBe(
      payloads.curves.curves.length
    );
  });
});

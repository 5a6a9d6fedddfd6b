import { compareCharts, plottable, runCharts } from '../charts';
import { IMetricSeries } from '../tokens';

function series(
  name: string,
  values: Array<number | null>,
  kind = 'epoch',
  part = 0
): IMetricSeries {
  return {
    name,
    kind,
    part,
    total: values.length,
    points: values.map((value, i) => [i, kind === 'epoch' ? i : null, value])
  };
}

function values(
  spec: any
): Array<{ x: number; value: number; series: string }> {
  return spec.data.values;
}

describe('plottable', () => {
  it('keeps epoch series, batch series without epochs, and drops final values', () => {
    const kept = plottable([
      series('loss', [1, 0.5]),
      series('loss', [1, 0.9, 0.5], 'batch'),
      series('lr', [0.1, 0.1], 'batch'),
      series('test_accuracy', [0.9], 'value'),
      series('empty', [])
    ]);
    expect(kept.map(s => `${s.name}/${s.kind}`)).toEqual([
      'loss/epoch',
      'lr/batch'
    ]);
  });
});

describe('runCharts', () => {
  it('draws loss and val_loss together, loss first', () => {
    const charts = runCharts([
      series('accuracy', [0.5, 0.8]),
      series('val_accuracy', [0.4, 0.7]),
      series('loss', [2, 1]),
      series('val_loss', [2.5, 1.5])
    ]);
    expect(charts.map(c => c.title)).toEqual(['loss', 'accuracy']);
    const loss = values(charts[0].spec);
    expect(new Set(loss.map(v => v.series))).toEqual(
      new Set(['loss', 'val_loss'])
    );
    expect(loss).toContainEqual({ x: 1, value: 1.5, series: 'val_loss' });
  });

  it('is a Vega-Lite v5 line chart with no background of its own', () => {
    const [chart] = runCharts([series('loss', [2, 1])]);
    const spec = chart.spec as any;
    expect(spec.$schema).toContain('vega-lite/v5');
    expect(spec.mark.type).toBe('line');
    expect(spec.encoding.x.title).toBe('epoch');
    expect(spec.config.background).toBe('transparent');
  });

  it('skips missing and infinite values', () => {
    const [chart] = runCharts([series('loss', [2, null, Infinity, 1])]);
    expect(values(chart.spec).map(v => v.value)).toEqual([2, 1]);
  });

  it('plots per-batch series by step', () => {
    const [chart] = runCharts([series('loss', [3, 2, 1], 'batch')]);
    expect((chart.spec as any).encoding.x.title).toBe('step');
  });

  it('names a second fit of the same cell', () => {
    const [chart] = runCharts([
      series('loss', [2, 1]),
      series('loss', [1, 0.5], 'epoch', 1)
    ]);
    expect(new Set(values(chart.spec).map(v => v.series))).toEqual(
      new Set(['loss', 'loss (fit 2)'])
    );
  });

  it('draws nothing without curves', () => {
    expect(runCharts([])).toEqual([]);
    expect(runCharts([series('acc', [null])])).toEqual([]);
  });
});

describe('compareCharts', () => {
  it('overlays each metric, one colour per run', () => {
    const charts = compareCharts([
      { id: 1, series: [series('loss', [2, 1]), series('val_loss', [3, 2])] },
      { id: 2, series: [series('loss', [2.5, 0.5])] }
    ]);
    expect(charts.map(c => c.title)).toEqual(['loss', 'val_loss']);
    const loss = values(charts[0].spec);
    expect(new Set(loss.map(v => v.series))).toEqual(new Set(['#1', '#2']));
    expect((charts[0].spec as any).encoding.color.legend).not.toBeNull();
    expect(new Set(values(charts[1].spec).map(v => v.series))).toEqual(
      new Set(['#1'])
    );
  });
});

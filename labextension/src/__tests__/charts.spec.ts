import {
  compareCharts,
  differingNote,
  plottable,
  runCharts,
  runColor
} from '../charts/runCharts';
import { IMetricSeries } from '../api/runPayloads';

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
): Array<{ x: number; value: number; series: string; fit: string }> {
  return spec.data.values;
}

/** The colour scale of a chart: legend label → colour. */
function colors(spec: any): { [label: string]: string } {
  const { domain, range } = spec.encoding.color.scale;
  return Object.fromEntries(
    domain.map((label: string, i: number) => [label, range[i]])
  );
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
      new Set(['train', 'validation'])
    );
    // the second epoch (index 1) is shown as epoch 2
    expect(loss).toContainEqual({
      x: 2,
      value: 1.5,
      series: 'validation',
      fit: 'fit 1'
    });
  });

  it('labels training and validation in a legend, same colours in every chart', () => {
    const charts = runCharts([
      series('accuracy', [0.5, 0.8]),
      series('val_accuracy', [0.4, 0.7]),
      series('loss', [2, 1]),
      series('val_loss', [2.5, 1.5]),
      series('lr', [0.1, 0.01])
    ]);
    const [loss, accuracy, lr] = charts.map(c => c.spec as any);
    // no legend in the charts: the view draws one for all, from `legend`
    expect(loss.encoding.color.legend).toBeNull();
    expect(charts[0].legend).toEqual([
      { label: 'train', color: colors(loss).train },
      { label: 'validation', color: colors(loss).validation }
    ]);
    expect(loss.encoding.color.scale.domain).toEqual(['train', 'validation']);
    expect(colors(loss)).toEqual(colors(accuracy));
    expect(colors(lr)).toEqual({ train: colors(loss).train });
    expect(loss.encoding.strokeDash).toBeUndefined();
  });

  it('labels a per-batch curve as such', () => {
    const [chart] = runCharts([series('loss', [3, 2, 1], 'batch')]);
    expect((chart.spec as any).encoding.color.scale.domain).toEqual([
      'train (per batch)'
    ]);
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

  it('tells the fits of one cell apart by their dashes', () => {
    const [chart] = runCharts([
      series('loss', [2, 1]),
      series('val_loss', [2.5, 1.5]),
      series('loss', [1, 0.5], 'epoch', 1),
      series('val_loss', [1.2, 0.9], 'epoch', 1)
    ]);
    const spec = chart.spec as any;
    expect(new Set(values(spec).map(v => `${v.series}/${v.fit}`))).toEqual(
      new Set([
        'train/fit 1',
        'validation/fit 1',
        'train/fit 2',
        'validation/fit 2'
      ])
    );
    expect(spec.encoding.strokeDash.field).toBe('fit');
    expect(spec.encoding.strokeDash.scale.domain).toEqual(['fit 1', 'fit 2']);
    expect(spec.encoding.strokeDash.legend).toBeNull();
    expect(chart.legend?.map(e => e.label)).toEqual([
      'train',
      'validation',
      'fit 1',
      'fit 2'
    ]);
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
    expect(charts[0].legend?.map(e => e.label)).toEqual(['#1', '#2']);
    expect(new Set(values(charts[1].spec).map(v => v.series))).toEqual(
      new Set(['#1'])
    );
  });

  it('keeps the colour of a run in every chart, and names what differs', () => {
    const charts = compareCharts([
      { id: 4, note: 'units=64', series: [series('val_loss', [3, 2])] },
      {
        id: 5,
        note: 'units=128',
        series: [series('loss', [2, 1]), series('val_loss', [3, 1])]
      }
    ]);
    const [loss, valLoss] = charts.map(c => c.spec as any);
    expect(colors(valLoss)).toEqual({
      '#4 units=64': runColor(0),
      '#5 units=128': runColor(1)
    });
    expect(colors(loss)).toEqual({ '#5 units=128': runColor(1) });
    expect(runColor(0)).not.toEqual(runColor(1));
  });
});

describe('differingNote', () => {
  it('names the values of the differing parameters, briefly', () => {
    const params = {
      units: 128,
      dropout: 0.2,
      'optimizer.learning_rate': 0.001,
      activation: 'a-very-long-activation-name'
    };
    expect(differingNote(params, ['units'])).toBe('units=128');
    expect(differingNote(params, ['dropout', 'units', 'lr'])).toBe(
      'dropout=0.2 units=128'
    );
    expect(differingNote(params, ['optimizer.learning_rate'])).toBe(
      'learning_rate=0.001'
    );
    expect(differingNote(params, ['activation'])).toBe(
      'activation=a-very-long…'
    );
    expect(differingNote(params, ['missing'])).toBe('missing=–');
    expect(differingNote(params, [])).toBe('');
  });
});

describe('log axes', () => {
  it('draws losses on a log axis by default, accuracies linear', () => {
    const charts = runCharts([
      series('loss', [2, 1]),
      series('accuracy', [0.5, 0.8])
    ]);
    const [loss, accuracy] = charts.map(c => c.spec as any);
    expect(loss.encoding.y.scale).toEqual({ type: 'log', nice: false });
    expect(accuracy.encoding.y.scale).toEqual({ zero: false });
    const linear = runCharts([series('loss', [2, 1])], { log: false });
    expect((linear[0].spec as any).encoding.y.scale).toEqual({ zero: false });
  });

  it('stays linear where a value is not positive', () => {
    const [chart] = compareCharts([
      { id: 1, series: [series('loss', [1, 0])] }
    ]);
    expect((chart.spec as any).encoding.y.scale).toEqual({ zero: false });
  });
});

describe('differingNote ranks', () => {
  it('names the parameters the person wrote before derived ones', () => {
    expect(
      differingNote({ 'fit.epochs': 20, units: 64 }, ['fit.epochs', 'units'], 1)
    ).toBe('units=64');
  });
});

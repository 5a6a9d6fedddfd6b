import {
  axisOf,
  DEFAULT_VERDICT_COLORS,
  experimentCharts,
  metricVsParamSpec,
  NO_VERDICT
} from '../charts/experimentCharts';
import { sweepRows } from './tableServer';

describe('axisOf', () => {
  it('puts a learning rate swept over decades on a log axis', () => {
    const axis = axisOf('lr', [0.0001, 0.001, 0.01, null]);
    expect(axis.numeric).toBe(true);
    expect(axis.log).toBe(true);
    expect(axis.position(0.001)).toBeCloseTo(0.5);
    expect(axis.position(null)).toBeNull();
    expect(axis.ticks.map(t => t.label)).toEqual(['0.0001', '0.001', '0.01']);
  });

  it('spaces categories evenly, in natural order', () => {
    const axis = axisOf('activation', ['tanh', 'relu', 'relu', 'elu']);
    expect(axis.numeric).toBe(false);
    expect(axis.categories).toEqual(['elu', 'relu', 'tanh']);
    expect(axis.position('relu')).toBeCloseTo(0.5);
  });

  it('labels few distinct numbers each, many by their ends', () => {
    expect(axisOf('units', [32, 64, 128]).ticks.map(t => t.label)).toEqual([
      '32',
      '64',
      '128'
    ]);
    const many = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(axisOf('seed', many).ticks.map(t => t.label)).toEqual(['1', '20']);
    expect(axisOf('one', [3, 3]).position(3)).toBe(0.5);
  });
});

describe('metricVsParamSpec', () => {
  const rows = sweepRows(30);

  it('draws a point per run with a value, coloured by verdict', () => {
    const spec: any = metricVsParamSpec(rows, 'lr', 'val_accuracy');
    const values = spec.data.values;
    // runs whose key metric is missing (failed) are left out
    expect(values).toHaveLength(
      rows.filter(r => r.metrics.val_accuracy !== null).length
    );
    expect(spec.encoding.x.scale).toEqual({ type: 'log', nice: false }); // no zero: a Vega warning
    expect(spec.encoding.color.scale.domain).toEqual(
      DEFAULT_VERDICT_COLORS.map(([v]) => v)
    );
    expect(spec.encoding.color.legend).toBeNull();
    expect(values.map((v: any) => v.verdict)).toContain(NO_VERDICT);
  });

  it('puts words side by side, jittered', () => {
    const spec: any = metricVsParamSpec(rows, 'activation', 'val_accuracy');
    expect(spec.encoding.x.type).toBe('nominal');
    expect(spec.encoding.x.sort).toEqual(['relu', 'tanh']);
    expect(spec.encoding.xOffset.field).toBe('jitter');
  });

  it('draws nothing without values', () => {
    expect(metricVsParamSpec(rows, 'nothing', 'val_accuracy')).toBeNull();
  });
});

describe('experimentCharts', () => {
  it('gives the metric by each parameter (parallel coordinates: ParallelCoordinates)', () => {
    const charts = experimentCharts(
      sweepRows(10),
      ['lr', 'units'],
      'val_accuracy'
    );
    expect(charts.map(c => c.title)).toEqual([
      'val_accuracy by lr',
      'val_accuracy by units'
    ]);
  });
});

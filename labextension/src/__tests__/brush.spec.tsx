import { fireEvent, render } from '@testing-library/react';
import React from 'react';

import {
  Brush,
  brushesOf,
  passes,
  roundedEnd,
  setBrush,
  withBrush,
  withoutBrushes
} from '../brush';
import { DEFAULT_VERDICT_COLORS } from '../charts/experimentCharts';
import { brushOfSpan, parallelAxes, spanOfBrush } from '../charts/parallel';
import { ParallelCoordinates } from '../components/ParallelCoordinates';
import { sweepRows } from './tableServer';

describe('brushes as query terms (22.4)', () => {
  it('reads the terms on the axes and leaves the others', () => {
    const query =
      'status:finished lr>=0.001 lr<=0.01 activation=relu val_accuracy>0.9';
    const found = brushesOf(query, ['lr', 'activation', 'units']);
    expect(found.get('lr')).toEqual({ kind: 'range', low: 0.001, high: 0.01 });
    expect(found.get('activation')).toEqual({
      kind: 'set',
      included: ['relu'],
      excluded: []
    });
    expect(found.has('units')).toBe(false);
    expect(withoutBrushes(query, ['lr', 'activation'])).toBe(
      'status:finished val_accuracy>0.9'
    );
  });

  it('finds no brush in a query of alternatives, and keeps it whole', () => {
    const query = 'act in (relu, gelu) OR lr>=0.001';
    expect(brushesOf(query, ['lr']).size).toBe(0);
    expect(withoutBrushes(query, ['lr'])).toBe(query); // never a dangling `OR`
    expect(withoutBrushes('lr>=0.001 or units=32', ['lr'])).toBe(
      'lr>=0.001 or units=32'
    );
  });

  it('writes a brush in place of the old one, the rest of the query kept', () => {
    const brush = { kind: 'range' as const, low: 0.0003, high: null };
    expect(withBrush('#baseline lr>=0.001 lr<=0.01', 'lr', brush)).toBe(
      '#baseline lr>=0.0003'
    );
    expect(withBrush('lr>=0.001 units=64', 'lr', null)).toBe('units=64');
    expect(
      withBrush('', 'optimizer learning rate', {
        kind: 'set',
        included: ['a b'],
        excluded: []
      })
    ).toBe("'optimizer learning rate'='a b'");
    const two = setBrush(['gelu', 'relu'], ['gelu', 'relu', 'silu', 'tanh']);
    expect(withBrush('lr>=0.1', 'act', two)).toBe(
      'lr>=0.1 act in (gelu, relu)'
    );
    // a category holding a comma or bracket cannot be listed: the rest left out
    const odd = setBrush(['a,b', 'c'], ['a,b', 'c', 'd']);
    expect(withBrush('', 'act', odd)).toBe('act!=d');
    expect(setBrush(['relu', 'tanh'], ['relu', 'tanh'])).toBeNull();
  });

  it('reads `in (…)` back as the brush a drag writes, quotes and case aside', () => {
    const query = "#x act in (gelu, 'max out') units not in (32,64) lr>=1";
    const found = brushesOf(query, ['act', 'units']);
    expect(found.get('act')).toEqual({
      kind: 'set',
      included: ['gelu', 'max out'],
      excluded: []
    });
    expect(found.get('units')).toEqual({
      kind: 'set',
      included: [],
      excluded: ['32', '64']
    });
    expect(passes('GELU', found.get('act') as Brush)).toBe(true);
    expect(passes('relu', found.get('act') as Brush)).toBe(false);
    expect(withoutBrushes(query, ['act'])).toBe(
      '#x units not in (32,64) lr>=1'
    );
    const relu = setBrush(['relu'], ['gelu', 'relu']);
    expect(withBrush(query, 'act', relu)).toBe(
      '#x units not in (32,64) lr>=1 act=relu'
    );
  });

  it('rounds a brush outwards to four significant digits', () => {
    expect(roundedEnd(0.00123456, 'low')).toBe(0.001234);
    expect(roundedEnd(0.00123456, 'high')).toBe(0.001235);
    expect(roundedEnd(123456, 'low')).toBe(123400);
    expect(roundedEnd(-2.34567, 'low')).toBe(-2.346);
  });

  it('keeps a run as the server would', () => {
    const range = { kind: 'range' as const, low: 0.001, high: 0.01 };
    expect(passes(0.001, range)).toBe(true);
    expect(passes(0.03, range)).toBe(false);
    expect(passes(undefined, range)).toBe(false);
    const set = { kind: 'set' as const, included: [], excluded: ['Tanh'] };
    expect(passes('relu', set)).toBe(true);
    expect(passes('tanh', set)).toBe(false);
  });

  it('turns a span of an axis into a brush and back', () => {
    const axes = parallelAxes(sweepRows(30), ['lr', 'activation'], 'loss');
    const lr = axes[0]; // 1e-4 … 1e-2 on a log axis
    expect(lr.log).toBe(true);
    expect(brushOfSpan(lr, 0.25, 0.75)).toEqual({
      kind: 'range',
      low: 0.0003162,
      high: 0.003163
    });
    expect(brushOfSpan(lr, 0, 1)).toBeNull();
    const span = spanOfBrush(lr, { kind: 'range', low: 0.001, high: null });
    expect(span?.[0]).toBeCloseTo(0.5);
    expect(span?.[1]).toBe(1);
    const activation = axes[1]; // relu at 0, tanh at 1
    expect(brushOfSpan(activation, 0.8, 1)).toEqual({
      kind: 'set',
      included: ['tanh'],
      excluded: []
    });
  });
});

describe('ParallelCoordinates', () => {
  const rows = sweepRows(30);

  function draw(query: string, onQuery = jest.fn()) {
    const view = render(
      <ParallelCoordinates
        rows={rows}
        params={['lr', 'units', 'activation']}
        metric="val_accuracy"
        query={query}
        onQuery={onQuery}
        colors={DEFAULT_VERDICT_COLORS}
      />
    );
    return { view, onQuery };
  }

  it('turns a drag along an axis into query terms', () => {
    const { view, onQuery } = draw('status:finished');
    const grab = view.container.querySelector(
      '[data-axis="lr"] .jp-nbjournal-Parallel-grab'
    ) as Element;
    // the plot runs from y=40 (top: 1e-2) to y=246 (bottom: 1e-4)
    fireEvent.mouseDown(grab, { clientY: 60 });
    fireEvent.mouseMove(window, { clientY: 120 });
    fireEvent.mouseUp(window, { clientY: 120 });
    expect(onQuery).toHaveBeenCalledTimes(1);
    const query: string = onQuery.mock.calls[0][0];
    expect(query).toMatch(/^status:finished lr>=0\.00\d+ lr<=0\.00\d+$/);
    const brush = brushesOf(query, ['lr']).get('lr');
    expect(brush).toMatchObject({ kind: 'range' });
  });

  it('draws the brushes of the query and fades the runs outside; a click clears', () => {
    const { view, onQuery } = draw('lr>=0.001 activation=relu');
    const axis = view.container.querySelector('[data-axis="lr"]') as Element;
    expect(axis.getAttribute('data-brushed')).toBe('true');
    expect(axis.querySelector('.jp-nbjournal-Parallel-brush')).not.toBeNull();
    const kept = rows.filter(
      r => (r.params.lr as number) >= 0.001 && r.params.activation === 'relu'
    );
    const drawn = view.container.querySelectorAll(
      '.jp-nbjournal-Parallel-lines path'
    );
    expect(drawn).toHaveLength(kept.length);
    expect(
      view.container.querySelectorAll('.jp-nbjournal-Parallel-faded path')
    ).toHaveLength(rows.length - kept.length);
    const grab = axis.querySelector('.jp-nbjournal-Parallel-grab') as Element;
    fireEvent.mouseDown(grab, { clientY: 100 });
    fireEvent.mouseUp(window, { clientY: 100 });
    expect(onQuery).toHaveBeenCalledWith('activation=relu');
  });
});

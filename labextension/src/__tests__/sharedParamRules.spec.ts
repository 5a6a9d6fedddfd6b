/**
 * Parameter rules that live in Python and here say the same on one table of
 * cases (`cases/params.json`, read by tests/display/test_shared_param_rules.py).
 */

import cases from './cases/params.json';
import { varyingAxes } from '../charts/gridCharts';
import { flatten } from '../formatters';
import { IGridRow } from '../api/gridPayloads';

describe('parameter rules shared with Python', () => {
  it.each(
    cases.flatten as Array<
      [{ [key: string]: unknown }, { [key: string]: unknown }]
    >
  )('flatten %j is %j', (nested, flat) => {
    expect(flatten(nested)).toEqual(Object.entries(flat));
  });

  it.each(cases.varying_axes as Array<[Array<IGridRow['values']>, string[]]>)(
    'the varying axes of %j are %j',
    (values, axes) => {
      const rows = values.map(v => ({ values: v }) as IGridRow);
      expect(varyingAxes(rows)).toEqual(axes);
    }
  );
});

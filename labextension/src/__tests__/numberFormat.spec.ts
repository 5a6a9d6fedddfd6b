/**
 * The one number format (issue 21.12): `formatters.ts` says every case of the
 * table that `nbjournal/rules/format.py` is tested against too
 * (tests/display/test_number_format.py), so the sidebar and the kernel agree.
 */

import cases from './cases/number_format.json';
import {
  formatBytes,
  formatColumn,
  formatNumber,
  formatParam,
  formatShare,
  formatSpread,
  inExponents
} from '../formatters';

/** A case's value: `'nan'`, `'inf'`, `'-inf'` stand for the non-finite floats. */
function value(raw: unknown): number | null {
  const named: { [name: string]: number } = {
    nan: NaN,
    inf: Infinity,
    '-inf': -Infinity
  };
  return typeof raw === 'string' ? named[raw] : (raw as number | null);
}

describe('the one number format', () => {
  it.each(cases.number as Array<[unknown, string]>)(
    'number %p reads %p',
    (raw, text) => {
      expect(formatNumber(value(raw))).toBe(text);
    }
  );

  it.each(cases.column as Array<[unknown[], string[]]>)(
    'column %p reads %p',
    (values, texts) => {
      expect(formatColumn(values.map(value))).toEqual(texts);
    }
  );

  it.each(cases.spread as Array<[number, unknown, string]>)(
    'spread %p ± %p reads %p',
    (mean, half, text) => {
      expect(formatSpread(value(mean), value(half))).toBe(text);
    }
  );

  it.each(cases.size as Array<[number | null, string]>)(
    'size %p reads %p',
    (raw, text) => {
      expect(formatBytes(raw)).toBe(text);
    }
  );

  it.each(cases.share as Array<[unknown, string]>)(
    'share %p reads %p',
    (raw, text) => {
      expect(formatShare(value(raw))).toBe(text);
    }
  );

  it.each(cases.param_column as Array<[unknown[], string[]]>)(
    'param column %p reads %p',
    (values, texts) => {
      const exponents = inExponents(values);
      expect(values.map(v => formatParam(v, exponents))).toEqual(texts);
    }
  );

  it.each(cases.param as Array<[unknown, string]>)(
    'param %p reads %p',
    (raw, text) => {
      expect(formatParam(raw)).toBe(text);
    }
  );
});

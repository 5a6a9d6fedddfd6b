/**
 * Brushes of the parallel coordinates (issue 22.4) as query terms, both
 * ways: a drag on the `lr` axis becomes `lr>=0.001 lr<=0.01` in the query
 * box (the grammar of nbjournal/store/query.py, the same as the command
 * line's), and those terms typed in the box draw the brush. The table and
 * the other charts follow the query; the chart itself draws its axes from
 * the query without its brushes, so a brush never rescales its own axis.
 */

import { formatParam } from './formatters';
import { ParamValue } from './api/runPayloads';

/** A range on a numeric axis: `name>=low name<=high` (either end open). */
export interface IRangeBrush {
  kind: 'range';
  low: number | null;
  high: number | null;
}

/**
 * Categories of a categorical axis: `name=a` or `name in (a, b)` (what a
 * drag writes), or `name!=b name!=c` (typed).
 */
export interface ISetBrush {
  kind: 'set';
  /** The categories kept (`name=a`, `name in (a, b)`); empty: no such term. */
  included: string[];
  /** The categories left out (`name!=b`). */
  excluded: string[];
}

/** What a brush keeps on one axis. */
export type Brush = IRangeBrush | ISetBrush;

/** A parameter's name as the grammar reads it: plain, or quoted. */
const NAME = String.raw`[\p{L}_][\p{L}\p{N}_.\-/[\]]*|'[^']+'|"[^"]+"`;
/** `act in (relu, tanh)`, `units not in (32,64)`: one term although it holds spaces. */
const IN = String.raw`(?:${NAME})\s+(?:not\s+)?in\s*\([^)]*\)`;
/** The words of a query, as the server splits them (quotes kept together). */
const TOKEN = new RegExp(
  String.raw`${IN}|(?:[^\s"']+|"[^"]*"|'[^']*')+`,
  'giu'
);
const IN_TERM = new RegExp(
  String.raw`^(${NAME})\s+(not\s+)?in\s*\(([^)]*)\)$`,
  'iu'
);
/** A name the grammar reads unquoted (`lr`, `optimizer.learning_rate`). */
const PLAIN_NAME = /^[^\W\d][\w.\-/[\]]*$/u;
const TERM = /^(.+?)(>=|<=|!=|=)(.+)$/s;

/** `'with space'` → `with space`; a plain word as it is. */
function unquote(text: string): string {
  return text.length > 1 && `"'`.includes(text[0]) && text.endsWith(text[0])
    ? text.slice(1, -1)
    : text;
}

/** A name or value as the query writes it: quoted when it holds a space or sign. */
export function queryWord(text: string, name = false): string {
  if (name ? PLAIN_NAME.test(text) : /^[^\s"'<>=!]+$/.test(text)) {
    return text;
  }
  return text.includes("'") ? `"${text}"` : `'${text}'`;
}

/** A brush term: `[name, op, value]`, or null for any other word. */
function termOf(token: string): [string, string, string] | null {
  const listed = IN_TERM.exec(token);
  if (listed) {
    return [unquote(listed[1]), listed[2] ? 'not in' : 'in', listed[3]];
  }
  const match = TERM.exec(token);
  if (!match || match[1].includes('=')) {
    return null;
  }
  return [unquote(match[1]), match[2], unquote(match[3])];
}

/**
 * A number as a brush's end writes it: four significant digits, rounded
 * outwards (a low end down, a high end up) so the brush keeps what it covers.
 */
export function roundedEnd(value: number, end: 'low' | 'high'): number {
  if (value === 0 || !isFinite(value)) {
    return value;
  }
  const unit = Math.pow(10, Math.floor(Math.log10(Math.abs(value))) - 3);
  const steps =
    end === 'low' ? Math.floor(value / unit) : Math.ceil(value / unit);
  return Number((steps * unit).toPrecision(4));
}

/**
 * Whether a query has alternatives (`a OR b`; `or` between two filters):
 * its terms are no longer all ANDed, so no term of it is a brush.
 */
export function hasAlternatives(query: string): boolean {
  return (query.match(TOKEN) ?? []).some(
    token => token === 'OR' || token === 'or'
  );
}

/** The brushes a query draws on the axes `names` (none in a query with `OR`). */
export function brushesOf(
  query: string,
  names: ReadonlyArray<string>
): Map<string, Brush> {
  const axes = new Set(names);
  const found = new Map<string, Brush>();
  const tokens = hasAlternatives(query) ? [] : (query.match(TOKEN) ?? []);
  for (const token of tokens) {
    const term = termOf(token);
    if (!term || !axes.has(term[0])) {
      continue;
    }
    const [name, op, raw] = term;
    const number = Number(raw);
    const old = found.get(name);
    if (op === '>=' || op === '<=') {
      if (!isFinite(number) || raw.trim() === '') {
        continue;
      }
      const range: IRangeBrush =
        old?.kind === 'range' ? old : { kind: 'range', low: null, high: null };
      if (op === '>=') {
        range.low = Math.max(range.low ?? -Infinity, number);
      } else {
        range.high = Math.min(range.high ?? Infinity, number);
      }
      found.set(name, range);
    } else {
      const set: ISetBrush =
        old?.kind === 'set' ? old : { kind: 'set', included: [], excluded: [] };
      const values = op === 'in' || op === 'not in' ? listedValues(raw) : [raw];
      if (op === '=' || op === 'in') {
        set.included.push(...values);
      } else {
        set.excluded.push(...values);
      }
      found.set(name, set);
    }
  }
  return found;
}

/** The values of `in (a, 'b c')`, as the server splits them (at commas). */
function listedValues(inside: string): string[] {
  return inside
    .split(',')
    .map(v => unquote(v.trim()))
    .filter(v => v !== '');
}

/** Whether a token is a brush term on one of `names`. */
function isBrushTerm(token: string, names: ReadonlyArray<string>): boolean {
  const term = termOf(token);
  return term !== null && names.includes(term[0]);
}

/** The query without the brush terms on `names` (the chart's axes come from it). */
export function withoutBrushes(
  query: string,
  names: ReadonlyArray<string>
): string {
  if (hasAlternatives(query)) {
    return query; // `a OR lr>=1` without its `lr` term would be `a OR`
  }
  return (query.match(TOKEN) ?? [])
    .filter(token => !isBrushTerm(token, names))
    .join(' ');
}

/** The terms of one brush. */
export function brushTerms(name: string, brush: Brush): string[] {
  const n = queryWord(name, true);
  if (brush.kind === 'range') {
    return [
      ...(brush.low !== null ? [`${n}>=${brush.low}`] : []),
      ...(brush.high !== null ? [`${n}<=${brush.high}`] : [])
    ];
  }
  const { included, excluded } = brush;
  const listed =
    included.length > 1
      ? [`${n} in (${included.map(v => queryWord(v)).join(', ')})`]
      : [];
  return [
    ...(included.length === 1 ? [`${n}=${queryWord(included[0])}`] : listed),
    ...excluded.map(value => `${n}!=${queryWord(value)}`)
  ];
}

/**
 * The query with the brush on `name` put in place of its old terms (its
 * other terms kept, in order), or taken out when `brush` is null.
 */
export function withBrush(
  query: string,
  name: string,
  brush: Brush | null
): string {
  const rest = (query.match(TOKEN) ?? []).filter(
    token => !isBrushTerm(token, [name])
  );
  return [...rest, ...(brush ? brushTerms(name, brush) : [])].join(' ');
}

/** The brush that keeps `chosen` of an axis' `categories` (null: all or none). */
export function setBrush(
  chosen: ReadonlyArray<string>,
  categories: ReadonlyArray<string>
): ISetBrush | null {
  if (chosen.length === 0 || chosen.length === categories.length) {
    return null;
  }
  // `in (…)` splits at commas and ends at `)`: a category holding one is
  // written as the categories left out instead
  const listable = chosen.every(c => !/[,()]/.test(c));
  return listable
    ? { kind: 'set', included: [...chosen], excluded: [] }
    : {
        kind: 'set',
        included: [],
        excluded: categories.filter(c => !chosen.includes(c))
      };
}

/** Whether a category's text passes a set brush (case aside, as the server compares). */
export function keepsCategory(text: string, brush: ISetBrush): boolean {
  const lowered = text.toLowerCase();
  return (
    (brush.included.length === 0 ||
      brush.included.some(v => v.toLowerCase() === lowered)) &&
    !brush.excluded.some(v => v.toLowerCase() === lowered)
  );
}

/** Whether a run's value passes a brush, as the server's query would say. */
export function passes(value: ParamValue | undefined, brush: Brush): boolean {
  if (value === null || value === undefined) {
    return false;
  }
  if (brush.kind === 'range') {
    return (
      typeof value === 'number' &&
      (brush.low === null || value >= brush.low) &&
      (brush.high === null || value <= brush.high)
    );
  }
  return keepsCategory(formatParam(value), brush);
}

/**
 * The compare view's verdicts, as data: for each metric the sides' values,
 * the difference with its 95 % interval and the comparison rule's verdict
 * (the server computes them all: `GET compare?runs=…&group=repeats`), said
 * as `%journal compare` says them. Pure, so the view stays thin.
 */

import {
  ICompareReply,
  ICompareSide,
  IComparisonEvidence
} from './api/analysisPayloads';
import { formatNumber } from './formatters';
import { meanText } from './repeats';

/** How a verdict is drawn: the badge's colour. */
export type VerdictKind = 'best' | 'worse' | 'noise' | 'needs' | 'none';

/** One row of the differences table. */
export interface IDifferenceRow {
  /** React's key. */
  key: string;
  /** The metric's name (`val_loss vs #9` when more than two sides). */
  metric: string;
  /** The first side's value: `0.9123 ± 0.0081` over repeats, else the value. */
  a: string;
  /** The other side's value. */
  b: string;
  /** Tooltips of the values: the runs and the exact mean and interval. */
  aTitle: string;
  bTitle: string;
  /** `+0.0123` (a − b). */
  difference: string;
  /** `[-0.0004, +0.025]`, or `no interval`. */
  interval: string;
  /** The verdict's words (`better`, `within noise`, `needs 2 more repeats`). */
  verdict: string;
  kind: VerdictKind;
  /** What the verdict rests on, in words (the badge's tooltip). */
  title: string;
  /** `noise from configuration #41`, `no repeats: …`, or null. */
  note: string | null;
  /** Whether this is the metric of record. */
  record: boolean;
}

/** `#4`, or `#4 +4 repeats` for a group (as `%journal compare` heads a side). */
export function sideLabel(runs: ReadonlyArray<number>): string {
  return runs.length === 1
    ? `#${runs[0]}`
    : `#${runs[0]} +${runs.length - 1} repeats`;
}

/** The badge's colour of a verdict of the first side against the other. */
export function verdictKind(verdict: string | null): VerdictKind {
  if (verdict === 'better') {
    return 'best';
  }
  if (verdict === 'worse') {
    return 'worse';
  }
  if (verdict === 'within noise') {
    return 'noise';
  }
  return verdict ? 'needs' : 'none';
}

/** `+0.0123`, `-0.0123`, `0`: a difference as the notebook signs it. */
export function signed(value: number | null): string {
  if (value === null) {
    return '–';
  }
  const text = formatNumber(value);
  return value > 0 ? `+${text}` : text;
}

/**
 * The rows of the differences table: the metric of record first, then the
 * others by name; with more than two sides, each metric once per later side.
 */
export function differenceRows(reply: ICompareReply): IDifferenceRow[] {
  const rows: IDifferenceRow[] = [];
  const two = reply.runs.length === 2;
  reply.comparisons.forEach((comparison, index) => {
    const names = Object.keys(comparison.metrics).sort((x, y) =>
      x === reply.metric ? -1 : y === reply.metric ? 1 : x.localeCompare(y)
    );
    const first = reply.sides[0];
    const other = reply.sides[index + 1];
    for (const name of names) {
      const found = comparison.metrics[name];
      rows.push({
        key: `${name}:${index}`,
        metric: two ? name : `${name} vs ${sideLabel(comparison.against)}`,
        a: valueText(first, name, found.mean_a),
        b: valueText(other, name, found.mean_b),
        aTitle: valueTitle(first, name),
        bTitle: valueTitle(other, name),
        difference: signed(found.difference),
        interval: intervalText(found),
        verdict: found.verdict,
        kind: verdictKind(found.verdict),
        title: describe(found),
        note: noteText(found),
        record: name === reply.metric
      });
    }
  });
  return rows;
}

/** A side's value of a metric: mean ± the interval's half-width over repeats. */
function valueText(
  side: ICompareSide | undefined,
  name: string,
  mean: number | null
): string {
  const spread = side?.metrics[name];
  if (spread && spread.n > 1) {
    return meanText(spread);
  }
  return mean === null ? '–' : formatNumber(mean);
}

/** The exact values behind a side's number. */
function valueTitle(side: ICompareSide | undefined, name: string): string {
  const spread = side?.metrics[name];
  const runs = side ? side.runs.map(id => `#${id}`).join(', ') : '';
  if (!spread || spread.mean === null) {
    return runs;
  }
  if (spread.n > 1 && spread.low !== null && spread.high !== null) {
    return `${runs}: mean of ${spread.n} runs ${spread.mean}, 95 % interval of the mean ${spread.low} to ${spread.high}`;
  }
  return `${runs}: ${spread.mean}`;
}

/** `[-0.0004, +0.025]`: the 95 % interval of the difference. */
function intervalText(found: IComparisonEvidence): string {
  const [low, high] = found.interval;
  if (low === null || high === null) {
    return 'no interval';
  }
  return `[${signed(low)}, ${signed(high)}]`;
}

/** What is said beside the badge: where the noise came from, or why none. */
function noteText(found: IComparisonEvidence): string | null {
  if (found.note) {
    return found.note;
  }
  return found.borrowed ? `noise from ${found.borrowed}` : null;
}

/** The evidence in words, as `str(Comparison)` says it (the badge's tooltip). */
function describe(found: IComparisonEvidence): string {
  const [low, high] = found.interval;
  const span =
    low === null || high === null
      ? 'no interval'
      : `95 % interval ${signed(low)} to ${signed(high)}`;
  const pairing = found.paired ? ', paired by seed' : '';
  const goal = found.higher_is_better ? 'higher is better' : 'lower is better';
  let text = `${signed(found.difference)} (${span}; ${found.n_a} vs ${found.n_b} runs${pairing}; ${goal})`;
  if (found.borrowed) {
    text += `, noise borrowed from ${found.borrowed}`;
  }
  return `${text}: ${found.verdict}`;
}

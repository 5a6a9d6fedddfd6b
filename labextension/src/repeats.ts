/**
 * The experiment page's "group repeats" view, as data: one row per
 * configuration (runs alike but for the seed) with its n, the key metric's
 * mean ± the 95 % interval of the mean, and the comparison rule's verdict of
 * the best configuration against it (the server computes all of it:
 * `GET experiments/{name}/configurations`). Pure, so the view stays thin.
 */

import {
  IConfiguration,
  IConfigurationsReply,
  IMetricSpread
} from './api/analysisPayloads';
import { SortOrder } from './api/experimentPayloads';
import { formatMetric, formatSpread } from './formatters';

/** A configuration's verdict against the best, as the page says it. */
export interface IVerdictLabel {
  /** The words shown: `best`, `worse`, `within noise`, `needs 3 more repeats`. */
  text: string;
  /** A CSS modifier: `best`, `worse`, `noise`, `needs`, `none`. */
  kind: 'best' | 'worse' | 'noise' | 'needs' | 'none';
  /** The long form (the tooltip). */
  title: string;
}

/**
 * The rule's verdict of the best against a configuration, said of that
 * configuration: the best being `better` means this one is `worse`.
 */
export function verdictLabel(verdict: string | null): IVerdictLabel {
  if (verdict === null) {
    return { text: '–', kind: 'none', title: 'No value of the key metric' };
  }
  if (verdict === 'best') {
    return {
      text: 'best',
      kind: 'best',
      title: 'The best configuration by mean'
    };
  }
  if (verdict === 'better') {
    return {
      text: 'worse',
      kind: 'worse',
      title: 'The best configuration beats it beyond run-to-run noise'
    };
  }
  if (verdict === 'worse') {
    return {
      text: 'better',
      kind: 'best',
      title: 'It beats the best by mean beyond run-to-run noise'
    };
  }
  if (verdict === 'within noise') {
    return {
      text: 'within noise',
      kind: 'noise',
      title: 'Cannot be told from the best: the difference is within noise'
    };
  }
  return {
    text: verdict,
    kind: 'needs',
    title: `Too few repeats to tell it from the best: ${verdict}`
  };
}

/** The key metric's spread of a configuration, or null. */
export function spreadOf(
  configuration: IConfiguration,
  metric: string | null
): IMetricSpread | null {
  return metric === null ? null : (configuration.metrics[metric] ?? null);
}

/**
 * `0.9123 ± 0.0081`: the mean and the half-width of its 95 % interval, at
 * about four significant digits (as the table shows numbers); the mean alone
 * when there is no interval (a single run), `–` without a mean.
 */
export function meanText(spread: IMetricSpread | null): string {
  if (!spread || spread.mean === null) {
    return '–';
  }
  if (spread.low === null || spread.high === null) {
    return formatMetric(spread.mean);
  }
  return formatSpread(spread.mean, halfWidth(spread));
}

/** The tooltip of a mean: its exact value and interval. */
export function meanTitle(spread: IMetricSpread | null): string | undefined {
  if (!spread || spread.mean === null) {
    return undefined;
  }
  if (spread.low === null || spread.high === null) {
    return `mean ${spread.mean} (one run: no interval)`;
  }
  return `mean ${spread.mean}, 95 % interval of the mean ${spread.low} to ${spread.high}`;
}

/** Half the width of the interval (it is symmetric about the mean). */
function halfWidth(spread: IMetricSpread): number {
  return ((spread.high as number) - (spread.low as number)) / 2;
}

/**
 * The configurations sorted by the key metric's mean (`desc`: highest
 * first); those without a mean last, ties by id. A new array.
 */
export function sortByMean(
  configurations: ReadonlyArray<IConfiguration>,
  metric: string | null,
  order: SortOrder
): IConfiguration[] {
  const sign = order === 'asc' ? 1 : -1;
  const mean = (c: IConfiguration): number | null =>
    spreadOf(c, metric)?.mean ?? null;
  return [...configurations].sort((a, b) => {
    const x = mean(a);
    const y = mean(b);
    if (x === null || y === null) {
      return x === y ? a.id - b.id : x === null ? 1 : -1;
    }
    return x === y ? a.id - b.id : sign * (x - y);
  });
}

/**
 * The order by mean that puts the best first, read from the server's answer
 * (it lists the best first): `asc` for a metric to minimise.
 */
export function bestFirstOrder(reply: IConfigurationsReply): SortOrder {
  const means = reply.configurations
    .map(c => spreadOf(c, reply.metric)?.mean ?? null)
    .filter((m): m is number => m !== null);
  return means.length > 1 && means[0] < means[means.length - 1]
    ? 'asc'
    : 'desc';
}

import { IConfigurationsReply } from '../api/analysisPayloads';
import {
  bestFirstOrder,
  meanText,
  meanTitle,
  sortByMean,
  verdictLabel
} from '../repeats';
import { TableServer } from './tableServer';

function reply(): IConfigurationsReply {
  return new TableServer([]).configurations;
}

describe('repeats', () => {
  it('says mean ± half the 95 % interval at four significant digits', () => {
    const [best, , single] = reply().configurations;
    expect(meanText(best.metrics.val_accuracy)).toBe('0.9123 ± 0.0100');
    expect(meanText(single.metrics.val_accuracy)).toBe('0.85');
    expect(meanText(null)).toBe('–');
    expect(meanTitle(best.metrics.val_accuracy)).toContain(
      '0.902345 to 0.922345'
    );
    expect(meanTitle(single.metrics.val_accuracy)).toContain('no interval');
  });

  it("says the rule's verdict of the best as the configuration's own", () => {
    expect(verdictLabel('best').text).toBe('best');
    // the best is `better` than it: it is worse
    expect(verdictLabel('better')).toMatchObject({
      text: 'worse',
      kind: 'worse'
    });
    expect(verdictLabel('within noise').kind).toBe('noise');
    expect(verdictLabel('needs 4 more repeats')).toMatchObject({
      text: 'needs 4 more repeats',
      kind: 'needs'
    });
    expect(verdictLabel(null).text).toBe('–');
  });

  it('sorts by mean either way, configurations without a mean last', () => {
    const found = reply().configurations;
    found.push({ ...found[1], id: 9, metrics: {} });
    const ids = (order: 'asc' | 'desc') =>
      sortByMean(found, 'val_accuracy', order).map(c => c.id);
    expect(ids('desc')).toEqual([4, 7, 1, 9]);
    expect(ids('asc')).toEqual([1, 7, 4, 9]);
  });

  it('keeps the best first: lowest first for a metric to minimise', () => {
    const answer = reply();
    expect(bestFirstOrder(answer)).toBe('desc');
    answer.configurations.reverse();
    expect(bestFirstOrder(answer)).toBe('asc');
  });
});

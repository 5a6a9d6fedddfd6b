import { accept, suggest, valueText } from '../querySuggest';
import { TableServer } from './tableServer';

const vocabulary = new TableServer().vocabulary;

/** The labels offered with the caret at the end of `text`. */
function labels(text: string): string[] {
  return suggest(text, text.length, vocabulary)?.items.map(i => i.label) ?? [];
}

describe('suggest', () => {
  it('offers names that start with, then hold, what is typed', () => {
    expect(labels('l')).toEqual(['lr', 'loss', 'val_accuracy']);
    expect(labels('acc')).toEqual(['val_accuracy']);
    const [first] = suggest('val', 3, vocabulary)!.items;
    expect(first).toEqual({
      label: 'val_accuracy',
      insert: 'val_accuracy>',
      detail: 'metric'
    });
    expect(suggest('un', 2, vocabulary)!.items[0].insert).toBe('units=');
  });

  it('offers the filters with the names, and their values after the colon', () => {
    expect(labels('sta')).toEqual(['status:']);
    expect(labels('status:f')).toEqual(['finished', 'failed']);
    expect(labels('verdict:')).toEqual([
      'supported',
      'refuted',
      'inconclusive',
      'none'
    ]);
    expect(labels('tag:b')).toEqual(['baseline']);
    expect(labels('#w')).toEqual(["'wide net'"]);
  });

  it("offers a parameter's values after its operator, and in a list", () => {
    expect(labels('lr=')).toEqual(['0.001', '0.0001', '0.01']);
    expect(labels('units>=1')).toEqual(['128']);
    expect(labels('activation in (relu, t')).toEqual(['tanh']);
    expect(labels('val_accuracy>')).toEqual([]); // a metric: no values to offer
    expect(labels('')).toEqual([]);
    expect(suggest('lr', 2, null)).toBeNull();
  });

  it('replaces the word at the caret, and a value ends the term', () => {
    const text = 'units>=64 va status:failed';
    const offers = suggest(text, 12, vocabulary)!;
    expect(offers).toMatchObject({ start: 10, end: 12 });
    expect(accept(text, offers, offers.items[0])).toEqual({
      text: 'units>=64 val_accuracy> status:failed',
      caret: 23
    });
    const value = suggest('lr=0.0', 6, vocabulary)!;
    expect(accept('lr=0.0', value, value.items[0])).toEqual({
      text: 'lr=0.001 ',
      caret: 9
    });
  });

  it('quotes a value the grammar would split', () => {
    expect(valueText('wide net')).toBe("'wide net'");
    expect(valueText(0.001)).toBe('0.001');
    expect(valueText(true)).toBe('true');
  });
});

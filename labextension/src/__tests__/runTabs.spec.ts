import { RecentTabs } from '../runTabs';

/** A tab as the tracker holds it: a node, closable. */
function tab(id: string, unsaved = '') {
  const node = document.createElement('div');
  const area = document.createElement('textarea');
  area.value = unsaved;
  node.appendChild(area);
  const one = {
    id,
    node,
    isDisposed: false,
    close: jest.fn(() => {
      one.isDisposed = true;
    })
  };
  return one;
}

describe('RecentTabs: a few run tabs, not one per run opened', () => {
  it('closes the least recently shown beyond three, never the front one', () => {
    const recent = new RecentTabs<ReturnType<typeof tab>>(3);
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(id => tab(id));
    for (const one of [a, b, c]) {
      recent.shown(one);
      expect(recent.trim(one)).toEqual([]);
    }
    recent.shown(a); // a came to the front again: b is now the oldest
    recent.shown(d);
    expect(recent.trim(d)).toEqual([b]);
    expect(b.close).toHaveBeenCalled();
    expect(recent.tabs.map(one => one.id)).toEqual(['c', 'a', 'd']);
  });

  it('keeps a tab holding an inference being written', () => {
    const recent = new RecentTabs<ReturnType<typeof tab>>(1);
    const writing = tab('writing', 'half a thought');
    const next = tab('next');
    recent.shown(writing);
    recent.shown(next);
    expect(recent.trim(next)).toEqual([]);
    expect(writing.close).not.toHaveBeenCalled();
  });
});

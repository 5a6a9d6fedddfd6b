import { render, screen, within } from '@testing-library/react';
import React from 'react';

import { diffStat, unifiedDiff } from '../codeDiff';
import { CompareView } from '../components/CompareView';
import { sameData } from '../sameness';
import { run } from './fixtures';

const BEFORE = [
  'a = 1',
  'b = 2',
  'c = 3',
  'd = 4',
  'e = 5',
  'f = 6',
  'g = 7',
  'h = 8',
  'i = 9',
  ''
].join('\n');

describe('unifiedDiff: the runs’ code as diff -u says it (22.9)', () => {
  it('gives hunks with three lines of context and their ranges', () => {
    const after = BEFORE.replace('b = 2', 'b = 20').replace(
      'i = 9\n',
      'i = 9\nj = 10\n'
    );
    const lines = unifiedDiff(BEFORE, after);
    expect(lines.map(line => `${line.kind[0]}${line.text}`)).toEqual([
      'h@@ -1,5 +1,5 @@',
      'ca = 1',
      'rb = 2',
      'ab = 20',
      'cc = 3',
      'cd = 4',
      'ce = 5',
      'h@@ -7,3 +7,4 @@',
      'cg = 7',
      'ch = 8',
      'ci = 9',
      'aj = 10'
    ]);
    expect(diffStat(lines)).toBe('+2 −1');
  });

  it('says nothing for the same code, and handles an empty side', () => {
    expect(unifiedDiff(BEFORE, BEFORE)).toEqual([]);
    const lines = unifiedDiff('', 'x = 1\n');
    expect(lines.map(line => line.text)).toEqual(['@@ -0,0 +1 @@', 'x = 1']);
  });
});

describe('sameData: from the fingerprints (22.9)', () => {
  const x = { name: 'X', kind: 'array', hash: 'aaa' };
  const y = { name: 'y', kind: 'array', hash: 'bbb' };
  it('says same as the first, or which inputs differ', () => {
    const found = sameData([
      { id: 4, data_fingerprint: '30fb15f5eaa864a6', data: [x, y] },
      { id: 5, data_fingerprint: '30fb15f5eaa864a6', data: [x, y] },
      { id: 6, data_fingerprint: 'ffff', data: [x, { ...y, hash: 'ccc' }] }
    ]);
    expect(found.same).toBe(false);
    expect(found.cells).toEqual(['30fb15f5…', 'same as #4', 'differs: y']);
  });

  it('is the same only when every run recorded the same data', () => {
    expect(
      sameData([
        { id: 1, data: [x] },
        { id: 2, data: [x] }
      ]).same
    ).toBe(true);
    const partly = sameData([{ id: 1, data: [x] }, { id: 2 }]);
    expect(partly.same).toBe(false);
    expect(partly.cells[1]).toBe('not recorded');
    expect(sameData([{ id: 1 }, { id: 2 }]).unknown).toBe(true);
  });
});

describe('CompareView: the code, the data, and what is the same for all (22.9)', () => {
  const rendermime = { mimeTypes: [] } as any;
  const view = (runs: ReturnType<typeof run>[]) =>
    render(
      <CompareView
        runs={runs}
        series={null}
        comparison={null}
        rendermime={rendermime}
        theme="JupyterLab Light"
        onOpenRun={jest.fn()}
      />
    );

  it('shows a unified diff of the code and a "same data?" row', () => {
    const first = run({ id: 4, code: BEFORE });
    const second = run({
      id: 5,
      code: BEFORE.replace('b = 2', 'b = 20'),
      data_fingerprint: 'ffffffffffff'
    });
    view([first, second]);
    const diff = screen.getByLabelText('Code of #5 against #4');
    const marked = Array.from(diff.querySelectorAll('[data-kind]')).map(
      line => `${line.getAttribute('data-kind')}:${line.textContent}`
    );
    expect(marked).toContain('removed:-b = 2\n');
    expect(marked).toContain('added:+b = 20\n');
    const runs = screen.getByRole('table', { name: 'Runs' });
    const data = runs.querySelector('tr[data-field="data"]') as HTMLElement;
    expect(within(data).getByText('same data?')).toBeInTheDocument();
    expect(data).toHaveTextContent('differs');
    const code = runs.querySelector('tr[data-field="code"]') as HTMLElement;
    expect(code).toHaveTextContent('+1 −1 vs #4');
    // the hypothesis is the same: folded, once
    const same = screen.getByRole('table', { name: 'The same for all runs' });
    expect(same.querySelector('tr[data-field="hypothesis"]')).not.toBeNull();
    expect(runs.querySelector('tr[data-field="hypothesis"]')).toBeNull();
  });

  it('folds the same code and data into "same for all", with no diff', () => {
    view([run({ id: 4 }), run({ id: 5 })]);
    expect(screen.queryByLabelText(/Code of #5/)).toBeNull();
    const same = screen.getByRole('table', { name: 'The same for all runs' });
    expect(same.querySelector('tr[data-field="code"]')).toHaveTextContent(
      /code\s*the same \(\d+ lines\)/
    );
    expect(same.querySelector('tr[data-field="data"]')).toHaveTextContent(
      'the same (30fb15f5…)'
    );
  });
});

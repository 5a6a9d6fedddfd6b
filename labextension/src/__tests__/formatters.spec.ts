import {
  absoluteTime,
  experimentCell,
  firstLine,
  formatDuration,
  formatShape,
  keyMetric,
  localDate,
  metricFamily,
  notebookInRoot,
  paramNames,
  relativeTime,
  shortHash,
  valuesDiffer
} from '../formatters';
import { summary } from './fixtures';

describe('relativeTime', () => {
  const now = 1_700_000_000;
  it.each([
    [0, 'just now'],
    [9, 'just now'],
    [42, '42s ago'],
    [60, '1m ago'],
    [59 * 60 + 59, '59m ago'],
    [3600, '1h ago'],
    [23 * 3600, '23h ago'],
    [24 * 3600, 'yesterday'],
    [3 * 24 * 3600, '3d ago']
  ])('%d seconds ago reads %s', (elapsed, expected) => {
    expect(relativeTime(now - elapsed, now)).toBe(expected);
  });

  it('reads a time in the future (clock skew) as just now', () => {
    expect(relativeTime(now + 30, now)).toBe('just now');
  });

  it('gives the date after a week', () => {
    const then = now - 30 * 24 * 3600;
    expect(relativeTime(then, now)).toBe(localDate(then));
    expect(localDate(then)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('absoluteTime', () => {
  it('is the local date and time to the second', () => {
    const time = new Date(2025, 2, 14, 9, 5, 3).getTime() / 1000;
    expect(absoluteTime(time)).toBe('2025-03-14 09:05:03');
  });
});

describe('formatDuration', () => {
  it.each([
    [null, '–'],
    [0.43, '0.4 s'],
    [5.6, '5.6 s'],
    [12.4, '12 s'],
    [184, '3 min 04 s'],
    [2 * 3600 + 5 * 60, '2 h 05 min'],
    [-1, '0.0 s']
  ])('%p seconds read %s', (seconds, expected) => {
    expect(formatDuration(seconds as number | null)).toBe(expected);
  });
});

describe('firstLine', () => {
  it('is the first line with text, trimmed', () => {
    expect(firstLine('\n   \n  Depth helps.  \nBecause.')).toBe('Depth helps.');
  });
  it('is empty for nothing', () => {
    expect(firstLine('')).toBe('');
    expect(firstLine(null)).toBe('');
    expect(firstLine(' \n\t\n')).toBe('');
  });
  it('handles Windows line ends', () => {
    expect(firstLine('a\r\nb')).toBe('a');
  });
});

describe('shortHash', () => {
  it('keeps the algorithm and eight hex digits', () => {
    expect(shortHash('xxh3:0123456789abcdef')).toBe('xxh3:01234567…');
  });
  it('leaves short hashes whole', () => {
    expect(shortHash('xxh3:0123')).toBe('xxh3:0123');
    expect(shortHash('')).toBe('–');
  });
});

describe('formatShape', () => {
  it('joins dimensions', () => {
    expect(formatShape([1437, 64])).toBe('1437 × 64');
    expect(formatShape([])).toBe('scalar');
    expect(formatShape(null)).toBe('–');
  });
});

describe('keyMetric', () => {
  it('is the key metric and its last value', () => {
    expect(keyMetric(summary())).toEqual(['val_accuracy', '0.8864']);
  });
  it('is null without a key metric or its summary', () => {
    expect(keyMetric(summary({ key_metric: null }))).toBeNull();
    expect(keyMetric(summary({ key_metric: 'f1' }))).toBeNull();
  });
  it('falls back to the best value', () => {
    const run = summary();
    run.metrics.val_accuracy = {
      ...run.metrics.val_accuracy,
      last: null,
      best: 0.975
    };
    expect(keyMetric(run)).toEqual(['val_accuracy', '0.975']);
  });
});

describe('valuesDiffer', () => {
  it('compares values as JSON', () => {
    expect(valuesDiffer([1, 1, 1])).toBe(false);
    expect(valuesDiffer([1, 2])).toBe(true);
    expect(valuesDiffer(['a', undefined])).toBe(true);
    expect(valuesDiffer([undefined, null])).toBe(false);
    expect(
      valuesDiffer([
        [1, 2],
        [1, 2]
      ])
    ).toBe(false);
    expect(valuesDiffer([7])).toBe(false);
  });
});

describe('paramNames', () => {
  it('is the sorted union of names', () => {
    expect(
      paramNames([
        { lr: 1, units: 2 },
        { dropout: 0.1, lr: 2 }
      ])
    ).toEqual(['dropout', 'lr', 'units']);
  });
});

describe('metricFamily', () => {
  it('puts val_x with x', () => {
    expect(metricFamily('val_loss')).toBe('loss');
    expect(metricFamily('loss')).toBe('loss');
    expect(metricFamily('value')).toBe('value');
  });
});

describe('notebookInRoot', () => {
  it('makes an absolute path under the root relative to it', () => {
    expect(notebookInRoot('/home/ann/work/exp/a.ipynb', '/home/ann/work')).toBe(
      'exp/a.ipynb'
    );
    expect(notebookInRoot('/home/ann/work/a.ipynb', '/home/ann/work/')).toBe(
      'a.ipynb'
    );
    expect(notebookInRoot('C:\\Users\\ann\\a.ipynb', 'C:\\Users')).toBe(
      'ann/a.ipynb'
    );
  });
  it('keeps relative paths', () => {
    expect(notebookInRoot('example_notebooks/01.ipynb', '/srv')).toBe(
      'example_notebooks/01.ipynb'
    );
    expect(notebookInRoot('./a.ipynb', null)).toBe('a.ipynb');
  });
  it('cannot open what lies outside the root', () => {
    expect(notebookInRoot('/tmp/a.ipynb', '/home/ann')).toBeNull();
    expect(notebookInRoot('/home/annex/a.ipynb', '/home/ann')).toBeNull();
    expect(notebookInRoot('/tmp/a.ipynb', null)).toBeNull();
    expect(notebookInRoot(null, '/home')).toBeNull();
  });
  it('accepts anything under a root of /', () => {
    expect(notebookInRoot('/tmp/a.ipynb', '/')).toBe('tmp/a.ipynb');
  });
});

describe('experimentCell', () => {
  it('puts the %%experiment line with its tags above the code', () => {
    const code = '# Hypothesis: depth helps.\nunits = 64\nmodel.fit(X, y)\n';
    expect(
      experimentCell({
        experiment: 'digits-mlp',
        tags: ['baseline', 'two words'],
        hypothesis: 'depth helps.',
        code
      })
    ).toBe('%%experiment digits-mlp --tag baseline --tag "two words"\n' + code);
  });

  it('keeps a hypothesis that the code does not carry, quoted', () => {
    expect(
      experimentCell({
        experiment: 'mlp',
        tags: [],
        hypothesis: 'Wider is "better".\nBecause.',
        code: 'units = 128'
      })
    ).toBe(
      '%%experiment mlp --hypothesis "Wider is \\"better\\". Because."\nunits = 128'
    );
  });
});

import { codeDiffs } from './CodeDiff';
import { ICompareRow } from './CompareTable';
import { ISharedField } from './SameForAll';
import { diffStat } from '../codeDiff';
import { firstLine } from '../formatters';
import { allSame, sameData, shortHash } from '../sameness';
import type { ComparedRun } from './CompareView';

/** The runs' table rows that differ, and the fields the same for all. */
export interface IRunFacts {
  rows: ICompareRow[];
  same: ISharedField[];
}

const TEXT = 'jp-nbjournal-CompareTable-text';

/** The hypothesis: a row when the runs' differ, else one shared field. */
function hypothesis(
  runs: ReadonlyArray<ComparedRun>
): ICompareRow | ISharedField {
  const lines = runs.map(run => firstLine(run.hypothesis) || '–');
  if (allSame(runs.map(run => run.hypothesis))) {
    return {
      key: 'hypothesis',
      name: 'hypothesis',
      value: lines[0],
      data: { field: 'hypothesis' }
    };
  }
  return {
    key: 'hypothesis',
    heading: 'hypothesis',
    cells: lines.map(line => ({ content: line, className: TEXT })),
    data: { field: 'hypothesis' }
  };
}

/** "Same data?": from the data fingerprints, against the first run. */
function data(runs: ReadonlyArray<ComparedRun>): ICompareRow | ISharedField {
  const found = sameData(runs);
  if (found.same || found.unknown) {
    const first = runs[0];
    return {
      key: 'data',
      name: 'data',
      value: found.unknown
        ? 'not recorded'
        : first.data_fingerprint
          ? `the same (${shortHash(first.data_fingerprint)})`
          : `the same (${(first.data ?? []).map(item => item.name).join(', ')})`,
      title: found.titles[0] || undefined,
      data: { field: 'data' }
    };
  }
  return {
    key: 'data',
    heading: 'same data?',
    cells: found.cells.map((cell, index) => ({
      content: cell,
      title: found.titles[index] || undefined,
      className: cell.startsWith('differs') ? `${TEXT} jp-nbjournal-diff` : TEXT
    })),
    data: { field: 'data' }
  };
}

/** The code: `+3 −1` against the first run, or one shared field. */
function code(
  runs: ReadonlyArray<ComparedRun>
): ICompareRow | ISharedField | null {
  if (runs.some(run => run.code === undefined)) {
    return null; // summaries only: the code was not read
  }
  const lines = (runs[0].code ?? '').split('\n').filter(Boolean).length;
  const diffs = codeDiffs(runs);
  if (diffs.every(diff => diff.lines.length === 0)) {
    return {
      key: 'code',
      name: 'code',
      value: `the same (${lines} lines)`,
      data: { field: 'code' }
    };
  }
  return {
    key: 'code',
    heading: 'code',
    cells: [
      { content: `${lines} lines`, className: TEXT },
      ...diffs.map(diff => ({
        content: diff.lines.length
          ? `${diffStat(diff.lines)} vs #${runs[0].id}`
          : `same as #${runs[0].id}`,
        className: diff.lines.length ? `${TEXT} jp-nbjournal-diff` : TEXT
      }))
    ],
    data: { field: 'code' }
  };
}

/**
 * The runs' hypothesis, data and code: each a row of the runs' table where
 * the runs differ, else folded into "same for all".
 */
export function runFacts(runs: ReadonlyArray<ComparedRun>): IRunFacts {
  const facts = [hypothesis(runs), data(runs), code(runs)];
  const rows: ICompareRow[] = [];
  const same: ISharedField[] = [];
  for (const fact of facts) {
    if (fact === null) {
      continue;
    }
    if ('cells' in fact) {
      rows.push(fact);
    } else {
      same.push(fact);
    }
  }
  return { rows, same };
}

/**
 * What compared runs share: the same data (from their fingerprints), the
 * same code, the same value of a field. Pure, so the compare view can fold
 * what is the same for all into one place and show only what differs.
 */

import { IDataFingerprint } from './api/runDetailPayloads';

/** What {@link sameData} reads of a run. */
export interface IRunData {
  id: number;
  /** The hash of the run's input data alone, when recorded. */
  data_fingerprint?: string | null;
  /** Each input's fingerprint, when recorded. */
  data?: ReadonlyArray<IDataFingerprint>;
}

/** The "same data?" answer: one cell per run, and whether all agree. */
export interface ISameData {
  /** All runs' data is known and equal. */
  same: boolean;
  /** No run recorded its data. */
  unknown: boolean;
  /** Per run: its short fingerprint (the first), `same as #4`, or `differs: X, y`. */
  cells: string[];
  /** Per run: the full fingerprint, for a tooltip. */
  titles: string[];
}

/** A run's data as one comparable key, or null when none was recorded. */
function dataKey(run: IRunData): string | null {
  if (run.data_fingerprint) {
    return run.data_fingerprint;
  }
  if (run.data && run.data.length > 0) {
    return run.data
      .map(item => `${item.name}:${item.hash}`)
      .sort()
      .join(' ');
  }
  return null;
}

/** The inputs (by name) whose fingerprints differ between two runs. */
function differingInputs(a: IRunData, b: IRunData): string[] {
  const hashes = (run: IRunData) =>
    new Map((run.data ?? []).map(item => [item.name, item.hash]));
  const left = hashes(a);
  const right = hashes(b);
  const names = new Set([...left.keys(), ...right.keys()]);
  return [...names]
    .filter(name => left.get(name) !== right.get(name))
    .sort((x, y) => x.localeCompare(y));
}

/** `30fb15f5…`: a fingerprint as a cell shows it. */
export function shortHash(hash: string): string {
  return hash.length > 8 ? `${hash.slice(0, 8)}…` : hash;
}

/** Whether the runs were trained on the same data, against the first run. */
export function sameData(runs: ReadonlyArray<IRunData>): ISameData {
  const keys = runs.map(dataKey);
  const first = runs[0];
  const unknown = keys.every(key => key === null);
  const same = !unknown && keys.every(key => key !== null && key === keys[0]);
  const cells = runs.map((run, index) => {
    const key = keys[index];
    if (key === null) {
      return 'not recorded';
    }
    if (index === 0 || keys[0] === null) {
      return run.data_fingerprint
        ? shortHash(run.data_fingerprint)
        : `${run.data?.length ?? 0} inputs`;
    }
    if (key === keys[0]) {
      return `same as #${first.id}`;
    }
    const names = differingInputs(first, run);
    return names.length ? `differs: ${names.join(', ')}` : 'differs';
  });
  const titles = runs.map(
    run =>
      run.data_fingerprint ??
      (run.data ?? []).map(item => `${item.name} ${item.hash}`).join('\n')
  );
  return { same, unknown, cells, titles };
}

/** Whether every value is the same (by its JSON text; `undefined` is a value too). */
export function allSame(values: ReadonlyArray<unknown>): boolean {
  const texts = values.map(value =>
    value === undefined ? '\u0000undefined' : JSON.stringify(value)
  );
  return texts.every(text => text === texts[0]);
}

/**
 * The sidebar's grouping of runs: by experiment, and inside it by grid, with
 * each grid run's point as text. Pure: no state, no server.
 */

import { formatParam } from './formatters';
import { IExperiment } from './api/experimentPayloads';
import { IGridSummary } from './api/gridPayloads';
import { IRunSummary } from './api/runPayloads';

/** The runs of one experiment, as the list groups them. */
export interface IExperimentGroup {
  /** The experiment's name. */
  name: string;
  /** Its summary from `GET experiments`, when known. */
  experiment: IExperiment | null;
  /**
   * Its runs that the list holds (those matching the search), newest first,
   * but for those of its grids.
   */
  runs: IRunSummary[];
  /** Its grids, newest first, each with the listed runs of it. */
  grids: IGridGroup[];
  /** The latest activity of the group, in seconds since the epoch. */
  activity: number;
}

/** A grid inside its experiment's group, with the listed runs of it. */
export interface IGridGroup {
  grid: IGridSummary;
  /** Its runs that the list holds, newest first. */
  runs: IRunSummary[];
  /** Each run's point in the grid (`units=64 lr=0.01 seed=1`), by run id. */
  points: { [runId: number]: string };
}

/**
 * Group runs by experiment; groups ordered by latest activity, runs within a
 * group newest first (by id, the order the journal gives them).
 */
export function groupRuns(
  runs: ReadonlyArray<IRunSummary>,
  experiments: ReadonlyArray<IExperiment>,
  grids: ReadonlyArray<IGridSummary> = [],
  gridOf: ReadonlyMap<number, number> = new Map(),
  points: ReadonlyMap<number, string> = new Map()
): IExperimentGroup[] {
  const known = new Map(experiments.map(e => [e.name, e]));
  const groups = new Map<string, IExperimentGroup>();
  const gridGroups = new Map<number, IGridGroup>();
  for (const run of runs) {
    let group = groups.get(run.experiment);
    if (!group) {
      const experiment = known.get(run.experiment) ?? null;
      group = {
        name: run.experiment,
        experiment,
        runs: [],
        grids: [],
        activity: 0
      };
      groups.set(run.experiment, group);
    }
    const gridId = gridOf.get(run.id);
    const grid =
      gridId === undefined ? undefined : grids.find(g => g.id === gridId);
    if (grid && grid.experiment === run.experiment) {
      let gridGroup = gridGroups.get(grid.id);
      if (!gridGroup) {
        gridGroup = { grid, runs: [], points: {} };
        gridGroups.set(grid.id, gridGroup);
        group.grids.push(gridGroup);
      }
      gridGroup.runs.push(run);
      const point = points.get(run.id);
      if (point !== undefined) {
        gridGroup.points[run.id] = point;
      }
    } else {
      group.runs.push(run);
    }
    group.activity = Math.max(group.activity, run.updated);
  }
  const result = Array.from(groups.values());
  for (const group of result) {
    group.runs.sort((a, b) => b.id - a.id);
    group.grids.sort((a, b) => b.grid.id - a.grid.id);
    for (const gridGroup of group.grids) {
      gridGroup.runs.sort((a, b) => b.id - a.id);
    }
  }
  return result.sort(
    (a, b) => b.activity - a.activity || a.name.localeCompare(b.name)
  );
}

/** A line of an experiment's list: a run of its own, or a grid with its runs. */
export type ListEntry =
  { kind: 'run'; run: IRunSummary } | { kind: 'grid'; grid: IGridGroup };

/**
 * An experiment's runs and grids in one order, newest first: a grid stands
 * where its newest run would (a run after a grid is listed above it).
 */
export function listOrder(group: IExperimentGroup): ListEntry[] {
  const newest = (entry: ListEntry): number =>
    entry.kind === 'run'
      ? entry.run.id
      : Math.max(...entry.grid.runs.map(r => r.id), -Infinity);
  const entries: ListEntry[] = [
    ...group.runs.map(run => ({ kind: 'run' as const, run })),
    ...(group.grids ?? []).map(grid => ({ kind: 'grid' as const, grid }))
  ];
  return entries.sort((a, b) => newest(b) - newest(a));
}

/** `units=64 lr=0.01`: a combination of parameter values, as text. */
export function combination(values: { [name: string]: unknown }): string {
  return Object.entries(values)
    .map(([name, value]) => `${name}=${formatParam(value)}`)
    .join(' ');
}

/** A grid's axes in the order they were given (older grids: as their spec lists them). */
export function axisNames(grid: IGridSummary): string[] {
  return grid.spec?.order ?? Object.keys(grid.spec?.axes ?? {});
}

/** A grid run's point: its axes' values, the repeat's `seed` last. */
export function gridPoint(values: { [name: string]: unknown }): string {
  const { seed, ...axes } = values;
  return combination(seed === undefined ? axes : { ...axes, seed });
}

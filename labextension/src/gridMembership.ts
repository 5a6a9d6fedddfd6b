/**
 * Which grid each listed run belongs to, and at which point: the sidebar folds
 * a grid's runs under it. A grid's detail is read again only when it changed.
 */

import { JournalClient } from './api/client';
import { IGridSummary } from './api/gridPayloads';
import { gridPoint } from './grouping';

/** What the sidebar keeps of a grid's detail: its runs and their points. */
export interface IGridRuns {
  /** The grid's `updated` when read: read again when it changes. */
  updated: number;
  runs: number[];
  points: string[];
}

/** The grids, each one's runs, and each run's grid and point. */
export interface IGridMembership {
  grids: IGridSummary[];
  gridRuns: Map<number, IGridRuns>;
  gridOf: Map<number, number>;
  gridPoints: Map<number, string>;
}

/**
 * Read the grids and which runs each holds, reusing `cached` details whose
 * grid did not change. Null when the server has no grids (no error).
 */
export async function readGridMembership(
  client: JournalClient,
  cached: ReadonlyMap<number, IGridRuns>
): Promise<IGridMembership | null> {
  let grids: IGridSummary[];
  try {
    grids = (await client.grids()).grids;
  } catch {
    return null;
  }
  const gridRuns = new Map<number, IGridRuns>();
  await Promise.all(
    grids.map(async grid => {
      const known = cached.get(grid.id);
      if (known && known.updated === grid.updated) {
        gridRuns.set(grid.id, known);
        return;
      }
      try {
        const detail = await client.grid(grid.id);
        gridRuns.set(grid.id, {
          updated: grid.updated,
          runs: detail.grid_runs.map(r => r.run_id),
          points: detail.grid_runs.map(r => gridPoint(r.values))
        });
      } catch {
        // a grid that cannot be read lists its runs as loose ones
      }
    })
  );
  const gridOf = new Map<number, number>();
  const gridPoints = new Map<number, string>();
  for (const [id, entry] of gridRuns) {
    entry.runs.forEach((run, index) => {
      if (!gridOf.has(run)) {
        gridOf.set(run, id);
        gridPoints.set(run, entry.points[index]);
      }
    });
  }
  return { grids, gridRuns, gridOf, gridPoints };
}

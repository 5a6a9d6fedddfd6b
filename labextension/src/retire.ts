/**
 * Deleting and restoring runs from the lab: one place that sends runs to the
 * trash and offers the undo, for the experiment page and the run view alike.
 * The rules (a running run cannot go; purge keeps what an inference rests
 * on) are the server's, the same as `nbjournal delete` and `nbjournal purge`.
 */

import { Notification } from '@jupyterlab/apputils';

import { describe } from './queried';

/** What retiring needs of the journal's model. */
export interface IRetiring {
  trash(ids: ReadonlyArray<number>): Promise<number[]>;
  restore(ids: ReadonlyArray<number>): Promise<number[]>;
}

/** How long the undo stays offered, in milliseconds. */
export const UNDO_MS = 15000;

/** How purging is done: on the command line only, and said so in the lab. */
export const PURGE_HINT =
  'Runs stay in the trash until purged on the command line: nbjournal purge (it keeps runs an inference rests on unless --force).';

/** `[12, 13]` → `#12, #13` (the first few, then how many more). */
export function runList(ids: ReadonlyArray<number>, shown = 5): string {
  const head = ids
    .slice(0, shown)
    .map(id => `#${id}`)
    .join(', ');
  return ids.length > shown ? `${head} and ${ids.length - shown} more` : head;
}

/**
 * Send runs to the trash and offer "Undo" in a notification; the ids that
 * went. A refusal (a running run, an unknown one) is an error notification
 * with the server's one line, and nothing changed.
 */
export async function deleteWithUndo(
  model: IRetiring,
  ids: ReadonlyArray<number>
): Promise<number[]> {
  let trashed: number[];
  try {
    trashed = await model.trash(ids);
  } catch (error) {
    Notification.error(`Not deleted: ${describe(error)}`, { autoClose: false });
    return [];
  }
  if (trashed.length === 0) {
    Notification.info(`${runList(ids)} already in the trash`, {
      autoClose: 5000
    });
    return trashed;
  }
  const noun = trashed.length === 1 ? 'run' : 'runs';
  Notification.success(`Deleted ${noun} ${runList(trashed)} (in the trash)`, {
    autoClose: UNDO_MS,
    actions: [
      {
        label: 'Undo',
        caption: `Restore ${runList(trashed)} from the trash`,
        displayType: 'accent',
        callback: () => void restoreRuns(model, trashed)
      }
    ]
  });
  return trashed;
}

/** Bring runs back from the trash, saying so; the ids that came back. */
export async function restoreRuns(
  model: IRetiring,
  ids: ReadonlyArray<number>
): Promise<number[]> {
  try {
    const restored = await model.restore(ids);
    Notification.info(`Restored ${runList(restored.length ? restored : ids)}`, {
      autoClose: 4000
    });
    return restored;
  } catch (error) {
    Notification.error(`Not restored: ${describe(error)}`, {
      autoClose: false
    });
    return [];
  }
}

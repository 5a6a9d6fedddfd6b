/**
 * "Open notebook" opens the notebook at the cell that made the run: the
 * kernel records the cell id JupyterLab sends with each execution (the
 * procedure's `cell.cell_id`), and the notebook is scrolled to that cell and
 * makes it the active one. A cell since deleted is said, not guessed.
 */

import { Notification } from '@jupyterlab/apputils';
import type { NotebookPanel } from '@jupyterlab/notebook';

import { IRun } from './api/runDetailPayloads';

/** The id of the cell that made the run, when the kernel was told it. */
export function runCellId(run: IRun): string | null {
  return run.procedure?.cell?.cell_id ?? null;
}

/**
 * Make the cell `cellId` of an opened notebook the active one and scroll to
 * it; whether it was found.
 */
export async function revealCell(
  panel: NotebookPanel,
  cellId: string
): Promise<boolean> {
  await panel.context.ready;
  await panel.revealed;
  const notebook = panel.content;
  const cells = notebook.model?.cells;
  let index = -1;
  for (let i = 0; cells && i < cells.length; i++) {
    if (cells.get(i).id === cellId) {
      index = i;
      break;
    }
  }
  const cell = index < 0 ? undefined : notebook.widgets[index];
  if (!cell) {
    Notification.info(
      `The cell that made this run is no longer in ${panel.context.path}.`,
      { autoClose: 5000 }
    );
    return false;
  }
  notebook.deselectAll();
  notebook.activeCellIndex = index;
  await notebook.scrollToCell(cell, 'center');
  return true;
}

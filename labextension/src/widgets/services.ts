import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { IStateDB } from '@jupyterlab/statedb';

import { JournalModel } from '../model';
import { PinBoard } from '../pins';

/** What the sidebar and the documents need from the application. */
export interface IJournalServices {
  /** The journal's state and its REST calls. */
  model: JournalModel;
  /** JupyterLab's renderers (markdown, Vega-Lite). */
  rendermime: IRenderMimeRegistry;
  /** Highlight code into an element. */
  highlight?: (code: string, element: HTMLElement) => Promise<void>;
  /** The current theme's name. */
  theme: () => string;
  /** Whether a notebook is open to insert code into. */
  canInsert: () => boolean;
  /** Copy text to the clipboard. */
  copy: (text: string) => void;
  /** Insert code below the active cell of the current notebook. */
  insert: (code: string) => void;
  /** A recorded notebook path as JupyterLab opens it, or null (see `notebookInRoot`). */
  notebookPath: (recorded: string | null) => string | null;
  /**
   * Open a notebook by its path relative to the server's root, at the cell
   * `cellId` when given (the cell that made a run).
   */
  openNotebook: (path: string, cellId?: string | null) => void;
  /** Open a run. */
  openRun: (id: number) => void;
  /** Open a grid. */
  openGrid?: (id: number) => void;
  /** Open an experiment's page. */
  openExperiment: (name: string) => void;
  /** Open a comparison of runs. */
  compare: (ids: ReadonlyArray<number>) => void;
  /** JupyterLab's state database (the pages' views are kept there), when there is one. */
  state?: IStateDB | null;
  /** The runs pinned on each experiment's page (kept in its saved view). */
  pins?: PinBoard;
  /** A link that opens this lab with `search` (`?nbjournal-run=12`). */
  link?: (search: string) => string;
  /** Save text (or bytes) as a file the browser downloads. */
  download: (filename: string, text: string | Blob, type: string) => void;
}

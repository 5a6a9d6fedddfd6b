/** The command ids of the extension (what other extensions and the palette call). */

export namespace CommandIDs {
  export const openRun = 'nbjournal:open-run';
  export const openExperiment = 'nbjournal:open-experiment';
  export const openGrid = 'nbjournal:open-grid';
  export const compare = 'nbjournal:compare';
  export const refresh = 'nbjournal:refresh';
  export const show = 'nbjournal:show';
  /** Open what a link names (`?nbjournal-run=12`, `?nbjournal-experiment=…`). */
  export const openLink = 'nbjournal:open-link';
}

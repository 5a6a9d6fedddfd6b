import React from 'react';

/** How many run links a cell shows before "N more" (a row of 200 links was 4 s to draw). */
export const FEW_RUNS = 3;
/** How many items of a long list show before "Show all". */
export const FEW_ITEMS = 5;

/** Props of {@link RunLinks}. */
export interface IRunLinksProps {
  /** The runs, in the order shown. */
  ids: ReadonlyArray<number>;
  /** Open a run. */
  onOpenRun: (id: number) => void;
  /** Links drawn before the rest are asked for; all when not given. */
  few?: number;
}

/**
 * Links to runs (`#22 #31`): the first few and a button that says how many
 * more there are and draws them on demand.
 */
export function RunLinks(props: IRunLinksProps): JSX.Element {
  const [all, setAll] = React.useState(false);
  const few = props.few ?? props.ids.length;
  const shown = all ? props.ids : props.ids.slice(0, few);
  const more = props.ids.length - shown.length;
  return (
    <>
      {shown.map(id => (
        <button
          key={id}
          type="button"
          className="jp-nbjournal-Link jp-nbjournal-InsightRun"
          title={`Open run #${id}`}
          onClick={() => props.onOpenRun(id)}
        >
          #{id}
        </button>
      ))}
      {more > 0 && (
        <button
          type="button"
          className="jp-nbjournal-Link jp-nbjournal-MoreLink"
          title={`Show the other ${more.toLocaleString('en-US')} runs`}
          onClick={() => setAll(true)}
        >
          +{more.toLocaleString('en-US')} more
        </button>
      )}
    </>
  );
}

/** Props of {@link FewItems}. */
export interface IFewItemsProps<T> {
  /** The items, in the order shown. */
  items: ReadonlyArray<T>;
  /** Draws one item. */
  render: (item: T, index: number) => JSX.Element;
  /** What the items are, for the button: `conclusions`. */
  noun: string;
  /** Items drawn before the rest are asked for. */
  few?: number;
  /** The list's item element that holds the button: `dd` (a `dl`) or `li` (a `ul`). */
  wrap?: 'dd' | 'li';
}

/** The first few items of a long list, and a button that draws the rest. */
export function FewItems<T>(props: IFewItemsProps<T>): JSX.Element {
  const [all, setAll] = React.useState(false);
  const few = props.few ?? FEW_ITEMS;
  const shown = all ? props.items : props.items.slice(0, few);
  const more = props.items.length - shown.length;
  const Wrap = props.wrap ?? 'dd';
  return (
    <>
      {shown.map(props.render)}
      {more > 0 && (
        <Wrap className="jp-nbjournal-MoreItems">
          <button
            type="button"
            className="jp-nbjournal-Link jp-nbjournal-MoreLink"
            onClick={() => setAll(true)}
          >
            Show {more.toLocaleString('en-US')} more {props.noun}
          </button>
        </Wrap>
      )}
    </>
  );
}

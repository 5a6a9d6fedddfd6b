import { deleteIcon, downloadIcon } from '@jupyterlab/ui-components';
import React, { useState } from 'react';

import { ReportFormat } from '../api/experimentPayloads';
import { describe } from '../queried';
import { runList } from '../retire';
import { TagEditor } from './TagEditor';

/** Props of {@link SelectionActions}. */
export interface ISelectionActionsProps {
  /** The runs ticked (in the whole journal). */
  selected: ReadonlyArray<number>;
  /** Whether the page shows the trash (then the selection is restored, not deleted). */
  inTrash: boolean;
  /** Compare the ticked runs. */
  onCompare: (ids: ReadonlyArray<number>) => void;
  /** Send runs to the trash (with an undo). */
  onDelete?: (ids: ReadonlyArray<number>) => Promise<void>;
  /** Bring runs back from the trash. */
  onRestore?: (ids: ReadonlyArray<number>) => Promise<void>;
  /** Add and remove tags on every ticked run (rejects with the server's reason). */
  onTag?: (
    ids: ReadonlyArray<number>,
    add: ReadonlyArray<string>,
    remove: ReadonlyArray<string>
  ) => Promise<void>;
}

/** What the page does with the ticked runs: compare, delete or restore, tag. */
export function SelectionActions(
  props: ISelectionActionsProps
): JSX.Element | null {
  const { selected, inTrash } = props;
  const [busy, setBusy] = useState(false);
  if (selected.length === 0) {
    return null;
  }
  const act =
    (action?: (ids: ReadonlyArray<number>) => Promise<void>) => () => {
      if (!action) {
        return;
      }
      setBusy(true);
      void action(selected).finally(() => setBusy(false));
    };
  const noun = selected.length === 1 ? 'run' : 'runs';
  return (
    <>
      <span className="jp-nbjournal-Muted">{selected.length} selected</span>
      {!inTrash && (
        <button
          type="button"
          className="jp-nbjournal-Button"
          disabled={selected.length < 2}
          title={
            selected.length < 2
              ? 'Tick at least two runs to compare them'
              : `Compare ${selected.map(id => `#${id}`).join(', ')}`
          }
          onClick={() => props.onCompare(selected)}
        >
          Compare
        </button>
      )}
      {inTrash
        ? props.onRestore && (
            <button
              type="button"
              className="jp-nbjournal-Button"
              disabled={busy}
              title={`Bring ${runList(selected)} back from the trash`}
              onClick={act(props.onRestore)}
            >
              Restore
            </button>
          )
        : props.onDelete && (
            <button
              type="button"
              className="jp-nbjournal-Button jp-nbjournal-DeleteButton"
              disabled={busy}
              title={`Send ${runList(selected)} to the trash (with an undo)`}
              onClick={act(props.onDelete)}
            >
              <deleteIcon.react
                tag="span"
                className="jp-nbjournal-ButtonIcon"
              />
              <span>Delete</span>
            </button>
          )}
      {props.onTag && !inTrash && (
        <TagEditor
          tags={[]}
          showTags={false}
          label={`Tag the ${selected.length} selected ${noun}`}
          onEdit={(add, remove) => props.onTag!(selected, add, remove)}
        />
      )}
    </>
  );
}

/** Props of {@link ReportButtons}. */
export interface IReportButtonsProps {
  /** Download the experiment's report in a form (rejects with the reason). */
  onReport: (format: ReportFormat) => Promise<void>;
}

/** The report's downloads: the file `nbjournal export NAME` writes, HTML or Markdown. */
export function ReportButtons(props: IReportButtonsProps): JSX.Element {
  const [busy, setBusy] = useState<ReportFormat | null>(null);
  const [error, setError] = useState<string | null>(null);
  const download = (format: ReportFormat) => () => {
    setBusy(format);
    setError(null);
    props
      .onReport(format)
      .catch(reason => setError(describe(reason)))
      .finally(() => setBusy(null));
  };
  const button = (format: ReportFormat, label: string, what: string) => (
    <button
      type="button"
      className="jp-nbjournal-Button"
      disabled={busy !== null}
      title={`Download the lab-notebook report (${what}): what nbjournal export writes`}
      onClick={download(format)}
    >
      <downloadIcon.react tag="span" className="jp-nbjournal-ButtonIcon" />
      <span>{busy === format ? 'Writing…' : label}</span>
    </button>
  );
  return (
    <>
      {button('html', 'Report', 'one HTML page, charts inline')}
      {button('md', 'Markdown', 'Markdown, without its chart files')}
      {error && (
        <div
          className="jp-nbjournal-Error jp-nbjournal-ReportError"
          role="alert"
        >
          {error}
        </div>
      )}
    </>
  );
}

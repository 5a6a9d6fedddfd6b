import React from 'react';

import { IColumn } from '../experimentModel';

/** Props of {@link ColumnPicker}. */
export interface IColumnPickerProps {
  /** Every column of the table, in order. */
  columns: ReadonlyArray<IColumn>;
  /** Whether a column is hidden. */
  isHidden: (id: string) => boolean;
  /** Show or hide a column. */
  onToggle: (id: string) => void;
}

/** The kinds of columns, as the picker groups them. */
const GROUPS: ReadonlyArray<[IColumn['kind'], string]> = [
  ['fixed', 'Run'],
  ['metric', 'Metrics'],
  ['param', 'Parameters']
];

/** A drop-down of check boxes: which columns the table shows. */
export function ColumnPicker(props: IColumnPickerProps): JSX.Element {
  const hidden = props.columns.filter(c => props.isHidden(c.id)).length;
  return (
    <details className="jp-nbjournal-ColumnPicker">
      <summary className="jp-nbjournal-Button">
        Columns
        {hidden > 0 && (
          <span className="jp-nbjournal-Muted"> ({hidden} hidden)</span>
        )}
      </summary>
      <div className="jp-nbjournal-ColumnPicker-menu">
        {GROUPS.map(([kind, title]) => {
          const columns = props.columns.filter(c => c.kind === kind);
          if (columns.length === 0) {
            return null;
          }
          return (
            <fieldset key={kind} className="jp-nbjournal-ColumnPicker-group">
              <legend>{title}</legend>
              {columns.map(column => (
                <label key={column.id} className="jp-nbjournal-Toggle">
                  <input
                    type="checkbox"
                    checked={!props.isHidden(column.id)}
                    onChange={() => props.onToggle(column.id)}
                  />
                  {column.label}
                  {column.mirrorOf && (
                    <span
                      className="jp-nbjournal-Tag"
                      title={`mirrors ${column.mirrorOf}: the same information, hidden unless asked for`}
                    >
                      = {column.mirrorOf}
                    </span>
                  )}
                  {column.key && (
                    <span className="jp-nbjournal-Tag" title="the key metric">
                      key
                    </span>
                  )}
                </label>
              ))}
            </fieldset>
          );
        })}
      </div>
    </details>
  );
}

import React from 'react';
import { dataAttributes } from './CompareTable';

/** One field the compared runs share. */
export interface ISharedField {
  /** React's key. */
  key: string;
  /** The field's name (`hypothesis`, `lr`). */
  name: string;
  /** Its one value, as shown. */
  value: React.ReactNode;
  /** Its tooltip. */
  title?: string;
  /** `data-*` attributes of its row, for tests and styles. */
  data?: { [name: string]: string };
}

/** Props of {@link SameForAll}. */
export interface ISameForAllProps {
  /** The accessible name of its table. */
  label: string;
  /** The fields every run has the same value of. */
  fields: ReadonlyArray<ISharedField>;
  /** Whether it starts unfolded. */
  open?: boolean;
}

/**
 * The fields that are the same for every compared run, folded into one
 * place below what differs: each once, with its one value.
 */
export function SameForAll(props: ISameForAllProps): JSX.Element | null {
  const { fields } = props;
  if (fields.length === 0) {
    return null;
  }
  const names = fields.map(field => field.name);
  const listed =
    names.length > 4
      ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more`
      : names.join(', ');
  return (
    <details className="jp-nbjournal-SameForAll" open={props.open}>
      <summary>
        Same for all ({fields.length}): {listed}
      </summary>
      <table className="jp-nbjournal-Table" aria-label={props.label}>
        <tbody>
          {fields.map(field => (
            <tr key={field.key} {...dataAttributes(field.data)}>
              <th scope="row">{field.name}</th>
              <td title={field.title}>{field.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

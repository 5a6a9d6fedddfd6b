import React from 'react';

import { ICompareReply } from '../api/analysisPayloads';
import { differenceRows, sideLabel } from '../comparison';
import { NoiseVerdictBadge } from './VerdictBadge';

/** Props of {@link DifferencesTable}. */
export interface IDifferencesTableProps {
  /** The server's comparison (`GET compare?runs=…&group=repeats`). */
  reply: ICompareReply;
}

/**
 * `0.9123 ± 0.0081`, kept whole where there is room and broken before the `±`
 * (never inside a number) where there is not.
 */
function Spread(props: { text: string }): JSX.Element {
  const [mean, half] = props.text.split(' ± ');
  return (
    <>
      <span className="jp-nbjournal-DifferencesTable-part">{mean}</span>
      {half !== undefined && (
        <>
          {' '}
          <span className="jp-nbjournal-DifferencesTable-part">± {half}</span>
        </>
      )}
    </>
  );
}

/** Words that each stay whole: `[+0.0785, +0.1094]` breaks at its space only. */
function Words(props: { text: string }): JSX.Element {
  const words = props.text.split(' ');
  return (
    <>
      {words.map((word, index) => (
        <React.Fragment key={index}>
          {index > 0 && ' '}
          <span className="jp-nbjournal-DifferencesTable-part">{word}</span>
        </React.Fragment>
      ))}
    </>
  );
}

/**
 * For each metric, the first side (a run or a group of repeats) against the
 * other: the comparison rule's verdict (first, so a narrow view shows it),
 * both values and the difference with its 95 % interval, as
 * `%journal compare` says them.
 */
export function DifferencesTable(props: IDifferencesTableProps): JSX.Element {
  const { reply } = props;
  const rows = differenceRows(reply);
  const first = sideLabel(reply.runs[0] ?? []);
  const other = reply.runs.length === 2 ? sideLabel(reply.runs[1]) : 'other';
  return (
    <div className="jp-nbjournal-TableScroll">
      <table
        className="jp-nbjournal-Table jp-nbjournal-DifferencesTable"
        aria-label="Differences and verdicts"
      >
        <thead>
          <tr>
            <th scope="col">metric</th>
            <th scope="col">verdict</th>
            <th scope="col" className="jp-nbjournal-Number">
              {first}
            </th>
            <th scope="col" className="jp-nbjournal-Number">
              {other}
            </th>
            <th
              scope="col"
              className="jp-nbjournal-Number"
              title="The difference of means, first − other, and its 95 % interval"
            >
              {first} − {other}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(row => (
            <tr
              key={row.key}
              data-metric={row.metric}
              data-verdict={row.verdict}
              className={row.record ? 'jp-nbjournal-KeyMetricRow' : undefined}
            >
              <th scope="row">{row.metric}</th>
              <td data-column="verdict">
                <NoiseVerdictBadge
                  text={row.verdict}
                  kind={row.kind}
                  title={row.title}
                />
                {row.note && (
                  <span className="jp-nbjournal-Muted jp-nbjournal-DifferencesTable-note">
                    {row.note}
                  </span>
                )}
              </td>
              <td className="jp-nbjournal-Number" title={row.aTitle}>
                <Spread text={row.a} />
              </td>
              <td className="jp-nbjournal-Number" title={row.bTitle}>
                <Spread text={row.b} />
              </td>
              <td className="jp-nbjournal-Number" data-column="difference">
                <span className="jp-nbjournal-DifferencesTable-part">
                  {row.difference}
                </span>{' '}
                <span className="jp-nbjournal-DifferencesTable-interval">
                  <Words text={row.interval} />
                </span>
              </td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={5} className="jp-nbjournal-Muted">
                The runs share no metric to compare.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

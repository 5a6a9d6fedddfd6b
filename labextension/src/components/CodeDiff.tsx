import React from 'react';

import { diffStat, IDiffLine, unifiedDiff } from '../codeDiff';
import { Section } from './Section';

/** A compared run's code, as {@link CodeDiffSection} reads it. */
export interface ICodeOfRun {
  id: number;
  code?: string;
}

/** The diffs of each later run's code against the first run's. */
export function codeDiffs(
  runs: ReadonlyArray<ICodeOfRun>
): Array<{ id: number; lines: IDiffLine[] }> {
  const first = runs[0]?.code ?? '';
  return runs
    .slice(1)
    .map(run => ({ id: run.id, lines: unifiedDiff(first, run.code ?? '') }));
}

/** One unified diff, `-` and `+` lines marked by colour and sign. */
function DiffBlock(props: {
  from: number;
  to: number;
  lines: ReadonlyArray<IDiffLine>;
}): JSX.Element {
  const sign = { hunk: '', context: ' ', added: '+', removed: '-' };
  return (
    <pre
      className="jp-nbjournal-CodeDiff"
      aria-label={`Code of #${props.to} against #${props.from}`}
    >
      <code>
        <span className="jp-nbjournal-CodeDiff-file">
          {`--- #${props.from}\n+++ #${props.to}\n`}
        </span>
        {props.lines.map((line, index) => (
          <span
            key={index}
            className={`jp-nbjournal-CodeDiff-${line.kind}`}
            data-kind={line.kind}
          >
            {`${sign[line.kind]}${line.text}\n`}
          </span>
        ))}
      </code>
    </pre>
  );
}

/**
 * What the runs' code changed: a unified diff of each later run against the
 * first, the first diff open; nothing when the code is the same for all
 * (the runs' table says so).
 */
export function CodeDiffSection(props: {
  runs: ReadonlyArray<ICodeOfRun>;
}): JSX.Element | null {
  const { runs } = props;
  if (runs.length < 2 || runs.some(run => run.code === undefined)) {
    return null;
  }
  const diffs = codeDiffs(runs).filter(diff => diff.lines.length > 0);
  if (diffs.length === 0) {
    return null;
  }
  const first = runs[0].id;
  return (
    <Section name="code" title="Code" note={`a unified diff against #${first}`}>
      {diffs.map((diff, index) => (
        <details
          key={diff.id}
          className="jp-nbjournal-CodeDiff-run"
          open={index === 0}
        >
          <summary>
            #{first} → #{diff.id}{' '}
            <span className="jp-nbjournal-Muted">
              {diffStat(diff.lines)} lines
            </span>
          </summary>
          <DiffBlock from={first} to={diff.id} lines={diff.lines} />
        </details>
      ))}
    </Section>
  );
}

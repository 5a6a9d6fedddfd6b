import React from 'react';

import { absoluteTime, formatNumber } from '../formatters';
import { IProcedure, IProcedureCell } from '../api/runDetailPayloads';
import { Section } from './Section';

/** Props of {@link ProcedureSection}. */
export interface IProcedureSectionProps {
  /** The run's procedure; null or absent when none was recorded. */
  procedure: IProcedure | null | undefined;
  /** Open another run (a replay, or the run this one replays). */
  onOpenRun: (id: number) => void;
}

/**
 * A run's upstream cells (each one's code collapsible) under a status badge
 * with its reason: the same list `%journal show` and the REST `procedure` carry.
 */
export function ProcedureSection(props: IProcedureSectionProps): JSX.Element {
  const { procedure } = props;
  if (!procedure) {
    return (
      <Section name="procedure" title="Procedure">
        <p className="jp-nbjournal-Muted">
          No procedure recorded for this run.
        </p>
      </Section>
    );
  }
  const cells = procedure.cells ?? [];
  return (
    <Section
      name="procedure"
      title="Procedure"
      note={`${cells.length} upstream cell${cells.length === 1 ? '' : 's'}`}
    >
      <p className="jp-nbjournal-ProcedureStatus">
        <span
          className={`jp-nbjournal-ProcedureBadge jp-mod-${procedure.status.replace(/ /g, '-')}`}
          data-status={procedure.status}
        >
          {procedure.status}
        </span>{' '}
        <span className="jp-nbjournal-Muted">{procedure.reason}</span>
      </p>
      {cells.length > 0 && (
        <ol className="jp-nbjournal-ProcedureCells" aria-label="Upstream cells">
          {cells.map(cell => (
            <li key={`${cell.execution_count}-${cell.code_hash}`}>
              <UpstreamCell cell={cell} />
            </li>
          ))}
        </ol>
      )}
      {procedure.hidden.length > 0 && (
        <p className="jp-nbjournal-Muted">
          read but bound by no recorded cell: {procedure.hidden.join(', ')}
        </p>
      )}
      <ReplayLine {...props} procedure={procedure} />
    </Section>
  );
}

function UpstreamCell(props: { cell: IProcedureCell }): JSX.Element {
  const { cell } = props;
  const names = cell.names ?? [];
  return (
    <details>
      <summary>
        In [{cell.execution_count}]
        {names.length > 0 && ` · ${names.join(', ')}`}
        {cell.opaque && ` · ${cell.opaque}`}
      </summary>
      <pre className="jp-nbjournal-ProcedureCode">{cell.code}</pre>
    </details>
  );
}

function ReplayLine(
  props: IProcedureSectionProps & { procedure: IProcedure }
): JSX.Element | null {
  const { procedure, onOpenRun } = props;
  const parts: React.ReactNode[] = [];
  if (procedure.reproduced !== null && procedure.reproduced !== undefined) {
    parts.push(
      <span key="reproduced">
        reproduced {absoluteTime(procedure.reproduced)}
      </span>
    );
  }
  if (procedure.replay_of !== null && procedure.replay_of !== undefined) {
    const of = procedure.replay_of;
    const metrics = procedure.comparison?.metrics ?? {};
    const said = Object.entries(metrics)
      .map(([name, m]) =>
        m.replayed === null
          ? `${name} missing`
          : `${name} ${formatNumber(m.replayed)} (${m.verdict})`
      )
      .join(', ');
    parts.push(
      <span key="replay-of">
        a replay of{' '}
        <button className="jp-nbjournal-Link" onClick={() => onOpenRun(of)}>
          #{of}
        </button>
        {said && `: ${said}`}
      </span>
    );
  }
  if (procedure.replays.length > 0) {
    parts.push(
      <span key="replays">
        replayed by{' '}
        {procedure.replays.map(id => (
          <button
            key={id}
            className="jp-nbjournal-Link"
            onClick={() => onOpenRun(id)}
          >
            #{id}
          </button>
        ))}
      </span>
    );
  }
  if (!parts.length) {
    return null;
  }
  return (
    <p className="jp-nbjournal-ProcedureReplay">
      {parts.reduce<React.ReactNode[]>(
        (all, part, i) => (i ? [...all, ' · ', part] : [part]),
        []
      )}
    </p>
  );
}

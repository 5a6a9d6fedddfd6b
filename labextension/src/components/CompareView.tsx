import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React from 'react';

import { compareCharts, differingNote } from '../charts/runCharts';
import { CompareTable, ICompareRow, RunSwatch } from './CompareTable';
import { CurvesSection } from './Curves';
import {
  formatInColumn,
  formatParam,
  inExponents,
  paramNames,
  valuesDiffer
} from '../formatters';
import { Section } from './Section';
import { StatusIcon } from './StatusIcon';
import { ICompareReply } from '../api/analysisPayloads';
import { IRun } from '../api/runDetailPayloads';
import { IMetricSeries, IRunSummary } from '../api/runPayloads';
import { CodeDiffSection } from './CodeDiff';
import { runFacts } from './CompareFacts';
import { ISharedField, SameForAll } from './SameForAll';
import { DifferencesTable } from './DifferencesTable';
import { VerdictBadge } from './VerdictBadge';

/** A compared run: its summary, and its code and data when read whole. */
export type ComparedRun = IRunSummary &
  Partial<Pick<IRun, 'code' | 'data' | 'data_fingerprint'>>;

/** Props of {@link CompareView}. */
export interface ICompareViewProps {
  /** The runs compared, in the order they were selected. */
  runs: ReadonlyArray<ComparedRun>;
  /**
   * The comparison rule's verdicts (`GET compare?…&group=repeats`), null while
   * they load, or the reason they could not be read.
   */
  comparison?: ICompareReply | string | null;
  /** Each run's metric series by run id, or null while they load. */
  series: ReadonlyMap<number, ReadonlyArray<IMetricSeries>> | null;
  /** JupyterLab's renderers, with its Vega renderer. */
  rendermime: IRenderMimeRegistry;
  /** The theme's name; charts follow it. */
  theme: string;
  /** Open one of the runs. */
  onOpenRun: (id: number) => void;
}

/** The index of the best value by the metric's goal, or -1. */
function bestIndex(values: Array<number | null>, goal: string): number {
  let best = -1;
  values.forEach((value, index) => {
    if (value === null || !isFinite(value)) {
      return;
    }
    const current = best < 0 ? null : values[best];
    if (
      current === null ||
      (goal === 'min'
        ? value < (current as number)
        : value > (current as number))
    ) {
      best = index;
    }
  });
  return values.filter(v => v !== null).length > 1 ? best : -1;
}

/**
 * The difference on each metric with its 95 % interval and the rule's
 * verdict: repeats of one configuration are one side when the server groups
 * them.
 */
function DifferencesSection(props: {
  comparison: ICompareReply | string | null;
}): JSX.Element {
  const { comparison } = props;
  const note =
    comparison === null || typeof comparison === 'string'
      ? undefined
      : comparison.grouped
        ? 'repeats grouped by configuration'
        : 'run against run';
  return (
    <Section name="differences" title="Differences" note={note}>
      {comparison === null ? (
        <p className="jp-nbjournal-Muted">Comparing…</p>
      ) : typeof comparison === 'string' ? (
        <p className="jp-nbjournal-Muted">
          The verdicts cannot be read: {comparison}
        </p>
      ) : (
        <>
          {comparison.ranked_by && (
            <p className="jp-nbjournal-Muted jp-nbjournal-DifferencesTable-ranked">
              {comparison.ranked_by}
            </p>
          )}
          <DifferencesTable reply={comparison} />
        </>
      )}
    </Section>
  );
}

/**
 * Several runs side by side: parameters with the differences marked, final
 * metrics with the best value marked, and the curves of each metric overlaid.
 */
export function CompareView(props: ICompareViewProps): JSX.Element {
  const { runs, series } = props;
  const names = paramNames(runs.map(r => r.params));
  const rows = names.map(name => {
    const values = runs.map(r =>
      name in r.params ? r.params[name] : undefined
    );
    return { name, values, differ: valuesDiffer(values) };
  });
  const differing = rows.filter(row => row.differ).length;
  const shown = rows.filter(row => row.differ);
  const sameParams: ISharedField[] = rows
    .filter(row => !row.differ)
    .map(row => ({
      key: row.name,
      name: row.name,
      value:
        row.values[0] === undefined
          ? '–'
          : formatParam(row.values[0], inExponents(row.values)),
      title:
        typeof row.values[0] === 'number' ? String(row.values[0]) : undefined,
      data: { param: row.name, differ: 'false' }
    }));
  const facts = runFacts(runs);
  const metricNames = Array.from(
    new Set(runs.flatMap(r => Object.keys(r.metrics)))
  ).sort((a, b) => a.localeCompare(b));
  const differingNames = rows.filter(row => row.differ).map(row => row.name);

  const runRows: ICompareRow[] = [
    ...facts.rows.filter(row => row.key === 'hypothesis'),
    {
      key: 'verdict',
      heading: 'verdict',
      cells: runs.map(run => ({
        content: (
          <VerdictBadge
            inference={run.inference}
            status={run.status}
            verdict={run.verdict}
            gridInference={run.grid_inference}
          />
        )
      }))
    },
    ...facts.rows.filter(row => row.key !== 'hypothesis')
  ];
  const paramRows: ICompareRow[] = shown.map(row => ({
    key: row.name,
    heading: (
      <>
        {row.name}
        {row.differ && (
          <span className="jp-nbjournal-DiffMark" title="values differ">
            ≠
          </span>
        )}
      </>
    ),
    cells: row.values.map(value => ({
      title: typeof value === 'number' ? String(value) : undefined,
      content:
        value === undefined ? (
          <span className="jp-nbjournal-Muted">–</span>
        ) : (
          formatParam(value, inExponents(row.values))
        )
    })),
    className: row.differ ? 'jp-nbjournal-diff' : undefined,
    data: { param: row.name, differ: row.differ ? 'true' : 'false' }
  }));
  const metricRows: ICompareRow[] = metricNames.map(name => {
    const values = runs.map(r => r.metrics[name]?.last ?? null);
    const goal = runs.map(r => r.metrics[name]?.goal).find(g => g) ?? 'max';
    const best = bestIndex(values, goal);
    return {
      key: name,
      heading: name,
      cells: values.map((value, index) => ({
        content: formatInColumn(value, inExponents(values)),
        className:
          'jp-nbjournal-Number' + (index === best ? ' jp-nbjournal-Best' : ''),
        title:
          value === null
            ? undefined
            : `${value}${index === best ? ` — best (${goal})` : ''}`
      })),
      data: { metric: name }
    };
  });

  return (
    <div className="jp-nbjournal-CompareView">
      <header className="jp-nbjournal-RunView-header">
        <h1 className="jp-nbjournal-RunView-title">
          Comparing {runs.map(r => `#${r.id}`).join(', ')}
        </h1>
      </header>
      <Section name="runs" title="Runs">
        <CompareTable
          label="Runs"
          corner="run"
          runs={runs}
          rows={runRows}
          headerData={run => ({ 'run-id': String(run.id) })}
          renderHeader={(run, index) => (
            <>
              <RunSwatch index={index} />
              <button
                type="button"
                className="jp-nbjournal-Link jp-nbjournal-CompareTable-run"
                onClick={() => props.onOpenRun(run.id)}
                title={`Open run #${run.id}`}
              >
                <StatusIcon status={run.status} />
                <span className="jp-nbjournal-RunItem-id">#{run.id}</span>
                <span>{run.experiment}</span>
              </button>
            </>
          )}
        />
        <SameForAll label="The same for all runs" fields={facts.same} open />
      </Section>

      <CodeDiffSection runs={runs} />

      <DifferencesSection comparison={props.comparison ?? null} />

      <Section
        name="parameters"
        title="Parameters"
        note={`${differing} of ${rows.length} differ`}
      >
        <CompareTable
          label="Parameters side by side"
          corner="parameter"
          runs={runs}
          rows={paramRows}
          empty={
            rows.length === 0
              ? 'No parameter recorded.'
              : 'No parameter differs.'
          }
        />
        <SameForAll label="Parameters the same for all" fields={sameParams} />
      </Section>

      <Section name="metrics" title="Metrics" note="last value; best marked">
        <CompareTable
          label="Metrics side by side"
          corner="metric"
          runs={runs}
          rows={metricRows}
          empty="No metric recorded."
        />
      </Section>

      <CurvesSection
        charts={
          series === null
            ? null
            : log =>
                compareCharts(
                  runs.map(r => ({
                    id: r.id,
                    series: series.get(r.id) ?? [],
                    note: differingNote(r.params, differingNames)
                  })),
                  { log }
                )
        }
        rendermime={props.rendermime}
        theme={props.theme}
      />
    </div>
  );
}

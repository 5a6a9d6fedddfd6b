import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { downloadIcon } from '@jupyterlab/ui-components';
import React, { useState } from 'react';

import { ReportFormat } from '../api/experimentPayloads';
import { ICurvesReply } from '../api/runPayloads';
import { VerdictColors } from '../charts/experimentCharts';
import { PURGE_HINT } from '../retire';
import { ExperimentTableModel } from '../experimentModel';
import { useNow } from '../hooks';
import { independentParams } from '../mirrors';
import { ColumnPicker } from './ColumnPicker';
import { GroupByPicker, GroupedRuns } from './GroupedRuns';
import { ExperimentCharts } from './ExperimentCharts';
import { ExploreSections } from './ExploreSections';
import { ReportButtons, SelectionActions } from './PageActions';
import { PageParallel } from './ParallelCoordinates';
import { QueryBox } from './QueryBox';
import { ViewLinkButton } from './ViewLink';
import { RunsTable } from './RunsTable';
import { Section } from './Section';

/** Props of {@link ExperimentView}. */
export interface IExperimentViewProps {
  /** The page's state; the caller re-renders on its `changed`. */
  table: ExperimentTableModel;
  /** The runs ticked for comparison (in the whole journal). */
  selected: ReadonlyArray<number>;
  /** Tick or untick a run. */
  onToggleSelected: (id: number) => void;
  /** Compare the ticked runs. */
  onCompare: (ids: ReadonlyArray<number>) => void;
  /** Open a run. */
  onOpenRun: (id: number) => void;
  /** Save the table as CSV (rejects with the reason). */
  onExport: () => Promise<void>;
  /** Save the experiment's report, as `nbjournal export` writes it (rejects with the reason). */
  onReport?: (format: ReportFormat) => Promise<void>;
  /** Send runs to the trash (with an undo). */
  onDelete?: (ids: ReadonlyArray<number>) => Promise<void>;
  /** Bring runs back from the trash. */
  onRestore?: (ids: ReadonlyArray<number>) => Promise<void>;
  /** Add and remove tags on runs. */
  onTag?: (
    ids: ReadonlyArray<number>,
    add: ReadonlyArray<string>,
    remove: ReadonlyArray<string>
  ) => Promise<void>;
  /** The verdicts' colours, from the theme. */
  colors: VerdictColors;
  /** The colour of the charts' labels, from the theme. */
  labelColor?: string;
  /** JupyterLab's renderers, with its Vega renderer. */
  rendermime: IRenderMimeRegistry;
  /** The theme's name. */
  theme: string;
  /** The current time, in seconds since the epoch; the clock's by default. */
  now?: number;
  /** Copy a link to the page as it is (its view). */
  onCopyLink?: () => void;
  /** `GET curves` (the overlay's one request); no overlay nor explorer without it. */
  loadCurves?: (
    ids: ReadonlyArray<number>,
    metric: string
  ) => Promise<ICurvesReply>;
  /** The experiment's insights (a section at the end of the page), when given. */
  insights?: React.ReactNode;
}

/** `1234` → `1,234`. */
function count(value: number): string {
  return value.toLocaleString('en-US');
}

/**
 * An experiment's page: every run in a table (sortable, columns to show or
 * hide, the key metric first, paged as it scrolls), a query, the charts of
 * the sweep and the table as CSV.
 */
export function ExperimentView(props: IExperimentViewProps): JSX.Element {
  const { table } = props;
  const ticking = useNow();
  const now = props.now ?? ticking;
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const header = table.table;
  const total = table.total;
  const selected = props.selected;
  const chartRows = table.chartRows;
  const helpId = `jp-nbjournal-query-${encodeURIComponent(table.name)}`;

  return (
    <div className="jp-nbjournal-ExperimentView" data-experiment={table.name}>
      <header className="jp-nbjournal-RunView-header">
        <div className="jp-nbjournal-RunView-titleRow">
          <h1 className="jp-nbjournal-RunView-title">{table.name}</h1>
          <span className="jp-nbjournal-Muted jp-nbjournal-ExperimentView-count">
            {count(total)} {total === 1 ? 'run' : 'runs'}
            {table.inTrash
              ? ' in the trash'
              : table.answeredQuery.trim()
                ? total === 1
                  ? ' matches'
                  : ' match'
                : ''}
          </span>
          {header?.key_metric && (
            <span className="jp-nbjournal-Muted">
              key metric <strong>{header.key_metric}</strong>
            </span>
          )}
          <span className="jp-nbjournal-RunItem-spacer" />
          <button
            type="button"
            className="jp-nbjournal-Button"
            disabled={exporting}
            title="Save the table (this query, this order) as a CSV file"
            onClick={() => {
              setExporting(true);
              setExportError(null);
              props
                .onExport()
                .catch(reason =>
                  setExportError(
                    reason instanceof Error ? reason.message : String(reason)
                  )
                )
                .finally(() => setExporting(false));
            }}
          >
            <downloadIcon.react
              tag="span"
              className="jp-nbjournal-ButtonIcon"
            />
            <span>{exporting ? 'Exporting…' : 'Export CSV'}</span>
          </button>
          {props.onReport && <ReportButtons onReport={props.onReport} />}
          {props.onCopyLink && <ViewLinkButton onCopy={props.onCopyLink} />}
        </div>
        {exportError && (
          <div className="jp-nbjournal-Error" role="alert">
            {exportError}
          </div>
        )}
      </header>

      <Section
        name="runs"
        title="Runs"
        actions={
          <>
            <SelectionActions
              selected={selected}
              inTrash={table.inTrash}
              onCompare={props.onCompare}
              onDelete={props.onDelete}
              onRestore={props.onRestore}
              onTag={props.onTag}
            />
            <label
              className="jp-nbjournal-GroupToggle"
              title="The runs in the trash (the query term status:trashed): restore them from here"
            >
              <input
                type="checkbox"
                checked={table.inTrash}
                onChange={event =>
                  void table
                    .setTrash(event.currentTarget.checked)
                    .catch(() => undefined)
                }
              />
              <span>trash</span>
            </label>
            <GroupByPicker
              groups={table.groups}
              params={independentParams(header ?? { params: [] })}
            />
            <ColumnPicker
              columns={table.columns}
              isHidden={id => table.isHidden(id)}
              onToggle={id => table.toggleColumn(id)}
            />
          </>
        }
      >
        <QueryBox
          query={table.query}
          error={table.queryError}
          helpId={helpId}
          vocabulary={table.vocabulary.value}
          onFocus={() => void table.vocabulary.load()}
          onQuery={query => void table.setQuery(query).catch(() => undefined)}
        />
        {table.error !== null && (
          <div className="jp-nbjournal-Error" role="alert">
            {table.error}
          </div>
        )}
        {table.inTrash && (
          <p className="jp-nbjournal-TrashNote" role="note">
            The trash of {table.name}: these runs are hidden from every listing,
            insights and the nearest-run search. Tick runs to restore them.{' '}
            {PURGE_HINT}
          </p>
        )}
        {table.grouped && !table.inTrash ? (
          <GroupedRuns
            groups={table.groups}
            params={independentParams(header ?? { params: [] })}
            metrics={header?.metrics ?? []}
            queried={table.query.trim() !== ''}
            onOpenRun={props.onOpenRun}
          />
        ) : total === 0 && table.pins.rows.length === 0 ? (
          <p className="jp-nbjournal-Muted">
            {table.inTrash
              ? 'The trash is empty.'
              : table.answeredQuery.trim()
                ? 'No run matches.'
                : 'No run yet.'}
          </p>
        ) : (
          <RunsTable
            columns={table.visibleColumns}
            total={total}
            row={index => table.row(index)}
            onRange={(start, end) => table.ensure(start, end)}
            sort={table.sort}
            order={table.order}
            onSort={id => void table.setSort(id).catch(() => undefined)}
            now={now}
            isSelected={id => selected.includes(id)}
            onToggleSelected={props.onToggleSelected}
            onOpen={props.onOpenRun}
            onToggleMirrors={name => table.toggleMirrors(name)}
            pinned={table.pins.rows}
            isPinned={id => table.pins.has(id)}
            canPin={!table.pins.full}
            onTogglePin={id =>
              void table.pins.toggle(id).catch(() => undefined)
            }
          />
        )}
      </Section>

      <Section
        name="charts"
        title="Charts"
        note={
          chartRows.length < total
            ? `the newest ${count(chartRows.length)} of ${count(total)} runs`
            : undefined
        }
      >
        <ExperimentCharts
          rows={chartRows}
          params={independentParams(header ?? { params: [] })}
          metric={header?.key_metric ?? null}
          colors={props.colors}
          labelColor={props.labelColor}
          rendermime={props.rendermime}
          theme={props.theme}
        />
        <PageParallel
          table={table}
          params={independentParams(header ?? { params: [] })}
          metric={header?.key_metric ?? null}
          colors={props.colors}
          onOpenRun={props.onOpenRun}
        />
      </Section>
      {props.loadCurves && (
        <ExploreSections
          table={table}
          selected={selected}
          loadCurves={props.loadCurves}
          rendermime={props.rendermime}
          theme={props.theme}
          labelColor={props.labelColor}
          onOpenRun={props.onOpenRun}
        />
      )}
      {props.insights && (
        <Section name="insights" title="Insights">
          {props.insights}
        </Section>
      )}
    </div>
  );
}

import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React from 'react';

import { IExperimentTableRow } from '../api/experimentPayloads';
import { ICurvesReply } from '../api/runPayloads';
import { ExperimentTableModel } from '../experimentModel';
import { MAX_OVERLAY_RUNS } from '../overlay';
import { CurvesOverlay } from './CurvesOverlay';
import { MetricExplorer } from './MetricExplorer';
import { Section } from './Section';

/** Props of {@link ExploreSections}. */
export interface IExploreSectionsProps {
  /** The page's state. */
  table: ExperimentTableModel;
  /** The ticked runs (of the whole journal). */
  selected: ReadonlyArray<number>;
  /** `GET curves` for runs and a metric. */
  loadCurves: (
    ids: ReadonlyArray<number>,
    metric: string
  ) => Promise<ICurvesReply>;
  rendermime: IRenderMimeRegistry;
  theme: string;
  labelColor?: string;
  onOpenRun: (id: number) => void;
}

/** A theme colour, or `fallback` where the theme cannot be read (tests). */
function themeColor(name: string, fallback: string): string {
  return (
    getComputedStyle(document.body).getPropertyValue(name).trim() || fallback
  );
}

/**
 * The page's two exploring sections: curves of many runs overlaid, and any
 * metric against any parameter (slice, optimisation history, contour).
 */
export function ExploreSections(
  props: IExploreSectionsProps
): JSX.Element | null {
  const { table } = props;
  const header = table.table;
  if (!header || table.total === 0 || table.inTrash) {
    return null;
  }
  const first: IExperimentTableRow[] = [];
  for (
    let index = 0;
    index < Math.min(MAX_OVERLAY_RUNS, table.total);
    index++
  ) {
    const row = table.row(index);
    if (row) {
      first.push(row);
    }
  }
  const grouped = table.grouped
    ? (table.configurations?.configurations ?? null)
    : null;
  return (
    <>
      <Section
        name="curves"
        title="Curves"
        note="overlaid; a curve clicked opens its run"
      >
        <CurvesOverlay
          rows={first}
          members={table.chartRows}
          ticked={props.selected}
          configurations={grouped}
          by={table.groups?.by}
          metrics={header.metrics}
          keyMetric={header.key_metric}
          load={props.loadCurves}
          rendermime={props.rendermime}
          theme={props.theme}
          labelColor={props.labelColor}
          onOpenRun={props.onOpenRun}
        />
      </Section>
      <Section
        name="explore"
        title="Metric by parameter"
        note={
          table.chartRows.length < table.total
            ? `the newest ${table.chartRows.length.toLocaleString('en-US')} runs; a point clicked opens its run`
            : 'a point clicked opens its run'
        }
      >
        <MetricExplorer
          rows={table.chartRows}
          params={header.params}
          metrics={header.metrics}
          keyMetric={header.key_metric}
          goals={header.goals ?? {}}
          colors={{
            point: themeColor('--jp-brand-color1', '#1976d2'),
            best: themeColor('--jp-error-color1', '#d32f2f')
          }}
          labelColor={props.labelColor}
          rendermime={props.rendermime}
          theme={props.theme}
          onOpenRun={props.onOpenRun}
        />
      </Section>
    </>
  );
}

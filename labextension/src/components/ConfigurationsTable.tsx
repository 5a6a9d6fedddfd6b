import React from 'react';

import { IConfiguration } from '../api/analysisPayloads';
import { IExperimentTableRow, SortOrder } from '../api/experimentPayloads';
import { formatMetric, formatParam, inExponents } from '../formatters';
import { IGroupRuns } from '../groupBy';
import { meanText, meanTitle, spreadOf, verdictLabel } from '../repeats';
import { NoiseVerdictBadge } from './VerdictBadge';

/** Props of {@link ConfigurationsTable}. */
export interface IConfigurationsTableProps {
  /** The configurations, in the order shown. */
  configurations: ReadonlyArray<IConfiguration>;
  /** The key metric (the metric of record), or null. */
  metric: string | null;
  /** `ranked by val_accuracy (higher is better)…`: the heading's tooltip. */
  rankedBy: string | null;
  /** The parameters shown as columns (those that vary). */
  params: ReadonlyArray<string>;
  /** The order by mean. */
  order: SortOrder;
  /** Sort by mean the other way. */
  onSort: () => void;
  /** Whether a configuration shows its runs. */
  isExpanded: (id: number) => boolean;
  /** Show or hide a configuration's runs. */
  onToggle: (id: number) => void;
  /** Open a run. */
  onOpen: (id: number) => void;
  /** The other metrics, each a column of mean ± 95 % interval (none by default). */
  metrics?: ReadonlyArray<string>;
  /** An opened group's runs with their values (listed by id and seed without). */
  runsOf?: (id: number) => IGroupRuns | undefined;
  /** What a row is: `configuration` (repeats grouped) or `group` (by parameters). */
  noun?: string;
}

/** Widths of the fixed columns, in pixels. */
const WIDTH = {
  toggle: 32,
  id: 64,
  n: 44,
  mean: 150,
  verdict: 190,
  param: 104,
  metric: 150
};

/** A run of an opened group: its id, its key metric, its parameters and other metrics. */
function RunRow(props: {
  row: IExperimentTableRow;
  metric: string | null;
  params: ReadonlyArray<string>;
  metrics: ReadonlyArray<string>;
  exponents: ReadonlySet<string>;
  onOpen: (id: number) => void;
}): JSX.Element {
  const { row } = props;
  const value = (name: string | null) => {
    const found = name === null ? undefined : row.metrics[name];
    return typeof found === 'number' ? formatMetric(found) : '–';
  };
  return (
    <tr
      data-run-id={row.id}
      className="jp-nbjournal-ConfigurationsTable-run"
      onClick={() => props.onOpen(row.id)}
    >
      <td />
      <td>
        <button
          type="button"
          className="jp-nbjournal-Link jp-nbjournal-RunItem-id"
          title={`Open run #${row.id}`}
          onClick={event => {
            event.stopPropagation();
            props.onOpen(row.id);
          }}
        >
          #{row.id}
        </button>
      </td>
      <td />
      <td
        className="jp-nbjournal-Number jp-nbjournal-KeyMetric"
        data-column="mean"
      >
        {value(props.metric)}
      </td>
      <td className="jp-nbjournal-Muted">{row.verdict ?? ''}</td>
      {props.params.map(name => (
        <td key={name}>
          {row.params[name] === undefined
            ? '–'
            : formatParam(row.params[name], props.exponents.has(name))}
        </td>
      ))}
      {props.metrics.map(name => (
        <td
          key={name}
          className="jp-nbjournal-Number"
          data-column={`metric.${name}`}
        >
          {value(name)}
        </td>
      ))}
    </tr>
  );
}

/**
 * An experiment's runs grouped into configurations (alike but for the seed):
 * a row per configuration with its n, the key metric's mean ± the 95 %
 * interval of the mean, and the comparison rule's verdict against the best;
 * a row opens into its runs, and a run opens as in the runs table.
 */
export function ConfigurationsTable(
  props: IConfigurationsTableProps
): JSX.Element {
  const { configurations, metric, params } = props;
  const others = props.metrics ?? [];
  const noun = props.noun ?? 'configuration';
  const columns = 5 + params.length + others.length;
  const width =
    WIDTH.toggle +
    WIDTH.id +
    WIDTH.n +
    WIDTH.mean +
    WIDTH.verdict +
    params.length * WIDTH.param +
    others.length * WIDTH.metric;
  // one notation per column: `3e-5` never beside `0.001`
  const exponents = new Set(
    params.filter(name => inExponents(configurations.map(c => c.params[name])))
  );
  const rows: JSX.Element[] = [];
  for (const configuration of configurations) {
    const expanded = props.isExpanded(configuration.id);
    const spread = spreadOf(configuration, metric);
    const verdict = verdictLabel(configuration.verdict);
    const toggle = () => props.onToggle(configuration.id);
    rows.push(
      <tr
        key={`c${configuration.id}`}
        data-configuration-id={configuration.id}
        aria-expanded={expanded}
        className="jp-nbjournal-ConfigurationsTable-group"
        onClick={toggle}
      >
        <td className="jp-nbjournal-RunsTable-select">
          <button
            type="button"
            className="jp-nbjournal-ConfigurationsTable-toggle"
            aria-label={`${expanded ? 'Hide' : 'Show'} the runs of ${noun} #${configuration.id}`}
            title={`${expanded ? 'Hide' : 'Show'} its ${configuration.n} runs`}
            onClick={event => {
              event.stopPropagation();
              toggle();
            }}
          >
            {expanded ? '▾' : '▸'}
          </button>
        </td>
        <td title={`${noun} #${configuration.id} (its first run)`}>
          #{configuration.id}
        </td>
        <td className="jp-nbjournal-Number" data-column="n">
          {configuration.n}
        </td>
        <td
          className="jp-nbjournal-Number jp-nbjournal-KeyMetric"
          data-column="mean"
          title={meanTitle(spread)}
        >
          {meanText(spread)}
        </td>
        <td data-column="verdict" title={verdict.title}>
          <NoiseVerdictBadge text={verdict.text} kind={verdict.kind} />
        </td>
        {params.map(name => {
          const value = configuration.params[name];
          return (
            <td
              key={name}
              title={value === undefined ? undefined : String(value)}
            >
              {value === undefined
                ? '–'
                : formatParam(value, exponents.has(name))}
            </td>
          );
        })}
        {others.map(name => {
          const other = spreadOf(configuration, name);
          return (
            <td
              key={name}
              className="jp-nbjournal-Number"
              data-column={`metric.${name}`}
              title={meanTitle(other)}
            >
              {meanText(other)}
            </td>
          );
        })}
      </tr>
    );
    const opened = expanded ? props.runsOf?.(configuration.id) : undefined;
    if (opened?.error) {
      rows.push(
        <tr key={`e${configuration.id}`}>
          <td />
          <td colSpan={columns - 1} className="jp-nbjournal-Error" role="alert">
            Its runs cannot be read: {opened.error}
          </td>
        </tr>
      );
    } else if (opened?.rows && opened.rows.length > 0) {
      for (const row of opened.rows) {
        rows.push(
          <RunRow
            key={`r${row.id}`}
            row={row}
            metric={metric}
            params={params}
            metrics={others}
            exponents={exponents}
            onOpen={props.onOpen}
          />
        );
      }
      const more = configuration.n - opened.rows.length;
      if (more > 0) {
        rows.push(
          <tr key={`m${configuration.id}`} className="jp-nbjournal-Muted">
            <td />
            <td colSpan={columns - 1}>
              the best {opened.rows.length} of its {configuration.n} runs
            </td>
          </tr>
        );
      }
    } else if (expanded) {
      configuration.runs.forEach((id, index) => {
        const seed = configuration.seeds[index];
        rows.push(
          <tr
            key={`r${id}`}
            data-run-id={id}
            className="jp-nbjournal-ConfigurationsTable-run"
            onClick={() => props.onOpen(id)}
          >
            <td />
            <td>
              <button
                type="button"
                className="jp-nbjournal-Link jp-nbjournal-RunItem-id"
                title={`Open run #${id}`}
                onClick={event => {
                  event.stopPropagation();
                  props.onOpen(id);
                }}
              >
                #{id}
              </button>
            </td>
            <td colSpan={columns - 2} className="jp-nbjournal-Muted">
              {seed === null || seed === undefined
                ? 'no seed'
                : `seed ${formatParam(seed)}`}
            </td>
          </tr>
        );
      });
    }
  }
  const sortTitle = `Mean ± 95 % interval of the mean; sort by the mean of ${metric ?? 'the key metric'}${
    props.rankedBy ? ` (${props.rankedBy})` : ''
  }`;
  return (
    <div className="jp-nbjournal-RunsTable jp-nbjournal-ConfigurationsTable">
      <table
        className="jp-nbjournal-Table jp-nbjournal-RunsTable-table"
        aria-label={noun === 'configuration' ? 'Configurations' : 'Groups'}
        style={{ width }}
      >
        <colgroup>
          <col style={{ width: WIDTH.toggle }} />
          <col style={{ width: WIDTH.id }} />
          <col style={{ width: WIDTH.n }} />
          <col style={{ width: WIDTH.mean }} />
          <col style={{ width: WIDTH.verdict }} />
          {params.map(name => (
            <col key={name} style={{ width: WIDTH.param }} />
          ))}
          {others.map(name => (
            <col key={`m-${name}`} style={{ width: WIDTH.metric }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            <th scope="col">
              <span className="jp-nbjournal-VisuallyHidden">runs</span>
            </th>
            <th scope="col" title={`${noun} (its first run)`}>
              {noun === 'configuration' ? 'config' : noun}
            </th>
            <th
              scope="col"
              className="jp-nbjournal-Number"
              title="How many runs (repeats)"
            >
              n
            </th>
            <th
              scope="col"
              data-column="mean"
              className="jp-nbjournal-Number jp-nbjournal-KeyMetric"
              aria-sort={props.order === 'asc' ? 'ascending' : 'descending'}
            >
              <button
                type="button"
                className="jp-nbjournal-RunsTable-sort"
                title={sortTitle}
                onClick={props.onSort}
              >
                <span className="jp-nbjournal-RunsTable-label">
                  {metric ?? 'mean'}
                </span>
                <span className="jp-nbjournal-RunsTable-arrow">
                  {props.order === 'asc' ? '▲' : '▼'}
                </span>
              </button>
            </th>
            <th
              scope="col"
              title="The comparison rule's verdict against the best configuration"
            >
              vs best
            </th>
            {params.map(name => (
              <th key={name} scope="col" title={name}>
                {name}
              </th>
            ))}
            {others.map(name => (
              <th
                key={`m-${name}`}
                scope="col"
                className="jp-nbjournal-Number"
                data-column={`metric.${name}`}
                title={`${name}: mean ± 95 % interval of the mean`}
              >
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{rows}</tbody>
      </table>
    </div>
  );
}

import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React from 'react';

import {
  absoluteTime,
  formatMetric,
  formatShare,
  formatSpread,
  inExponents,
  formatParam,
  relativeTime
} from '../formatters';
import {
  DEFAULT_INSIGHT_COLORS,
  effectSpec,
  IInsightColors,
  importanceSpec
} from '../charts/insightsCharts';
import { IChart } from '../charts/runCharts';
import { Curves } from './Curves';
import { FewItems, FEW_ITEMS, FEW_RUNS, RunLinks } from './FewLinks';
import { combination } from './GridItem';
import {
  IConclusion,
  IInsightRow,
  IInsights,
  ILeftOut
} from '../api/analysisPayloads';

/** Props of {@link InsightsView}. */
export interface IInsightsViewProps {
  /** The insights, null while they load. */
  insights: IInsights | null;
  /** Why they could not be read, or null. */
  error?: string | null;
  /** JupyterLab's renderers (Vega-Lite). */
  rendermime: IRenderMimeRegistry;
  /** The theme's name; charts follow it. */
  theme: string;
  /** The theme's colours for the charts. */
  colors?: IInsightColors;
  /** The current time, in seconds since the epoch. */
  now: number;
  /** Open a run. */
  onOpenRun: (id: number) => void;
  /** Ask for the insights; given while nobody has asked yet. */
  onRead?: () => void;
}

const RESERVED = new Set([
  'rank',
  'mean',
  'std',
  'low',
  'high',
  'repeats',
  'vs_best',
  'runs'
]);
const SUGGESTION_FIELDS = new Set(['rank', 'reason', 'expected', 'point']);

/** Half the 95 % interval of a best row's mean (`low`–`high`), or null for one run. */
function halfInterval(row: IInsightRow): number | null {
  return typeof row.low === 'number' && typeof row.high === 'number'
    ? (row.high - row.low) / 2
    : null;
}

/** The parameter columns of rows: every key but the fixed ones, in first-seen order. */
function paramColumns(
  rows: ReadonlyArray<IInsightRow>,
  skip: ReadonlySet<string>
): string[] {
  const names: string[] = [];
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!skip.has(key) && !names.includes(key)) {
        names.push(key);
      }
    }
  }
  return names;
}

/** Conclusions by group, newest group first (the server's order kept). */
/** Run ids named before "and N more". */
const LEFT_OUT_SHOWN = 8;

/**
 * `left out: #3, #4 (grid #1) have no test_accuracy; ranked by test_accuracy
 * (the cell's result); val_accuracy counts every run`: which runs the metric
 * of record could not count, and which metric would (as the notebook says it).
 */
export function leftOutText(detail: ILeftOut): string {
  const shown = detail.runs.slice(0, LEFT_OUT_SHOWN).map(id => `#${id}`);
  const more = detail.runs.length - shown.length;
  const grids = detail.grids.length
    ? ` (grid${detail.grids.length > 1 ? 's' : ''} ${detail.grids.map(g => `#${g}`).join(', ')})`
    : '';
  const runs = shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
  const instead = detail.instead
    ? `${detail.instead} counts every run`
    : 'no metric is common to every run';
  return (
    `left out: ${runs}${grids} ${detail.runs.length === 1 ? 'has' : 'have'} ` +
    `no ${detail.metric}; ranked by ${detail.metric} (${detail.source}); ${instead}`
  );
}

export function groupConclusions(
  conclusions: ReadonlyArray<IConclusion>
): Array<[string, IConclusion[]]> {
  const groups = new Map<string, IConclusion[]>();
  for (const item of conclusions) {
    const list = groups.get(item.group) ?? [];
    list.push(item);
    groups.set(item.group, list);
  }
  for (const list of groups.values()) {
    list.sort((a, b) => b.created - a.created);
  }
  return Array.from(groups.entries());
}

/**
 * One recorded conclusion: its verdict, its run (or `grid #N` for an
 * inference on a grid as a whole), text and age.
 */
function Conclusion(props: {
  item: IConclusion;
  now: number;
  onOpenRun: (id: number) => void;
}): JSX.Element {
  const { item } = props;
  return (
    <dd>
      <span
        className={`jp-nbjournal-Badge jp-nbjournal-verdict-${item.verdict ?? 'noted'}`}
      >
        {item.verdict ?? 'noted'}
      </span>{' '}
      {item.grid_id !== null && item.grid_id !== undefined ? (
        <span className="jp-nbjournal-ConclusionOn">grid #{item.grid_id}</span>
      ) : (
        item.run_id !== null && (
          <RunLinks ids={[item.run_id]} onOpenRun={props.onOpenRun} />
        )
      )}{' '}
      <span className="jp-nbjournal-ConclusionText">{item.text}</span>{' '}
      <span className="jp-nbjournal-Muted" title={absoluteTime(item.created)}>
        {relativeTime(item.created, props.now)}
      </span>
    </dd>
  );
}

/**
 * An experiment's insights: the verdict (or "too few runs to tell"), what
 * mattered with its uncertainty, the effect of each top parameter, the best
 * configurations, the points worth trying next, and the conclusions already
 * recorded (repeated ones on top). All user text is shown as text.
 */
export function InsightsView(props: IInsightsViewProps): JSX.Element {
  const { insights } = props;
  if (props.error) {
    return (
      <div className="jp-nbjournal-Error" role="alert">
        {props.error}
      </div>
    );
  }
  if (!insights && props.onRead) {
    return (
      <p className="jp-nbjournal-InsightsAsk">
        <button
          type="button"
          className="jp-nbjournal-Button"
          onClick={props.onRead}
        >
          Show insights
        </button>{' '}
        <span className="jp-nbjournal-Muted">
          which parameters mattered, their effects, the best configurations,
          what to try next and the conclusions recorded
        </span>
      </p>
    );
  }
  if (!insights) {
    return <p className="jp-nbjournal-Muted">Reading the insights…</p>;
  }
  const colors = props.colors ?? DEFAULT_INSIGHT_COLORS;
  const importance = importanceSpec(insights, colors);
  const effects = insights.top
    .map(param => effectSpec(insights, param, colors))
    .filter((c): c is IChart => c !== null);
  const bestColumns = paramColumns(insights.best, RESERVED);
  // one notation per column: `3e-5` never beside `0.001`
  const exponents = new Set(
    bestColumns.filter(name => inExponents(insights.best.map(row => row[name])))
  );
  const metric = insights.metric ?? 'metric';
  const groups = groupConclusions(insights.conclusions);

  return (
    <div className="jp-nbjournal-Insights" aria-label="Insights">
      <p
        className={
          'jp-nbjournal-InsightsVerdict' +
          (insights.ranked ? '' : ' jp-mod-unranked')
        }
        role="status"
      >
        {insights.ranked
          ? insights.verdict
          : insights.verdict || 'too few runs to tell'}
      </p>
      <p className="jp-nbjournal-Muted jp-nbjournal-InsightsScope">
        {insights.runs} finished run{insights.runs === 1 ? '' : 's'} with{' '}
        {metric} ({insights.goal === 'min' ? 'lower' : 'higher'} is better)
        {insights.left_out ? `, ${insights.left_out} left out` : ''}
        {insights.same_data ? ', every experiment on the same data' : ''}
      </p>
      {insights.left_out_detail && (
        <p className="jp-nbjournal-Muted jp-nbjournal-InsightsLeftOut">
          {leftOutText(insights.left_out_detail)}
        </p>
      )}

      {importance && (
        <div className="jp-nbjournal-InsightsBlock" data-block="importances">
          <h3 className="jp-nbjournal-InsightsHeading">What mattered</h3>
          <Curves
            charts={[importance]}
            rendermime={props.rendermime}
            theme={props.theme}
            empty=""
          />
          <ul className="jp-nbjournal-Importances" aria-label="Importances">
            {insights.importances.map(item => (
              <li
                key={item.param}
                className={item.matters ? '' : 'jp-nbjournal-Muted'}
              >
                <code>{item.param}</code> {formatShare(item.importance)} (
                {formatShare(item.low)} – {formatShare(item.high)})
                {item.matters ? '' : ' — did not matter'}
              </li>
            ))}
          </ul>
        </div>
      )}

      {effects.length > 0 && (
        <div className="jp-nbjournal-InsightsBlock" data-block="effects">
          <h3 className="jp-nbjournal-InsightsHeading">
            Effects{' '}
            <span className="jp-nbjournal-Muted">
              runs as points, the mean ± std as a line and band
            </span>
          </h3>
          <Curves
            charts={effects}
            rendermime={props.rendermime}
            theme={props.theme}
            empty=""
          />
        </div>
      )}

      <div className="jp-nbjournal-InsightsBlock" data-block="best">
        <h3 className="jp-nbjournal-InsightsHeading">Best configurations</h3>
        {insights.best.length === 0 ? (
          <p className="jp-nbjournal-Muted">No finished run yet.</p>
        ) : (
          <table
            className="jp-nbjournal-Table jp-nbjournal-InsightsTable"
            aria-label="Best configurations"
          >
            <thead>
              <tr>
                <th scope="col">#</th>
                {bestColumns.map(name => (
                  <th key={name} scope="col">
                    {name}
                  </th>
                ))}
                <th
                  scope="col"
                  className="jp-nbjournal-Number"
                  title="mean ± half its 95 % interval over the repeats"
                >
                  {metric}
                </th>
                <th scope="col">vs best</th>
                <th scope="col">runs</th>
              </tr>
            </thead>
            <tbody>
              {insights.best.map(row => (
                <tr key={row.rank}>
                  <td>{row.rank}</td>
                  {bestColumns.map(name => (
                    <td key={name} className="jp-nbjournal-Number">
                      {formatParam(row[name], exponents.has(name))}
                    </td>
                  ))}
                  <td className="jp-nbjournal-Number">
                    {formatSpread(row.mean as number | null, halfInterval(row))}
                  </td>
                  <td>{typeof row.vs_best === 'string' ? row.vs_best : ''}</td>
                  <td>
                    <RunLinks
                      ids={(row.runs as number[]) ?? []}
                      onOpenRun={props.onOpenRun}
                      few={FEW_RUNS}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>

      <div className="jp-nbjournal-InsightsBlock" data-block="suggestions">
        <h3 className="jp-nbjournal-InsightsHeading">Worth trying next</h3>
        {insights.suggestions.length === 0 ? (
          <p className="jp-nbjournal-Muted">No suggestion.</p>
        ) : (
          <table
            className="jp-nbjournal-Table jp-nbjournal-InsightsTable"
            aria-label="Suggestions"
          >
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">point</th>
                <th scope="col">why</th>
                <th scope="col" className="jp-nbjournal-Number">
                  expected
                </th>
              </tr>
            </thead>
            <tbody>
              {insights.suggestions.map(row => {
                const point =
                  (row.point as { [name: string]: unknown }) ??
                  Object.fromEntries(
                    paramColumns([row], SUGGESTION_FIELDS).map(n => [n, row[n]])
                  );
                return (
                  <tr key={row.rank}>
                    <td>{row.rank}</td>
                    <td>
                      <code>{combination(point)}</code>
                    </td>
                    <td className="jp-nbjournal-InsightsReason">
                      {String(row.reason ?? '')}
                    </td>
                    <td className="jp-nbjournal-Number">
                      {typeof row.expected === 'number'
                        ? formatMetric(row.expected)
                        : '–'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>

      <div className="jp-nbjournal-InsightsBlock" data-block="conclusions">
        <h3 className="jp-nbjournal-InsightsHeading">Conclusions</h3>
        {insights.repeated.length > 0 && (
          <ul className="jp-nbjournal-Warnings" aria-label="Repeated">
            <FewItems
              items={insights.repeated}
              noun="repeated verdicts"
              wrap="li"
              render={(sentence, index) => (
                <li key={index} className="jp-nbjournal-Warning">
                  {sentence}
                </li>
              )}
            />
          </ul>
        )}
        {groups.length === 0 ? (
          <p className="jp-nbjournal-Muted">No conclusion recorded yet.</p>
        ) : (
          <dl className="jp-nbjournal-Conclusions" aria-label="Conclusions">
            <FewItems
              items={groups}
              noun="groups"
              render={([group, items]) => (
                <React.Fragment key={group}>
                  <dt>
                    <code>{group}</code>
                    {items.length > FEW_ITEMS && (
                      <span className="jp-nbjournal-Muted">
                        {' '}
                        {items.length.toLocaleString('en-US')} conclusions
                      </span>
                    )}
                  </dt>
                  <FewItems
                    items={items}
                    noun="conclusions"
                    render={item => (
                      <Conclusion
                        key={`${item.grid_id ?? ''}-${item.run_id ?? ''}-${item.created}`}
                        item={item}
                        now={props.now}
                        onOpenRun={props.onOpenRun}
                      />
                    )}
                  />
                </React.Fragment>
              )}
            />
          </dl>
        )}
      </div>
    </div>
  );
}

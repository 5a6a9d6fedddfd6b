import React, { useEffect, useRef, useState } from 'react';

import { IExperimentTableRow } from '../api/experimentPayloads';
import { ExperimentTableModel } from '../experimentModel';
import { brushesOf, passes, withBrush, withoutBrushes } from '../brush';
import { verdictLabel, VerdictColors } from '../charts/experimentCharts';
import {
  brushOfSpan,
  IParallelAxis,
  parallelAxes,
  spanOfBrush,
  valueOn
} from '../charts/parallel';

/** Props of {@link ParallelCoordinates}. */
export interface IParallelCoordinatesProps {
  /** The runs the axes are drawn from: the query's, without its brushes. */
  rows: ReadonlyArray<IExperimentTableRow>;
  /** The independent parameters (mirrors left out). */
  params: ReadonlyArray<string>;
  /** The key metric, or null. */
  metric: string | null;
  /** The page's query: its terms on the axes are the brushes drawn. */
  query: string;
  /** Set the page's query (a brush dragged, or cleared by a click). */
  onQuery: (query: string) => void;
  /** The verdicts' colours, from the theme. */
  colors: VerdictColors;
  /** Open a run (a line clicked). */
  onOpenRun?: (id: number) => void;
}

/** The space above the axes (their titles) and below them. */
const TOP = 40;
const BOTTOM = 14;
/** Room left of the first axis and right of the last (its tick labels). */
const LEFT = 14;
const RIGHT = 96;
const HEIGHT = 260;
/** How wide the strip is that takes a drag on an axis. */
const GRAB = 28;
/** A drag shorter than this (px) is a click: it clears the axis' brush. */
const CLICK = 3;
/** About how wide a character of the labels is (px), to cut labels to their room. */
const CHAR = 6.2;

/** `text` cut to `room` pixels, with an ellipsis. */
function fit(text: string, room: number): string {
  const most = Math.max(3, Math.floor(room / CHAR));
  return text.length > most ? `${text.slice(0, most - 1)}…` : text;
}

/** The width of the element, followed as it resizes (the page's width). */
function useWidth(fallback: number): [React.RefObject<HTMLDivElement>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const node = ref.current;
    if (!node || typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(() => {
      if (node.clientWidth > 0) {
        setWidth(node.clientWidth);
      }
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** One run's line through its values (broken where it lacks one). */
function linePath(
  row: IExperimentTableRow,
  axes: ReadonlyArray<IParallelAxis>,
  x: (i: number) => number,
  y: (p: number) => number
): string {
  let path = '';
  let pen = false;
  axes.forEach((axis, i) => {
    const p = axis.position(valueOn(row, axis));
    if (p === null) {
      pen = false;
      return;
    }
    path += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(p).toFixed(1)}`;
    pen = true;
  });
  return path;
}

/**
 * Parallel coordinates you can brush: an axis per independent parameter
 * and one for the key metric, a line per run coloured by verdict. Dragging
 * along an axis keeps the runs inside the span: the page's query gains the
 * equivalent terms (`lr>=0.001 lr<=0.01`), so the table and the other
 * charts follow; a click on an axis clears its brush. Runs outside every
 * brush stay drawn, faint, on axes that do not move.
 */
export function ParallelCoordinates(
  props: IParallelCoordinatesProps
): JSX.Element | null {
  const [ref, width] = useWidth(800);
  const [drag, setDrag] = useState<{
    axis: number;
    from: number;
    to: number;
  } | null>(null);
  const svg = useRef<SVGSVGElement>(null);
  const axes = parallelAxes(props.rows, props.params, props.metric);
  if (axes.length < 2 || props.rows.length === 0) {
    return null;
  }
  const names = axes.map(a => a.name);
  const brushes = brushesOf(props.query, names);
  const inner = Math.max(120, width - LEFT - RIGHT);
  const step = inner / (axes.length - 1);
  const x = (i: number) => LEFT + i * step;
  const y = (p: number) => TOP + (1 - p) * (HEIGHT - TOP - BOTTOM);
  const positionAt = (clientY: number): number => {
    const top = svg.current?.getBoundingClientRect().top ?? 0;
    return Math.min(
      1,
      Math.max(0, 1 - (clientY - top - TOP) / (HEIGHT - TOP - BOTTOM))
    );
  };
  const kept = (row: IExperimentTableRow): boolean =>
    axes.every(axis => {
      const brush = brushes.get(axis.name);
      return !brush || passes(valueOn(row, axis), brush);
    });
  const color = new Map(props.colors);
  const inside = props.rows.filter(kept);
  const outside = brushes.size ? props.rows.filter(r => !kept(r)) : [];
  const startDrag = (index: number, event: React.MouseEvent) => {
    event.preventDefault();
    const from = positionAt(event.clientY);
    let span = { axis: index, from, to: from };
    let moved = false;
    const startY = event.clientY;
    const move = (e: MouseEvent) => {
      moved = moved || Math.abs(e.clientY - startY) >= CLICK;
      span = { ...span, to: positionAt(e.clientY) };
      setDrag(span);
    };
    const up = () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
      setDrag(null);
      const axis = axes[index];
      const brush = moved ? brushOfSpan(axis, span.from, span.to) : null;
      props.onQuery(withBrush(props.query, axis.name, brush));
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  };
  const opacity = inside.length > 300 ? 0.3 : 0.7;
  return (
    <div
      ref={ref}
      className="jp-nbjournal-Parallel"
      data-chart="parallel coordinates"
    >
      <svg
        ref={svg}
        width={width}
        height={HEIGHT}
        role="img"
        aria-label={`Parallel coordinates of ${props.rows.length} runs over ${names.join(', ')}; drag along an axis to filter`}
      >
        <g className="jp-nbjournal-Parallel-faded">
          {outside.map(row => (
            <path key={row.id} d={linePath(row, axes, x, y)} />
          ))}
        </g>
        <g className="jp-nbjournal-Parallel-lines" opacity={opacity}>
          {inside.map(row => (
            <path
              key={row.id}
              data-run-id={row.id}
              d={linePath(row, axes, x, y)}
              stroke={color.get(verdictLabel(row))}
              onClick={() => props.onOpenRun?.(row.id)}
            >
              <title>{`#${row.id} · ${verdictLabel(row)}`}</title>
            </path>
          ))}
        </g>
        {axes.map((axis, i) => {
          const brush = brushes.get(axis.name);
          const span =
            drag?.axis === i
              ? ([
                  Math.min(drag.from, drag.to),
                  Math.max(drag.from, drag.to)
                ] as const)
              : brush
                ? spanOfBrush(axis, brush)
                : null;
          const room = i === axes.length - 1 ? RIGHT - 8 : step - 10;
          return (
            <g
              key={axis.name}
              className="jp-nbjournal-Parallel-axis"
              data-axis={axis.name}
              data-brushed={brush ? 'true' : undefined}
            >
              <line x1={x(i)} x2={x(i)} y1={y(1)} y2={y(0)} />
              <text
                className="jp-nbjournal-Parallel-title"
                x={x(i)}
                y={TOP - 22}
                textAnchor={
                  i === 0 ? 'start' : i === axes.length - 1 ? 'end' : 'middle'
                }
              >
                <title>{axis.name}</title>
                {fit(
                  axis.name,
                  i === 0 || i === axes.length - 1 ? step / 2 + 40 : step - 12
                )}
              </text>
              {axis.ticks.map(tick => (
                <text
                  key={tick.label}
                  className="jp-nbjournal-Parallel-tick"
                  x={x(i) + 5}
                  y={y(tick.position)}
                  dominantBaseline="middle"
                >
                  {fit(tick.label, room)}
                </text>
              ))}
              {span && (
                <rect
                  className="jp-nbjournal-Parallel-brush"
                  x={x(i) - 6}
                  width={12}
                  y={y(span[1])}
                  height={Math.max(2, y(span[0]) - y(span[1]))}
                />
              )}
              <rect
                className="jp-nbjournal-Parallel-grab"
                x={x(i) - GRAB / 2}
                width={GRAB}
                y={y(1) - 4}
                height={y(0) - y(1) + 8}
                onMouseDown={event => startDrag(i, event)}
              >
                <title>
                  {brush
                    ? `Drag along ${axis.name} to brush again; click to clear its brush`
                    : `Drag along ${axis.name} to keep the runs inside`}
                </title>
              </rect>
            </g>
          );
        })}
      </svg>
      <p className="jp-nbjournal-Muted jp-nbjournal-Parallel-note">
        {brushes.size
          ? `${inside.length.toLocaleString('en-US')} of ${props.rows.length.toLocaleString('en-US')} runs drawn inside the brushes · click an axis to clear its brush`
          : 'Drag along an axis to filter the runs (the query shows the terms)'}
      </p>
    </div>
  );
}

/** The query the chart draws its axes from: the page's, without its brushes. */
export function axesQuery(
  query: string,
  params: ReadonlyArray<string>,
  metric: string | null
): string {
  return withoutBrushes(query, metric ? [...params, metric] : [...params]);
}

/** Props of {@link PageParallel}. */
export interface IPageParallelProps extends Omit<
  IParallelCoordinatesProps,
  'rows' | 'query' | 'onQuery'
> {
  /** The page's state: its query, its charts' runs. */
  table: ExperimentTableModel;
}

/**
 * The page's parallel coordinates: the runs of the query without its
 * brushes (read once per such query), brushed by the query's terms.
 */
export function PageParallel(props: IPageParallelProps): JSX.Element | null {
  const { table, ...rest } = props;
  const base = axesQuery(table.query, props.params, props.metric);
  const same = base.trim() === table.query.trim();
  const [read, setRead] = useState<{
    query: string;
    rows: ReadonlyArray<IExperimentTableRow>;
  } | null>(null);
  useEffect(() => {
    if (same || read?.query === base) {
      return;
    }
    let live = true;
    table
      .chartRowsOf(base)
      .then(rows => live && setRead({ query: base, rows }))
      .catch(() => undefined); // the table shows the query's error
    return () => {
      live = false;
    };
  }, [base, same]);
  const rows = same ? table.chartRows : (read?.rows ?? table.chartRows);
  return (
    <ParallelCoordinates
      {...rest}
      rows={rows}
      query={table.query}
      onQuery={query => void table.setQuery(query).catch(() => undefined)}
    />
  );
}

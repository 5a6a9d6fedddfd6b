/**
 * Pure formatting helpers: no DOM, no JupyterLab, no clock of their own (the
 * current time is always an argument), so the unit tests pin every case.
 */

import { IRunSummary, ParamValue } from './api/runPayloads';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Two digits, zero-padded. */
function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/**
 * How long ago `time` was, seen at `now` (both in seconds since the epoch),
 * short enough for a narrow sidebar: `just now`, `42s ago`, `3m ago`,
 * `5h ago`, `yesterday`, `4d ago`, then the local date (`2025-03-14`). A time
 * in the future (clock skew between the kernel's machine and this browser)
 * reads as `just now`.
 */
export function relativeTime(time: number, now: number): string {
  const elapsed = now - time;
  if (elapsed < 10) {
    return 'just now';
  }
  if (elapsed < MINUTE) {
    return `${Math.floor(elapsed)}s ago`;
  }
  if (elapsed < HOUR) {
    return `${Math.floor(elapsed / MINUTE)}m ago`;
  }
  if (elapsed < DAY) {
    return `${Math.floor(elapsed / HOUR)}h ago`;
  }
  if (elapsed < 2 * DAY) {
    return 'yesterday';
  }
  if (elapsed < 7 * DAY) {
    return `${Math.floor(elapsed / DAY)}d ago`;
  }
  return localDate(time);
}

/** `2025-03-14`, in the browser's time zone. */
export function localDate(time: number): string {
  const date = new Date(time * 1000);
  return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`;
}

/** `2025-03-14 09:26:53`, in the browser's time zone. */
export function absoluteTime(time: number): string {
  const date = new Date(time * 1000);
  return (
    `${localDate(time)} ${pad2(date.getHours())}:` +
    `${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`
  );
}

/** A duration in seconds: `0.4 s`, `12 s`, `3 min 04 s`, `2 h 05 min`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !isFinite(seconds)) {
    return '–';
  }
  if (seconds < 0) {
    seconds = 0;
  }
  if (seconds < 10) {
    return `${(Math.round(seconds * 10) / 10).toFixed(1)} s`;
  }
  if (seconds < MINUTE) {
    return `${Math.round(seconds)} s`;
  }
  if (seconds < HOUR) {
    const whole = Math.round(seconds);
    return `${Math.floor(whole / MINUTE)} min ${pad2(whole % MINUTE)} s`;
  }
  const minutes = Math.round(seconds / MINUTE);
  return `${Math.floor(minutes / 60)} h ${pad2(minutes % 60)} min`;
}

/**
 * A number as people read it, by the one rule of `nbjournal/rules/format.py`
 * (both are tested against `src/__tests__/cases/number_format.json`): whole
 * numbers as they are (`64`, `12,345` with separators from 10,000), others at
 * about four significant digits (`0.9723`, `0.0834`, `12.35`, `1235`), very
 * small or very big ones in exponent form (`4.385e-5`, `1.235e7`); missing
 * or not-a-number values read `–`. The stored value stays exact (views put it
 * in a tooltip).
 */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !isFinite(value)) {
    return '–';
  }
  if (value === 0) {
    return '0';
  }
  if (needsExponent(value)) {
    return exponent(value);
  }
  if (Number.isInteger(value) || Math.abs(value) >= 1000) {
    return whole(Math.round(value));
  }
  return String(Number(value.toPrecision(4)));
}

/** A metric value (see {@link formatNumber}); missing values read `–`. */
export function formatMetric(value: number | null | undefined): string {
  return formatNumber(value);
}

/**
 * A column of numbers in ONE notation: all in exponent form when any of them
 * needs it (`3e-5` never stands beside `0.001`: that column reads `3e-5`,
 * `1e-3`), else each as {@link formatNumber} says it.
 */
export function formatColumn(
  values: ReadonlyArray<number | null | undefined>
): string[] {
  const exponents = inExponents(values);
  return values.map(v => formatInColumn(v, exponents));
}

/** Whether a column holding `values` is written in exponent form (any number in it needs it). */
export function inExponents(values: ReadonlyArray<unknown>): boolean {
  return values.some(
    v => typeof v === 'number' && isFinite(v) && needsExponent(v)
  );
}

/** A number of a column whose notation {@link inExponents} chose. */
export function formatInColumn(
  value: number | null | undefined,
  exponents: boolean
): string {
  return exponents &&
    value !== null &&
    value !== undefined &&
    isFinite(value) &&
    value !== 0
    ? exponent(value)
    : formatNumber(value);
}

/**
 * `0.9593 ± 0.0052`: a mean as {@link formatNumber} says it, and its ± to the
 * same decimals (two significant digits where those decimals would show 0);
 * the mean alone without a ±. Repeats that all gave one value read
 * `0.96 (no spread)`, never a certain `± 0` (as `rules/format.py` says it).
 */
export function formatSpread(
  mean: number | null | undefined,
  half: number | null | undefined
): string {
  if (half === null || half === undefined) {
    return formatNumber(mean);
  }
  if (noSpread(mean, half)) {
    return `${formatNumber(mean)} (no spread)`;
  }
  return `${formatNumber(mean)} ± ${formatHalfWidth(mean, half)}`;
}

/** The ± of `mean` alone (`0.0052` beside `0.9593`), as {@link formatSpread} says it. */
export function formatHalfWidth(
  mean: number | null | undefined,
  half: number
): string {
  if (
    mean === null ||
    mean === undefined ||
    !isFinite(mean) ||
    !isFinite(half) ||
    needsExponent(mean)
  ) {
    return formatNumber(half);
  }
  // the decimals of the mean's ~4 significant digits (trailing zeros count: 21 is 21.00)
  const decimals =
    mean === 0 || Math.abs(mean) >= 1000
      ? 0
      : 3 - Math.floor(Math.log10(Math.abs(mean)));
  const shown = half.toFixed(decimals);
  if (Number(shown) === 0) {
    return noSpread(mean, half)
      ? '0'
      : formatNumber(Number(half.toPrecision(2)));
  }
  return shown;
}

/**
 * Whether a ± of `half` beside `mean` is no spread at all: 0, or float noise
 * (0.38 ± 1.7e-16 from identical repeats).
 */
function noSpread(mean: number | null | undefined, half: number): boolean {
  return (
    typeof mean === 'number' &&
    isFinite(mean) &&
    isFinite(half) &&
    Math.abs(half) <= Math.abs(mean) * 1e-9
  );
}

/**
 * A share of a whole (an importance) as a whole percent: `76%`; `<1%` for a
 * share above 0 that rounds to nothing.
 */
export function formatShare(value: number | null | undefined): string {
  if (value === null || value === undefined || !isFinite(value)) {
    return '–';
  }
  const percent = Math.round(value * 100);
  return percent === 0 && value > 0 ? '<1%' : `${percent}%`;
}

/** Whether `value` is shown in exponent form: below 1e-4, or 1e6 and above when not whole, 1e15 when whole. */
function needsExponent(value: number): boolean {
  const magnitude = Math.abs(value);
  if (magnitude === 0) {
    return false;
  }
  if (Number.isInteger(value)) {
    return magnitude >= 1e15;
  }
  return magnitude < 1e-4 || magnitude >= 1e6;
}

/** `12345` → `12,345` (separators from 10,000 on), `1234` stays. */
function whole(value: number): string {
  const text = String(Math.abs(value));
  const sign = value < 0 ? '-' : '';
  if (Math.abs(value) < 10000) {
    return `${sign}${text}`;
  }
  return `${sign}${text.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

/** `1.2340e-5` → `1.234e-5`, `1.200e+7` → `1.2e7`: four digits, no padding. */
function exponent(value: number): string {
  const [mantissa, power] = value.toExponential(3).split('e');
  const trimmed = mantissa.includes('.')
    ? mantissa.replace(/0+$/, '').replace(/\.$/, '')
    : mantissa;
  return `${trimmed}e${power.replace('+', '')}`;
}

/**
 * A parameter value as a Python user wrote it: `True`, `None`, `0.001`
 * (numbers by {@link formatNumber}: a float32 `0.0010000000474974513` reads
 * `0.001`), `'adam'` stays `adam` (strings unquoted), lists and dicts as
 * Python prints them (`[32, 64]`, `{'a': 1}`), as `rules/format.param` does;
 * `exponents`: the number's column is in exponent form ({@link inExponents}).
 */
export function formatParam(value: unknown, exponents = false): string {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number') {
    return formatInColumn(value, exponents);
  }
  return pythonLiteral(value);
}

/** `value` as Python's `str` of it, numbers at about four significant digits. */
function pythonLiteral(value: unknown): string {
  if (value === null || value === undefined) {
    return 'None';
  }
  if (value === true || value === false) {
    return value ? 'True' : 'False';
  }
  if (typeof value === 'number') {
    return formatNumber(value);
  }
  if (typeof value === 'string') {
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  }
  if (Array.isArray(value)) {
    return `[${value.map(pythonLiteral).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const items = Object.entries(value as { [key: string]: unknown });
    return `{${items.map(([k, v]) => `${pythonLiteral(k)}: ${pythonLiteral(v)}`).join(', ')}}`;
  }
  return String(value);
}

/**
 * A byte count for people, as `rules/format.size` says it: `812 B`,
 * `735.7 kB`, `1.234 MB` (decimal units, about four significant digits).
 */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !isFinite(bytes)) {
    return '–';
  }
  const units: Array<[string, number]> = [
    ['GB', 1e9],
    ['MB', 1e6],
    ['kB', 1e3]
  ];
  for (const [unit, scale] of units) {
    if (bytes >= scale) {
      return `${Number((bytes / scale).toPrecision(4))} ${unit}`;
    }
  }
  return `${bytes} B`;
}

/** The first line of `text` that has something on it, trimmed. */
export function firstLine(text: string | null | undefined): string {
  if (!text) {
    return '';
  }
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed) {
      return trimmed;
    }
  }
  return '';
}

/** A content hash, shortened for a table: `xxh3:9f2c41d0…`. */
export function shortHash(hash: string | null | undefined, length = 8): string {
  if (!hash) {
    return '–';
  }
  const colon = hash.indexOf(':');
  const prefix = colon >= 0 ? hash.slice(0, colon + 1) : '';
  const digest = colon >= 0 ? hash.slice(colon + 1) : hash;
  return digest.length > length ? `${prefix}${digest.slice(0, length)}…` : hash;
}

/** An array shape: `1437 × 64`, or `–`. */
export function formatShape(shape: number[] | null | undefined): string {
  if (!shape || shape.length === 0) {
    return shape && shape.length === 0 ? 'scalar' : '–';
  }
  return shape.join(' × ');
}

/**
 * The key metric of a run, for its line in the list: `[name, value]` with the
 * last value (what the run ended with), or null when it has none.
 */
export function keyMetric(
  run: Pick<IRunSummary, 'key_metric' | 'metrics'>
): [string, string] | null {
  const name = run.key_metric;
  if (!name) {
    return null;
  }
  const summary = run.metrics[name];
  if (!summary) {
    return null;
  }
  const value = summary.last ?? summary.best;
  return [name, formatMetric(value)];
}

/** A word of a magic line, quoted when it holds spaces or quotes. */
function magicWord(word: string): string {
  return /^[^\s'"\\]+$/.test(word)
    ? word
    : `"${word.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * The cell that records a run again: its `%%experiment` line (name, tags, and
 * the hypothesis when the code does not carry it as its leading comment)
 * above its code. The journal keeps the cell's body; this puts back the line
 * that makes it an experiment.
 */
export function experimentCell(
  run: Pick<IRunSummary, 'experiment' | 'tags' | 'hypothesis'> & {
    code: string;
  }
): string {
  const words = ['%%experiment', magicWord(run.experiment)];
  for (const tag of run.tags ?? []) {
    words.push('--tag', magicWord(tag));
  }
  const hypothesis = (run.hypothesis ?? '').trim();
  const first = firstLine(hypothesis);
  if (first && !run.code.includes(first)) {
    words.push('--hypothesis', magicWord(hypothesis.replace(/\s+/g, ' ')));
  }
  const code = run.code.replace(/^\s*\n/, '');
  return `${words.join(' ')}\n${code}`;
}

/** Whether values differ: compared as JSON, so `1` and `1.0` are equal. */
export function valuesDiffer(values: ReadonlyArray<unknown>): boolean {
  if (values.length < 2) {
    return false;
  }
  const first = JSON.stringify(values[0] ?? null);
  return values.some(value => JSON.stringify(value ?? null) !== first);
}

/**
 * The union of parameter names of several runs, in a stable, readable order:
 * alphabetical, so that `optimizer.*` keys stay together.
 */
export function paramNames(
  params: ReadonlyArray<{ [name: string]: ParamValue }>
): string[] {
  const names = new Set<string>();
  for (const one of params) {
    for (const name of Object.keys(one)) {
      names.add(name);
    }
  }
  return Array.from(names).sort((a, b) => a.localeCompare(b));
}

/**
 * Flatten nested objects into `a.b` keys (the environment's `git`, for
 * instance); a list is its compact JSON text (`[64,32]`). The rule of
 * `nbjournal/rules/params.flatten`: both are tested on
 * `src/__tests__/cases/params.json`.
 */
export function flatten(
  value: { [key: string]: unknown },
  prefix = ''
): Array<[string, unknown]> {
  const rows: Array<[string, unknown]> = [];
  for (const [key, inner] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      rows.push(...flatten(inner as { [key: string]: unknown }, name));
    } else if (Array.isArray(inner)) {
      rows.push([name, JSON.stringify(inner)]);
    } else {
      rows.push([name, inner]);
    }
  }
  return rows;
}

/**
 * The family of a metric, so `loss` and `val_loss` share one chart:
 * `val_accuracy` → `accuracy`.
 */
export function metricFamily(name: string): string {
  return name.startsWith('val_') ? name.slice(4) : name;
}

/**
 * A recorded notebook path as JupyterLab opens it: relative to the server's
 * root. Kernels record the absolute path Jupyter Server gives them; a path
 * outside the root cannot be opened (null). Relative paths are kept.
 */
export function notebookInRoot(
  path: string | null | undefined,
  serverRoot: string | null | undefined
): string | null {
  if (!path) {
    return null;
  }
  const normalized = path.replace(/\\/g, '/');
  const absolute =
    normalized.startsWith('/') || /^[A-Za-z]:\//.test(normalized);
  if (!absolute) {
    return normalized.replace(/^\.\//, '');
  }
  if (!serverRoot) {
    return null;
  }
  const root = serverRoot.replace(/\\/g, '/').replace(/\/+$/, '');
  if (root === '') {
    return normalized.replace(/^\/+/, '');
  }
  return normalized.startsWith(`${root}/`)
    ? normalized.slice(root.length + 1)
    : null;
}

/**
 * A Python type for people: the class name, with its top package when that
 * says more (`keras.src.models.sequential.Sequential` → `keras Sequential`).
 */
export function shortType(type: string): string {
  const parts = type.split('.');
  if (parts.length === 1 || parts[0] === 'builtins' || parts[0][0] === '_') {
    return parts[parts.length - 1];
  }
  return `${parts[0]} ${parts[parts.length - 1]}`;
}

/** `3 points not yet written`: points a kernel keeps until the journal answers. */
export function pendingPoints(count: number | null | undefined): string {
  if (!count || count <= 0) {
    return '';
  }
  return `${count} point${count === 1 ? '' : 's'} not yet written`;
}

/**
 * A unified diff of two runs' code, as `diff -u` prints it: hunks of changed
 * lines with three lines of context. Pure, so the compare view stays thin.
 * Lines are matched by a longest common subsequence after the common head
 * and tail are set aside (a cell edited in one place costs little).
 */

/** One line of a unified diff. */
export interface IDiffLine {
  /** `hunk` heads a hunk (`@@ -3,4 +3,5 @@`); the others are lines of code. */
  kind: 'hunk' | 'context' | 'added' | 'removed';
  text: string;
}

/** Lines compared at most (each side, past the common head and tail). */
export const MAX_DIFF_LINES = 2000;

type Op = ['=' | '-' | '+', string];

/** The edit script from `a` to `b` (lines), by longest common subsequence. */
function editScript(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) {
    head++;
  }
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const middle: Op[] =
    x.length > MAX_DIFF_LINES || y.length > MAX_DIFF_LINES
      ? [
          ...x.map(line => ['-', line] as Op),
          ...y.map(line => ['+', line] as Op)
        ]
      : lcsScript(x, y);
  return [
    ...a.slice(0, head).map(line => ['=', line] as Op),
    ...middle,
    ...a.slice(a.length - tail).map(line => ['=', line] as Op)
  ];
}

function lcsScript(x: string[], y: string[]): Op[] {
  const n = x.length;
  const m = y.length;
  // lengths[i * (m + 1) + j]: the LCS of x[i:] and y[j:]
  const lengths = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * (m + 1) + j] =
        x[i] === y[j]
          ? lengths[(i + 1) * (m + 1) + j + 1] + 1
          : Math.max(
              lengths[(i + 1) * (m + 1) + j],
              lengths[i * (m + 1) + j + 1]
            );
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      ops.push(['=', x[i++]]);
      j++;
    } else if (lengths[(i + 1) * (m + 1) + j] >= lengths[i * (m + 1) + j + 1]) {
      ops.push(['-', x[i++]]);
    } else {
      ops.push(['+', y[j++]]);
    }
  }
  while (i < n) {
    ops.push(['-', x[i++]]);
  }
  while (j < m) {
    ops.push(['+', y[j++]]);
  }
  return ops;
}

/** `3,4` as a hunk header says a range (`3` for one line, `2,0` for none). */
function range(start: number, count: number): string {
  return count === 1 ? String(start) : `${start},${count}`;
}

/** The lines of `text`, without the empty one after a final newline. */
function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines;
}

/**
 * The unified diff from `a` to `b`: hunks with `context` lines around each
 * change; no line at all when the two are the same.
 */
export function unifiedDiff(a: string, b: string, context = 3): IDiffLine[] {
  const ops = editScript(linesOf(a), linesOf(b));
  const changed = ops
    .map((op, index) => (op[0] === '=' ? -1 : index))
    .filter(index => index >= 0);
  if (changed.length === 0) {
    return [];
  }
  // group changes whose contexts touch into one hunk
  const hunks: Array<[number, number]> = [];
  for (const index of changed) {
    const start = Math.max(0, index - context);
    const end = Math.min(ops.length, index + context + 1);
    const last = hunks[hunks.length - 1];
    if (last && start <= last[1]) {
      last[1] = end;
    } else {
      hunks.push([start, end]);
    }
  }
  const lines: IDiffLine[] = [];
  for (const [start, end] of hunks) {
    const before = ops.slice(0, start);
    const oldStart = before.filter(op => op[0] !== '+').length + 1;
    const newStart = before.filter(op => op[0] !== '-').length + 1;
    const body = ops.slice(start, end);
    const oldCount = body.filter(op => op[0] !== '+').length;
    const newCount = body.filter(op => op[0] !== '-').length;
    lines.push({
      kind: 'hunk',
      text: `@@ -${range(oldCount ? oldStart : oldStart - 1, oldCount)} +${range(
        newCount ? newStart : newStart - 1,
        newCount
      )} @@`
    });
    for (const [op, text] of body) {
      lines.push({
        kind: op === '=' ? 'context' : op === '-' ? 'removed' : 'added',
        text
      });
    }
  }
  return lines;
}

/** `+3 −1`: the lines a diff adds and removes. */
export function diffStat(lines: ReadonlyArray<IDiffLine>): string {
  const added = lines.filter(line => line.kind === 'added').length;
  const removed = lines.filter(line => line.kind === 'removed').length;
  return `+${added} −${removed}`;
}

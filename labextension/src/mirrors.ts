/**
 * Mirrored parameters (issue 22.7): a Keras run records `lr` and
 * `optimizer.learning_rate`, `units` and `model.params`. The server names
 * them (`mirrors` of `GET experiments/{name}/table`, the rule of insights:
 * nbjournal/rules/mirrors.py); the page shows one column and one chart axis
 * per independent parameter, and the mirrors behind it on demand.
 */

import { IExperimentTable } from './api/experimentPayloads';

type Header = Pick<IExperimentTable, 'params'> &
  Partial<Pick<IExperimentTable, 'mirrors'>>;

/** `optimizer.learning_rate` → `lr`: each mirror's kept parameter. */
export function keptOf(table: Header): Map<string, string> {
  const kept = new Map<string, string>();
  for (const [name, mirrors] of Object.entries(table.mirrors ?? {})) {
    for (const mirror of mirrors) {
      kept.set(mirror, name);
    }
  }
  return kept;
}

/** The parameters that stand on their own: the charts' axes. */
export function independentParams(table: Header): string[] {
  const kept = keptOf(table);
  return table.params.filter(name => !kept.has(name));
}

/**
 * The parameters in the table's order, each kept one followed by its
 * mirrors (`lr`, `optimizer.learning_rate`, `units`, `model.params`).
 */
export function paramsWithMirrors(
  table: Header
): Array<{ name: string; mirrorOf?: string; mirrors?: string[] }> {
  const mirrors = table.mirrors ?? {};
  const present = new Set(table.params);
  return independentParams(table).flatMap(name => {
    const own = (mirrors[name] ?? []).filter(m => present.has(m));
    return [
      own.length > 0 ? { name, mirrors: own } : { name },
      ...own.map(mirror => ({ name: mirror, mirrorOf: name }))
    ];
  });
}

/**
 * The recorded payloads (see `payloads.ts`: they compile only when they fit
 * `src/api/*Payloads.ts`) say what the types promise.
 */

import { payloads } from './payloads';

describe('the recorded REST payloads', () => {
  it('hold the runs of the recorded session', () => {
    expect(payloads.run.status).toBe('finished');
    expect(payloads.run.procedure?.cells.map(c => c.cell_id)).toEqual([
      'upstream'
    ]);
    expect(payloads.runFailed.error_summary).toMatch(/^ValueError: /);
    expect(payloads.grid.grid_runs).toHaveLength(9);
    expect(payloads.tableCsv.split('\n')[0]).toMatch(/^id,status,/);
  });
});

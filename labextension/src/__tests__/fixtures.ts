import { IGrid } from '../api/gridPayloads';
import { IRun } from '../api/runDetailPayloads';
import { IRunSummary, RunStatus } from '../api/runPayloads';
import { payloads } from './payloads';

/**
 * Run #1 of the recorded session (`payloads/run.json`: a cell's run with
 * its procedure and an inference) as `GET runs` lists it.
 */
function recordedSummary(): IRunSummary {
  /* eslint-disable @typescript-eslint/no-unused-vars */
  const {
    code,
    full_params,
    data,
    env,
    diagnoses,
    checks,
    error,
    inferences,
    nearest,
    data_fingerprint,
    artifacts,
    procedure,
    ...summary
  } = payloads.run;
  /* eslint-enable @typescript-eslint/no-unused-vars */
  return summary;
}

/** A deep copy: a test may change what it is given, never the recording. */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A run summary as `GET runs` returns it (the recorded run #1), with `overrides` applied. */
export function summary(overrides: Partial<IRunSummary> = {}): IRunSummary {
  return { ...copy(recordedSummary()), ...overrides };
}

/** A whole run as `GET runs/{id}` returns it (the recorded run #1), with `overrides` applied. */
export function run(overrides: Partial<IRun> = {}): IRun {
  return { ...copy(payloads.run), ...overrides };
}

/** A 2 × 2 grid as `GET grids/{id}` returns it: three points done, one failed. */
export function grid(overrides: Partial<IGrid> = {}): IGrid {
  const metrics = (value: number) => ({
    val_accuracy: {
      last: value,
      last_epoch: 9,
      best: value,
      best_epoch: 9,
      goal: 'max',
      count: 10
    }
  });
  return {
    id: 3,
    experiment: 'digits-mlp',
    created: 1_700_000_000,
    updated: 1_700_000_050,
    hypothesis: 'width matters more than the learning rate',
    notebook: '02_grids.ipynb',
    spec: {
      axes: { units: [32, 64], lr: [0.01, 0.1] },
      repeat: 1,
      sample: null
    },
    points: 4,
    runs: 4,
    done: 3,
    failed: 1,
    running: 0,
    key_metric: 'val_accuracy',
    inference: null,
    inference_count: 0,
    best: {
      values: { units: 64, lr: 0.1 },
      mean: 0.95,
      std: null,
      low: null,
      high: null,
      runs: [24]
    },
    code: 'model.fit(X, y)',
    inferences: [],
    inference_history: [],
    grid_runs: [
      [21, 32, 0.01, 'finished', 0.9],
      [22, 32, 0.1, 'finished', 0.8],
      [23, 64, 0.01, 'failed', null],
      [24, 64, 0.1, 'finished', 0.95]
    ].map(([id, units, lr, status, value], point) => ({
      run_id: id as number,
      point,
      values: { units: units as number, lr: lr as number },
      status: status as RunStatus,
      started: 1_700_000_000,
      ended: 1_700_000_010,
      duration: 10,
      error: status === 'failed' ? 'ValueError: boom' : null,
      metrics: value === null ? {} : metrics(value as number)
    })),
    table: [
      [21, 32, 0.01, 'finished', 0.9],
      [22, 32, 0.1, 'finished', 0.8],
      [23, 64, 0.01, 'failed', null],
      [24, 64, 0.1, 'finished', 0.95]
    ].map(([id, units, lr, status, value]) => ({
      values: { units: units as number, lr: lr as number },
      runs: [id as number],
      statuses: [status as RunStatus],
      mean: (value === null ? {} : { val_accuracy: value }) as {
        [metric: string]: number | null;
      },
      std: (value === null ? {} : { val_accuracy: null }) as {
        [metric: string]: number | null;
      },
      low: (value === null ? {} : { val_accuracy: null }) as {
        [metric: string]: number | null;
      },
      high: (value === null ? {} : { val_accuracy: null }) as {
        [metric: string]: number | null;
      }
    })),
    ...overrides
  };
}

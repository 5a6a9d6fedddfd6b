import { IGrid, IRun, IRunSummary, RunStatus } from '../api/types';

/** A run summary as `GET runs` returns it, with `overrides` applied. */
export function summary(overrides: Partial<IRunSummary> = {}): IRunSummary {
  return {
    id: 12,
    experiment: 'digits-mlp',
    status: 'finished',
    started: 1_700_000_000,
    ended: 1_700_000_005.6,
    duration: 5.6,
    updated: 1_700_000_005.6,
    hypothesis:
      'One hidden layer beats logistic regression.\nBecause digits are easy.',
    tags: ['baseline'],
    repeat_of: null,
    notebook: 'example_notebooks/01_quickstart.ipynb',
    fingerprint: '9f2c41d0aa',
    params: {
      units: 64,
      'optimizer.class': 'Adam',
      'optimizer.learning_rate': 0.001
    },
    metrics: {
      val_accuracy: {
        last: 0.97234,
        last_epoch: 29,
        best: 0.975,
        best_epoch: 22,
        goal: 'max',
        count: 30
      },
      loss: {
        last: 0.0834,
        last_epoch: 29,
        best: 0.08,
        best_epoch: 28,
        goal: 'min',
        count: 30
      }
    },
    key_metric: 'val_accuracy',
    inference: null,
    inference_count: 0,
    ...overrides
  };
}

/** A whole run as `GET runs/{id}` returns it. */
export function run(overrides: Partial<IRun> = {}): IRun {
  return {
    ...summary(),
    code: 'units = 64\nmodel.fit(X, y)',
    full_params: {},
    data: [],
    env: { python: '3.11.7', git: { commit: 'abc', dirty: true } },
    diagnoses: [],
    error: null,
    inferences: [],
    ...overrides
  };
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
    best: { values: { units: 64, lr: 0.1 }, mean: 0.95, std: null, runs: [24] },
    code: 'model.fit(X, y)',
    inferences: [],
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
      }
    })),
    ...overrides
  };
}

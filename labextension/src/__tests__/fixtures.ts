import { IRun, IRunSummary } from '../tokens';

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

"""Meta-features of a fit's data: a few cheap numbers that say what kind of data set it is.

They let the journal find the earlier data sets most like a new one (Feurer et
al. 2015, auto-sklearn's meta-learning): rows, features, classes, class balance,
missing and categorical shares, scale spread, skew, correlation, and three
landmarkers (1-NN, a decision stump, a ridge model) scored on a small sample.
At most 20 numbers, well under a second on 10⁵ × 100 (``make bench``), in NumPy
alone: ``pymfe`` was measured and left out (README, "Similar data sets", says why).

Values are kept raw (150 rows, 3 classes) so a person can read them; how far
apart two data sets are is :mod:`nbjournal.rules.data_likeness`'s rule.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from types import ModuleType
from typing import TYPE_CHECKING

from ..rules.data_likeness import (
    CLASSIFICATION,
    MAX_CLASSES,
    NAMES,
    REGRESSION,
    UNSUPERVISED,
)

if TYPE_CHECKING:
    import numpy
    import pandas

#: Schema of the record: bump when a feature's definition changes.
VERSION = 1
#: Rows sampled for the statistics and the landmarkers (the counts use every row).
SAMPLE_ROWS = 2000
LANDMARK_ROWS = 600
#: Columns looked at by the statistics (a random subset beyond this).
SAMPLE_COLUMNS = 100


def meta_features(x: object, y: object = None, *, seed: int = 0) -> dict[str, object] | None:
    """The record of ``x`` (and target ``y``): ``task``, ``features`` (name → number or
    ``None``), ``version``; ``None`` when ``x`` is not tabular data (a stream, an image
    batch of more than two dimensions is flattened per row)."""
    np = _numpy()
    if np is None:
        return None
    table = _table(x)
    if table is None:
        return None
    numeric, categorical, missing = table
    rows = numeric.shape[0]
    if rows < 2:
        return None
    rng = np.random.default_rng(seed)
    target = _target(y, rows)
    task = UNSUPERVISED if target is None else _task(target)
    columns = numeric.shape[1] + categorical
    values: dict[str, float | None] = dict.fromkeys(NAMES)
    values.update(rows=float(rows), features=float(columns), dimensionality=columns / rows)
    values["missing_share"] = missing
    values["categorical_share"] = categorical / columns if columns else 0.0
    sample = rng.choice(rows, size=min(rows, SAMPLE_ROWS), replace=False)
    sample.sort()
    part = numeric[sample]
    if part.shape[1] > SAMPLE_COLUMNS:
        part = part[:, np.sort(rng.choice(part.shape[1], SAMPLE_COLUMNS, replace=False))]
    part = part.astype(float, copy=False)
    values.update(_column_statistics(np, part))
    if target is not None:
        labels = target[sample]
        values.update(_target_statistics(np, labels, task))
        values.update(_landmarks(np, part, labels, task, rng))
    return {
        "version": VERSION,
        "task": task,
        "features": {k: _finite(v) for k, v in values.items()},
    }


def guess_xy(values: Mapping[str, object]) -> tuple[str, str | None] | None:
    """Which of a cell's inputs are its features and its target: the two-dimensional one
    with most rows, and a one-dimensional one of as many rows (names ``y…``, ``…target…``,
    ``…label…`` first). ``None`` when no input is a table."""
    shapes = {name: _shape(value) for name, value in values.items()}
    tables = [(s[0], name) for name, s in shapes.items() if s is not None and len(s) >= 2]
    if not tables:
        return None
    rows, x_name = max(tables)
    targets = [
        name
        for name, s in shapes.items()
        if s is not None and name != x_name and s[0] == rows and (len(s) == 1 or s[1:] == (1,))
    ]
    targets.sort(key=lambda n: (not _target_name(n), n))
    return x_name, (targets[0] if targets else None)


def _target_name(name: str) -> bool:
    lower = name.lower().lstrip("_")
    return lower.startswith("y") or "target" in lower or "label" in lower


# -- reading the data --------------------------------------------------------------


def _numpy() -> ModuleType | None:
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy is a dependency
        return None
    return numpy


def _shape(value: object) -> tuple[int, ...] | None:
    shape = getattr(value, "shape", None)
    if not isinstance(shape, tuple) or not shape or not all(isinstance(s, int) for s in shape):
        return None
    return shape


def _table(x: object) -> tuple[numpy.ndarray, int, float] | None:
    """Numeric columns as a float array (categorical ones left out and counted), and the
    share of missing cells."""
    import numpy as np

    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(x, pandas.Series):
        x = x.to_frame()
    if pandas is not None and isinstance(x, pandas.DataFrame):
        return _frame_table(x)
    sparse = sys.modules.get("scipy.sparse")
    if sparse is not None and isinstance(x, sparse.spmatrix | sparse.sparray):  # issparse
        if x.shape[0] == 0:
            return None
        rows = np.random.default_rng(0).choice(x.shape[0], min(x.shape[0], SAMPLE_ROWS), False)
        return _table(np.asarray(x.tocsr()[np.sort(rows)].todense()))
    array = _as_array(x)
    if array is None:
        return None
    if array.ndim == 1:
        array = array.reshape(-1, 1)
    if array.ndim > 2:
        array = array.reshape(array.shape[0], -1)
    if array.shape[0] == 0 or array.shape[1] == 0:
        return None
    if array.dtype.kind in "biuf":
        missing = float(np.isnan(array).mean()) if array.dtype.kind == "f" else 0.0
        return array, 0, missing
    return np.zeros((array.shape[0], 0)), array.shape[1], 0.0  # text or objects: categorical


def _frame_table(x: pandas.DataFrame) -> tuple[numpy.ndarray, int, float] | None:
    """A DataFrame's numeric and boolean columns as floats; the others counted as categorical."""
    import numpy as np

    if x.shape[0] == 0 or x.shape[1] == 0:
        return None
    numeric = x.select_dtypes(include=["number", "bool"])
    categorical = x.shape[1] - numeric.shape[1]
    missing = float(x.isna().to_numpy().mean())
    array = numeric.to_numpy(dtype=float, na_value=np.nan)
    return array, categorical, missing


def _as_array(x: object) -> numpy.ndarray | None:
    """``x`` as a numpy array when it is one, a tensor or a list of non-text rows, else ``None``."""
    import numpy as np

    if isinstance(x, np.ndarray):
        return x
    if hasattr(x, "numpy") and type(x).__module__.startswith(("tensorflow", "torch", "jax")):
        return x.numpy()
    if isinstance(x, (list, tuple)) and x and not isinstance(x[0], (str, bytes)):
        return np.asarray(x)
    return None


def _target(y: object, rows: int) -> numpy.ndarray | None:
    """The target as a 1-D array of ``rows`` values (one-hot rows as their class)."""
    import numpy as np

    if y is None:
        return None
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(y, (pandas.Series, pandas.DataFrame)):
        y = y.to_numpy()
    elif hasattr(y, "numpy") and type(y).__module__.startswith(("tensorflow", "torch", "jax")):
        y = y.numpy()
    array = np.asarray(y)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    elif array.ndim == 2 and array.dtype.kind in "biuf" and np.all((array == 0) | (array == 1)):
        array = array.argmax(axis=1)  # one-hot classes
    elif array.ndim == 2:
        array = array[:, 0]
    if array.ndim != 1 or array.shape[0] != rows:
        return None
    return array


def _task(y: numpy.ndarray) -> str:
    import numpy as np

    if y.dtype.kind in "bOUSc":
        return CLASSIFICATION
    finite = y[np.isfinite(y)] if y.dtype.kind == "f" else y
    integers = finite.size and np.all(finite == np.round(finite))
    if integers and np.unique(finite).size <= MAX_CLASSES:
        return CLASSIFICATION
    return REGRESSION


# -- the numbers --------------------------------------------------------------------


def _column_statistics(np: ModuleType, part: numpy.ndarray) -> dict[str, float | None]:
    if part.shape[1] == 0:
        return {}
    with np.errstate(all="ignore"):
        finite = np.isfinite(part)
        counts = finite.sum(axis=0)  # a column without a value is filled with 0, unwarned
        means = np.where(finite, part, 0.0).sum(axis=0) / np.maximum(counts, 1)
        filled = np.where(finite, part, means)
        filled = np.nan_to_num(filled)
        integer = np.all((filled == np.round(filled)), axis=0)
        low, high = filled.min(axis=0), filled.max(axis=0)
        binary = np.array([np.unique(c).size <= 2 for c in filled.T])
        std = filled.std(axis=0)
        varying = std > 0
        spread = math.log10(std[varying].max() / std[varying].min()) if varying.sum() >= 2 else 0.0
        centred = filled[:, varying] - filled[:, varying].mean(axis=0)
        skew = (centred**3).mean(axis=0) / std[varying] ** 3 if varying.any() else np.zeros(0)
        correlation = 0.0
        if varying.sum() >= 2:
            matrix = np.corrcoef(filled[:, varying], rowvar=False)
            upper = np.abs(matrix[np.triu_indices_from(matrix, k=1)])
            correlation = float(np.nanmean(upper)) if upper.size else 0.0
    del low, high
    return {
        "integer_share": float(integer.mean()),
        "binary_share": float(binary.mean()),
        "scale_spread": float(spread),
        "skewness": float(np.abs(skew).mean()) if skew.size else 0.0,
        "correlation": correlation,
    }


def _target_statistics(np: ModuleType, y: numpy.ndarray, task: str) -> dict[str, float | None]:
    if task == CLASSIFICATION:
        _, counts = np.unique(y.astype(str) if y.dtype.kind == "O" else y, return_counts=True)
        shares = counts / counts.sum()
        entropy = float(-(shares * np.log(shares)).sum())
        classes = len(counts)
        return {
            "classes": float(classes),
            "class_entropy": entropy / math.log(classes) if classes > 1 else 0.0,
            "minority_ratio": float(counts.min() / counts.max()),
        }
    values = y.astype(float)
    values = values[np.isfinite(values)]
    std = values.std() if values.size else 0.0
    skew = float(((values - values.mean()) ** 3).mean() / std**3) if std > 0 else 0.0
    return {"target_skewness": abs(skew)}


def _landmarks(
    np: ModuleType, part: numpy.ndarray, y: numpy.ndarray, task: str, rng: numpy.random.Generator
) -> dict[str, float | None]:
    """Scores of three tiny models trained on half a sample and scored on the other half."""
    if part.shape[1] == 0:
        return {}
    take = rng.permutation(part.shape[0])[:LANDMARK_ROWS]
    x = np.nan_to_num(part[take].astype(float))
    target = y[take]
    if task == CLASSIFICATION:
        _, target = np.unique(target.astype(str) if target.dtype.kind == "O" else target,
                              return_inverse=True)  # fmt: skip
    else:
        target = np.nan_to_num(target.astype(float))
    half = len(target) // 2
    if half < 2:
        return {}
    std = x[:half].std(axis=0)
    x = (x - x[:half].mean(axis=0)) / np.where(std > 0, std, 1.0)
    train, test, y_train, y_test = x[:half], x[half:], target[:half], target[half:]
    with np.errstate(all="ignore"):
        nn = y_train[_nearest(np, train, test)]
        stump = _stump(np, train, y_train, test, task)
        linear = _ridge(np, train, y_train, test, task)
    score = _accuracy if task == CLASSIFICATION else _r2
    return {
        "landmark_1nn": score(np, y_test, nn),
        "landmark_stump": score(np, y_test, stump),
        "landmark_linear": score(np, y_test, linear),
    }


def _nearest(np: ModuleType, train: numpy.ndarray, test: numpy.ndarray) -> numpy.ndarray:
    squared = (test**2).sum(1)[:, None] + (train**2).sum(1)[None, :] - 2 * test @ train.T
    return squared.argmin(axis=1)


def _stump(
    np: ModuleType, x: numpy.ndarray, y: numpy.ndarray, test: numpy.ndarray, task: str
) -> numpy.ndarray:
    """A one-split tree: the split of least impurity (Gini, or squared error) over all
    features and thresholds, found with cumulative sums."""
    order = np.argsort(x, axis=0, kind="stable")
    n = len(y)
    if task == CLASSIFICATION:
        classes = int(y.max()) + 1
        onehot = np.eye(classes)[y]
        left = np.cumsum(onehot[order], axis=0)[:-1]  # (n-1, features, classes)
        total = onehot.sum(axis=0)
        right = total - left
        sizes = np.arange(1, n)[:, None]
        gini_l = 1 - ((left / sizes[..., None]) ** 2).sum(-1)
        gini_r = 1 - ((right / (n - sizes)[..., None]) ** 2).sum(-1)
        impurity = sizes * gini_l + (n - sizes) * gini_r
    else:
        ys = y[order]
        s, q = np.cumsum(ys, axis=0)[:-1], np.cumsum(ys**2, axis=0)[:-1]
        sizes = np.arange(1, n)[:, None]
        total_s, total_q = y.sum(), (y**2).sum()
        impurity = (q - s**2 / sizes) + ((total_q - q) - (total_s - s) ** 2 / (n - sizes))
    xs = np.take_along_axis(x, order, axis=0)
    impurity = np.where(xs[1:] > xs[:-1], impurity, np.inf)  # split between distinct values
    if not np.isfinite(impurity).any():
        return np.full(len(test), np.bincount(y).argmax() if task == CLASSIFICATION else y.mean())
    row, feature = np.unravel_index(np.argmin(impurity), impurity.shape)
    threshold = (xs[row, feature] + xs[row + 1, feature]) / 2
    goes_left = x[:, feature] <= threshold
    if task == CLASSIFICATION:
        sides = [np.bincount(y[goes_left]).argmax(), np.bincount(y[~goes_left]).argmax()]
    else:
        sides = [y[goes_left].mean(), y[~goes_left].mean()]
    return np.where(test[:, feature] <= threshold, sides[0], sides[1])


def _ridge(
    np: ModuleType, x: numpy.ndarray, y: numpy.ndarray, test: numpy.ndarray, task: str
) -> numpy.ndarray:
    design = np.hstack([x, np.ones((len(x), 1))])
    targets = np.eye(int(y.max()) + 1)[y] if task == CLASSIFICATION else y[:, None]
    penalty = np.eye(design.shape[1])
    penalty[-1, -1] = 0.0
    weights = np.linalg.solve(design.T @ design + penalty, design.T @ targets)
    predicted = np.hstack([test, np.ones((len(test), 1))]) @ weights
    return predicted.argmax(axis=1) if task == CLASSIFICATION else predicted[:, 0]


def _accuracy(np: ModuleType, truth: numpy.ndarray, predicted: numpy.ndarray) -> float:
    return float((truth == predicted).mean())


def _r2(np: ModuleType, truth: numpy.ndarray, predicted: numpy.ndarray) -> float:
    """R², floored at 0 (a model worse than the mean tells no more than the mean)."""
    total = ((truth - truth.mean()) ** 2).sum()
    if total <= 0:
        return 0.0
    return float(max(0.0, 1 - ((truth - predicted) ** 2).sum() / total))


def _finite(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), 6)

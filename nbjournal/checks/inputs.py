"""What the checks read: the arrays of one ``fit`` made numpy once, and what the model says.

Everything is computed lazily and cached, so a check pays only for what it
reads, and an input a check cannot read (a ``tf.data`` pipeline, a list of
arrays for a multi-input model, a sparse matrix) makes only the checks that
need it skipped. No heavy library is imported: pandas objects and tensors are
recognised by duck typing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeGuard

import numpy as np

from .hashing import row_hashes

if TYPE_CHECKING:
    import pandas as pd

#: Checks that only need a picture of the data (ranges, class shares) read at most this many rows.
SAMPLE_ROWS = 20_000

CLASSIFICATION_LOSSES = {
    "sparse_categorical_crossentropy": "sparse",
    "categorical_crossentropy": "categorical",
    "categorical_focal_crossentropy": "categorical",
    "binary_crossentropy": "binary",
    "binary_focal_crossentropy": "binary",
}
_LOSS_ALIASES = {"mse": "mean_squared_error", "mae": "mean_absolute_error"}


class Unreadable(Exception):
    """An input a check cannot read (a data stream, an exotic type): the check is skipped, with the reason."""


@dataclass
class ModelInfo:
    """The parts of a compiled Keras model the checks read (duck-typed: no Keras import)."""

    loss: str | None = None
    from_logits: bool = False
    outputs: int = 1
    output_activation: str | None = None
    output_units: int | None = None
    #: (layer class, activation name or None) of every layer, input to output.
    layers: list[tuple[str, str | None]] = field(default_factory=list)
    trained: bool = False

    @property
    def label_kind(self) -> str | None:
        """``sparse``, ``categorical`` or ``binary`` for classification losses, else ``None``."""
        return CLASSIFICATION_LOSSES.get(self.loss or "")

    def has_layer(self, *names: str) -> bool:
        return any(cls in names for cls, _ in self.layers)


def describe_model(model: object) -> ModelInfo:
    """Read the loss, the output layer and the stack of layers of a compiled Keras model."""
    info = ModelInfo()
    info.loss, info.from_logits = loss_name(getattr(model, "loss", None))
    outputs = getattr(model, "outputs", None)
    info.outputs = len(outputs) if isinstance(outputs, (list, tuple)) and outputs else 1
    layers = list(getattr(model, "layers", []) or [])
    info.layers = [(type(layer).__name__, _activation(layer)) for layer in layers]
    for layer in reversed(layers):
        name = type(layer).__name__
        if name == "Softmax":
            info.output_activation = info.output_activation or "softmax"
            continue
        if name == "Activation":
            info.output_activation = info.output_activation or _activation(layer)
            continue
        if name in ("Dropout", "Flatten", "Reshape"):
            continue
        units = getattr(layer, "units", None)
        info.output_units = int(units) if isinstance(units, int) else None
        if info.output_activation is None:
            info.output_activation = _activation(layer)
        break
    optimizer = getattr(model, "optimizer", None)
    try:
        info.trained = int(getattr(optimizer, "iterations", 0)) > 0
    except (TypeError, ValueError):
        info.trained = False
    return info


def loss_name(loss: object) -> tuple[str | None, bool]:
    """The loss as a snake-case name and its ``from_logits``; ``None`` for several losses."""
    if loss is None or isinstance(loss, (list, tuple, dict)):
        return None, False
    if isinstance(loss, str):
        name = loss.lower()
        return _LOSS_ALIASES.get(name, name), False
    config: dict[str, Any] = {}
    get_config = getattr(loss, "get_config", None)
    if callable(get_config):
        try:
            config = dict(get_config() or {})
        except Exception:  # a custom loss without a config
            config = {}
    name = config.get("name") or getattr(loss, "__name__", None) or type(loss).__name__
    return _LOSS_ALIASES.get(str(name), str(name)), bool(config.get("from_logits", False))


def _activation(layer: object) -> str | None:
    activation = getattr(layer, "activation", None)
    if activation is None:
        return None
    return str(getattr(activation, "__name__", activation))


def as_array(value: object, what: str) -> np.ndarray:
    """``value`` as a numpy array, or :class:`Unreadable` saying why not."""
    if isinstance(value, np.ndarray):
        array = value
    elif _is_pandas(value):
        array = _frame_numbers(value)
    elif isinstance(value, (list, tuple)) and value and hasattr(value[0], "shape"):
        raise Unreadable(f"{what} is a list of arrays (a model with several inputs)")
    elif hasattr(value, "__array__") or isinstance(value, (list, tuple)):
        try:
            array = np.asarray(value)
        except Exception as failure:
            raise Unreadable(
                f"{what} ({type(value).__name__}) is not an array: {failure}"
            ) from None
    else:
        raise Unreadable(f"{what} is a {type(value).__name__}, not an array")
    if array.dtype == object:
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError):
            raise Unreadable(f"{what} holds non-numeric values") from None
    if array.dtype.kind not in "biuf":
        raise Unreadable(f"{what} has dtype {array.dtype}, not numbers")
    if array.ndim == 0 or len(array) == 0:
        raise Unreadable(f"{what} is empty")
    return array


def _is_pandas(value: object) -> TypeGuard[pd.DataFrame | pd.Series]:
    return type(value).__module__.split(".")[0] == "pandas" and hasattr(value, "to_numpy")


def _frame_numbers(frame: pd.DataFrame | pd.Series) -> np.ndarray:
    if getattr(frame, "ndim", 1) == 2:
        numeric = frame.select_dtypes(include=["number", "bool"])
        if numeric.shape[1] != frame.shape[1]:
            raise Unreadable("x has non-numeric columns")
        return numeric.to_numpy(dtype=np.float64, na_value=np.nan)
    try:
        return frame.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError):
        raise Unreadable("y holds non-numeric values") from None


def stride_sample(array: np.ndarray, rows: int = SAMPLE_ROWS) -> tuple[np.ndarray, bool]:
    """At most ``rows`` rows, evenly spaced (deterministic); whether it is a sample."""
    if len(array) <= rows:
        return array, False
    step = math.ceil(len(array) / rows)
    return array[::step], True


class FitData:
    """One ``fit``'s inputs as the checks see them.

    Parameters
    ----------
    x, y
        What ``fit`` was given (any array-like; ``y`` may be ``None``).
    validation_split, validation_data
        As Keras takes them: the split holds out the *last* fraction of the rows, unshuffled.
    batch_size
        Keras' (``None`` means 32); ``None`` for scikit-learn.
    model
        A compiled Keras model, or ``None`` (scikit-learn).
    task
        ``classification``, ``regression`` or ``None`` (unknown: class checks stay quiet).
    scale_sensitive, allow_nan
        What the estimator tolerates (trees ignore scale; some estimators take NaN).
    weighted
        How the fit weighs rows (``class_weight``, ``sample_weight``), else ``None``:
        the fix ``imbalance`` recommends, already applied.
    """

    def __init__(
        self,
        x: object,
        y: object = None,
        *,
        validation_split: float | None = None,
        validation_data: object = None,
        batch_size: int | None = None,
        model: object = None,
        task: str | None = None,
        scale_sensitive: bool = True,
        allow_nan: bool = False,
        keras: bool = False,
        weighted: str | None = None,
    ) -> None:
        self.raw_x = x
        self.raw_y = y
        self.validation_split = float(validation_split or 0.0)
        self.validation_data = validation_data
        self.batch_size = batch_size
        self.model = model
        self.keras = keras or model is not None
        self._task = task
        self.scale_sensitive = scale_sensitive
        self.allow_nan = allow_nan
        self.weighted = weighted

    def column(self, index: int) -> str:
        """A column as a person names it: ``column 'income'`` for a DataFrame, else ``column 3``."""
        columns = getattr(self.raw_x, "columns", None)
        if columns is not None and getattr(self.raw_x, "ndim", 0) == 2 and index < len(columns):
            return f"column {str(columns[index])!r}"
        return f"column {index}"

    # -- the model -------------------------------------------------------------------------

    @cached_property
    def model_info(self) -> ModelInfo | None:
        return describe_model(self.model) if self.model is not None else None

    @property
    def task(self) -> str | None:
        info = self.model_info
        if info is not None:
            return "classification" if info.label_kind else None
        return self._task

    # -- the arrays ------------------------------------------------------------------------

    @cached_property
    def x(self) -> np.ndarray:
        if self.raw_x is None:
            raise Unreadable("fit was given no x")
        return as_array(self.raw_x, "x")

    @cached_property
    def y(self) -> np.ndarray | None:
        if self.raw_y is None:
            return None
        y = as_array(self.raw_y, "y")
        if len(y) != len(self.x):
            raise Unreadable(f"x has {len(self.x)} rows but y has {len(y)}")
        return y

    @cached_property
    def split_at(self) -> int:
        """Rows before this index train; the rest validate (``validation_split``)."""
        if self.validation_split <= 0 or self.validation_data is not None:
            return len(self.x)
        return math.floor(len(self.x) * (1.0 - self.validation_split))

    @property
    def x_train(self) -> np.ndarray:
        return self.x[: self.split_at]

    @property
    def y_train(self) -> np.ndarray | None:
        return None if self.y is None else self.y[: self.split_at]

    @cached_property
    def validation(self) -> tuple[np.ndarray, np.ndarray | None] | None:
        """``(x_val, y_val)`` from ``validation_data`` or the split, else ``None``."""
        if self.validation_data is not None:
            data = self.validation_data
            if not isinstance(data, (tuple, list)) or len(data) < 2:
                raise Unreadable("validation_data is not an (x, y) tuple")
            x_val = as_array(data[0], "validation x")
            return x_val, as_array(data[1], "validation y")
        if self.split_at >= len(self.x):
            return None
        y = self.y
        return self.x[self.split_at :], None if y is None else y[self.split_at :]

    @cached_property
    def train_hashes(self) -> np.ndarray:
        """A 64-bit hash per training row, shared by ``leakage`` and ``conflicting-labels``."""
        return row_hashes(self.x_train)

    # -- labels as classes -----------------------------------------------------------------

    @cached_property
    def classes(self) -> np.ndarray | None:
        """Every row's class index (argmax of one-hot rows), for classification; else ``None``."""
        if self.task != "classification" or self.y is None:
            return None
        return class_indices(self.y)


def class_indices(y: np.ndarray) -> np.ndarray | None:
    """Integer class per row: integral 1-D labels as they are, one-hot rows by argmax;
    ``None`` when the labels are not classes (non-integral values)."""
    if y.ndim == 2 and y.shape[1] > 1:
        return np.asarray(y.argmax(axis=1))
    flat = y.reshape(len(y), -1)
    if flat.shape[1] != 1:
        return None
    flat = flat[:, 0]
    if flat.dtype.kind in "biu":
        return flat.astype(np.int64, copy=False)
    if not np.all(np.isfinite(flat)) or not np.all(flat == np.round(flat)):
        return None
    return flat.astype(np.int64)

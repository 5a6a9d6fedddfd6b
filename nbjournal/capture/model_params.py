"""Parameters read from the models a cell trains: Keras ``fit`` calls and scikit-learn estimators."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import keras
    from sklearn.base import BaseEstimator

FIT_ARGUMENTS = (
    "epochs", "batch_size", "validation_split", "shuffle", "initial_epoch",
    "steps_per_epoch", "validation_steps", "class_weight",
)  # fmt: skip


def keras_fit_params(model: keras.Model, fit_arguments: dict[str, Any]) -> dict[str, object]:
    """Optimizer, loss, a compact layer description, parameter count and ``fit`` arguments."""
    params: dict[str, Any] = {"model": {"class": type(model).__name__}}
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None:
        params["optimizer"] = {"class": type(optimizer).__name__, **_optimizer_config(optimizer)}
    loss = getattr(model, "loss", None)
    if loss is not None:
        params["loss"] = (
            loss if isinstance(loss, str) else getattr(loss, "name", type(loss).__name__)
        )
    layers = [_layer(layer) for layer in getattr(model, "layers", [])]
    params["model"]["layers"] = [layer for layer in layers if layer]
    with contextlib.suppress(Exception):  # an unbuilt model has no count yet
        params["model"]["params"] = int(model.count_params())
    fit = {name: fit_arguments[name] for name in FIT_ARGUMENTS if name in fit_arguments}
    fit.setdefault("epochs", 1)
    fit.setdefault("batch_size", 32 if "x" in fit_arguments else None)
    if "validation_data" in fit_arguments and fit_arguments["validation_data"] is not None:
        fit["validation_data"] = True
    described = [callback_text(c) for c in fit_arguments.get("callbacks") or []]
    if described:
        fit["callbacks"] = [text for text in described if text]
    params["fit"] = {k: v for k, v in fit.items() if v is not None}
    return params


#: What a person would say of a callback, by class: the arguments that change training.
_CALLBACK_ARGUMENTS = {
    "EarlyStopping": ("monitor", "patience", "min_delta", "mode", "restore_best_weights"),
    "ReduceLROnPlateau": ("monitor", "factor", "patience", "min_lr"),
    "ModelCheckpoint": ("monitor", "save_best_only"),
    "LearningRateScheduler": (),
    "TerminateOnNaN": (),
}


def callback_text(callback: keras.callbacks.Callback) -> str:
    """``EarlyStopping(monitor='val_loss', patience=3)``: a callback's class and main config.

    The attributes are read from the object (Keras keeps them under the
    argument's name); what cannot be read is left out, never guessed.
    """
    kind = type(callback).__name__
    names = _CALLBACK_ARGUMENTS.get(kind)
    if names is None:
        return kind
    words = []
    for name in names:
        value = getattr(callback, name, None)
        if name == "min_delta" and isinstance(value, (int, float)):
            value = abs(value)  # Keras stores it signed by the mode
        if value is None or (name in ("min_delta", "min_lr") and not value):
            continue
        if name == "restore_best_weights" and not value:
            continue
        if name == "mode" and value == "auto":
            continue
        words.append(f"{name}={value!r}")
    return f"{kind}({', '.join(words)})"


def _optimizer_config(optimizer: keras.optimizers.Optimizer) -> dict[str, object]:
    try:
        config = dict(optimizer.get_config())
    except Exception:
        return {}
    config.pop("name", None)
    return {
        key: value
        for key, value in config.items()
        if value is not None and not (key.startswith("use_") or key in {"is_legacy_optimizer"})
    }


def _layer(layer: keras.layers.Layer) -> str:
    """``Dense(64, relu)``, ``Dropout(0.2)``, ``Conv2D(32, relu)``: what a person would write."""
    kind = type(layer).__name__
    if kind == "InputLayer":
        return ""
    try:
        config = layer.get_config()
    except Exception:
        return kind
    details = []
    for key in ("units", "filters", "rate", "kernel_size", "pool_size"):
        if key in config and config[key] is not None:
            value = config[key]
            details.append(str(tuple(value) if isinstance(value, list) else value))
    activation = config.get("activation")
    if isinstance(activation, str) and activation != "linear":
        details.append(activation)
    return f"{kind}({', '.join(details)})" if details else kind


def estimator_params(estimator: BaseEstimator) -> dict[str, object]:
    """Class and ``get_params(deep=True)``: a ``Pipeline``'s steps' params become their own
    params (``logisticregression__C``), nested estimators are named by class, and a list of
    ``(name, estimator)`` steps by its names and classes, never one truncated ``repr``."""
    try:
        params = estimator.get_params(deep=True)
    except Exception:
        try:
            params = estimator.get_params(deep=False)
        except Exception:
            params = {}
    return {
        "class": type(estimator).__name__,
        **{k: _estimator_value(v) for k, v in params.items()},
    }


def _estimator_value(value: object) -> object:
    if hasattr(value, "get_params"):
        return type(value).__name__
    if isinstance(value, (list, tuple)) and value and all(_is_step(v) for v in value):
        return [f"{step[0]}: {_estimator_value(step[1])}" for step in value]
    return value


def _is_step(value: object) -> bool:
    """``("scaler", StandardScaler())`` or ``("cols", transformer, [0, 1])``."""
    return isinstance(value, tuple) and len(value) >= 2 and isinstance(value[0], str)

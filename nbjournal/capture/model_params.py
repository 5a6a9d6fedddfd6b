"""Parameters read from the models a cell trains: Keras ``fit`` calls and scikit-learn estimators."""

from __future__ import annotations

import contextlib
from typing import Any

FIT_ARGUMENTS = (
    "epochs", "batch_size", "validation_split", "shuffle", "initial_epoch",
    "steps_per_epoch", "validation_steps", "class_weight",
)  # fmt: skip


def keras_fit_params(model: Any, fit_arguments: dict[str, Any]) -> dict[str, Any]:
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
    params["fit"] = {k: v for k, v in fit.items() if v is not None}
    return params


def _optimizer_config(optimizer: Any) -> dict[str, Any]:
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


def _layer(layer: Any) -> str:
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


def estimator_params(estimator: Any) -> dict[str, Any]:
    """Class and ``get_params()`` (shallow; nested estimators by class name)."""
    try:
        params = estimator.get_params(deep=False)
    except Exception:
        params = {}
    return {
        "class": type(estimator).__name__,
        **{
            key: (type(value).__name__ if hasattr(value, "get_params") else value)
            for key, value in params.items()
        },
    }

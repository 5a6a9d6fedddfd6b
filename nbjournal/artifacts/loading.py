"""Loading what a run's cell made: decide whether it can be restored, then load it all.

A run can be restored when its artifacts were saved completely (the row of its
value, written last, is there) and every one of them was stored. Loading
checks each blob against its hash; a missing or corrupt blob, or a value its
library cannot read back, is :class:`~.blobs.ArtifactUnavailable`, and nothing
is half-restored: the caller gets every value or none.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..store import Artifact
from .blobs import ArtifactUnavailable, BlobStore
from .codecs import decode


@dataclass
class Loaded:
    """The names a run's cell bound, with their values, and the cell's value."""

    values: dict[str, Any] = field(default_factory=dict)
    result: Any = None


def why_not_restorable(artifacts: Sequence[Artifact]) -> str | None:
    """``None`` when every artifact was stored; else a few words saying why not."""
    if not any(a.role == "result" for a in artifacts):
        return "it kept nothing to restore (it ran before artifacts were kept, or saving failed)"
    unsaveable = [a for a in artifacts if a.status == "unsaveable"]
    if unsaveable:
        first = unsaveable[0]
        what = "its value" if first.role == "result" else first.name
        return f"{what} ({first.reason or first.type}) could not be saved"
    too_large = [a for a in artifacts if a.status == "too-large"]
    if too_large:
        names = ", ".join("its value" if a.role == "result" else a.name for a in too_large)
        return f"{names} passed the size limit for artifacts (NBJOURNAL_ARTIFACT_LIMIT_MB)"
    return None


def load_all(
    blobs: BlobStore, artifacts: Sequence[Artifact], namespace: dict[str, Any] | None = None
) -> Loaded:
    """Every value, models after the classes and before the histories that refer to them;
    ``namespace`` (the notebook's) holds classes a custom Keras model needs."""
    loaded = Loaded()
    rank = {"keras": 1, "keras-history": 2}
    ordered = sorted(
        artifacts, key=lambda a: ("same_as" in a.extra, a.role == "result", rank.get(a.kind, 0))
    )
    for artifact in ordered:
        same_as = artifact.extra.get("same_as")
        if same_as in loaded.values:  # the same object under another name
            value = loaded.values[same_as]
        else:
            value = load_one(blobs, artifact, loaded.values, namespace)
        if artifact.role == "result":
            loaded.result = value
        else:
            loaded.values[artifact.name] = value
    loaded.values = {a.name: loaded.values[a.name] for a in artifacts if a.role == "name"}
    return loaded


def load_one(
    blobs: BlobStore,
    artifact: Artifact,
    restored: dict[str, Any] | None = None,
    namespace: dict[str, Any] | None = None,
) -> Any:
    if not artifact.stored or artifact.hash is None:
        raise ArtifactUnavailable(
            f"{artifact.name} of run #{artifact.run_id} was not stored "
            f"({artifact.reason or artifact.status})"
        )
    data = blobs.get(artifact.hash)
    try:
        with warnings.catch_warnings():
            # Keras' notes on what it rebuilt (an optimizer's unbuilt variables) are about
            # the loading, not about the user's work: the restore notice says what matters
            warnings.filterwarnings("ignore", category=UserWarning, module="keras")
            return decode(artifact.kind, data, artifact.extra, restored or {}, namespace)
    except ImportError as error:
        raise ArtifactUnavailable(
            f"{artifact.name} needs {error.name or 'a package'} to be loaded: install it"
        ) from None
    except Exception as error:
        raise ArtifactUnavailable(
            f"{artifact.name} of run #{artifact.run_id} could not be loaded "
            f"({type(error).__name__}: {str(error).strip()[:160]})"
        ) from None

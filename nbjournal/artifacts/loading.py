"""Loading what a run's cell made: decide whether it can be restored, then load it all.

A run can be restored when its artifacts were saved completely (the row of its
value, written last, is there) and every one of them was stored. Loading
checks each blob against its hash; a missing or corrupt blob, or a value its
library cannot read back, is :class:`~.blobs.ArtifactUnavailable`, and nothing
is half-restored: the caller gets every value or none. A value whose loading
could run code and whose row is not signed by a trusted key (:mod:`.trust`) is
:class:`Untrusted`, found out before any blob is read.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..store import Artifact
from .blobs import ArtifactUnavailable, BlobStore
from .codecs import decode
from .trust import imported_module, refusal


class Untrusted(ArtifactUnavailable):
    """An artifact whose loading could run code, not signed by a key the user trusts."""


@dataclass
class Loaded:
    """The names a run's cell bound, with their values, and the cell's value; ``secrets``:
    names whose values were secrets, never stored, so not given back."""

    values: dict[str, Any] = field(default_factory=dict)
    result: Any = None
    secrets: list[str] = field(default_factory=list)


def why_not_restorable(artifacts: Sequence[Artifact], fingerprint: str | None = None) -> str | None:
    """``None`` when every artifact was stored (and, given the run's ``fingerprint``, may load
    here); else a few words saying why not."""
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
    if fingerprint is not None:
        return untrusted(artifacts, fingerprint)
    return None


def untrusted(artifacts: Sequence[Artifact], fingerprint: str) -> str | None:
    """Why the first artifact that may not load here is refused, or ``None``."""
    for artifact in artifacts:
        if "same_as" in artifact.extra:
            continue  # loaded as the value of the name it repeats
        reason = refusal(artifact, fingerprint)
        if reason is not None:
            return reason
    return None


def load_all(
    blobs: BlobStore,
    artifacts: Sequence[Artifact],
    fingerprint: str,
    namespace: dict[str, object] | None = None,
) -> Loaded:
    """Every value, models after the classes and before the histories that refer to them;
    ``fingerprint`` is the run's (what the signatures are checked against), ``namespace``
    (the notebook's) holds classes a custom Keras model needs. Every trust check is made
    before the first blob is read."""
    reason = untrusted(artifacts, fingerprint)
    if reason is not None:
        raise Untrusted(reason)
    loaded = Loaded(secrets=[a.name for a in artifacts if a.status == "secret"])
    rank = {"keras": 1, "keras-history": 2}
    ordered = sorted(
        (a for a in artifacts if a.status != "secret"),
        key=lambda a: ("same_as" in a.extra, a.role == "result", rank.get(a.kind, 0)),
    )
    for artifact in ordered:
        same_as = artifact.extra.get("same_as")
        if same_as in loaded.values:  # the same object under another name
            value = loaded.values[same_as]
        else:
            value = load_one(blobs, artifact, fingerprint, loaded.values, namespace)
        if artifact.role == "result":
            loaded.result = value
        else:
            loaded.values[artifact.name] = value
    loaded.values = {
        a.name: loaded.values[a.name]
        for a in artifacts
        if a.role == "name" and a.status != "secret"
    }
    return loaded


def load_one(
    blobs: BlobStore,
    artifact: Artifact,
    fingerprint: str,
    restored: dict[str, object] | None = None,
    namespace: dict[str, object] | None = None,
) -> object:
    """One value; refused (:class:`Untrusted`) before its blob is read when its loading could
    run code and its row is not signed by a trusted key over ``fingerprint`` (its run's)."""
    if not artifact.stored or artifact.hash is None:
        raise ArtifactUnavailable(
            f"{artifact.name} of run #{artifact.run_id} was not stored "
            f"({artifact.reason or artifact.status})"
        )
    reason = refusal(artifact, fingerprint)
    if reason is not None:
        raise Untrusted(f"run #{artifact.run_id}: {reason}")
    name = imported_module(artifact)
    if name is not None:  # already imported: nothing to read, nothing runs
        return decode(artifact.kind, name.encode(), artifact.extra, {})
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

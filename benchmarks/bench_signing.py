"""Trust: what signing an artifact row and checking it before a restore cost.

Each stored artifact row is signed (Ed25519, ``cryptography``) when a run's
artifacts are written, and a pickle's row is checked before its blob is read:
the trusted keys read from ``NBJOURNAL_HOME/keys/trusted`` (here with 20 keys
of teammates), the signature verified. Figures are the median per artifact
over 2,000 rows, in milliseconds. Goal: sign + check ≤ 5 ms per artifact.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROWS = 2_000


def measure() -> dict[str, float]:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from nbjournal.artifacts.signing import Signer, forget_keys, own_signer
    from nbjournal.artifacts.trust import refusal, trust_add
    from nbjournal.store import Artifact

    forget_keys()
    signer = own_signer()
    for index in range(20):
        trust_add(Signer(Ed25519PrivateKey.generate(), f"t{index}").public, f"teammate {index}")
    signing, checking = [], []
    for index in range(ROWS):
        digest = f"{index:032x}"
        start = time.perf_counter()
        signature = signer.sign("f" * 64, "name", f"value_{index}", "pickle", digest)
        signing.append(time.perf_counter() - start)
        row = Artifact(1, f"value_{index}", "pickle", "Thing", 10, digest,
                       extra={"signature": signature.as_extra()})  # fmt: skip
        start = time.perf_counter()
        assert refusal(row, "f" * 64) is None
        checking.append(time.perf_counter() - start)
    sign_ms = 1e3 * statistics.median(signing)
    check_ms = 1e3 * statistics.median(checking)
    return {
        "sign one row, ms": sign_ms,
        "check one row before restore, ms": check_ms,
        "sign + check per artifact, ms (goal <= 5)": sign_ms + check_ms,
    }


def run() -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as home:
        previous = os.environ.get("NBJOURNAL_HOME")
        os.environ["NBJOURNAL_HOME"] = home
        try:
            results = {f"artifact signatures, median of {ROWS} rows": measure()}
        finally:
            if previous is None:
                os.environ.pop("NBJOURNAL_HOME", None)
            else:
                os.environ["NBJOURNAL_HOME"] = previous
    for title, figures in results.items():
        print(f"\n{title}")
        for name, value in figures.items():
            print(f"  {name:<46} {value:10.4g}")
    return results


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    run()

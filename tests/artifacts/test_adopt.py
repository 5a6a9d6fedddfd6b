"""What a worker of the user's own Dask grid made restores as the user's: the kernel signs
the rows its worker signed (with the key the worker's task reported), and nothing else."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from nbjournal.artifacts.saving import adopt
from nbjournal.artifacts.signing import Signature, Signer, own_key
from nbjournal.artifacts.trust import trusted_keys
from nbjournal.store import Artifact


def _row(signer: Signer, fingerprint: str, name: str) -> Artifact:
    digest = name * 32
    signature = signer.sign(fingerprint, "name", name, "pickle", digest)
    return Artifact(
        0, name, "pickle", "dict", 10, digest, extra={"signature": signature.as_extra()}
    )


def test_the_kernel_adopts_its_workers_rows_and_no_one_elses(journal):
    worker = Signer(Ed25519PrivateKey.generate(), "worker@node1")
    mallory = Signer(Ed25519PrivateKey.generate(), "mallory@elsewhere")
    run_id = journal.store.create_run(experiment="grid", fingerprint="f" * 16)
    journal.store.add_artifacts(
        run_id, [_row(worker, "f" * 16, "a"), _row(mallory, "f" * 16, "b"), _row(worker, "x", "c")]
    )
    assert adopt(journal.store, run_id, worker.public) == 1
    by_name = {a.name: Signature.from_extra(a.extra).key for a in journal.store.artifacts(run_id)}
    # the worker's valid row is now the user's; a stranger's row and a row whose signature
    # does not hold (signed over another fingerprint) keep what they had: not trusted here
    assert by_name == {"a": own_key(), "b": mallory.public, "c": worker.public}
    assert by_name["a"] in trusted_keys() and by_name["b"] not in trusted_keys()

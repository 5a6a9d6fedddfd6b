"""The Dask cluster a grid runs on, checked before anything runs: a client (the notebook's,
or one to a scheduler), a journal its workers can reach, the same package versions, and
the cell's inputs shipped to every worker once.
"""

from __future__ import annotations

import ast
import socket
import sys
import uuid
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from ...config import resolve_url
from ...errors import BadInput, JournalError, JournalWarning
from ...store import open_store
from .task import package_versions, warm_worker, worker_facts

if TYPE_CHECKING:
    from distributed import Client, Future

    from .task import WorkerFacts

CONNECT_TIMEOUT_S = 10.0

NO_CLIENT = (
    "--engine dask needs a Dask client: run `from dask.distributed import Client; "
    "client = Client()` (a local cluster) first, or name a scheduler: --engine dask=tcp://HOST:8786"
)
SQLITE_REMOTE = (
    "a SQLite journal cannot be shared with a remote Dask cluster ({where}): its workers "
    "cannot reach this machine's file; set NBJOURNAL_URL (or --journal) to a PostgreSQL journal, "
    "or use a local cluster (Client())"
)
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}


def engine_address(engine: str) -> str | None:
    """``dask`` → ``None`` (the notebook's client); ``dask=ADDRESS`` → the scheduler's address."""
    kind, equals, address = engine.strip().partition("=")
    if kind.strip().lower() != "dask":
        raise BadInput(f"unknown engine {engine!r}: use dask, or dask=ADDRESS for a scheduler")
    if equals and not address.strip():
        raise BadInput("--engine dask= needs a scheduler address, like dask=tcp://HOST:8786")
    return address.strip() or None


@dataclass
class Cluster:
    """The client a grid runs on, and whether this grid opened it (and so closes it)."""

    client: Client
    owned: bool = False
    journal_url: str = ""
    #: The workers' addresses, as :func:`connect` found them.
    workers: list[str] = field(default_factory=list)
    #: The warming tasks (:func:`warm`), held so Dask does not drop them before they run.
    warming: list[Future] = field(default_factory=list)

    def close(self) -> None:
        self.warming = []
        if self.owned:
            self.client.close()


def connect(address: str | None, journal: str | None) -> Cluster:
    """The notebook's client (or one to ``address``), checked: refused with one line before
    anything runs when there is none, or when its workers cannot reach a SQLite journal."""
    try:
        import distributed
    except ImportError:
        raise BadInput('--engine dask needs Dask: pip install "nbjournal[dask]"') from None
    url = resolve_url(journal)
    sqlite = url.startswith("sqlite")
    if address is not None:
        if sqlite and not is_local(address):
            raise BadInput(SQLITE_REMOTE.format(where=address))
        try:
            client = distributed.Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as error:
            raise BadInput(f"cannot reach the Dask scheduler at {address}: {error}") from None
        cluster = Cluster(client, owned=True, journal_url=url)
    else:
        try:
            client = distributed.get_client()
        except ValueError:
            raise BadInput(NO_CLIENT) from None
        cluster = Cluster(client, journal_url=url)
    try:
        facts = cluster.client.run(worker_facts)
        cluster.workers = list(facts)
        assert cluster.client.scheduler is not None  # a connected client has one
        scheduler = cast(str, cluster.client.scheduler.address)
        if sqlite:
            remote = [a for a, f in facts.items() if f["host"] != socket.gethostname()]
            if not is_local(scheduler) or remote:
                raise BadInput(SQLITE_REMOTE.format(where=(remote or [scheduler])[0]))
        warn_versions(facts)
    except BaseException:
        cluster.close()
        raise
    return cluster


def is_local(address: str) -> bool:
    """Whether a scheduler address names this machine (no name is looked up on the network)."""
    if address.startswith("inproc://"):
        return True
    host = address.split("://", 1)[-1].rsplit(":", 1)[0].strip("[]")
    if host in _LOCAL_HOSTS or host.startswith("127.") or host == socket.gethostname():
        return True
    try:
        return host in socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        return False


def warn_versions(facts: Mapping[str, WorkerFacts]) -> None:
    """One warning naming each package whose version on some worker differs from here."""
    here = package_versions()
    differing = []
    for name, mine in here.items():
        theirs = sorted({str(f["versions"].get(name)) for f in facts.values()} - {str(mine)})
        if theirs:
            differing.append(f"{name} {mine} here, {' / '.join(theirs)} on workers")
    if differing:
        warnings.warn(
            "nbjournal: package versions differ between this notebook and the Dask workers: "
            + "; ".join(differing),
            JournalWarning,
            stacklevel=4,
        )


def warm(cluster: Cluster, modules: list[str]) -> None:
    """Start readying every worker (the journal opened, the body's imports done) while the
    notebook prepares the grid: one task per worker, ahead of the points in its queue.

    A worker process imports TensorFlow the first time a body needs it (seconds); done
    here it overlaps the notebook's own preparation instead of delaying the first point."""
    try:  # opened (and created) here first: the workers never migrate a new journal at once
        open_store(cluster.journal_url)
    except JournalError:
        return  # the grid's preparation says so, once
    try:
        client = cluster.client
        token = uuid.uuid4().hex
        cluster.warming = [
            client.submit(
                warm_worker,
                cluster.journal_url,
                modules,
                workers=[address],
                pure=False,
                priority=10,
                key=f"nbjournal-warm-{i}-{token}",
            )
            for i, address in enumerate(cluster.workers)
        ]
    except Exception:  # warming is a convenience: the points import what they need themselves
        cluster.warming = []


def imported_modules(source: str, inputs: Mapping[str, object]) -> list[str]:
    """The top-level packages ``source`` imports, and those of the modules among ``inputs``
    (``import keras`` in an earlier cell, ``keras.Sequential`` in this one)."""
    names: list[str] = []
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython syntax (magics): the inputs still tell
        tree = ast.Module(body=[], type_ignores=[])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module.split(".")[0])
    for value in inputs.values():
        if isinstance(value, type(sys)):
            names.append(value.__name__.split(".")[0])
    return list(dict.fromkeys(n for n in names if n and n != "__future__"))


def function_imports(function: Callable[..., object]) -> list[str]:
    """The top-level packages a function imports (in its body or its nested functions) and
    the modules among the globals it reads: read from its code, which needs no source."""
    import dis

    names: list[str] = []
    codes = [getattr(function, "__code__", None)]
    while codes:
        code = codes.pop()
        if code is None:
            continue
        for instruction in dis.get_instructions(code):
            if instruction.opname == "IMPORT_NAME":
                names.append(str(instruction.argval).split(".")[0])
        codes.extend(c for c in code.co_consts if hasattr(c, "co_code"))
    found = getattr(function, "__globals__", {})
    code = getattr(function, "__code__", None)
    for name in getattr(code, "co_names", ()):
        if isinstance(found.get(name), type(sys)):
            names.append(found[name].__name__.split(".")[0])
    return list(dict.fromkeys(n for n in names if n and n != "__future__"))


def ship(client: Client, inputs: Mapping[str, object]) -> Future | dict[str, object]:
    """The cell's inputs on every worker, once per grid: one future each task receives.

    Values that cannot travel (an open file, a lock) are left out with one warning; a
    body that reads one fails on the worker with its own ``NameError``."""
    if not inputs:
        return {}
    try:
        [future] = client.scatter([inputs], broadcast=True, hash=False)
        return future
    except Exception:  # find which values cannot travel
        import cloudpickle

        kept, dropped = {}, []
        for name, value in inputs.items():
            try:
                cloudpickle.dumps(value)
                kept[name] = value
            except Exception:
                dropped.append(name)
        warnings.warn(
            f"nbjournal: cannot send {', '.join(dropped)} to the Dask workers; "
            "the points run without them",
            JournalWarning,
            stacklevel=4,
        )
        [future] = client.scatter([kept], broadcast=True, hash=False)
        return future

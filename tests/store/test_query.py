"""The search grammar, run as SQL on both backends, and the experiment page's table."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from nbjournal.errors import BadInput
from nbjournal.store import MetricPoint, Store

from .helpers import epochs, ids, new_run


@pytest.fixture
def sweep(store: Store) -> dict[str, int]:
    """Four runs of a sweep over lr, units and activation, with metrics and conclusions."""

    def run(name: str, lr: float, units: int, act: str, acc: float, **extra) -> int:
        run_id = new_run(
            store,
            "sweep",
            params={"lr": lr, "units": units, "act": act, "optimizer": {"class": "Adam"}},
            tags=extra.get("tags", ()),
            hypothesis=extra.get("hypothesis", ""),
        )
        store.add_points(run_id, epochs("val_accuracy", [acc - 0.1, acc]))
        store.finish_run(run_id, extra.get("status", "finished"))
        return run_id

    runs = {
        "small": run("small", 0.003, 32, "relu", 0.95, tags=["baseline"]),
        "wide": run("wide", 0.003, 128, "tanh", 0.98, hypothesis="wider is better"),
        "fast": run("fast", 0.1, 64, "relu", 0.5, status="failed"),
        # a float32 learning rate, as Keras' optimizer config records it
        "f32": run("f32", 0.0010000000474974513, 64, "relu", 0.971),
    }
    store.add_inference(runs["wide"], "it helps", "supported")
    store.add_inference(runs["small"], "too small", "refuted")
    store.add_inference(runs["small"], "a note with no verdict")
    new_run(store, "other", params={"lr": 0.003})  # another experiment, never in the table
    return runs


def matching(store: Store, q: str) -> list[int]:
    return sorted(ids(store.list_runs(experiment="sweep", q=q)))


#: Each term and the runs it selects (one journal read for all: a journal a case cost ~0.8 s)
TERMS = [
    ("lr=0.003", ["small", "wide"]),
    ("lr=1e-3", ["f32"]),  # numbers compare as numbers, float32 noise forgiven
    ("units>=64", ["wide", "fast", "f32"]),
    ("units<64", ["small"]),
    ("units!=64", ["small", "wide"]),
    ("val_accuracy>0.97", ["wide", "f32"]),
    ("act='relu'", ["small", "fast", "f32"]),
    ("act=RELU units>32", ["fast", "f32"]),
    ("optimizer.class=Adam", ["small", "wide", "fast", "f32"]),
    ("verdict:refuted", ["small"]),  # the later note does not erase the verdict
    ("verdict:supported", ["wide"]),
    ("verdict:none", ["fast", "f32"]),
    ("inference:none", ["fast", "f32"]),
    ("status:failed", ["fast"]),
    ("tag:baseline", ["small"]),
    ("wider", ["wide"]),  # free text, as before
    ("lr=0.003 wider", ["wide"]),
    ('"units>=64"', []),  # quoted: text
    ("act in (tanh, RELU) units>32", ["wide", "fast", "f32"]),
    ("units in (32,128)", ["small", "wide"]),
    ("lr in (1e-3, 0.1)", ["fast", "f32"]),
    ("units not in (64)", ["small", "wide"]),
    ("lr!=1e-3", ["small", "wide", "fast"]),  # the float32 text is not "0.001"
    ("act=tanh OR status:failed", ["wide", "fast"]),
    ("units=32 OR units=128 wider", ["small", "wide"]),  # OR binds looser than spaces
    ("lr=0.1 or tag:baseline", ["fast", "small"]),  # `or` between two filters
    ("dropout or not", []),  # `or` in text stays text
]


def test_each_term_selects_exactly_its_runs(store: Store, sweep: dict[str, int]) -> None:
    expected = {q: sorted(sweep[n] for n in names) for q, names in TERMS}
    assert {q: matching(store, q) for q, _ in TERMS} == expected


def test_a_hash_names_one_run(store: Store, sweep: dict[str, int]) -> None:
    assert ids(store.list_runs(q=f"#{sweep['fast']}")) == [sweep["fast"]]


#: Bad terms and what their one message says
BAD_TERMS = [
    ("units>abc", "not a number"),
    ("verdict:maybe", "supported, refuted, inconclusive"),
    ("status:done", "a status is one of"),
    ("#0", "no run has that number"),
    ("lr=", "value is missing"),
    ("colour:red", "unknown filter"),
    ("stauts:failed", "did you mean status:"),
    ("lr=0.1 OR", "OR needs a term on each side"),
    ("OR lr=0.1", "OR needs a term on each side"),
    ("act in ()", "list the values"),
]


def refusal(read: Callable[[], object]) -> str:
    """The message of the ``BadInput`` that ``read`` raises ('' when it reads)."""
    try:
        read()
    except BadInput as refused:
        return str(refused)
    return ""


def test_a_bad_term_is_one_clear_message(store: Store, sweep: dict[str, int]) -> None:
    said = {q: refusal(lambda q=q: store.list_runs(q=q)) for q, _ in BAD_TERMS}
    assert [q for q, says in BAD_TERMS if not re.search(says, said[q])] == [], said


def test_the_table_lists_varying_params_and_final_metrics(
    store: Store, sweep: dict[str, int]
) -> None:
    table = store.experiment_table("sweep")
    assert table.total == 4
    assert table.params == ("act", "lr", "units")  # optimizer.class never varies
    assert table.metrics == ("val_accuracy",)
    assert table.key_metric == "val_accuracy"
    row = next(r for r in table.rows if r.id == sweep["small"])
    assert row.params == {"act": "relu", "lr": 0.003, "units": 32}
    assert row.metrics == {"val_accuracy": pytest.approx(0.95)}
    assert row.verdict == "refuted"
    assert row.inference == "a note with no verdict"
    assert row.duration is not None and row.duration >= 0


@pytest.mark.parametrize(
    ("sort", "order", "names"),
    [
        ("units", "asc", ["small", "f32", "fast", "wide"]),  # ties: newest first
        ("val_accuracy", "desc", ["wide", "f32", "small", "fast"]),
        ("metric.val_accuracy", "asc", ["fast", "small", "f32", "wide"]),
        ("act", "desc", ["wide", "f32", "fast", "small"]),
        ("verdict", "asc", ["small", "wide", "f32", "fast"]),  # no verdict last
        ("id", "asc", ["small", "wide", "fast", "f32"]),
    ],
)
def test_the_table_sorts_by_any_column(
    store: Store, sweep: dict[str, int], sort: str, order: str, names: list[str]
) -> None:
    table = store.experiment_table("sweep", sort=sort, order=order)
    assert [r.id for r in table.rows] == [sweep[n] for n in names]


def test_the_table_pages_and_filters(store: Store, sweep: dict[str, int]) -> None:
    first = store.experiment_table("sweep", sort="id", order="asc", limit=3)
    second = store.experiment_table("sweep", sort="id", order="asc", offset=3, limit=3)
    assert [r.id for r in first.rows + second.rows] == sorted(sweep.values())
    assert first.total == second.total == 4
    filtered = store.experiment_table("sweep", q="units>=64", limit=1)
    assert filtered.total == 3 and len(filtered.rows) == 1


def test_a_returned_metric_is_the_key_metric(store: Store) -> None:
    run_id = new_run(store, "returns")
    store.add_points(run_id, epochs("val_accuracy", [0.9, 0.95]))
    store.add_points(run_id, [MetricPoint("test_accuracy", 0.93, 0, "value")])
    store.finish_run(run_id, "finished")
    assert store.get_run(run_id).key_metric.name == "test_accuracy"
    assert store.experiment_table("returns").key_metric == "test_accuracy"
    assert store.experiment_table("returns").metrics[0] == "test_accuracy"
    assert next(e for e in store.experiments() if e.name == "returns").best_metric == (
        "test_accuracy"
    )


def test_a_note_without_a_verdict_keeps_the_verdict(store: Store) -> None:
    run_id = new_run(store)
    store.add_inference(run_id, "it works", "supported")
    store.add_inference(run_id, "also: lr matters")
    assert store.get_run(run_id).verdict == "supported"
    assert store.list_runs(ids=[run_id])[0].verdict == "supported"
    assert store.get_run(run_id).inference.text == "also: lr matters"


#: Unknown names and bare values, and the closest known names each message gives
UNKNOWN = [
        ("learning_rate=0.1", r"no run in sweep has the parameter or metric learning_rate "
         r"\(did you mean lr\?\)$"),
        ("val_acc>0.9 learning_rate=0.1", r"parameters or metrics val_acc \(did you mean "
         r"val_accuracy\?\); learning_rate \(did you mean lr\?\)"),
        ("untis>3", r"untis \(did you mean units\?\)"),
        ("class=Adam", r"did you mean optimizer\.class\?"),
        ("zzz in (1, 2)", r"zzz; known: act, lr, optimizer\.class, units, val_accuracy$"),
        ("tanh", r"no run mentions tanh in its text; did you mean act=tanh\?"),
]  # fmt: skip


def test_an_unknown_name_or_a_bare_value_says_the_closest_known_names(
    store: Store, sweep: dict[str, int]
) -> None:
    for read in (
        lambda q: store.list_runs(experiment="sweep", q=q),
        lambda q: store.experiment_table("sweep", q=q),
    ):
        said = {q: refusal(lambda q=q, read=read: read(q)) for q, _ in UNKNOWN}
        assert [q for q, says in UNKNOWN if not re.search(says, said[q])] == [], said


def test_a_bare_value_found_in_text_is_text_and_names_other_experiments_have_are_known(
    store: Store, sweep: dict[str, int]
) -> None:
    other = new_run(store, "prose", hypothesis="tanh saturates", params={"depth": 3})
    assert ids(store.list_runs(q="tanh")) == [other]  # the journal's text has it
    assert matching(store, '"tanh"') == []  # quoted: text only, no hint
    assert ids(store.list_runs(q="depth=3")) == [other]  # journal-wide: every experiment's names
    with pytest.raises(BadInput, match="no run in sweep has the parameter or metric depth"):
        matching(store, "depth=3")


def test_a_metric_logged_after_the_names_were_read_is_known(store: Store) -> None:
    run_id = new_run(store, "live", params={"lr": 0.1})
    assert ids(store.list_runs(experiment="live", q="lr=0.1")) == [run_id]  # names read
    store.add_points(run_id, epochs("loss", [0.5]))  # the run's row does not change
    assert ids(store.list_runs(experiment="live", q="loss<1")) == [run_id]

"""What ``--engine dask`` refuses, with one line and nothing run or recorded (no cluster here)."""

from __future__ import annotations

import warnings

import pytest
from IPython.core.error import UsageError

import nbjournal
from nbjournal.errors import BadInput
from nbjournal.grids.dask.cluster import engine_address, warn_versions


def _body(x):
    return x


def test_no_client_and_no_address_says_how_to_make_one_and_runs_nothing(journal_home, journal):
    with pytest.raises(BadInput, match=r"needs a Dask client: run `from dask.distributed import"):
        nbjournal.run_grid("no-client", _body, grid={"x": [1, 2]}, engine="dask")
    assert journal.runs().empty and journal.grids().empty


def test_a_sqlite_journal_with_a_remote_scheduler_is_refused_before_connecting(
    journal_home, journal
):
    with pytest.raises(BadInput, match="a SQLite journal cannot be shared with a remote Dask"):
        nbjournal.run_grid("far", _body, grid={"x": [1, 2]}, engine="dask=tcp://192.0.2.1:8786")
    assert journal.runs().empty and journal.grids().empty


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("--grid x=[1,2] --engine spark", "unknown engine 'spark': use dask, or dask=ADDRESS"),
        ("--grid x=[1,2] --engine dask=", "--engine dask= needs a scheduler address"),
        ("--engine dask", "--engine needs a grid: add --grid NAME=LIST"),
        ("--grid x=[1,2] --engine dask --stop-on-error", "--stop-on-error is not available with"),
        ("--grid x=[1,2] --engine dask", "needs a Dask client"),
    ],
)
def test_the_magic_refuses_with_one_line(shell, journal, line, message):
    with pytest.raises(UsageError) as refused:
        shell.run_cell(f"%%experiment refused {line}\nscore = x")
    assert message in str(refused.value) and "\n" not in str(refused.value)
    assert journal.runs().empty and journal.grids().empty


def test_engine_address_reads_dask_and_a_scheduler():
    assert engine_address("dask") is None
    assert engine_address(" Dask=tcp://10.0.0.5:8786 ") == "tcp://10.0.0.5:8786"


def test_differing_package_versions_on_workers_are_one_warning_naming_them():
    from nbjournal.grids.dask.task import package_versions

    here = package_versions()
    other = {**here, "keras": "0.0.1"}
    facts = {"tcp://a:1": {"host": "a", "versions": here}, "tcp://b:1": {"versions": other}}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn_versions(facts)
        warn_versions({"tcp://a:1": {"versions": here}})
    assert len(caught) == 1
    assert f"keras {here['keras']} here, 0.0.1 on workers" in str(caught[0].message)


def test_the_modules_a_body_imports_are_found_in_its_code_or_its_source():
    from nbjournal.grids.dask.cluster import function_imports, imported_modules

    def body(units):
        import keras.layers
        from sklearn.datasets import load_digits

        def inner():
            import numpy  # noqa: F401

        return warnings, keras.layers, load_digits, inner

    assert function_imports(body) == ["keras", "sklearn", "numpy", "warnings"]
    cell = "import keras\nfrom sklearn import svm\nfrom . import here\nmodel = np.zeros(3)"
    assert imported_modules(cell, {"np": warnings, "X": [1]}) == ["keras", "sklearn", "warnings"]
    assert imported_modules("%time x = 1", {}) == []  # IPython syntax: nothing found, no error

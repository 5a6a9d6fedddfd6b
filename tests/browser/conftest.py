"""A real ``jupyter lab`` with nbjournal, on a journal in a temporary folder, and
Debian's Chromium driven by Playwright.

The server is started as a user would start it (``python -m jupyterlab``), finds
the journal through ``NBJOURNAL_HOME`` as kernels do, and is stopped by its PID.
Tests write runs through the real :class:`nbjournal.store.Store` on the same
SQLite file, then look at what the sidebar shows.

One ``jupyter lab`` serves every module of a test process (an xdist worker): starting one
costs ~3 s of CPU, ~10 s on a busy machine. Each module gets it as if new (``lab``): no
kernel or session, an empty folder, default settings and an empty journal.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: Long enough for a slow, shared machine; these guard against hangs, they time nothing.
PATIENCE_MS = 90_000
START_PATIENCE_S = 180.0

LIGHT = "JupyterLab Light"
DARK = "JupyterLab Dark"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Lab:
    """One ``jupyter lab`` process serving ``root`` over the journal in ``home``
    (``app="notebook"``: Jupyter Notebook 7 instead)."""

    def __init__(self, folder: Path, app: str = "jupyterlab") -> None:
        self.app = app
        self.folder = folder
        self.root = folder / "root"
        self.home = folder / "journal-home"
        self.root.mkdir(parents=True)
        self.home.mkdir(parents=True)
        self.url_db = "sqlite:///" + str(self.home / "journal.db")
        self.token = secrets.token_hex(16)
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"{app}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self._shutting: threading.Thread | None = None

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("NBJOURNAL_URL", None)
        env.update(
            NBJOURNAL_HOME=str(self.home),
            # user-level settings and workspaces of this server only
            JUPYTER_CONFIG_DIR=str(self.folder / "config"),
            JUPYTERLAB_SETTINGS_DIR=str(self.folder / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(self.folder / "workspaces"),
            TF_CPP_MIN_LOG_LEVEL="3",
            PYTHONUNBUFFERED="1",
            # a lab's first statistics request imports pandas and scipy: on a 2-core machine
            # loaded by the rest of the suite that alone can pass the 5 s default (a 503)
            NBJOURNAL_TIMEOUT="30",
        )
        return env

    def start(self) -> None:
        command = [
            sys.executable, "-m", self.app,
            "--no-browser",
            "--allow-root",
            f"--IdentityProvider.token={self.token}",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={self.root}",
            # window.jupyterapp, as JupyterLab's own UI tests (Galata) have it: the tests
            # wait for a notebook's kernel through it (see run_all)
            "--expose-app-in-browser",
        ]  # fmt: skip
        if self.app == "jupyterlab":
            command += [
                "--LabApp.news_url=None",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            ]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=self.root, env=self.environment(), stdout=log, stderr=log
            )
        deadline = time.monotonic() + START_PATIENCE_S
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited at start:\n{self.log.read_text()}")
            try:
                self.get("api/status")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"jupyter lab did not answer:\n{self.log.read_text()}"
                    ) from None
                time.sleep(0.2)
        page = self.get_text("lab" if self.app == "jupyterlab" else "tree")
        if '"name": "nbjournal"' not in page and '"name":"nbjournal"' not in page:
            raise RuntimeError(
                f"{self.app} does not load the nbjournal lab extension: build it and "
                "copy it into the venv with `make labext` (or `pip install -e .`)"
            )

    def request(self, path: str, method: str = "GET", body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.base}/{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            text = response.read().decode()
        return json.loads(text) if text.strip() else None

    def get(self, path: str) -> Any:
        return self.request(path)

    def get_text(self, path: str) -> str:
        request = urllib.request.Request(
            f"{self.base}/{path}", headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read().decode()

    def set_setting(self, plugin: str, values: dict[str, Any]) -> None:
        """Change user settings through JupyterLab's settings API (read on page load)."""
        self.request(f"lab/api/settings/{plugin}", method="PUT", body={"raw": json.dumps(values)})

    def set_theme(self, theme: str) -> None:
        self.set_setting("@jupyterlab/apputils-extension:themes", {"theme": theme})
        # no "get notified about news?" toast over the screenshots
        self.set_setting(
            "@jupyterlab/apputils-extension:notification",
            {"fetchNews": "false", "checkForUpdates": False},
        )

    def shut_kernels(self) -> None:
        """End every notebook session and kernel (so none writes into the next module's journal)."""
        try:
            for session in self.get("api/sessions") or []:
                self.request(f"api/sessions/{session['id']}", method="DELETE")
            for kernel in self.get("api/kernels") or []:
                self.request(f"api/kernels/{kernel['id']}", method="DELETE")
        except (urllib.error.URLError, ConnectionError, OSError):
            pass

    def shut_kernels_in_background(self) -> None:
        """Shut the kernels down while the next module starts (``renew`` waits for it)."""
        self._shutting = threading.Thread(target=self.shut_kernels, name=f"kernels-{self.port}")
        self._shutting.start()

    def _kernels_shut(self) -> None:
        if self._shutting is not None:
            self._shutting.join()
            self._shutting = None

    def renew(self) -> None:
        """The server as if just started, for the next module: no session or kernel left,
        an empty folder, no user settings or workspaces, an empty journal."""
        self._kernels_shut()
        self.shut_kernels()
        for folder in (self.root, self.folder / "settings", self.folder / "workspaces"):
            if folder.exists():
                for entry in folder.iterdir():
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.rmtree(entry)
                    else:
                        entry.unlink()
        empty_journal(self.home / "journal.db")

    def stop(self) -> None:
        self._kernels_shut()
        if self.process is None:
            return
        self.shut_kernels()
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def lab_url(self, path: str = "") -> str:
        return f"{self.base}/lab{('/tree/' + path) if path else ''}?token={self.token}&reset"

    def notebook_url(self, path: str) -> str:
        """A notebook opened in Notebook 7's own page."""
        return f"{self.base}/notebooks/{path}?token={self.token}"


_stopping: list[threading.Thread] = []


def stop_in_background(server: Lab) -> None:
    """Stop ``server`` while the next module starts its own: shutting its kernels down and
    then the server takes ~10 s on a busy machine, which no test needs to wait for."""
    thread = threading.Thread(target=server.stop, name=f"stop-lab-{server.port}")
    thread.start()
    _stopping.append(thread)


@pytest.fixture(scope="session", autouse=True)
def _every_lab_stopped() -> Iterator[None]:
    """The session ends with every lab this process started stopped."""
    yield
    for thread in _stopping:
        thread.join()


def empty_journal(path: Path) -> None:
    """Delete every row of the journal at ``path`` while the server keeps it open.

    The schema stays (its migrations ran once); run ids start at 1 again. A new journal id
    and the next change number make the server's listing and caches read it afresh, as
    they do when a journal file is replaced."""
    if not path.exists():
        return
    with sqlite3.connect(path, timeout=60) as db:
        names = [
            name
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if name not in ("alembic_version", "change_counter", "journal_meta")
        ]
        db.execute("PRAGMA foreign_keys = OFF")
        for name in names:
            db.execute(f'DELETE FROM "{name}"')
        db.execute("UPDATE change_counter SET value = value + 1")
        db.execute("UPDATE journal_meta SET value = ? WHERE key = 'id'", (secrets.token_hex(16),))
    db.close()


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """The one jupyter lab of this test process, started when a module first needs it."""
    server = Lab(tmp_path_factory.mktemp("lab"))
    try:
        server.start()
        yield server
    finally:
        stop_in_background(server)


@pytest.fixture(scope="module")
def lab(lab_server: Lab) -> Iterator[Lab]:
    """A jupyter lab over an empty journal, shared by the tests of one module: the process's
    one server, renewed for the module (empty folder and journal, no kernel, no settings)."""
    from nbjournal.store import forget_stores

    lab_server.renew()
    forget_stores()
    yield lab_server
    lab_server.shut_kernels_in_background()


@pytest.fixture(scope="module")
def store(lab: Lab) -> Iterator[Any]:
    """The journal the server reads, opened by the test (a second process, as a kernel is)."""
    from nbjournal.store import Store

    journal = Store(lab.url_db)
    yield journal
    journal.close()


@pytest.fixture(scope="package")
def chromium() -> Iterator[Any]:
    """Debian's Chromium, one for every browser test (each test has a context of its own).

    Playwright's sync API runs an asyncio loop on this thread while it is open, which
    the asyncio tests of other folders (pytest-jupyter's) must not find, so it closes
    with this folder's last test."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: `make browser-deps` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Dialogs:
    """Every alert/confirm/prompt the page opened (none is expected)."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def __call__(self, dialog: Any) -> None:
        self.messages.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def dialogs() -> Dialogs:
    return Dialogs()


@pytest.fixture
def page_errors() -> list[str]:
    """Uncaught errors of the page's scripts."""
    return []


@pytest.fixture
def page(chromium: Any, lab: Lab, dialogs: Dialogs, page_errors: list[str]) -> Iterator[Any]:
    """A fresh browser page (1280×800), dialogs and uncaught errors recorded."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(PATIENCE_MS)
    context.set_default_navigation_timeout(PATIENCE_MS)
    tab = context.new_page()
    tab.on("dialog", dialogs)
    tab.on("pageerror", lambda error: page_errors.append(str(error)))
    yield tab
    context.close()


def write_notebook(lab: Lab, name: str, *cells: str) -> None:
    """A notebook of these code cells, after ``%load_ext nbjournal``, in the lab's folder."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3", "display_name": "Python 3", "language": "python",
    }  # fmt: skip
    sources = ("%load_ext nbjournal", *cells)
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(notebook, lab.root / name)


#: The page's current notebook: its kernel connected and idle (window.jupyterapp).
KERNEL_IDLE = """() => {
    const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const session = panel && panel.sessionContext && panel.sessionContext.session;
    const kernel = session && session.kernel;
    return !!kernel && kernel.connectionStatus === "connected" && kernel.status === "idle";
}"""


def wait_for_kernel(page: Any) -> None:
    """Until the open notebook's kernel is connected and idle, as a user waits for "Idle".

    A cell run while the kernel is still starting is not queued: JupyterLab's
    ``CodeCell.execute`` finds no kernel on the session, clears the cell and returns, so a
    Run All clicked then leaves every prompt at "[ ]" and nothing ever runs."""
    page.wait_for_function(KERNEL_IDLE, timeout=PATIENCE_MS)


def run_all(page: Any, cells: int) -> None:
    """Run > Run All on the open notebook once its ``cells`` cells are shown and its kernel
    is idle; returns when the first cell has been queued or has run."""
    from playwright.sync_api import expect

    notebook = page.locator(".jp-NotebookPanel").first
    expect(notebook.locator(".jp-Cell")).to_have_count(cells, timeout=PATIENCE_MS)
    wait_for_kernel(page)
    notebook.locator(".jp-Cell").first.click()  # the notebook has the focus: Run All applies
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    # it started: "[*]" queued or "[1]" run (a Run All that ran nothing leaves "[ ]")
    first = notebook.locator(".jp-Cell").first.locator(".jp-InputPrompt")
    expect(first).to_have_text(re.compile(r"\[(\*|\d+)\]"), timeout=PATIENCE_MS)


def open_lab(page: Any, lab: Lab, theme: str = LIGHT, path: str = "") -> None:
    """Load JupyterLab in ``theme`` and wait until its shell is up."""
    lab.set_theme(theme)
    page.goto(lab.lab_url(path))
    page.wait_for_selector("#jp-main-dock-panel")
    page.wait_for_function("expected => document.body.dataset.jpThemeName === expected", arg=theme)


def open_journal(page: Any) -> Any:
    """Show the Journal panel of the left area; returns the panel.

    The tab toggles its panel, and a reloaded page restores its workspace (the panel open)
    when it is ready: a click after that restore closed the panel. So the tab is clicked
    only while the panel is hidden, and again if the restore closed it meanwhile."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    tab = page.locator('li.lm-TabBar-tab[data-id="nbjournal-sidebar"]')
    panel = page.locator("#nbjournal-sidebar")
    for _ in range(5):
        if panel.is_visible():
            return panel
        tab.click()
        try:
            panel.wait_for(state="visible", timeout=15_000)
        except PlaywrightTimeout:
            continue
    panel.wait_for(state="visible")
    return panel


def compare_selected(page: Any) -> Any:
    """Click the sidebar's Compare (ticking runs opens nothing by itself); the compare view."""
    bar = page.locator(".jp-nbjournal-SelectionBar")
    bar.get_by_role("button", name="Compare", exact=True).click()
    return page.locator(".jp-nbjournal-CompareView")


def run_row(page: Any, run_id: int) -> Any:
    return page.locator(f'#nbjournal-sidebar .jp-nbjournal-RunItem[data-run-id="{run_id}"]')


# pytest-jupyter (loaded by the root conftest for the server tests) makes every
# test set up and close an asyncio loop of its own. Playwright's sync API runs
# its loop on this thread, so here those autouse fixtures stand down.
@pytest.fixture
def jp_asyncio_loop() -> Iterator[None]:
    yield None


@pytest.fixture
def jp_server_cleanup() -> Iterator[None]:
    yield None

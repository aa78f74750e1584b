"""The browser tests' harness: a real `roster serve` (waitress, Chinese, as the office runs it) over
a workspace of the sample with a published week, Debian's chromium driven by Playwright, and the
sign-in every flow starts with.

A test module takes the fixtures by name (`served = harness.served`, after `from . import browser
as harness`: imported under their own names they would clash with the tests' arguments); each
module gets one server and one browser, each test a fresh browser context (no cookies of the test
before). With ROSTER_SCREENSHOTS set, `screenshot()` writes full-page PNGs there (the README's
pictures). Playwright never downloads a browser: chromium is Debian's (scripts/browser-deps.sh).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Browser, Page, Response, sync_playwright
from typer.testing import CliRunner

from cli import main as cli
from roster.i18n import CHINESE, speaking, tr

from .conftest import SAMPLE

WEEK = "2022-06-15"
MONDAY, SUNDAY = "2022-06-13", "2022-06-19"
PASSWORD = "Kx9-pass-word-77"
OFFICE = "王芳"
CONTACT, UNIT = "李伟", "渣土所"  # a unit contact and their unit
OTHER_UNIT = "局机关"
# All of 渣土所 but its two leaders away that week: its slots cannot all be staffed, so the
# published week has gaps to show.
AWAY = [f"ZT{n:03}" for n in range(3, 15)]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING = "chromium is missing: run `bash scripts/browser-deps.sh` (Debian's chromium and fonts)"

runner = CliRunner()
T = TypeVar("T")


@dataclass(frozen=True)
class Served:
    """A running server: its address, its workspace and every feed link (`roster links`)."""

    base: str
    folder: Path
    links: list[dict[str, str]]
    log: Path  # the server's standard error

    def feed(self, kind: str, name: str = "") -> str:
        """The address of a feed of `kind` (city, unit, area, volunteer), by token alone."""
        link = next(x for x in self.links if x["kind"] == kind and (not name or name in x.values()))
        return f"{self.base}/ical/{Path(link['path']).name}"


def beside_the_browser(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`call` in a thread of its own, its database connection closed after it.

    Playwright's sync API leaves its event loop marked running in the main thread, and Django
    refuses the database in a thread with a running loop (SynchronousOnlyOperation): a test
    reads the workspace or runs a command between two clicks through this."""

    def closing() -> T:
        from django.db import connections

        try:
            return call(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(closing).result()


def chromium() -> str:
    """Debian's chromium; missing, the test fails on CI (CI set) and is skipped elsewhere."""
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    return executable


def roster(
    folder: Path, *args: str, stdin: str | None = None, codes: tuple[int, ...] = (0,)
) -> str:
    """A command of the office's, in Chinese as the office runs it; its output, or the test fails
    (3 is a plan with gaps, which the week here has on purpose)."""

    def invoke() -> Any:
        with speaking(CHINESE):
            return runner.invoke(cli.app, [*args, "--workspace", str(folder)], input=stdin)

    result = beside_the_browser(invoke)
    assert result.exit_code in codes, (args, result.exit_code, result.output)
    return str(result.stdout)


def make_workspace(folder: Path) -> None:
    """The sample with the week of WEEK planned and published, an office account and a contact of
    UNIT. On PostgreSQL (DATABASE_URL) the one database is emptied first, as the `workspace`
    fixture does."""
    from workspace import config

    config.configure(folder, web=True)
    if os.environ.get("DATABASE_URL"):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    roster(folder, "init", "--tables", str(SAMPLE))
    for volunteer in AWAY:
        roster(folder, "leave", "add", volunteer, MONDAY, SUNDAY, "--reason", "集中培训")
    roster(folder, "plan", "--week", WEEK, codes=(3,))
    roster(folder, "publish", "--week", WEEK)
    roster(folder, "user", "add", OFFICE, "--role", "office", "--password-stdin", stdin=PASSWORD)
    roster(
        folder, "user", "add", CONTACT, "--role", "unit", "--unit", UNIT, "--password-stdin",
        stdin=PASSWORD,
    )  # fmt: skip


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`roster serve` on a free port of 127.0.0.1, in the server's own language (Chinese)."""
    chromium()  # without a browser to look at it, no server is worth the seconds it takes
    folder = tmp_path_factory.mktemp("browser") / "workspace"
    make_workspace(folder)
    links = list(csv.DictReader(io.StringIO(roster(folder, "links"))))
    env = {k: v for k, v in os.environ.items() if k != "ROSTER_LANG"} | {"PYTHONUNBUFFERED": "1"}
    log = folder.parent / "server.log"
    with log.open("w", encoding="utf-8") as errors:
        server = subprocess.Popen(
            [sys.executable, "-m", "roster", "serve", "--port", "0", "--workspace", str(folder)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            encoding="utf-8",
        )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()  # "serving at …", once it listens (port 0: any free one)
        address = re.search(r"http://127\.0\.0\.1:\d+", first)
        assert address, f"the server did not start: {first!r} {log.read_text(encoding='utf-8')}"
        yield Served(address.group(0), folder, links, log)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(served: Served) -> Iterator[Browser]:
    """Debian's chromium, headless.

    Started after the server, whose workspace is made in this thread before Playwright's loop
    runs here (see `beside_the_browser`), and closed before it."""
    executable = chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A new page in a context of its own: no cookies, no language chosen yet."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def sign_in(page: Page, base: str, name: str, password: str) -> Response:
    """Fill the sign-in form and send it; the response of the page it lands on."""
    page.goto(base + "/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", password)
    with page.expect_navigation() as landed:
        page.click("main form button[type=submit]")
    return landed.value


def sign_out(page: Page) -> Response:
    """The header's sign-out button; the response of the page it lands on."""
    with page.expect_navigation() as landed:
        page.click("header form.logout button")
    return landed.value


def screenshot(page: Page, name: str) -> Path | None:
    """The whole page as ROSTER_SCREENSHOTS/<name>.png when that folder is asked for."""
    folder = os.environ.get("ROSTER_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def said(language: str, text: str, **fields: object) -> str:
    """What a page says for `text` in `language` (CHINESE, ENGLISH): the server's own catalog."""
    with speaking(language):
        return tr(text, **fields)


def table_rows(page: Page, selector: str = "table") -> list[list[str]]:
    """The text of each cell of a table's rows of data (its header row left out)."""
    rows = page.locator(f"{selector} tr").all()
    return [[c.inner_text().strip() for c in row.locator("td").all()] for row in rows[1:]]

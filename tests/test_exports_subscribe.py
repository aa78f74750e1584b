"""End to end: a real calendar client subscribes to a volunteer's feed served on loopback.

vdirsyncer's http storage (read-only, like a phone's subscription) syncs the feed into a folder;
khal lists that folder. After a re-solve that takes one duty away, the next sync drops it.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from roster.i18n import speaking
from roster.model import Plan, hhmm
from tests.conftest import read_rows
from tests.export_helpers import LATER, do_export, solved


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    """These tests read the feeds' Chinese words (the default; the tests run in English)."""
    with speaking("zh_Hans"):
        yield


def tool(name: str) -> str:
    found = Path(sys.executable).parent / name
    path = str(found) if found.exists() else shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed; install the test extras: pip install -e '.[test]'")
    return path


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """The export folder, and the loopback URL its ical/ folder is served at."""
    out = tmp_path / "out"
    (out / "ical").mkdir(parents=True)

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(out / "ical"))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield out, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def configure(home: Path, url: str) -> tuple[Path, Path]:
    calendars = home / "calendars" / "mine"
    calendars.mkdir(parents=True)
    vdir = home / "vdirsyncer.conf"
    vdir.write_text(
        f"""[general]
status_path = "{home / "status"}/"

[pair duty]
a = "duty_feed"
b = "duty_local"
collections = null
conflict_resolution = "a wins"

[storage duty_feed]
type = "http"
url = "{url}"

[storage duty_local]
type = "filesystem"
path = "{calendars}/"
fileext = ".ics"
""",
        encoding="utf-8",
    )
    khal = home / "khal.conf"
    khal.write_text(
        f"""[calendars]
[[mine]]
path = {calendars}/
type = calendar

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = Asia/Shanghai
default_timezone = Asia/Shanghai

[sqlite]
path = {home / "khal.db"}
""",
        encoding="utf-8",
    )
    return vdir, khal


def sync(vdir: Path) -> None:
    for command in ("discover", "sync"):
        done = subprocess.run(
            [tool("vdirsyncer"), "-c", str(vdir), command],
            input="y\n",
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr


def listed(khal: Path) -> list[str]:
    done = subprocess.run(
        [
            tool("khal"),
            "-c",
            str(khal),
            "list",
            "--day-format",
            "",
            "--format",
            "{start}|{end}|{title}",
            "2022-06-13",
            "2022-06-19",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return sorted(line for line in done.stdout.splitlines() if line.strip())


def test_a_subscribed_calendar_shows_the_volunteers_duties_and_drops_a_removed_one(
    sample_plan: Plan, served: tuple[Path, str], tmp_path: Path
) -> None:
    out, base = served
    rows, gaps = solved(sample_plan)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.volunteer_id] = counts.get(r.volunteer_id, 0) + 1
    who = min(v for v, n in counts.items() if n >= 2)
    do_export(sample_plan, rows, gaps, out, tmp_path / "state")
    link = next(r[3] for r in read_rows(out / "feeds.csv")[1:] if r[0] == who)
    vdir, khal = configure(tmp_path / "client", f"{base}/{link.removeprefix('ical/')}")

    def expected(kept: tuple) -> list[str]:
        return sorted(
            f"{r.date} {hhmm(r.start)}|{r.date} {hhmm(r.end)}|{r.duty}｜{r.area}"
            for r in kept
            if r.volunteer_id == who
        )

    sync(vdir)
    assert listed(khal) == expected(rows)

    dropped = next(r for r in rows if r.volunteer_id == who)
    fewer = tuple(r for r in rows if r != dropped)
    do_export(sample_plan, fewer, gaps, out, tmp_path / "state", LATER)
    sync(vdir)
    shown = listed(khal)
    assert shown == expected(fewer)
    assert len(shown) == counts[who] - 1

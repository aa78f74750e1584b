"""Crashes: a run killed at any step of writing leaves the previous output or the complete new one.

Each test runs `roster solve` as a user would (a process of its own) and kills it with SIGKILL
at one of the named points the export passes (`roster.faults`), found by a first run that traces
them. The output folder is then compared, byte for byte, with the previous export and with the
export an uninterrupted run makes.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from roster.faults import FAULT, TRACE
from roster.fileio import folder_lock

from .conftest import SAMPLE

EPOCH = "1655000000"  # 2022-06-12: the same stamps in every run


def roster(
    *args: str, env: dict[str, str] | None = None, stderr: object = subprocess.PIPE
) -> subprocess.Popen[str]:
    """`roster ARGS` in a process of its own, in English, with a fixed clock."""
    environment = {**os.environ, "ROSTER_LANG": "en", "SOURCE_DATE_EPOCH": EPOCH}
    environment.pop(FAULT, None)
    environment.update(env or {})
    return subprocess.Popen(
        [sys.executable, "-m", "roster", *args],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=stderr,  # type: ignore[arg-type]
        text=True,
    )


def solve(data: Path, out: Path, week: str = "2022-06-15", **env: str) -> subprocess.Popen[str]:
    return roster("solve", str(data), "--week", week, "--out", str(out), env=env)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of an output folder but the lock and what a run stages or leaves to finish;
    of made_from.txt, which names the tables' folder of each copy, its last part."""
    return {
        str(p.relative_to(folder)): (
            Path(p.read_text("utf-8").strip()).name.encode()
            if p.name == "made_from.txt"
            else p.read_bytes()
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and p.name != ".roster.lock"
        and not p.relative_to(folder).parts[0].startswith(".roster-")
    }


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The week of 2022-06-08 exported (the previous output), then the week of 2022-06-15 over
    it without a fault (the new one), and the points that second run passed."""
    base = tmp_path_factory.mktemp("crash")
    data, out = base / "data", base / "out"
    shutil.copytree(SAMPLE, data)
    first = solve(data, out, "2022-06-08")
    assert first.wait(120) == 0, first.communicate()
    previous = (snapshot(out), snapshot(data))
    done = base / "done"
    shutil.copytree(base, done, ignore=shutil.ignore_patterns("done"))
    trace = base / "trace.txt"
    second = solve(done / "data", done / "out", **{TRACE: str(trace)})
    assert second.wait(120) == 0, second.communicate()
    points = trace.read_text("utf-8").split()
    return {
        "base": base,
        "previous": previous,
        "new": snapshot(done / "out"),
        "points": points,
    }


def test_the_export_passes_a_point_at_every_step(exports: dict[str, object]) -> None:
    points = exports["points"]
    assert isinstance(points, list)
    for name in ("export:feeds", "export:workbooks", "export:state", "export:committed"):
        assert name in points
    for entry in ("assignments.csv", "shortfalls.csv", "feeds.csv", "ical", "excel"):
        assert f"export:moved:{entry}" in points


def _links_kept(data: Path, out: Path) -> None:
    """Every link feeds.csv hands out is one the state keeps, and opens a feed file."""
    feeds = list(csv.reader(io.StringIO((out / "feeds.csv").read_text("utf-8-sig"))))[1:]
    tokens = dict(list(csv.reader(io.StringIO((data / "feed_tokens.csv").read_text("utf-8"))))[1:])
    for vid, _name, _unit, path, _url in feeds:
        assert path == f"ical/volunteers/{tokens[vid]}.ics"
        assert (out / path).is_file()


def test_a_kill_at_any_step_leaves_the_previous_output_or_the_complete_new_one(
    exports: dict[str, object], tmp_path: Path
) -> None:
    base, points = exports["base"], exports["points"]
    assert isinstance(base, Path) and isinstance(points, list)
    previous, new = exports["previous"], exports["new"]
    assert isinstance(previous, tuple)
    seen = set()
    for point in points:
        run = tmp_path / point.replace(":", "_")
        shutil.copytree(base, run, ignore=shutil.ignore_patterns("done", "trace.txt"))
        data, out = run / "data", run / "out"
        killed = solve(data, out, **{FAULT: point})
        assert killed.wait(120) == -signal.SIGKILL, (point, killed.communicate())
        now = snapshot(out)
        if now == previous[0]:
            seen.add("previous")
        elif now == new:
            seen.add("new")
        else:  # killed while moving the entries: the next run finishes the move first
            assert (out / ".roster-commit" / "ENTRIES").is_file(), point
            again = roster("export", str(out))
            stdout, stderr = again.communicate(timeout=120)
            assert again.returncode == 0, stderr
            assert "was interrupted while replacing its files" in stdout
            assert snapshot(out) == new, point
            seen.add("finished")
        _links_kept(data, out)
        assert not [p for p in out.iterdir() if p.name.startswith(".roster-")] or point
    assert seen == {"previous", "new", "finished"}


def test_a_second_run_into_the_same_folder_waits_for_the_first(
    exports: dict[str, object], tmp_path: Path
) -> None:
    base, previous = exports["base"], exports["previous"]
    assert isinstance(base, Path) and isinstance(previous, tuple)
    run = tmp_path / "run"
    shutil.copytree(base, run, ignore=shutil.ignore_patterns("done", "trace.txt"))
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:  # another run, writing into the folder
        with folder_lock(run / "out"):
            holding.set()
            release.wait(120)

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(10)
    log = tmp_path / "stderr.txt"
    with open(log, "w", encoding="utf-8") as stderr:
        waiting = roster(
            "solve",
            str(run / "data"),
            "--week",
            "2022-06-15",
            "--out",
            str(run / "out"),
            stderr=stderr,
        )
        deadline = time.monotonic() + 120
        while "another roster command is writing into" not in log.read_text("utf-8"):
            assert waiting.poll() is None and time.monotonic() < deadline, log.read_text("utf-8")
            time.sleep(0.1)
        time.sleep(0.5)
        assert waiting.poll() is None  # it waits ...
        assert snapshot(run / "out") == previous[0]  # ... and has written nothing
        release.set()
        holder.join()
        assert waiting.wait(120) == 0, log.read_text("utf-8")
    assert snapshot(run / "out") == exports["new"]


def _group(pgid: int) -> list[int]:
    """The processes still alive in the process group `pgid`."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_no_worker_process_outlives_a_killed_run(tmp_path: Path) -> None:
    city = tmp_path / "city"
    made = roster(
        "synth", "--units", "12", "--volunteers", "300", "--seed", "3", "--out", str(city)
    )
    assert made.wait(120) == 0, made.communicate()
    env = {**os.environ, "ROSTER_LANG": "en", FAULT: "export:feeds"}
    # the workbooks are being built by worker processes when the run is killed
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "roster",
            "solve",
            str(city),
            "--week",
            "2022-06-15",
            "--out",
            str(tmp_path / "out"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    assert run.wait(300) == -signal.SIGKILL
    deadline = time.monotonic() + 5
    while _group(run.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _group(run.pid) == []

"""Write a roster's feeds and workbooks into an output folder, all or nothing.

Everything is built in a staging folder beside the target, then committed (`exports.commit`):
the tables, `feeds.csv`, `ical/` and `excel/` are replaced together, so a failure or a kill
part-way leaves the previous export as it was, or the new one complete.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from exports.commit import staged
from exports.excel import master_workbook, unit_workbook
from exports.feedstate import FeedState
from exports.ical import FeedWriter, feed_url
from exports.names import MASTER, unit_stems
from exports.tables import english
from exports.view import RosterView
from roster.csvfile import excel_csv_text
from roster.faults import point
from roster.i18n import language, set_language, tr
from roster.model import Settings
from roster.processes import die_with_parent

FEEDS_COLUMNS = ("volunteer_id", "volunteer_name", "unit", "path", "url")
FEEDS_HEADERS_ZH = ("编号", "姓名", "所属单位", "订阅文件", "订阅链接")


@dataclass(frozen=True)
class ExportSummary:
    feeds: int
    volunteer_feeds: int
    workbooks: int
    events_changed: int
    files_changed: int


def export(
    view: RosterView,
    settings: Settings,
    out_dir: Path,
    state: FeedState,
    progress: Callable[[str], None] = lambda _: None,
    workers: int = 1,
    shared: Mapping[tuple[str, str], str] | None = None,
    files: Mapping[str, bytes] | None = None,
) -> ExportSummary:
    """Write `out_dir/ical/…`, `out_dir/excel/…`, `out_dir/feeds.csv` and `files` (name → bytes:
    the roster's tables) together; the state is saved before they replace the previous ones, so
    a link in the new feeds.csv is always one the state keeps.

    `feeds.csv` (names → feed links) stays outside `ical/`, the folder that is published.
    `shared` maps ("city", ""), ("unit", name) and ("area", name) to tokens: those feeds are then
    written as `city/<token>.ics`, `units/<token>.ics` and `areas/<token>.ics`, every area of
    `shared` included, so that a link handed out opens its feed and nothing else.
    """
    units = sorted({t.unit for t in view.current} | set(view.units))
    with staged(out_dir) as stage, _Workbooks(view, units, workers) as workbooks:
        put = _Files(stage.path, out_dir)
        for name, data in (files or {}).items():
            put(name, data)
        progress(tr("calendar feeds"))
        tokens = {v[0]: state.token_for(v[0]) for v in view.volunteers}
        feeds = 0
        for feed in FeedWriter(view, settings, state).feeds(tokens, shared):
            put(f"ical/{feed.path}", feed.data)
            feeds += 1
        point("export:feeds")
        rows = [
            (
                vid,
                name,
                unit,
                f"ical/volunteers/{tokens[vid]}.ics",
                feed_url(settings.feed_base_url, f"volunteers/{tokens[vid]}.ics")
                if settings.feed_base_url
                else "",
            )
            for vid, name, unit, _ in sorted(view.volunteers)
        ]
        text = excel_csv_text(FEEDS_COLUMNS if english() else FEEDS_HEADERS_ZH, rows)
        put("feeds.csv", text.encode("utf-8-sig"))
        progress(tr("workbooks"))
        (stage.path / "excel").mkdir()
        for name, data in workbooks:
            put(f"excel/{name}", data)
        point("export:workbooks")
        state.save()
        point("export:state")
        stage.commit()
    return ExportSummary(
        feeds=feeds,
        volunteer_feeds=len(tokens),
        workbooks=len(units) + 1,
        events_changed=state.changed,
        files_changed=put.changed,
    )


def _workbook(view: RosterView, unit: str | None, stem: str) -> tuple[str, bytes]:
    """The master workbook (unit None) or one unit's, with its file name."""
    if unit is None:
        return f"{MASTER}.xlsx", master_workbook(view)
    return f"{stem}.xlsx", unit_workbook(view, unit)


class _Worker:
    """A worker process's copy of the view, sent once when the process starts rather than with
    every workbook: the process pool's initializer sets it, and only in worker processes. The
    language goes with it: a process started afresh would otherwise read ROSTER_LANG again."""

    view: RosterView | None = None

    @classmethod
    def start(cls, view: RosterView, lang: str) -> None:
        die_with_parent()
        cls.view = view
        set_language(lang)

    @classmethod
    def build(cls, job: tuple[str | None, str]) -> tuple[str, bytes]:
        assert cls.view is not None, "called outside a worker process"
        return _workbook(cls.view, *job)


class _Workbooks:
    """The master and every unit's workbook, built across `workers` processes when more than
    one, starting as soon as the context is entered (so they overlap with the feeds)."""

    def __init__(self, view: RosterView, units: list[str], workers: int) -> None:
        self.view = view
        stems = unit_stems(units)
        self.jobs: list[tuple[str | None, str]] = [(None, MASTER), *((u, stems[u]) for u in units)]
        self.workers = workers if len(units) >= 8 else 1
        self.pool = (
            ProcessPoolExecutor(workers, initializer=_Worker.start, initargs=(view, language()))
            if self.workers > 1
            else None
        )

    def __enter__(self) -> Iterator[tuple[str, bytes]]:
        if self.pool is None:
            return (_workbook(self.view, *job) for job in self.jobs)
        size = max(1, len(self.jobs) // (8 * self.workers))
        return self.pool.map(_Worker.build, self.jobs, chunksize=size)

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


class _Files:
    """Puts the new export's files into the staging folder and counts those that differ from (or
    are missing in) the previous export. A file equal to the previous one is linked to it instead
    of written again: the thousands of feeds that an export leaves as they were then cost neither
    a new inode nor, once the previous export is removed, a freed one. (On ext4 without a journal,
    each inode allocated soon after many were freed scans past every one of them: most of the
    time of re-exporting a city went there.) The previous file is never changed: linking only
    gives its content a second name."""

    def __init__(self, staging: Path, previous: Path) -> None:
        self.staging = str(staging)
        self.previous = str(previous)
        self.changed = 0
        self.folders: set[str] = {self.staging}
        self.earlier: dict[str, bool] = {}  # previous export's folders: whether each is there

    def __call__(self, name: str, data: bytes) -> None:
        # Plain strings and os calls: a province writes 90,000 files, and pathlib's objects and
        # buffered files cost as much as the kernel's work.
        path = os.path.join(self.staging, name)
        folder = os.path.dirname(path)
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)
        before = os.path.join(self.previous, name)
        earlier = os.path.dirname(before)
        if earlier not in self.earlier:
            self.earlier[earlier] = os.path.isdir(earlier)
        if self.earlier[earlier] and _same(before, data):
            if _linked(before, path):
                return
        else:
            self.changed += 1
        _write(path, data)


def _write(path: str, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _same(path: str, data: bytes) -> bool:
    """Whether `path` is a file holding exactly `data` (its size is looked at first)."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as f:
            return f.read() == data
    except OSError:  # missing, a folder, unreadable: written anew
        return False


def _linked(before: str, path: str) -> bool:
    """`path` made a second name of the regular file `before`; False where that cannot be done
    (a symbolic link, another file system, no hard links there): the caller writes it."""
    try:
        if not stat.S_ISREG(os.lstat(before).st_mode):
            return False
        os.link(before, path, follow_symlinks=False)
    except OSError:
        return False
    return True

"""Write a roster's feeds and workbooks into an output folder, all or nothing.

Everything is built in a staging folder beside the target; then `ical/` and `excel/` are swapped in
by renames and `feeds.csv` replaced, so a failure part-way leaves the previous export as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from exports.excel import master_workbook, unit_workbook
from exports.feedstate import FeedState
from exports.ical import FeedWriter, feed_url, safe_name
from exports.view import RosterView
from roster.fileio import csv_text
from roster.model import Settings

FEEDS_COLUMNS = ("volunteer_id", "volunteer_name", "unit", "path", "url")


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
) -> ExportSummary:
    """Write `out_dir/ical/…`, `out_dir/excel/…` and `out_dir/feeds.csv`; then save the state.

    `feeds.csv` (names → feed links) stays outside `ical/`, the folder that is published.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=out_dir))
    try:
        progress("calendar feeds")
        tokens = {v[0]: state.token_for(v[0]) for v in view.volunteers}
        feeds = FeedWriter(view, settings, state).feeds(tokens)
        for feed in feeds:
            path = staging / "ical" / feed.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(feed.data)
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
        (staging / "feeds.csv").write_text(csv_text(FEEDS_COLUMNS, rows), encoding="utf-8-sig")
        progress("workbooks")
        excel = staging / "excel"
        excel.mkdir()
        units = sorted({t.unit for t in view.current} | set(view.units))
        for unit in units:
            (excel / f"{safe_name(unit)}.xlsx").write_bytes(unit_workbook(view, unit))
        (excel / "roster.xlsx").write_bytes(master_workbook(view))
        changed = _count_changed(staging, out_dir)
        for name in ("ical", "excel"):
            old = out_dir / name
            if old.exists():
                os.replace(old, staging / f"old-{name}")
            os.replace(staging / name, old)
        os.replace(staging / "feeds.csv", out_dir / "feeds.csv")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    state.save()
    return ExportSummary(
        feeds=len(feeds),
        volunteer_feeds=len(tokens),
        workbooks=len(units) + 1,
        events_changed=state.changed,
        files_changed=changed,
    )


def _count_changed(new: Path, old: Path) -> int:
    """Files of the new export that differ from (or are missing in) the previous one."""
    changed = 0
    for path in new.rglob("*"):
        if path.is_file():
            before = old / path.relative_to(new)
            if not before.is_file() or before.read_bytes() != path.read_bytes():
                changed += 1
    return changed

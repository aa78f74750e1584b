"""Writing an export over the previous one: unchanged files linked, changed ones written anew."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from exports.feedstate import FeedState
from exports.publish import ExportSummary, export
from exports.view import build_view
from roster.assignments import AssignmentRow
from roster.model import Plan
from tests.export_helpers import LATER, NOW, WEEK, files, solved


def _export(plan: Plan, rows: tuple[AssignmentRow, ...], tmp_path: Path, now) -> ExportSummary:
    state = FeedState.load(tmp_path / "state", now)
    return export(build_view(plan, rows, (), *WEEK), plan.settings, tmp_path / "out", state)


def _inodes(folder: Path) -> dict[str, int]:
    return {k: (folder / k).stat().st_ino for k in files(folder)}


def test_an_unchanged_export_keeps_every_file_as_it_was(sample_plan: Plan, tmp_path: Path) -> None:
    rows, _ = solved(sample_plan)
    _export(sample_plan, rows, tmp_path, NOW)
    before, inodes = files(tmp_path / "out"), _inodes(tmp_path / "out")
    summary = _export(sample_plan, rows, tmp_path, LATER)
    assert files(tmp_path / "out") == before
    assert _inodes(tmp_path / "out") == inodes  # linked, not written again
    assert summary.files_changed == 0
    assert all((tmp_path / "out" / k).stat().st_nlink == 1 for k in before)


def test_changed_files_are_new_and_counted_and_the_previous_ones_untouched(
    sample_plan: Plan, tmp_path: Path
) -> None:
    rows, _ = solved(sample_plan)
    _export(sample_plan, rows, tmp_path, NOW)
    out = tmp_path / "out"
    before, inodes = files(out), _inodes(out)
    # A name kept for every file of the first export: the second must not change their bytes.
    kept = tmp_path / "kept"
    for k in before:
        (kept / k).parent.mkdir(parents=True, exist_ok=True)
        os.link(out / k, kept / k)
    moved = next(r for r in rows if not r.leader)
    busy = {r.volunteer_id for r in rows if r.date == moved.date}
    sub = next(v for v in sample_plan.volunteers if v.unit == moved.unit and v.id not in busy)
    changed_rows = tuple(
        replace(r, volunteer_id=sub.id, volunteer_name=sub.name) if r == moved else r for r in rows
    )
    summary = _export(sample_plan, changed_rows, tmp_path, LATER)
    after = files(out)
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed and len(changed) < len(after)
    assert summary.files_changed == len(changed)
    now = _inodes(out)
    assert all(now[k] != inodes.get(k) for k in changed)
    assert all(now[k] == inodes[k] for k in after if k not in changed)
    assert files(kept) == before

"""Solve a sample week once and export it, for the feed and workbook tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from application.rows import assignment_rows, shortfall_rows
from exports.feedstate import FeedState
from exports.publish import export
from exports.view import build_view
from roster.assignments import AssignmentRow, ShortfallRow
from roster.model import Plan
from solver import Params
from solver.solve import solve

WEEK = (date(2022, 6, 13), date(2022, 6, 19))
NOW = datetime(2022, 6, 10, 9, 0, tzinfo=UTC)
LATER = datetime(2022, 6, 14, 12, 0, tzinfo=UTC)


def solved(plan: Plan, seed: int = 0) -> tuple[tuple[AssignmentRow, ...], tuple[ShortfallRow, ...]]:
    result = solve(plan, *WEEK, Params(seed=seed))
    return assignment_rows(result), shortfall_rows(result)


def do_export(
    plan: Plan,
    rows: tuple[AssignmentRow, ...],
    gaps: tuple[ShortfallRow, ...],
    out: Path,
    state_dir: Path,
    now: datetime = NOW,
    **settings: object,
) -> FeedState:
    if settings:
        plan = replace(plan, settings=replace(plan.settings, **settings))
    state = FeedState.load(state_dir, now)
    export(build_view(plan, rows, gaps, *WEEK), plan.settings, out, state)
    return state


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }

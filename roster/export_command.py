"""`roster export` and the export step of `roster solve`: feeds and workbooks from roster rows."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from rich.console import Console

from exports.feedstate import FeedState
from exports.publish import export
from exports.view import build_view
from roster.assignments import AssignmentRow, ShortfallRow, read_assignments, read_shortfalls
from roster.errors import InputError, Problem, Source
from roster.model import Plan


def now() -> datetime:
    """The export's clock: SOURCE_DATE_EPOCH when set (reproducible builds), else the time now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def state_folder(data: Path | None, out_dir: Path) -> Path:
    """Feed tokens and stamps live beside the tables; for the shipped sample, in the output."""
    if data is None:
        return out_dir
    return data if data.is_dir() else data.parent


def write_exports(
    err: Console,
    plan: Plan,
    rows: tuple[AssignmentRow, ...],
    shortfalls: tuple[ShortfallRow, ...],
    first: date,
    last: date,
    out_dir: Path,
    state_dir: Path,
    history: tuple[AssignmentRow, ...] = (),
) -> str:
    """Write the feeds and workbooks; return a one-line account of what was written."""
    view = build_view(plan, rows, shortfalls, first, last, history)
    state = FeedState.load(state_dir, now())
    with err.status("writing exports") as status:
        summary = export(
            view,
            plan.settings,
            out_dir,
            state,
            lambda what: status.update(f"writing {what}"),
            workers=os.cpu_count() or 1,
        )
    return (
        f"wrote {summary.feeds} calendar feeds to {out_dir / 'ical'} ({summary.volunteer_feeds} "
        f"personal; links in {out_dir / 'feeds.csv'}) and {summary.workbooks} workbooks to "
        f"{out_dir / 'excel'}; {summary.files_changed} files changed since the last export; feed "
        f"tokens kept in {state_dir / 'feed_tokens.csv'}"
    )


def run_export(
    err: Console,
    plan: Plan,
    out_dir: Path,
    state_dir: Path,
    first: date | None,
    last: date | None,
    history: list[Path],
) -> str:
    """Rebuild the exports of `out_dir` from its assignments.csv (and shortfalls.csv, if any)."""
    rows = read_assignments(out_dir / "assignments.csv")
    gaps_path = out_dir / "shortfalls.csv"
    gaps = read_shortfalls(gaps_path) if gaps_path.is_file() else ()
    dates = [r.date for r in rows] + [g.date for g in gaps]
    if not dates and (first is None or last is None):
        raise InputError(
            [
                Problem(
                    "the roster is empty and no period was given",
                    Source(str(out_dir / "assignments.csv")),
                    expected="rows, or --from and --to",
                )
            ]
        )
    if first is None:
        first = max(min(dates) - timedelta(days=min(dates).weekday()), plan.settings.start)
    if last is None:
        last = min(max(dates) + timedelta(days=6 - max(dates).weekday()), plan.settings.end)
    past = tuple(row for path in history for row in read_assignments(path))
    return write_exports(err, plan, rows, gaps, first, last, out_dir, state_dir, past)

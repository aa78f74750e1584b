"""Writing a roster: its CSV tables, its calendar feeds and workbooks, or the conflicts of --strict.

Every file is written atomically; the feeds and workbooks are swapped in whole by
`exports.publish`, so a failure leaves the previous outputs as they were.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from exports.feedstate import FeedState
from exports.publish import ExportSummary, export
from exports.tables import assignments_csv, shortfalls_csv
from exports.view import build_view
from roster.assignments import AssignmentRow, ShortfallRow
from roster.fileio import write_text
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


@dataclass(frozen=True)
class OutputRequest:
    """A roster to write into `out_dir`: its rows, the period they cover and earlier periods' rows
    (kept in the feeds). Feed links and stamps are kept in `state_dir`."""

    plan: Plan
    rows: tuple[AssignmentRow, ...]
    gaps: tuple[ShortfallRow, ...]
    first: date
    last: date
    out_dir: Path
    state_dir: Path
    history: tuple[AssignmentRow, ...] = ()
    workers: int | None = None
    # A workspace keeps the feed state in its database and gives the city, unit and area feeds
    # links of their own: (kind, name) -> token, see `exports.publish.export`.
    state: FeedState | None = None
    shared: Mapping[tuple[str, str], str] | None = None


@dataclass(frozen=True)
class Written:
    """Where everything went."""

    out_dir: Path
    state_dir: Path
    tables: tuple[Path, ...]
    export: ExportSummary | None


def write_tables(request: OutputRequest) -> tuple[Path, Path]:
    """assignments.csv and shortfalls.csv, with a BOM so that Excel reads them as UTF-8."""
    assignments = request.out_dir / "assignments.csv"
    shortfalls = request.out_dir / "shortfalls.csv"
    write_text(assignments, assignments_csv(request.rows), encoding="utf-8-sig")
    write_text(shortfalls, shortfalls_csv(request.gaps), encoding="utf-8-sig")
    return assignments, shortfalls


def write_exports(
    request: OutputRequest, progress: Callable[[str], None] = lambda _: None
) -> ExportSummary:
    """The calendar feeds, the workbooks and feeds.csv; `progress` names each step as it starts."""
    r = request
    view = build_view(r.plan, r.rows, r.gaps, r.first, r.last, r.history)
    state = r.state or FeedState.load(r.state_dir, now())
    workers = r.workers or os.cpu_count() or 1
    return export(
        view, r.plan.settings, r.out_dir, state, progress, workers=workers, shared=r.shared
    )


def write_outputs(
    request: OutputRequest, progress: Callable[[str], None] = lambda _: None
) -> Written:
    """Everything `roster solve` writes for a roster: the tables, then the exports."""
    tables = write_tables(request)
    summary = write_exports(request, progress)
    return Written(request.out_dir, request.state_dir, tables, summary)


def write_conflicts(out_dir: Path, conflicts: tuple[str, ...]) -> Path:
    """--strict without a roster: the requirements that cannot all be met, one per line."""
    path = out_dir / "conflicts.txt"
    write_text(path, "\n".join(conflicts) + "\n")
    return path


MADE_FROM = "made_from.txt"
SAMPLE = "(sample)"


def record_source(out_dir: Path, data: Path | None) -> None:
    """Say in the output folder which tables it was made from (`roster export DIR` reads it)."""
    write_text(out_dir / MADE_FROM, (str(data.resolve()) if data else SAMPLE) + "\n")


def recorded_source(out_dir: Path) -> tuple[bool, Path | None]:
    """(found, tables) of `record_source`: tables None is the shipped sample."""
    path = out_dir / MADE_FROM
    if not path.is_file():
        return False, None
    text = path.read_text(encoding="utf-8").strip()
    return True, None if text == SAMPLE else Path(text)

"""Writing a roster: its CSV tables, its calendar feeds and workbooks, or the conflicts of --strict.

The tables, feeds and workbooks of one roster are committed together (`exports.commit`), so a
failure or a kill leaves the previous outputs as they were or the new ones complete. A run holds
the output folder's and the state folder's locks while it writes: a second run into the same
folder waits for the first.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from exports.commit import recover
from exports.feedstate import FeedState
from exports.publish import ExportSummary, export
from exports.tables import assignments_csv, shortfalls_csv
from exports.view import build_view
from roster.assignments import AssignmentRow, ShortfallRow
from roster.fileio import folder_lock, write_bytes, write_text
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
    recovered: bool = False  # an interrupted earlier run's output was completed first


def check_state(state_dir: Path) -> None:
    """Read the feed state before a long solve, so that a damaged token or stamp file is named
    at once (InputError) rather than after the solve."""
    FeedState.load(state_dir, now())


def table_files(request: OutputRequest) -> dict[str, bytes]:
    """assignments.csv and shortfalls.csv, with a BOM so that Excel reads them as UTF-8."""
    return {
        "assignments.csv": assignments_csv(request.rows).encode("utf-8-sig"),
        "shortfalls.csv": shortfalls_csv(request.gaps).encode("utf-8-sig"),
    }


def write_tables(request: OutputRequest) -> tuple[Path, Path]:
    """The tables alone (a workspace's draft, written into a folder of its own)."""
    paths = []
    for name, data in table_files(request).items():
        write_bytes(request.out_dir / name, data)
        paths.append(request.out_dir / name)
    return paths[0], paths[1]


Waiting = Callable[[Path], None]


@contextmanager
def output_folder(out_dir: Path, waiting: Waiting = lambda _: None) -> Iterator[bool]:
    """`out_dir` locked (`waiting` is told when another run holds it) and an interrupted earlier
    run's commit finished: True if there was one. Hold it to read an output folder's tables."""
    with folder_lock(out_dir, waiting):
        yield recover(out_dir)


@contextmanager
def writing(request: OutputRequest, waiting: Waiting = lambda _: None) -> Iterator[bool]:
    """The output folder (`output_folder`), then the state folder, locked: always in that order,
    so that two runs never wait for each other."""
    with (
        output_folder(request.out_dir, waiting) as recovered,
        folder_lock(request.state_dir, waiting),
    ):
        yield recovered


def write_exports(
    request: OutputRequest,
    progress: Callable[[str], None] = lambda _: None,
    files: Mapping[str, bytes] | None = None,
) -> ExportSummary:
    """The calendar feeds, the workbooks and feeds.csv (with `files`, committed together);
    `progress` names each step as it starts. The caller holds the folders (`writing`)."""
    r = request
    view = build_view(r.plan, r.rows, r.gaps, r.first, r.last, r.history)
    state = r.state or FeedState.load(r.state_dir, now())
    workers = r.workers or os.cpu_count() or 1
    return export(
        view,
        r.plan.settings,
        r.out_dir,
        state,
        progress,
        workers=workers,
        shared=r.shared,
        files=files,
    )


def write_outputs(
    request: OutputRequest,
    progress: Callable[[str], None] = lambda _: None,
    made_from: str | None = None,
    waiting: Waiting = lambda _: None,
) -> Written:
    """Everything `roster solve` writes for a roster, committed together: the tables, the
    exports and, when given, made_from.txt (`source_text`)."""
    files = table_files(request)
    if made_from is not None:
        files[MADE_FROM] = made_from.encode("utf-8")
    with writing(request, waiting) as recovered:
        summary = write_exports(request, progress, files)
    tables = (request.out_dir / "assignments.csv", request.out_dir / "shortfalls.csv")
    return Written(request.out_dir, request.state_dir, tables, summary, recovered)


def write_conflicts(out_dir: Path, conflicts: tuple[str, ...]) -> Path:
    """--strict without a roster: the requirements that cannot all be met, one per line."""
    path = out_dir / "conflicts.txt"
    write_text(path, "\n".join(conflicts) + "\n")
    return path


MADE_FROM = "made_from.txt"
SAMPLE = "(sample)"


def source_text(data: Path | None) -> str:
    """made_from.txt: which tables an output folder was made from (`roster export DIR` reads it)."""
    return (str(data.resolve()) if data else SAMPLE) + "\n"


def recorded_source(out_dir: Path) -> tuple[bool, Path | None]:
    """(found, tables) of `record_source`: tables None is the shipped sample."""
    path = out_dir / MADE_FROM
    if not path.is_file():
        return False, None
    text = path.read_text(encoding="utf-8").strip()
    return True, None if text == SAMPLE else Path(text)

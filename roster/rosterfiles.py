"""Reading `assignments.csv` and `shortfalls.csv` back, naming the row of any mistake."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from roster.assignments import ASSIGNMENT_COLUMNS, SHORTFALL_COLUMNS, AssignmentRow, ShortfallRow
from roster.csvfile import read_csv
from roster.errors import FieldError, InputError, Problem, Severity, Source
from roster.values import parse_bool, parse_count, parse_date, parse_time

T = TypeVar("T")


def read_assignments(path: Path | str) -> tuple[AssignmentRow, ...]:
    """Read an assignments.csv written by `roster solve`; `InputError` names every bad row."""

    def make(cell: dict[str, str], line: int) -> AssignmentRow | None:
        row = AssignmentRow(
            date=parse_date(cell["date"], "date"),
            start=parse_time(cell["start"], "start"),
            area=cell["area"],
            volunteer_id=cell["volunteer_id"],
            end=parse_time(cell["end"], "end", allow_24=True),
            duty=cell["duty"],
            unit=cell["unit"],
            volunteer_name=cell["volunteer_name"],
            leader=parse_bool(cell["leader"], "leader", False),
            line=line,
        )
        return row if row.volunteer_id and row.area and row.end > row.start else None

    return _read(Path(path), ASSIGNMENT_COLUMNS, make, "an assignments.csv written by roster solve")


def read_shortfalls(path: Path | str) -> tuple[ShortfallRow, ...]:
    """Read a shortfalls.csv written by `roster solve`; `InputError` names every bad row."""

    def make(cell: dict[str, str], line: int) -> ShortfallRow | None:
        row = ShortfallRow(
            date=parse_date(cell["date"], "date"),
            start=parse_time(cell["start"], "start"),
            area=cell["area"],
            duty=cell["duty"],
            end=parse_time(cell["end"], "end", allow_24=True),
            unit=cell["unit"],
            needed=parse_count(cell["needed"], "needed"),
            assigned=parse_count(cell["assigned"], "assigned"),
            reason=cell["reason"],
        )
        return row if row.area and row.end > row.start else None

    return _read(Path(path), SHORTFALL_COLUMNS, make, "a shortfalls.csv written by roster solve")


def _read(
    path: Path,
    columns: tuple[str, ...],
    make: Callable[[dict[str, str], int], T | None],
    what: str,
) -> tuple[T, ...]:
    problems: list[Problem] = []
    if not path.is_file():
        raise InputError([Problem("no such file", Source(str(path)), expected=what)])
    raw = read_csv(path, problems)
    if raw is None or not raw.rows:
        raise InputError(problems or [Problem("the file is empty", Source(path.name))])
    header = raw.rows[0][1]
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError(
            [
                Problem(
                    "required columns are missing",
                    Source(path.name, 1),
                    ", ".join(missing),
                    expected=",".join(columns),
                )
            ]
        )
    index = {c: header.index(c) for c in columns}
    rows: list[T] = []
    for number, cells in raw.rows[1:]:
        if not any(cells):
            continue
        cell = {c: (cells[i] if i < len(cells) else "") for c, i in index.items()}
        source = Source(path.name, number)
        try:
            row = make(cell, number)
        except FieldError as exc:
            problems.append(Problem(exc.message, source, exc.field, exc.value, exc.expected))
            continue
        if row is None:
            problems.append(
                Problem(
                    "incomplete row",
                    source,
                    expected="an area and a window that ends after it starts",
                )
            )
            continue
        rows.append(row)
    if any(p.severity is Severity.ERROR for p in problems):
        raise InputError(problems)
    return tuple(rows)

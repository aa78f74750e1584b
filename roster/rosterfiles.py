"""Reading `assignments.csv` and `shortfalls.csv` back, naming the row of any mistake.

A file is read whatever language wrote it: each column is found by its English header or its
Chinese one (`roster.assignments`), and a mistake names the column as the file spells it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from roster.assignments import (
    ASSIGNMENT_COLUMNS,
    ASSIGNMENT_HEADERS_ZH,
    SHORTFALL_COLUMNS,
    SHORTFALL_HEADERS_ZH,
    AssignmentRow,
    ShortfallRow,
)
from roster.csvfile import original_text, read_csv
from roster.errors import FieldError, InputError, Problem, Severity, Source
from roster.i18n import ENGLISH, join, language, tr
from roster.tables import normalize_header
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

    return _read(
        Path(path),
        tuple(zip(ASSIGNMENT_COLUMNS, ASSIGNMENT_HEADERS_ZH, strict=True)),
        make,
        tr("an assignments.csv written by roster solve"),
    )


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

    return _read(
        Path(path),
        tuple(zip(SHORTFALL_COLUMNS, SHORTFALL_HEADERS_ZH, strict=True)),
        make,
        tr("a shortfalls.csv written by roster solve"),
    )


def _letter(index: int) -> str:
    """1 → A, 27 → AA: the column's letter as a spreadsheet shows it."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _find_columns(
    file: str, header: list[str], columns: tuple[tuple[str, str], ...]
) -> dict[str, int]:
    """Each column's index, by its English or Chinese header; `InputError` if one is missing."""
    spelled = [normalize_header(h) for h in header]
    index: dict[str, int] = {}
    for key, zh in columns:
        for spelling in (normalize_header(key), normalize_header(zh)):
            if spelling in spelled:
                index.setdefault(key, spelled.index(spelling))
    missing = [c for c in columns if c[0] not in index]
    if missing:
        english = language() == ENGLISH
        raise InputError(
            [
                Problem(
                    tr("required columns are missing"),
                    Source(file, 1, names=columns),
                    join([key if english else zh for key, zh in missing]),
                    expected=tr(
                        "the headers {english}, or {chinese}",
                        english=",".join(key for key, _ in columns),
                        chinese=",".join(zh for _, zh in columns),
                    ),
                )
            ]
        )
    return index


def _read(
    path: Path,
    columns: tuple[tuple[str, str], ...],
    make: Callable[[dict[str, str], int], T | None],
    what: str,
) -> tuple[T, ...]:
    """The rows of a file whose `columns` are (English header, Chinese header) pairs."""
    problems: list[Problem] = []
    if not path.is_file():
        raise InputError([Problem(tr("no such file"), Source(str(path)), expected=what)])
    raw = read_csv(path, problems)
    if raw is None or not raw.rows:
        raise InputError(problems or [Problem(tr("the file is empty"), Source(path.name))])
    index = _find_columns(path.name, raw.rows[0][1], columns)
    names = tuple(columns)
    written = tuple((key, f"{raw.rows[0][1][i]} ({_letter(i + 1)})") for key, i in index.items())
    rows: list[T] = []
    for number, cells in raw.rows[1:]:
        if not any(cells):
            continue
        # roster quoted text that a spreadsheet would run as a formula: the original again
        cell = {c: original_text(cells[i] if i < len(cells) else "") for c, i in index.items()}
        source = Source(path.name, number, columns=written, names=names)
        try:
            row = make(cell, number)
        except FieldError as exc:
            problems.append(Problem(exc.message, source, exc.field, exc.value, exc.expected))
            continue
        if row is None:
            problems.append(
                Problem(
                    tr("incomplete row"),
                    source,
                    expected=tr("an area and a window that ends after it starts"),
                )
            )
            continue
        rows.append(row)
    if any(p.severity is Severity.ERROR for p in problems):
        raise InputError(problems)
    return tuple(rows)

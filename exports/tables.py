"""The roster as rows and CSV tables: assignments.csv (one row per person per slot), shortfalls.csv.

The rows are what every export is built from, so a roster read back from its CSV files exports to
the same bytes as the solve that wrote them.
"""

from __future__ import annotations

from roster.assignments import (
    ASSIGNMENT_COLUMNS,
    SHORTFALL_COLUMNS,
    AssignmentRow,
    ShortfallRow,
)
from roster.fileio import csv_text
from roster.model import hhmm
from solver.result import Result


def assignment_rows(result: Result) -> tuple[AssignmentRow, ...]:
    """Sorted by date, start, area, volunteer_id, as in the CSV."""
    rows = [
        AssignmentRow(
            date=a.slot.date,
            start=a.slot.start,
            area=a.slot.area,
            volunteer_id=a.volunteer.id,
            end=a.slot.end,
            duty=a.slot.kind,
            unit=a.volunteer.unit,
            volunteer_name=a.volunteer.name,
            leader=a.leader,
        )
        for a in result.assignments
    ]
    return tuple(sorted(rows, key=lambda r: (r.date, r.start, r.area, r.volunteer_id, r.duty)))


def shortfall_rows(result: Result) -> tuple[ShortfallRow, ...]:
    return tuple(
        ShortfallRow(
            date=s.slot.date,
            start=s.slot.start,
            area=s.slot.area,
            duty=s.slot.kind,
            end=s.slot.end,
            unit=s.unit,
            needed=s.needed,
            assigned=s.assigned,
            reason=s.reason,
        )
        for s in result.shortfalls
    )


def assignments_csv(rows: tuple[AssignmentRow, ...]) -> str:
    """`leader` is 1 for the one who leads the team."""
    return csv_text(
        ASSIGNMENT_COLUMNS,
        (
            (
                r.date.isoformat(),
                hhmm(r.start),
                hhmm(r.end),
                r.duty,
                r.area,
                r.unit,
                r.volunteer_id,
                r.volunteer_name,
                int(r.leader),
            )
            for r in rows
        ),
    )


def shortfalls_csv(rows: tuple[ShortfallRow, ...]) -> str:
    """Every slot below its minimum or without its leader, with the reason in words."""
    return csv_text(
        SHORTFALL_COLUMNS,
        (
            (
                s.date.isoformat(),
                hhmm(s.start),
                hhmm(s.end),
                s.duty,
                s.area,
                s.unit,
                s.needed,
                s.assigned,
                s.reason,
            )
            for s in rows
        ),
    )

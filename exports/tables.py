"""The roster's CSV tables: assignments.csv (one row per person per slot), shortfalls.csv.

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

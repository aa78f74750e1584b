"""The roster as CSV tables: assignments.csv (one row per person per slot) and shortfalls.csv."""

from __future__ import annotations

from roster.assignments import ASSIGNMENT_COLUMNS
from roster.fileio import csv_text
from roster.model import hhmm
from solver.result import Result

SHORTFALL_COLUMNS = ("date", "start", "end", "duty", "area", "unit", "needed", "assigned", "reason")


def assignments_csv(result: Result) -> str:
    """Sorted by date, start, area, volunteer_id; `leader` is 1 for the one who leads the team."""
    rows = sorted(
        (
            a.slot.date.isoformat(),
            hhmm(a.slot.start),
            hhmm(a.slot.end),
            a.slot.kind,
            a.slot.area,
            a.slot.units[0],
            a.volunteer.id,
            a.volunteer.name,
            int(a.leader),
        )
        for a in result.assignments
    )
    rows.sort(key=lambda r: (r[0], r[1], r[4], r[6]))
    return csv_text(ASSIGNMENT_COLUMNS, rows)


def shortfalls_csv(result: Result) -> str:
    """Every slot below its minimum or without its leader, with the reason in words."""
    rows = [
        (
            s.slot.date.isoformat(),
            hhmm(s.slot.start),
            hhmm(s.slot.end),
            s.slot.kind,
            s.slot.area,
            s.unit,
            s.needed,
            s.assigned,
            s.reason,
        )
        for s in result.shortfalls
    ]
    return csv_text(SHORTFALL_COLUMNS, rows)

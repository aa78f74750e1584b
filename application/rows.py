"""A solve's result as the rows of assignments.csv and shortfalls.csv, which every export reads.

Converting here keeps the exports free of the solver: they see rows, whether a solve produced
them or an office edited them by hand.
"""

from __future__ import annotations

from roster.assignments import AssignmentRow, ShortfallRow
from solver import Result


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

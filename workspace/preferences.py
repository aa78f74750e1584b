"""Volunteers the office asked the planner to prefer (behind the yearly service-hours target).

The planner shares hours out fairly, counting what each person served in the earlier published
weeks (the history). A preferred volunteer's earlier rows are left out of the history given to the
drafts of the weeks up to the preference's `until`: their fair share is then still all to serve,
so the planner gives them more duties, as the same fairness does for a newcomer, and the rules
(caps, leave, rest between duties) still bound them. Nothing else of the solver changes.

Kept apart from `workspace.attendance` because `workspace.operations` calls it and attendance
uses the operations.
"""

from __future__ import annotations

from datetime import date

from roster.assignments import AssignmentRow
from workspace.models import Preference


def preferred(monday: date) -> frozenset[str]:
    """The volunteers preferred in the drafts of the week of `monday`."""
    ids = Preference.objects.filter(until__gte=monday).values_list("volunteer_id", flat=True)
    return frozenset(ids)


def preferred_history(
    history: tuple[AssignmentRow, ...], monday: date
) -> tuple[AssignmentRow, ...]:
    """`history` without the rows of the volunteers preferred for the week of `monday`."""
    ids = preferred(monday)
    if not ids:
        return history
    return tuple(r for r in history if r.volunteer_id not in ids)

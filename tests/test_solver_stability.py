"""What the fewest changes leave open in a re-plan: the kept pairs, the seats to refill, and the
fairness and spread bounds among the rosters that change that little."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from roster.model import Leave
from solver import stability
from solver.parts import Part
from tests.solver_helpers import duty, make_plan, part_of, people, row

HOLDERS = ["V1", "V1", "V1", "V2", "V2", "V3", "V3"]  # the park's Monday to Sunday evenings


def _sunday_leave(**volunteer: Any) -> Part:
    """Three people, a park every evening; the previous roster gave V3 Sunday, now on leave."""
    vols = people(3)
    vols[1] = replace(vols[1], **volunteer)
    plan = make_plan(
        vols,
        [duty("每天", "19:00", "20:00", area="公园甲", min_people=1)],
        (Leave("V3", date(2022, 6, 19), date(2022, 6, 19), "病假"),),
    )
    previous = tuple(
        row(date(2022, 6, 13 + i), "19:00", "20:00", "公园甲", v) for i, v in enumerate(HOLDERS)
    )
    return part_of(plan, previous=previous)


def test_fewest_changes_are_the_invalid_pairs_plus_the_seats_they_empty() -> None:
    part = _sunday_leave()
    kept = stability.valid(part)
    assert len(kept) == 6
    assert stability.deficits(part, kept) == [0] * 6 + [1]
    assert stability.least_changes(part, kept) == 2  # Sunday's pair out, a new one in


def test_fairness_bound_counts_the_hours_the_kept_pairs_fix() -> None:
    part = _sunday_leave()
    # V3 keeps Saturday alone and cannot take Sunday: 60 minutes, whatever else changes.
    bound = stability.fairness_bound(part, stability.valid(part))
    assert bound == pytest.approx(part.fair[2] - 60) and bound > 0


def test_fairness_bound_counts_who_must_take_the_open_seat() -> None:
    part = _sunday_leave(unavailable=frozenset({6}))  # V2 cannot do Sundays: V1 must take it
    bound = stability.fairness_bound(part, stability.valid(part))
    assert bound == pytest.approx(3 * 60 + 60 - part.fair[0])


def test_spread_bound_is_the_gap_between_what_the_kept_pairs_force() -> None:
    part = _sunday_leave()
    # V1 is at least 180 - 147 above their share; V3 exactly 126 - 60 below theirs.
    assert stability.spread_bound(part, stability.valid(part)) == (180 - 147) + (126 - 60)
    assert (round(part.fair[0]), round(part.fair[2])) == (147, 126)


def test_fairness_bound_counts_that_a_lost_leader_is_replaced_by_a_leader() -> None:
    vols = people(3, leaders=2)  # V1 and V2 lead, V3 does not
    plan = make_plan(
        vols,
        [duty("每周一、周三", "07:30", "08:30", leader_required=True)],
        (Leave("V2", date(2022, 6, 15), date(2022, 6, 15), "病假"),),
    )
    previous = (
        row(date(2022, 6, 13), "07:30", "08:30", "路口甲", "V1"),
        row(date(2022, 6, 15), "07:30", "08:30", "路口甲", "V2"),
    )
    part = part_of(plan, previous=previous)
    # V3 is furthest below their share, but Wednesday's seat is a leader's: V1 must take it.
    bound = stability.fairness_bound(part, stability.valid(part))
    assert bound == pytest.approx(120 - part.fair[0])

"""The bound arithmetic: what no roster can beat, computed from a part before any search."""

from __future__ import annotations

import pytest

from solver import bounds
from solver.parts import Part
from tests.solver_helpers import MONDAY, duty, make_plan, part_of, people


def _visit_week(**settings: float) -> Part:
    """Eight people, one week: a 4-hour Monday visit for two, an evening park hour every day.
    Demand is 15 hours, so each fair share is 112.5 minutes."""
    plan = make_plan(
        people(8),
        [
            duty("每周一", "08:30", "12:30", area="社区甲", min_people=2, max_people=2),
            duty("每天", "19:00", "20:00", area="公园甲", min_people=1, max_people=1),
        ],
        **settings,
    )
    return part_of(plan)


def test_fairness_lower_bound_counts_who_must_take_the_long_visit() -> None:
    part = _visit_week()
    # Two people must take the visit: 240 minutes against a share of 112.5.
    lower, candidates = bounds.fairness_bounds(part, all_filled=True)
    assert lower == pytest.approx(127.5)
    assert candidates[0] == pytest.approx(127.5)


def test_fairness_lower_bound_without_filling_every_seat_is_the_nearest_whole_load() -> None:
    part = _visit_week()
    # Loads are whole hours: 120 minutes is the closest anyone can come to 112.5.
    lower, candidates = bounds.fairness_bounds(part, all_filled=False)
    assert lower == pytest.approx(7.5)
    assert candidates == sorted(candidates) and candidates[0] == pytest.approx(7.5)


def test_reachable_hours_stop_at_the_weekly_cap() -> None:
    assert bounds.reachable(_visit_week()) == [360] * 8  # 6 hours a week


def test_reachable_hours_stop_at_the_daily_cap() -> None:
    # Monday offers 5 hours but the day allows 4; the other six evenings one hour each.
    part = _visit_week(weekly_cap_hours=40.0)
    assert bounds.reachable(part) == [240 + 6 * 60] * 8


def test_load_bounds_are_the_whole_hours_within_the_deviation() -> None:
    part = _visit_week()
    assert bounds.load_bounds(part, 7.5) == [(120, 120)] * 8
    assert bounds.load_bounds(part, 127.5) == [(0, 240)] * 8


def test_load_bounds_are_none_when_someone_cannot_come_that_close() -> None:
    assert bounds.load_bounds(_visit_week(), 7.4) is None


def test_sums_fit_rejects_bounds_that_cannot_add_up_to_the_demand() -> None:
    part = _visit_week()
    # Two hours each is 16 hours of upper bounds, enough in sum, but nobody may take the visit.
    assert not bounds.sums_fit(part, bounds.load_bounds(part, 7.5))
    assert not bounds.sums_fit(part, [(0, 60)] * 8)  # 8 hours for 15 hours of demand
    assert not bounds.sums_fit(part, None)
    assert bounds.sums_fit(part, bounds.load_bounds(part, 127.5))


def test_spread_candidates_start_at_the_narrowest_window_catching_everyone() -> None:
    part = _visit_week()
    # Everyone may carry 0 to 4 hours: one common load gives a spread of 0.
    assert bounds.spread_candidates(part, [(0, 240)] * 8) == [0, 60, 120, 180, 240]
    # One person held to 4 hours, the others to at most 1: no spread below 3 hours.
    tight = [(240, 240)] + [(0, 60)] * 7
    assert bounds.spread_candidates(part, tight) == [180, 240]


def test_deviation_and_spread_of_a_roster() -> None:
    part = _visit_week()
    visit = next(s for s, slot in enumerate(part.slots) if slot.minutes == 240)
    chosen = {(visit, 0), (visit, 1)}
    assert bounds.deviations(part, chosen)[:3] == pytest.approx([127.5, 127.5, -112.5])
    assert bounds.max_deviation(part, chosen) == pytest.approx(127.5)
    assert bounds.spread_of(part, chosen) == 240
    assert bounds.max_deviation(part, ()) == pytest.approx(112.5)
    assert part.slots[visit].date == MONDAY

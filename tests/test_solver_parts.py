"""A unit's data: fair shares that know roles, and a day cache that belongs to its caller."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from roster.expand import expand
from roster.model import Plan
from solver import parts
from solver.parts import DayCache, expand_days
from tests.solver_helpers import MONDAY, duty, make_plan, part_of, people


def _plan() -> Plan:
    return make_plan(people(3), [duty("每天", "07:30", "08:30")])


@pytest.fixture
def expanded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[date, date]]:
    """The (first, last) ranges `expand_days` asks `expand` for."""
    calls: list[tuple[date, date]] = []

    def counting(plan: Plan, first: date, last: date):
        calls.append((first, last))
        return expand(plan, first, last)

    monkeypatch.setattr(parts, "expand", counting)
    return calls


def test_day_cache_expands_only_the_days_it_has_not_seen(expanded: list) -> None:
    plan, cache = _plan(), DayCache()
    week = expand_days(plan, MONDAY, MONDAY + timedelta(days=6), cache)
    fortnight = expand_days(plan, MONDAY, MONDAY + timedelta(days=13), cache)
    assert expanded == [
        (MONDAY, MONDAY + timedelta(days=6)),
        (MONDAY + timedelta(days=7), MONDAY + timedelta(days=13)),
    ]
    assert fortnight[: len(week)] == week
    assert fortnight == expand(plan, MONDAY, MONDAY + timedelta(days=13))


def test_without_a_cache_every_call_expands_afresh(expanded: list) -> None:
    plan = _plan()
    expand_days(plan, MONDAY, MONDAY)
    expand_days(plan, MONDAY, MONDAY)
    assert len(expanded) == 2


def test_day_cache_starts_over_for_another_plan(expanded: list) -> None:
    cache = DayCache()
    expand_days(_plan(), MONDAY, MONDAY, cache)
    other = make_plan(people(3), [duty("每天", "19:00", "20:00")])
    (slot,) = expand_days(other, MONDAY, MONDAY, cache)
    assert slot.start == 19 * 60
    assert len(expanded) == 2


def _shares(part: parts.Part) -> dict[str, tuple[float, float]]:
    """(fair, even) share per volunteer id, in minutes."""
    return {v.id: (part.fair[i], part.even[i]) for i, v in enumerate(part.volunteers)}


def test_leaders_seats_are_the_leaders_share_and_the_other_seats_even_out_everyone_else() -> None:
    plan = make_plan(
        people(4, leaders=1),
        [
            duty("每周一", "08:30", "12:30", area="社区甲", leader_required=True),
            duty("每周三", "07:30", "08:30", min_people=2, max_people=2),
        ],
    )
    part = part_of(plan)
    shares = _shares(part)
    # 4 h of leaders' seats only the leader may take; 2 h of other seats among the other three.
    assert shares["V1"] == pytest.approx((240, 90))
    assert [shares[f"V{i}"] for i in (2, 3, 4)] == [pytest.approx((40, 90))] * 3
    assert part.forced_excess == pytest.approx(150)


def test_leaders_seats_force_nothing_when_leaders_are_enough_to_take_them() -> None:
    plan = make_plan(
        people(4, leaders=2),
        [duty("每周三", "07:30", "08:30", min_people=4, max_people=4, leader_required=True)],
    )
    part = part_of(plan)
    assert part.fair == pytest.approx((60, 60, 60, 60)) and part.forced_excess == pytest.approx(0)


def test_someone_free_only_for_leaders_seats_they_cannot_take_has_no_share() -> None:
    plan = make_plan(
        [*people(2, leaders=1), *people(1, prefix="M", unavailable=frozenset({2}))],
        [
            duty("每周一", "08:30", "12:30", area="社区甲", leader_required=True),
            duty("每周三", "07:30", "08:30"),
        ],
    )
    shares = _shares(part_of(plan))
    assert shares["M1"][0] == 0 and shares["V2"][0] == pytest.approx(60)


def test_water_fill_raises_the_lowest_to_a_common_level_and_keeps_who_is_above_it() -> None:
    assert parts.water_fill([300.0, 0.0, 0.0], [60.0, 60.0, 120.0], 480.0) == pytest.approx(
        [300.0, 60.0, 120.0]
    )
    assert parts.water_fill([30.0, 0.0], [60.0, 60.0], 120.0) == pytest.approx([60.0, 60.0])

"""A unit's data: fair shares that know roles, and a history cache that belongs to its caller."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from roster.assignments import AssignmentRow
from roster.expand import expand
from roster.model import Leave, Plan
from solver import parts
from solver.params import Params
from solver.parts import DayCache
from solver.prepare import make_parts, resolve_units
from solver.units import choose_units
from tests.solver_helpers import MONDAY, duty, make_plan, pair_duty, part_of, people


def _plan() -> Plan:
    """Two units, a leader's seat, a weekday someone cannot do and a leave in the first weeks."""
    return make_plan(
        [
            *people(3, leaders=1),
            *people(2, prefix="M", unavailable=frozenset({2})),
            *people(3, unit="单位乙", prefix="W"),
        ],
        [
            duty("每天", "07:30", "08:30"),
            duty("每周一", "08:30", "12:30", area="社区甲", leader_required=True),
            pair_duty(),
        ],
        leave=(Leave("V2", MONDAY + timedelta(days=2), MONDAY + timedelta(days=9)),),
    )


def _served(plan: Plan, weeks: int) -> tuple[AssignmentRow, ...]:
    """Rows of `weeks` weeks from MONDAY, each slot's seats taken by the unit's people in turn."""
    slots = resolve_units(
        expand(plan, MONDAY, MONDAY + timedelta(days=7 * weeks - 1)), choose_units(plan)
    )
    rows = []
    for n, s in enumerate(slots):
        staff = sorted(v.id for v in plan.volunteers_of(s.units[0]))
        for k in range(s.min_people):
            volunteer = staff[(n + k) % len(staff)]
            rows.append(AssignmentRow(s.date, s.start, s.area, volunteer, s.end, s.kind))
    return tuple(rows)


def _parts(plan: Plan, weeks: int, history: tuple, cache: DayCache | None) -> list[parts.Part]:
    start = MONDAY + timedelta(days=7 * weeks)
    params = Params(history=history)
    return make_parts(plan, start, start + timedelta(days=6), params, cache)[1]


@pytest.fixture
def expanded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[date, date]]:
    """The (first, last) ranges the day cache asks `expand` for."""
    calls: list[tuple[date, date]] = []

    def counting(plan: Plan, first: date, last: date):
        calls.append((first, last))
        return expand(plan, first, last)

    monkeypatch.setattr(parts, "expand", counting)
    return calls


def test_a_cache_kept_week_after_week_gives_the_parts_of_a_fresh_start() -> None:
    plan, cache = _plan(), DayCache()
    history = _served(plan, 4)
    for weeks in range(1, 5):
        kept = _parts(plan, weeks, history[: len(_served(plan, weeks))], cache)
        assert kept == _parts(plan, weeks, history[: len(_served(plan, weeks))], None)
    (mine,) = (p for p in kept if p.unit == "单位甲")
    shares = {v.id: f for v, f in zip(mine.volunteers, mine.fair, strict=True)}
    assert shares["V2"] < shares["V3"]  # the week of leave in the history counts


def test_the_cache_goes_through_only_the_history_days_it_has_not_seen(expanded: list) -> None:
    plan, cache = _plan(), DayCache()
    first, second = _served(plan, 1), _served(plan, 2)
    cache.pasts(plan, choose_units(plan), MONDAY + timedelta(days=7), first)
    cache.pasts(plan, choose_units(plan), MONDAY + timedelta(days=14), second)
    assert expanded == [
        (MONDAY, MONDAY + timedelta(days=6)),
        (MONDAY + timedelta(days=7), MONDAY + timedelta(days=13)),
    ]


def test_a_history_reaching_around_the_days_the_cache_holds_counts_each_day_once() -> None:
    plan, cache = _plan(), DayCache()
    rows = _served(plan, 4)
    third_week = tuple(r for r in rows if r.date >= MONDAY + timedelta(days=14))
    third_week = tuple(r for r in third_week if r.date < MONDAY + timedelta(days=21))
    _parts(plan, 3, third_week, cache)  # the cache now holds the third week's days alone
    assert _parts(plan, 4, rows, cache) == _parts(plan, 4, rows, None)


def test_the_cache_starts_over_for_another_plan_or_a_history_it_does_not_extend() -> None:
    plan, cache = _plan(), DayCache()
    history = _served(plan, 2)
    _parts(plan, 2, history, cache)
    other = make_plan(people(3, leaders=1), [duty("每天", "19:00", "20:00")])
    assert _parts(other, 2, _served(other, 2), cache) == _parts(other, 2, _served(other, 2), None)
    shorter = _served(plan, 1)
    assert _parts(plan, 2, shorter, cache) == _parts(plan, 2, shorter, None)
    assert _parts(plan, 2, history, cache) == _parts(plan, 2, history, None)


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

"""The day cache belongs to its caller: it saves re-expanding a history, and nothing else."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from roster.expand import expand
from roster.model import Plan
from solver import parts
from solver.parts import DayCache, expand_days
from tests.solver_helpers import MONDAY, duty, make_plan, people


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

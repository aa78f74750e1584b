"""Properties of calendar expansion over random rules and periods (hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from roster.calendar import ChinaCalendar
from roster.days import parse_days
from roster.expand import expand
from roster.model import HolidayPolicy, MakeupPolicy, Season

from .helpers import plan, rule

PATTERNS = [
    "每天",
    "工作日",
    "休息日",
    "周末",
    "每周三",
    "周一至周五",
    "周六、周日",
    "Mon,Thu",
    "每月最后一个周五",
    "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
]
FIRST, LAST = date(2020, 1, 1), date(2026, 12, 31)
CALENDAR = ChinaCalendar()

days_in_range = st.integers(0, (LAST - FIRST).days).map(lambda n: FIRST + timedelta(days=n))


@st.composite
def rules(draw: st.DrawFn):
    start = draw(st.integers(0, 22 * 60))
    end = draw(st.integers(start + 1, 24 * 60))
    valid = sorted(draw(st.lists(days_in_range, min_size=2, max_size=2)))
    return rule(
        draw(st.sampled_from(PATTERNS)),
        f"{start // 60:02d}:{start % 60:02d}",
        f"{end // 60:02d}:{end % 60:02d}",
        season=draw(st.sampled_from(list(Season))),
        holidays=draw(st.sampled_from(list(HolidayPolicy))),
        makeup=draw(st.sampled_from(list(MakeupPolicy))),
        valid_from=valid[0] if draw(st.booleans()) else None,
        valid_to=valid[1] if draw(st.booleans()) else None,
    )


def distinct(rs: list) -> list:
    """One area per rule: overlapping windows of one area are a table error, tested elsewhere."""
    return [replace(r, area=f"区域{i}") for i, r in enumerate(rs)]


@settings(max_examples=60, deadline=None)
@given(
    rs=st.lists(rules(), min_size=1, max_size=4),
    campaign=st.lists(days_in_range, min_size=2, max_size=2).map(sorted),
    period=st.lists(days_in_range, min_size=2, max_size=2).map(sorted),
)
def test_slots_lie_inside_the_period_and_validity_and_never_end_before_they_start(
    rs, campaign, period
) -> None:
    p = plan(*distinct(rs), start=campaign[0], end=campaign[1])
    for s in expand(p, period[0], period[1], CALENDAR):
        r = p.duties[s.rule]
        assert max(period[0], campaign[0]) <= s.date <= min(period[1], campaign[1])
        assert r.valid_on(s.date)
        assert s.end > s.start
        summer = p.settings.is_summer(s.date)
        assert not (r.season is Season.SUMMER and not summer)
        assert not (r.season is Season.WINTER and summer)
        if r.holidays is HolidayPolicy.SKIP:
            assert not CALENDAR.info(s.date).holiday


@settings(max_examples=40, deadline=None)
@given(
    rs=st.lists(rules(), min_size=1, max_size=3),
    start=days_in_range,
    lengths=st.tuples(st.integers(0, 60), st.integers(0, 60)),
)
def test_expanding_two_adjacent_periods_equals_expanding_their_union(rs, start, lengths) -> None:
    p = plan(*distinct(rs), start=FIRST, end=LAST)
    middle = min(start + timedelta(days=lengths[0]), LAST)
    end = min(middle + timedelta(days=1 + lengths[1]), LAST)
    whole = expand(p, start, end, CALENDAR)
    parts = expand(p, start, middle, CALENDAR) + expand(
        p, middle + timedelta(days=1), end, CALENDAR
    )
    assert whole == tuple(sorted(parts))


@given(st.sets(st.integers(0, 6), min_size=1))
def test_weekday_descriptions_read_back_as_the_same_weekdays(weekdays) -> None:
    rule_ = parse_days(
        ",".join(["mon", "tue", "wed", "thu", "fri", "sat", "sun"][d] for d in weekdays)
    )
    assert parse_days(rule_.describe()).weekdays == frozenset(weekdays)

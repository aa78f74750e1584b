"""Expansion of each kind of rule: holiday and make-up policies, RRULEs, phases, seasons."""

from __future__ import annotations

from datetime import date

import pytest

from roster.errors import InputError
from roster.expand import expand
from roster.model import CalendarDay, DayKind, HolidayPolicy, MakeupPolicy, Season

from .helpers import plan, rule


def dates(p, start: date, end: date) -> list[date]:
    return [s.date for s in expand(p, start, end)]


NATIONAL_DAY = (date(2021, 10, 1), date(2021, 10, 10))


def test_holiday_policy_skip_drops_the_holiday_weekday() -> None:
    p = plan(rule("每周三", holidays=HolidayPolicy.SKIP))
    assert dates(p, *NATIONAL_DAY) == []  # Wednesday 10-06 is a holiday


def test_holiday_policy_run_keeps_the_calendar_weekday() -> None:
    p = plan(rule("每周三", holidays=HolidayPolicy.RUN))
    assert dates(p, *NATIONAL_DAY) == [date(2021, 10, 6)]


def test_holiday_policy_rest_runs_weekend_rules_on_every_holiday_day() -> None:
    weekend = plan(rule("周六、周日", holidays=HolidayPolicy.REST))
    assert dates(weekend, date(2021, 10, 1), date(2021, 10, 7)) == [
        date(2021, 10, n) for n in range(1, 8)
    ]
    weekday = plan(rule("周一至周五", holidays=HolidayPolicy.REST))
    assert dates(weekday, date(2021, 10, 1), date(2021, 10, 7)) == []


def test_makeup_day_under_workday_policy_runs_only_rules_covering_the_working_week() -> None:
    makeup = date(2021, 10, 9)  # Saturday, a make-up working day
    assert dates(plan(rule("周一至周五")), makeup, makeup) == [makeup]
    assert dates(plan(rule("工作日")), makeup, makeup) == [makeup]
    assert dates(plan(rule("周六")), makeup, makeup) == []
    assert dates(plan(rule("每周三")), makeup, makeup) == []


def test_makeup_day_under_calendar_policy_follows_its_weekday() -> None:
    makeup = date(2021, 10, 9)
    cal = MakeupPolicy.CALENDAR
    assert dates(plan(rule("周六", makeup=cal)), makeup, makeup) == [makeup]
    assert dates(plan(rule("周一至周五", makeup=cal)), makeup, makeup) == []


def test_workdays_and_restdays_follow_the_official_calendar() -> None:
    week = (date(2021, 10, 4), date(2021, 10, 10))  # holiday Mon–Thu, make-up Sat, Sunday
    assert dates(plan(rule("工作日")), *week) == [date(2021, 10, 8), date(2021, 10, 9)]
    rest = plan(rule("休息日", holidays=HolidayPolicy.RUN))
    assert dates(rest, *week) == [date(2021, 10, n) for n in (4, 5, 6, 7, 10)]


def test_last_friday_of_each_month_as_rrule_and_in_chinese() -> None:
    expected = [date(2022, 1, 28), date(2022, 2, 25), date(2022, 3, 25)]
    for text in ("RRULE:FREQ=MONTHLY;BYDAY=-1FR", "每月最后一个周五"):
        p = plan(rule(text, holidays=HolidayPolicy.RUN))
        assert dates(p, date(2022, 1, 1), date(2022, 3, 31)) == expected, text


def test_validity_dates_limit_a_phase() -> None:
    p = plan(rule("每天", valid_from=date(2022, 3, 1), valid_to=date(2022, 3, 3)))
    assert dates(p, date(2022, 2, 1), date(2022, 4, 1)) == [date(2022, 3, n) for n in (1, 2, 3)]


def test_summer_window_starts_on_may_first_and_ends_on_september_thirtieth() -> None:
    p = plan(rule("每天", season=Season.SUMMER, holidays=HolidayPolicy.RUN))
    got = dates(p, date(2022, 4, 29), date(2022, 5, 2))
    assert got == [date(2022, 5, 1), date(2022, 5, 2)]
    assert dates(p, date(2022, 9, 29), date(2022, 10, 2)) == [date(2022, 9, 29), date(2022, 9, 30)]


def test_season_boundaries_are_configurable() -> None:
    p = plan(
        rule("每天", season=Season.WINTER, holidays=HolidayPolicy.RUN),
        summer_start=(6, 1),
        summer_end=(8, 31),
    )
    assert dates(p, date(2022, 5, 30), date(2022, 6, 2)) == [date(2022, 5, 30), date(2022, 5, 31)]


def test_local_override_makes_a_city_holiday_and_cancels_a_makeup_day() -> None:
    p = plan(
        rule("周一至周五"),
        calendar=(
            CalendarDay(date(2022, 6, 14), DayKind.HOLIDAY, "本地节日"),
            CalendarDay(date(2021, 10, 9), DayKind.NORMAL),
        ),
    )
    assert dates(p, date(2022, 6, 13), date(2022, 6, 17)) == [
        date(2022, 6, n) for n in (13, 15, 16, 17)
    ]
    assert dates(p, date(2021, 10, 9), date(2021, 10, 9)) == []


def test_a_year_the_calendar_does_not_cover_is_a_clear_error() -> None:
    p = plan(rule("每周三"), start=date(2026, 12, 1), end=date(2027, 1, 31))
    with pytest.raises(InputError) as exc:
        expand(p, date(2026, 12, 1), date(2027, 1, 31))
    text = str(exc.value)
    assert "not 2027" in text and "holidays.csv" in text and "calendar_years" in text


def test_a_year_listed_in_calendar_years_uses_the_local_table() -> None:
    p = plan(
        rule("周一至周五"),
        start=date(2027, 1, 1),
        end=date(2027, 1, 8),
        calendar_years=(2027,),
        calendar=(CalendarDay(date(2027, 1, 1), DayKind.HOLIDAY, "元旦"),),
    )
    assert dates(p, date(2027, 1, 1), date(2027, 1, 8)) == [
        date(2027, 1, n) for n in (4, 5, 6, 7, 8)
    ]


def test_overlapping_windows_of_one_duty_are_an_error_naming_both_rows() -> None:
    from roster.errors import Source

    p = plan(
        rule("每周三", "07:30", "08:30", source=Source("duties.csv", 2)),
        rule("周一至周五", "08:00", "09:00", source=Source("duties.csv", 3)),
    )
    with pytest.raises(InputError) as exc:
        expand(p, date(2022, 6, 13), date(2022, 6, 19))
    text = str(exc.value)
    assert "duties.csv, row 2" in text and "duties.csv, row 3" in text

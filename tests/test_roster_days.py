"""Day patterns as the responsibility table writes them: 每周三, 周一至周五, 工作日, RRULE."""

from __future__ import annotations

import pytest

from roster.days import parse_days
from roster.errors import FieldError


@pytest.mark.parametrize(
    ("text", "weekdays"),
    [
        ("每周一", {0}),
        ("周一至周五", {0, 1, 2, 3, 4}),
        ("星期六至星期天", {5, 6}),
        ("周六、周日", {5, 6}),
        ("Mon-Fri", {0, 1, 2, 3, 4}),
        ("sat,sun", {5, 6}),
        ("每天", set(range(7))),
        ("周末", {5, 6}),
        ("星期一至星期五:", {0, 1, 2, 3, 4}),
        ("周一至五", {0, 1, 2, 3, 4}),
    ],
)
def test_weekday_patterns_read_as_the_weekdays_they_name(text: str, weekdays: set[int]) -> None:
    assert parse_days(text).weekdays == frozenset(weekdays)


def test_working_and_rest_days_and_rules() -> None:
    assert parse_days("工作日").workdays
    assert parse_days("休息日").restdays
    assert parse_days("每月第一个周一").rrule == "RRULE:FREQ=MONTHLY;BYDAY=1MO"
    assert parse_days("FREQ=MONTHLY;BYDAY=-1FR").rrule == "RRULE:FREQ=MONTHLY;BYDAY=-1FR"


@pytest.mark.parametrize("text", ["周八", "Mnday", "周五至周一", "RRULE:FREQ=SOMETIMES", ""])
def test_a_day_pattern_that_names_no_day_is_refused(text: str) -> None:
    with pytest.raises(FieldError):
        parse_days(text)

"""The phrase grammar of published tables: one test per production of each grammar."""

from __future__ import annotations

from datetime import date

import pytest

from official.grammar import (
    Headcount,
    PhraseError,
    find_mentions,
    parse_schedule,
    zh_value,
)
from roster.days import parse_days
from roster.model import Season


def windows(text: str) -> list[tuple[str, str, Season]]:
    """(days, window, season) of every window of a 时间 cell."""
    return [
        (group.written, w.text, w.season)
        for group in parse_schedule(text).groups
        for w in group.windows
    ]


def days(text: str) -> tuple[str, ...]:
    return parse_schedule(text).groups[0].days


# day: each alternative, and what roster's day patterns make of it
@pytest.mark.parametrize(
    ("text", "pattern", "weekdays"),
    [
        ("每天", ("每天",), set(range(7))),
        ("每日", ("每天",), set(range(7))),
        ("每周三", ("周三",), {2}),
        ("星期六", ("周六",), {5}),
        ("礼拜天", ("周日",), {6}),
        ("星期一至星期五", ("周一至周五",), set(range(5))),
        ("星期六至星期天", ("周六至周日",), {5, 6}),
        ("周一到五", ("周一至周五",), set(range(5))),
        ("周六、周日", ("周六", "周日"), {5, 6}),
        ("周末", ("周末",), {5, 6}),
        ("双休日", ("周末",), {5, 6}),
    ],
)
def test_day_words_and_ranges(text: str, pattern: tuple[str, ...], weekdays: set[int]) -> None:
    assert days(text) == pattern
    assert parse_days("、".join(pattern)).weekdays == frozenset(weekdays)


def test_working_and_rest_days() -> None:
    assert days("工作日") == ("工作日",)
    assert days("每个工作日") == ("工作日",)
    assert days("休息日") == ("休息日",)
    assert parse_days("工作日").workdays


def test_monthly_weekday() -> None:
    assert days("每月最后一个周五") == ("每月最后一个周五",)
    assert days("每月第一个周一") == ("每月第一个周一",)
    assert parse_days("每月最后一个周五").rrule is not None


def test_monthly_day_of_the_month_is_an_rrule() -> None:
    assert days("每月15日") == ("RRULE:FREQ=MONTHLY;BYMONTHDAY=15",)
    assert parse_days(days("每月15日")[0]).rrule


# clock: 7:30, 7点, 7点半, 7点30分, 七点; full-width colons
@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("每天7:30至8:30", "07:30–08:30"),
        ("每天19：00至20：00", "19:00–20:00"),
        ("每天7点至8点", "07:00–08:00"),
        ("每天7点半至8点半", "07:30–08:30"),
        ("每天7点30分至8点15分", "07:30–08:15"),
        ("每天七点至九点", "07:00–09:00"),
    ],
)
def test_clock(text: str, window: str) -> None:
    assert windows(text)[0][1] == window


# span: 至, 到, -, —
@pytest.mark.parametrize("to", ["至", "到", "-", "—", "~"])
def test_span_separators(to: str) -> None:
    assert windows(f"每天9:00{to}10:00")[0][1] == "09:00–10:00"


# timed: a part of the day makes 12-hour times 24-hour, and carries to the next windows
@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("每天下午5:30至6:30", "17:30–18:30"),
        ("每天晚上7点至8点", "19:00–20:00"),
        ("每天中午12点至1点", "12:00–13:00"),
        ("每天早上7:30至8:30", "07:30–08:30"),
        ("每天下午17:30至18:30", "17:30–18:30"),
        ("每天上午9:00至下午1:00", "09:00–13:00"),
    ],
)
def test_parts_of_the_day(text: str, window: str) -> None:
    assert windows(text)[0][1] == window


def test_a_part_of_the_day_carries_to_the_windows_after_it() -> None:
    assert [w for _, w, _ in windows("每天下午5:30至6:30，6:30至7:30")] == [
        "17:30–18:30",
        "18:30–19:30",
    ]


# season: in brackets, attached to the window it follows
def test_seasons_attach_to_the_window_they_follow() -> None:
    assert windows("每周三早上7:30至8:30,下午17:30至18:30(夏季)17:00至18:00(冬季)") == [
        ("周三", "07:30–08:30", Season.ALL),
        ("周三", "17:30–18:30", Season.SUMMER),
        ("周三", "17:00–18:00", Season.WINTER),
    ]


# part_only: a part of the day with no times
def test_a_part_of_the_day_alone() -> None:
    (group,) = parse_schedule("每月最后一个周五下午").groups
    (window,) = group.windows
    assert (window.part, window.timed) == ("下午", False)


# dated / last: several groups of days and windows in one cell, over several lines
def test_several_groups_in_one_cell() -> None:
    text = (
        "星期一至星期五：\n19:00至20:00，\n星期六至星期天：\n"
        "上午9:00至10:00，下午16:00至17:00、晚上19:00至20:00"
    )
    assert windows(text) == [
        ("周一至周五", "19:00–20:00", Season.ALL),
        ("周六至周日", "09:00–10:00", Season.ALL),
        ("周六至周日", "16:00–17:00", Season.ALL),
        ("周六至周日", "19:00–20:00", Season.ALL),
    ]


# last: days alone, no time of day (the visit)
def test_days_alone() -> None:
    (group,) = parse_schedule("每周一").groups
    assert (group.days, group.windows) == (("周一",), ())


# undated: times with no days are read (the converter refuses them, naming the cell)
def test_times_without_days() -> None:
    (group,) = parse_schedule("19:00-20:00").groups
    assert group.days == () and group.windows[0].text == "19:00–20:00"


@pytest.mark.parametrize(
    ("text", "found", "expected"),
    [
        ("每周八", "八", "weekday"),
        ("每周三7:30", "", "至"),
        ("每周三 7:30至8:30（春季）", "春季)", "season"),
        ("每逢集日上午", "逢集日上午", "weekday"),
    ],
)
def test_what_it_cannot_read_is_named_with_what_was_expected(
    text: str, found: str, expected: str
) -> None:
    with pytest.raises(PhraseError) as caught:
        parse_schedule(text)
    assert caught.value.found == found
    assert expected in caught.value.expected


def test_a_time_past_midnight_is_refused() -> None:
    with pytest.raises(PhraseError):
        parse_schedule("每天23:00至24:30")


# mentions: headcount (bound, verb, count, measure, noun, after), duration, period
@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("至少安排八名志愿者上岗，统一配备服装", 8, None),
        ("不少于2人去一次联点社区", 2, None),
        ("每天派出4—5名志愿者", 4, 5),
        ("组织十名干部职工", 10, None),
        ("3名", 3, None),
        ("最多6人", None, 6),
        ("20人以上", 20, None),
    ],
)
def test_headcounts_inside_text(text: str, low: int | None, high: int | None) -> None:
    (found,) = find_mentions(text).headcounts
    assert (found.low, found.high) == (low, high)


def test_prose_numbers_are_no_headcount() -> None:
    found = find_mentions("提升不低于2个百分点，落实门前“三包”，杜绝“十乱”现象，覆盖率100%")
    assert found.headcounts == () and found.durations == ()


def test_duration_without_a_time_of_day() -> None:
    found = find_mentions("不少于2人去一次联点社区，每次确保4小时以上在社区履行联社区工作")
    assert [d.minutes for d in found.durations] == [240]
    assert found.headcounts == (Headcount(2, None, "不少于2人"),)


def test_period_in_a_heading_and_in_text() -> None:
    (heading,) = find_mentions("（2021年9月20日至2022年12月31日）").periods
    assert (heading.start, heading.end) == (date(2021, 9, 20), date(2022, 12, 31))
    (text,) = find_mentions("二、时间安排 2021年9月27日至2022年12月31日。").periods
    assert text.start == date(2021, 9, 27)
    (short,) = find_mentions("2023年5月1日至10月31日").periods
    assert short.end == date(2023, 10, 31)
    assert find_mentions("2021年2月30日至3月1日").periods == ()


def test_chinese_numerals() -> None:
    assert [zh_value(t) for t in ("八", "十", "十二", "二十", "两", "19")] == [8, 10, 12, 20, 2, 19]

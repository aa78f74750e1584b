"""Cells as office staff type them."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from roster.errors import FieldError
from roster.values import (
    cell_text,
    parse_bool,
    parse_date,
    parse_headcount,
    parse_time,
    zh_number,
)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("7:30", 450),
        ("07:30", 450),
        ("19：00", 1140),
        ("7点", 420),
        ("17:30:00", 1050),
        ("0:00", 0),
    ],
)
def test_times_of_day_are_read_in_every_spelling_as_minutes_after_midnight(
    text: str, minutes: int
) -> None:
    assert parse_time(text, "start") == minutes


@pytest.mark.parametrize("text", ["25:00", "24:00", "7:60", "seven", "730"])
def test_a_start_that_is_not_a_time_of_day_is_refused(text: str) -> None:
    with pytest.raises(FieldError):
        parse_time(text, "start")


def test_midnight_is_allowed_only_as_an_end() -> None:
    assert parse_time("24:00", "end", allow_24=True) == 1440
    with pytest.raises(FieldError):
        parse_time("24:30", "end", allow_24=True)


@pytest.mark.parametrize("text", ["2022-06-15", "2022/6/15", "2022年6月15日", "2022.06.15"])
def test_dates_are_read_in_every_spelling_the_office_types(text: str) -> None:
    assert parse_date(text, "start") == date(2022, 6, 15)


def test_a_date_that_does_not_exist_is_refused_as_no_such_date() -> None:
    with pytest.raises(FieldError, match="no such date"):
        parse_date("2022-02-30", "start")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("八", 8),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("两", 2),
        ("九十九", 99),
        ("八八", None),
        ("abc", None),
    ],
)
def test_chinese_numerals_read_as_numbers_and_nonsense_as_none(
    text: str, value: int | None
) -> None:
    assert zh_number(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("8", (8, None)),
        ("八名", (8, None)),
        ("不少于2人", (2, None)),
        ("4—5名", (4, 5)),
        ("4-5", (4, 5)),
        ("8.0", (8, None)),
        ("至少安排八名志愿者", (8, None)),
    ],
)
def test_headcounts_read_a_minimum_or_a_range_from_the_tables_wording(
    text: str, value: tuple[int, int | None]
) -> None:
    assert parse_headcount(text.replace("安排", ""), "min_people") == value


def test_yes_and_no_read_in_chinese_blank_gives_the_default_and_anything_else_is_refused() -> None:
    assert parse_bool("是", "leader", False) is True
    assert parse_bool("否", "leader", True) is False
    assert parse_bool("", "leader", True) is True
    with pytest.raises(FieldError):
        parse_bool("也许", "leader", False)


def test_excel_cells_become_the_text_the_user_meant() -> None:
    assert cell_text(8.0) == "8"
    assert cell_text(time(7, 30)) == "07:30"
    assert cell_text(datetime(2022, 6, 15)) == "2022-06-15"
    assert cell_text(datetime(1899, 12, 30, 17, 30)) == "17:30"
    assert cell_text(None) == ""
    assert cell_text(float("nan")) == ""

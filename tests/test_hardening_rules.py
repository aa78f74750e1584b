"""Rules that never end or never match: an RRULE that would expand forever, repeat within a day or
fall on no day at all is refused naming the cell (exit 2), and within a second."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import main as cli
from roster.days import parse_days
from roster.errors import InputError
from roster.readers import load

from .conftest import read_rows, write_rows

runner = CliRunner()

REFUSED = [
    "RRULE:FREQ=WEEKLY;INTERVAL=0",
    "RRULE:FREQ=DAILY;INTERVAL=-2",
    "RRULE:FREQ=HOURLY",
    "RRULE:FREQ=MINUTELY;BYDAY=MO",
    "RRULE:FREQ=SECONDLY",
    "RRULE:FREQ=DAILY;BYHOUR=8",
    "RRULE:FREQ=MONTHLY;BYDAY=9FR",
    "RRULE:FREQ=MONTHLY;BYDAY=-6MO",
    "RRULE:FREQ=MONTHLY;BYDAY=0MO",
    "RRULE:FREQ=YEARLY;BYDAY=54MO",
    "RRULE:FREQ=WEEKLY;BYDAY=2MO",
    "RRULE:FREQ=MONTHLY;BYMONTHDAY=32",
    "RRULE:FREQ=YEARLY;BYMONTH=13",
    "RRULE:FREQ=YEARLY;BYWEEKNO=54",
    "RRULE:FREQ=WEEKLY;COUNT=0",
]
NEVER = [
    "RRULE:FREQ=WEEKLY;UNTIL=20200101",  # ends before the campaign
    "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",  # no 30th of February
    "RRULE:FREQ=DAILY;BYWEEKNO=1;BYMONTH=6",  # the first week is never in June
    "RRULE:FREQ=DAILY;INTERVAL=7;BYDAY=TU",  # every seventh day from a Monday
    "RRULE:FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31",  # no 31st of April
    "RRULE:FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20210101",  # the last Fridays ended before
]


def with_days(folder: Path, days: str) -> Path:
    """duties.csv row 2 (联社区 牌楼社区, 每周一) on `days` instead."""
    rows = read_rows(folder / "duties.csv")
    rows[1][rows[0].index("时间")] = days
    write_rows(folder / "duties.csv", rows)
    return folder


def refused_quickly(folder: Path) -> str:
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        load(folder)
    assert time.perf_counter() - started < 1.0
    [problem] = [str(p) for p in caught.value.problems if p.severity.name == "ERROR"]
    assert problem.startswith("duties.csv, row 2, column 时间 (D): ")
    return problem


@pytest.mark.parametrize("rule", REFUSED)
def test_a_rule_that_never_ends_or_repeats_within_a_day_is_refused(
    sample_copy: Path, rule: str
) -> None:
    text = refused_quickly(with_days(sample_copy, rule))
    assert repr(rule) in text


@pytest.mark.parametrize("rule", NEVER)
def test_a_rule_with_no_day_in_the_campaign_is_refused(sample_copy: Path, rule: str) -> None:
    text = refused_quickly(with_days(sample_copy, rule))
    assert "the rule falls on no day from 2021-09-27 to 2022-12-31" in text


def test_a_rule_outside_the_rows_own_period_names_that_period(sample_copy: Path) -> None:
    rows = read_rows(sample_copy / "duties.csv")
    rows[0].append("起始日期")
    for row in rows[1:]:
        row.append("")
    rows[1][rows[0].index("时间")] = "RRULE:FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20220301"
    rows[1][-1] = "2022-06-01"  # the row starts after its rule has ended
    write_rows(sample_copy / "duties.csv", rows)
    text = refused_quickly(sample_copy)
    assert "from 2022-06-01 to 2022-12-31" in text


def test_a_rule_with_dates_only_outside_the_campaign_is_not_a_mistake(sample_copy: Path) -> None:
    """The 29th of February falls in neither 2021 nor 2022, but it is a day: no slot, no error."""
    plan = load(with_days(sample_copy, "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"))
    assert plan.duties[0].days.rrule


def test_check_exits_2_naming_the_cell(sample_copy: Path) -> None:
    result = runner.invoke(cli.app, ["check", str(with_days(sample_copy, REFUSED[0]))])
    assert result.exit_code == 2, result.output
    assert "duties.csv, row 2, column 时间 (D)" in result.stderr.replace("\n", "")


def test_good_rules_still_expand_as_before() -> None:
    last_friday = parse_days("RRULE:FREQ=MONTHLY;BYDAY=-1FR")
    dates = last_friday.rrule_dates(date(2022, 1, 1), date(2022, 3, 31), date(2021, 9, 27))
    assert sorted(dates) == [date(2022, 1, 28), date(2022, 2, 25), date(2022, 3, 25)]
    counted = parse_days("RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=2")
    assert sorted(counted.rrule_dates(date(2021, 9, 1), date(2021, 12, 31), date(2021, 9, 27))) == [
        date(2021, 9, 27),
        date(2021, 10, 4),
    ]
    until = parse_days("RRULE:FREQ=DAILY;UNTIL=20220102")
    assert sorted(until.rrule_dates(date(2021, 12, 31), date(2022, 1, 5), date(2021, 9, 27))) == [
        date(2021, 12, 31),
        date(2022, 1, 1),
        date(2022, 1, 2),
    ]
    leap = parse_days("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29")
    assert leap.rrule_dates(date(2024, 1, 1), date(2024, 12, 31), date(2021, 9, 27)) == {
        date(2024, 2, 29)
    }

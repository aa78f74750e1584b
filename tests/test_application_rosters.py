"""`roster export` holds a hand-edited roster against every rule before publishing it."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from application import check_roster
from cli import main as cli
from roster.assignments import AssignmentRow
from roster.errors import Problem

from .conftest import read_rows, write_rows
from .solver_helpers import MONDAY, duty, make_plan, people

runner = CliRunner()


@pytest.fixture(scope="module")
def solved_week(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's week of 2022-06-13, solved once, to be copied and edited by each test."""
    out = tmp_path_factory.mktemp("week") / "out"
    result = runner.invoke(cli.app, ["solve", "--week", "2022-06-15", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def week(solved_week: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(solved_week, out)
    return out


def edit(out: Path, line: int, column: str, value: str) -> None:
    """Set one cell of assignments.csv, `line` counted as Excel counts rows (header is 1)."""
    rows = read_rows(out / "assignments.csv")
    rows[line - 1][rows[0].index(column)] = value
    write_rows(out / "assignments.csv", rows, encoding="utf-8-sig")


def find(out: Path, nth: int = 0, **cells: str) -> int:
    """The row number of the `nth` row (from 0) whose cells have these values."""
    rows = read_rows(out / "assignments.csv")
    header = rows[0]
    found = [
        number
        for number, row in enumerate(rows[1:], start=2)
        if all(row[header.index(k)] == v for k, v in cells.items())
    ]
    if len(found) <= nth:
        raise AssertionError(f"no row {nth} with {cells}")
    return found[nth]


def crossing(out: Path, nth: int = 0) -> int:
    """The `nth` non-leader of 园林事务中心 at the intersection on Wednesday 2022-06-15 07:30."""
    return find(out, nth, date="2022-06-15", start="07:30", duty="包路口", leader="0")


def export(out: Path):
    return runner.invoke(cli.app, ["export", str(out)])


def refused(out: Path, *needles: str) -> str:
    before = (out / "ical" / "all.ics").read_bytes()
    result = export(out)
    assert result.exit_code == 2, result.output
    text = result.stderr.replace("\n", " ")
    for needle in needles:
        assert needle in text, text
    assert "Traceback" not in result.output
    assert (out / "ical" / "all.ics").read_bytes() == before  # nothing published
    return text


def test_export_publishes_an_unedited_roster(week: Path) -> None:
    result = export(week)
    assert result.exit_code == 0, result.output


def test_export_refuses_a_volunteer_on_leave_and_names_the_row_and_the_leave(week: Path) -> None:
    # 周志军 (YL007) is on leave (事假) the whole week of 2022-06-13.
    line = crossing(week)
    edit(week, line, "volunteer_id", "YL007")
    refused(week, f"assignments.csv, row {line}", "YL007", "leave")


def test_export_refuses_a_volunteer_of_another_unit(week: Path) -> None:
    line = crossing(week)
    edit(week, line, "volunteer_id", "JG013")
    refused(
        week, f"assignments.csv, row {line}", "another unit (局机关)", "a volunteer of 园林事务中心"
    )


def test_export_refuses_an_unknown_volunteer_id(week: Path) -> None:
    line = crossing(week)
    edit(week, line, "volunteer_id", "ZZ999")
    refused(week, f"assignments.csv, row {line}", "no such volunteer", "ZZ999")


def test_export_refuses_a_slot_that_the_table_does_not_have(week: Path) -> None:
    line = crossing(week)
    edit(week, line, "start", "06:00")
    refused(week, f"assignments.csv, row {line}", "no such slot", "06:00")


def test_export_refuses_two_overlapping_duties_of_one_person(week: Path) -> None:
    # 郑静 (JG013) has a duty on Friday 17:00–18:00; put her on 狮子岭公园园区 at the same time.
    first = find(week, date="2022-06-17", start="17:00", volunteer_id="JG013")
    line = find(week, date="2022-06-17", start="17:00", area="狮子岭公园园区", leader="0")
    edit(week, line, "volunteer_id", "JG013")
    text = refused(week, "assignments.csv, row", "JG013", "overlap")
    assert f"row {first}" in text or f"row {line}" in text


def test_export_names_every_broken_row_at_once(week: Path) -> None:
    a = crossing(week)
    b = crossing(week, 1)
    edit(week, a, "volunteer_id", "ZZ998")
    edit(week, b, "volunteer_id", "ZZ999")
    text = refused(week, f"row {a}", f"row {b}", "2 error(s)")
    assert text.index(f"row {a}") < text.index(f"row {b}")


def test_export_refuses_a_non_leader_marked_as_leader(week: Path) -> None:
    line = crossing(week)
    edit(week, line, "leader", "1")
    refused(week, f"assignments.csv, row {line}", "not a leader")


def _row(day: date, start: int, end: int, area: str, volunteer: str, line: int) -> AssignmentRow:
    return AssignmentRow(day, start, area, volunteer, end, "包路口", "单位甲", line=line)


def test_checker_refuses_a_person_over_the_daily_cap() -> None:
    plan = make_plan(
        people(3),
        [duty("周一", "07:00", "10:00", area="路口甲"), duty("周一", "11:00", "13:00", "路口乙")],
        daily_cap_hours=4,
    )
    rows = [_row(MONDAY, 420, 600, "路口甲", "V1", 2), _row(MONDAY, 660, 780, "路口乙", "V1", 3)]
    problems: list[Problem] = check_roster(plan, rows, MONDAY, MONDAY, "assignments.csv")
    assert [p.source.row for p in problems if p.source] == [3] or [
        p.source.row for p in problems if p.source
    ] == [2]
    assert "daily" in problems[0].message


def test_checker_leaves_gaps_to_the_shortfalls() -> None:
    plan = make_plan(
        people(3, leaders=1), [duty("周一", "07:00", "08:00", min_people=3, max_people=3)]
    )
    rows = [_row(MONDAY, 420, 480, "路口甲", "V2", 2)]
    assert check_roster(plan, rows, MONDAY, MONDAY, "assignments.csv") == []

"""Workbooks of the sample's week of 2022-06-13, read back with python-calamine (not the writer)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from roster.i18n import speaking
from roster.model import Plan
from tests.export_helpers import do_export, files, solved


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    """These tests read the workbooks' Chinese words (the default; the tests run in English)."""
    with speaking("zh_Hans"):
        yield


@pytest.fixture(scope="module")
def week(sample_plan: Plan):
    return solved(sample_plan)


@pytest.fixture
def out(sample_plan: Plan, week, tmp_path: Path) -> Path:
    rows, gaps = week
    do_export(sample_plan, rows, gaps, tmp_path / "out", tmp_path / "state")
    return tmp_path / "out"


def sheet(path: Path, name: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def table(rows: list[list], header: str = "日期") -> list[dict]:
    """The data rows under the header row (the one whose first cell is `header`)."""
    at = next(i for i, r in enumerate(rows) if r and r[0] == header)
    return [dict(zip(rows[at], r, strict=True)) for r in rows[at + 1 :] if any(r)]


def _t(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def test_each_unit_workbook_lists_every_assignment_of_the_unit(
    out: Path, week, sample_plan: Plan
) -> None:
    rows, _ = week
    for unit in (u.name for u in sample_plan.units):
        found = table(sheet(out / "excel" / f"{unit}.xlsx", "排班表"))
        people = [r for r in found if not str(r["志愿者"]).startswith("缺")]
        got = Counter(
            (r["日期"], r["开始"], r["结束"], r["工作任务"], r["责任区域"], r["志愿者"])
            for r in people
        )
        want = Counter(
            (a.date, _t(a.start), _t(a.end), a.duty, a.area, a.volunteer_name)
            for a in rows
            if a.unit == unit
        )
        assert got == want, unit
        assert all(isinstance(r["日期"], date) and isinstance(r["开始"], time) for r in people)
        leaders = {(r["日期"], r["责任区域"]) for r in people if r["带队"] == "是"}
        assert leaders == {(a.date, a.area) for a in rows if a.unit == unit and a.leader}
        assert all(r["签到"] == "" for r in found)  # left blank for signatures


def test_master_has_every_unit_every_assignment_and_the_gaps(
    out: Path, week, sample_plan: Plan
) -> None:
    rows, gaps = week
    master = out / "excel" / "roster.xlsx"
    found = [r for r in table(sheet(master, "排班表")) if not str(r["志愿者"]).startswith("缺")]
    assert Counter((r["日期"], r["责任单位"], r["志愿者"]) for r in found) == Counter(
        (a.date, a.unit, a.volunteer_name) for a in rows
    )
    summary = table(sheet(master, "单位汇总"), "责任单位")
    assert [r["责任单位"] for r in summary] == [u.name for u in sample_plan.units]
    slots = {a.slot_key for a in rows} | {g.slot_key for g in gaps}
    assert sum(r["时段"] for r in summary) == len(slots)
    assert len(table(sheet(master, "缺口"))) == len({g.slot_key for g in gaps})


def test_a_gap_shows_in_the_unit_list_and_in_the_master_with_its_reason(
    sample_plan: Plan, week, tmp_path: Path
) -> None:
    rows, gaps = week
    dropped = next(r for r in rows if r.duty == "包路口")
    fewer = tuple(r for r in rows if r.slot_key != dropped.slot_key)
    do_export(sample_plan, fewer, gaps, tmp_path / "o", tmp_path / "s")
    unit_rows = table(sheet(tmp_path / "o" / "excel" / f"{dropped.unit}.xlsx", "排班表"))
    missing = [
        r
        for r in unit_rows
        if (r["日期"], r["开始"], r["工作任务"]) == (dropped.date, _t(dropped.start), "包路口")
    ]
    assert [r["志愿者"] for r in missing] == ["缺 8 人"]
    gap_rows = table(sheet(tmp_path / "o" / "excel" / "roster.xlsx", "缺口"))
    assert [(r["日期"], r["需要"], r["已安排"]) for r in gap_rows] == [(dropped.date, 8, 0)]


def test_hours_sheet_sums_each_volunteers_duty_hours(out: Path, week, sample_plan: Plan) -> None:
    rows, _ = week
    hours = {
        r["编号"]: r["本期小时"]
        for r in table(sheet(out / "excel" / "roster.xlsx", "工时"), "编号")
    }
    assert set(hours) == {v.id for v in sample_plan.volunteers}
    for v in sample_plan.volunteers:
        assert hours[v.id] == pytest.approx(
            sum(a.minutes for a in rows if a.volunteer_id == v.id) / 60
        )


def test_workbooks_are_set_up_for_printing(out: Path) -> None:
    wb = load_workbook(out / "excel" / "局机关.xlsx")
    ws = wb["排班表"]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$3:$3"
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref.startswith("A3:J")
    assert ws["A4"].number_format == "yyyy-mm-dd" and ws["C4"].number_format == "hh:mm"
    assert ws.column_dimensions["F"].width >= 2 * len("五一路(蔡伦路口至金华路口)") - 8


def test_same_roster_gives_identical_workbooks(sample_plan: Plan, week, tmp_path: Path) -> None:
    rows, gaps = week
    do_export(sample_plan, rows, gaps, tmp_path / "a", tmp_path / "s1")
    do_export(sample_plan, rows, gaps, tmp_path / "b", tmp_path / "s2")
    assert files(tmp_path / "a" / "excel") == files(tmp_path / "b" / "excel")

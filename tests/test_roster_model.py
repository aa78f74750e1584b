"""Every mistake a user can make in the tables gets one message naming file, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from roster.errors import InputError, Problem, Severity
from roster.readers import load

from .conftest import read_rows, write_rows


def errors_of(folder: Path) -> list[Problem]:
    with pytest.raises(InputError) as exc:
        load(folder)
    return [p for p in exc.value.problems if p.severity is Severity.ERROR]


def only_error(folder: Path) -> Problem:
    errors = errors_of(folder)
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def test_unknown_unit_in_volunteers_names_row_column_value_and_choices(edit_csv) -> None:
    e = only_error(edit_csv("volunteers.csv", 5, "所属单位", "城管大队"))
    assert (e.source.file, e.source.row) == ("volunteers.csv", 5)
    assert e.column == "unit" and e.value == "城管大队"
    assert "局机关" in e.expected
    assert "volunteers.csv, row 5, column 所属单位 (C): unknown unit: got '城管大队'" in str(e)


def test_an_unknown_unit_in_duties_names_the_file_row_and_value(edit_csv) -> None:
    e = only_error(edit_csv("duties.csv", 3, "责任单位", "园林中心"))
    assert (e.source.file, e.source.row, e.value) == ("duties.csv", 3, "园林中心")


def test_duplicate_volunteer_id_points_at_the_second_row_and_the_first(edit_csv) -> None:
    e = only_error(edit_csv("volunteers.csv", 4, "编号", "JG001"))
    assert (e.source.row, e.column, e.value) == (4, "id", "JG001")
    assert "row 2" in e.message


def test_window_that_ends_before_it_starts(edit_csv) -> None:
    e = only_error(edit_csv("duties.csv", 3, "结束时间", "07:00"))
    assert (e.source.row, e.column, e.value) == (3, "结束时间 (F)", "07:00")
    assert "ends before it starts" in e.message and "after 07:30" in e.expected


def test_hour_25_is_not_a_time(edit_csv) -> None:
    e = only_error(edit_csv("duties.csv", 2, "开始时间", "25:00"))
    assert (e.source.file, e.source.row, e.column, e.value) == (
        "duties.csv",
        2,
        "开始时间 (E)",
        "25:00",
    )
    assert "HH:MM" in e.expected


def test_an_unknown_weekday_suggests_the_spelling_expected(edit_csv) -> None:
    e = only_error(edit_csv("duties.csv", 7, "时间", "周一至周伍"))
    assert (e.source.row, e.column) == (7, "时间 (D)")
    assert "周一至周伍" in e.message and "周一至周五" in e.expected


def test_leave_that_ends_before_it_starts(edit_csv) -> None:
    e = only_error(edit_csv("leave.csv", 3, "结束日期", "2022-06-01"))
    assert (e.source.file, e.source.row, e.column, e.value) == (
        "leave.csv",
        3,
        "结束日期 (D)",
        "2022-06-01",
    )


def test_leave_for_an_unknown_volunteer(edit_csv) -> None:
    e = only_error(edit_csv("leave.csv", 2, "编号", "XX999"))
    assert (e.source.file, e.source.row, e.column, e.value) == (
        "leave.csv",
        2,
        "volunteer_id",
        "XX999",
    )


def test_missing_required_column(sample_copy: Path) -> None:
    path = sample_copy / "volunteers.csv"
    rows = [row[:1] + row[2:] for row in read_rows(path)]  # drop 姓名
    write_rows(path, rows)
    e = only_error(sample_copy)
    assert (e.source.file, e.source.row) == ("volunteers.csv", 1)
    assert e.column == "姓名 / name" and "missing" in e.message


def test_an_empty_table_file_is_named_as_empty(sample_copy: Path) -> None:
    (sample_copy / "units.csv").write_text("", encoding="utf-8")
    errors = errors_of(sample_copy)
    assert any(e.source.file == "units.csv" and "empty" in e.message for e in errors)


def test_a_table_with_a_header_but_no_rows_is_an_error(sample_copy: Path) -> None:
    path = sample_copy / "duties.csv"
    write_rows(path, read_rows(path)[:1])
    e = only_error(sample_copy)
    assert e.source.file == "duties.csv" and "no rows" in e.message


def test_a_missing_table_file_is_named(sample_copy: Path) -> None:
    (sample_copy / "volunteers.csv").unlink()
    e = only_error(sample_copy)
    assert "missing file volunteers.csv" in e.message


def test_a_phone_number_too_short_names_the_row_the_column_and_the_value(edit_csv) -> None:
    e = only_error(edit_csv("volunteers.csv", 6, "联系电话", "1380000"))
    assert (e.source.row, e.column, e.value) == (6, "联系电话 (D)", "1380000")


def test_bad_headcount_and_max_below_min(edit_csv) -> None:
    edit_csv("duties.csv", 3, "最少人数", "许多")
    folder = edit_csv("duties.csv", 5, "最多人数", "1")
    errors = errors_of(folder)
    assert [(e.source.row, e.column.split(" ")[0]) for e in errors] == [
        (3, "最少人数"),
        (5, "最多人数"),
    ]


def test_bad_yes_no_season_and_holiday_cells_are_all_reported_in_row_order(edit_csv) -> None:
    edit_csv("duties.csv", 2, "需带队", "也许")
    edit_csv("duties.csv", 3, "季节", "春季")
    folder = edit_csv("duties.csv", 4, "节假日", "看情况")
    errors = errors_of(folder)
    assert [(e.source.row, e.value) for e in errors] == [(2, "也许"), (3, "春季"), (4, "看情况")]
    assert "夏季" in errors[1].expected


def test_all_errors_of_a_file_are_reported_together(edit_csv) -> None:
    edit_csv("volunteers.csv", 3, "所属单位", "不存在的单位")
    edit_csv("duties.csv", 2, "开始时间", "7点半")
    edit_csv("duties.csv", 9, "结束时间", "25:00")
    folder = edit_csv("leave.csv", 4, "开始日期", "2022-02-30")
    errors = errors_of(folder)
    # Cell errors of every file come together; cross-table checks follow once cells are clean.
    assert sorted((e.source.file, e.source.row) for e in errors) == [
        ("duties.csv", 2),
        ("duties.csv", 9),
        ("leave.csv", 4),
    ]


def test_duty_whose_unit_has_no_volunteers_is_a_warning(sample_copy: Path) -> None:
    path = sample_copy / "volunteers.csv"
    write_rows(path, [r for r in read_rows(path) if r[2] != "渣土所"])
    leave = sample_copy / "leave.csv"
    write_rows(leave, [r for r in read_rows(leave) if not r[0].startswith("ZT")])
    plan = load(sample_copy)
    warnings = [str(w) for w in plan.warnings]
    assert any("duties.csv, row 14" in w and "渣土所 has no volunteers" in w for w in warnings)


def test_leader_without_phone_is_a_warning(edit_csv) -> None:
    plan = load(edit_csv("volunteers.csv", 2, "联系电话", ""))
    assert any(w.source.row == 2 and w.column == "phone" for w in plan.warnings)


def test_unknown_column_is_a_warning_not_an_error(sample_copy: Path) -> None:
    path = sample_copy / "units.csv"
    rows = read_rows(path)
    write_rows(path, [r + (["负责人电话"] if i == 0 else ["x"]) for i, r in enumerate(rows)])
    plan = load(sample_copy)
    assert any("负责人电话" in w.message for w in plan.warnings)


def test_settings_with_end_before_start(sample_copy: Path) -> None:
    path = sample_copy / "settings.toml"
    path.write_text(
        path.read_text("utf-8").replace("end = 2022-12-31", "end = 2021-01-01"), encoding="utf-8"
    )
    e = only_error(sample_copy)
    assert e.source.file == "settings.toml" and e.column == "end"


def test_settings_that_are_not_toml(sample_copy: Path) -> None:
    (sample_copy / "settings.toml").write_text("start = 2021-09-27\nend =\n", encoding="utf-8")
    e = only_error(sample_copy)
    assert e.source.file == "settings.toml" and "line 2" in e.message

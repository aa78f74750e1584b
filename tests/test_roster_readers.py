"""Reading the same plan from CSV in every encoding Excel writes, and from one workbook."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from roster.errors import InputError
from roster.model import Plan
from roster.readers import load
from roster.tables import DUTIES, UNITS, VOLUNTEERS

from .conftest import SAMPLE, folder_to_workbook, read_rows, write_rows

SHEETS_ZH = {
    "duties.csv": "责任分工表",
    "units.csv": "单位",
    "volunteers.csv": "志愿者",
    "leave.csv": "请假",
    "settings.toml": "设置",
}


def same_plan(a: Plan, b: Plan) -> None:
    assert a.settings == b.settings
    assert a.units == b.units
    assert a.volunteers == b.volunteers
    assert a.duties == b.duties
    assert a.leave == b.leave


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_in_utf8_with_or_without_bom_and_in_gbk(
    sample_copy: Path, sample_plan: Plan, encoding: str
) -> None:
    for name in ("duties.csv", "units.csv", "volunteers.csv", "leave.csv"):
        path = sample_copy / name
        write_rows(path, read_rows(path), encoding=encoding)
    same_plan(load(sample_copy), sample_plan)


def test_undecodable_csv_is_reported(sample_copy: Path) -> None:
    (sample_copy / "units.csv").write_bytes(b"\xff\xfe\x00\x00\x81\x30")
    with pytest.raises(InputError) as exc:
        load(sample_copy)
    assert any("units.csv" in str(p) and "GB18030" in str(p) for p in exc.value.problems)


def test_english_headers_read_the_same_as_chinese(sample_copy: Path, sample_plan: Plan) -> None:
    for table in (DUTIES, UNITS, VOLUNTEERS):
        path = sample_copy / table.file
        rows = read_rows(path)
        mapping = {c.zh: c.key for c in table.columns}
        rows[0] = [mapping.get(h, h) for h in rows[0]]
        write_rows(path, rows)
    same_plan(load(sample_copy), sample_plan)


def test_workbook_with_chinese_sheet_names_reads_like_the_folder(
    tmp_path: Path, sample_plan: Plan
) -> None:
    book = folder_to_workbook(SAMPLE, tmp_path / "plan.xlsx", SHEETS_ZH)
    same_plan(load(book), sample_plan)


def test_workbook_with_real_excel_dates_times_and_numbers(
    tmp_path: Path, sample_plan: Plan
) -> None:
    book = folder_to_workbook(SAMPLE, tmp_path / "plan.xlsx", SHEETS_ZH)
    wb = load_workbook(book)
    duties = wb["责任分工表"]
    for row in duties.iter_rows(min_row=2):
        for cell in (row[4], row[5]):  # start, end as Excel times
            h, m = map(int, cell.value.split(":"))
            cell.value = time(h, m)
            cell.number_format = "hh:mm"
        row[8].value = int(row[8].value)  # max_people as a number
    leave = wb["请假"]
    for row in leave.iter_rows(min_row=2):
        for cell in (row[2], row[3]):
            cell.value = datetime.fromisoformat(cell.value)
            cell.number_format = "yyyy-mm-dd"
    wb.save(book)
    same_plan(load(book), sample_plan)


def test_workbook_errors_name_the_sheet(tmp_path: Path) -> None:
    book = folder_to_workbook(SAMPLE, tmp_path / "plan.xlsx", SHEETS_ZH)
    wb = load_workbook(book)
    wb["志愿者"]["C7"] = "不存在的单位"
    wb["责任分工表"]["E3"] = "25:00"
    wb.save(book)
    with pytest.raises(InputError) as exc:
        load(book)
    text = [str(p) for p in exc.value.problems]
    assert any(
        t.startswith("plan.xlsx, sheet 责任分工表, row 3, column 开始时间 (E)") for t in text
    )


def test_workbook_missing_a_sheet_lists_what_it_found(tmp_path: Path) -> None:
    names = {k: v for k, v in SHEETS_ZH.items() if k != "volunteers.csv"}
    book = folder_to_workbook(SAMPLE, tmp_path / "plan.xlsx", names)
    with pytest.raises(InputError) as exc:
        load(book)
    (problem,) = exc.value.problems
    assert "missing sheet 志愿者" in problem.message and "责任分工表" in problem.expected


def test_a_file_that_is_not_a_workbook_is_refused_as_such(tmp_path: Path) -> None:
    fake = tmp_path / "plan.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load(fake)
    assert "cannot open the workbook" in str(exc.value)


def test_a_data_path_that_does_not_exist_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load(tmp_path / "nowhere")
    assert "no such file or folder" in str(exc.value)


def test_optional_tables_may_be_absent(sample_copy: Path) -> None:
    (sample_copy / "leave.csv").unlink()
    plan = load(sample_copy)
    assert plan.leave == ()


def test_headcount_in_chinese_numerals_and_ranges(edit_csv) -> None:
    folder = edit_csv("duties.csv", 5, "最少人数", "4—5名")
    folder = edit_csv("duties.csv", 5, "最多人数", "")
    plan = load(folder)
    assert plan.duties[0].min_people == 2
    assert (plan.duties[2].min_people, plan.duties[2].max_people) == (8, 8)  # 八名
    assert (plan.duties[3].min_people, plan.duties[3].max_people) == (4, 5)


def test_the_sample_campaign_runs_from_2021_09_27_to_2022_12_31_in_shanghai_time(
    sample_plan: Plan,
) -> None:
    s = sample_plan.settings
    assert (s.start, s.end) == (date(2021, 9, 27), date(2022, 12, 31))
    assert (s.summer_start, s.summer_end) == ((5, 1), (9, 30))
    assert s.timezone == "Asia/Shanghai"


def test_a_column_of_remarks_beside_the_data_is_read_by_people_only(tmp_path: Path) -> None:
    """The template's settings sheet has a 说明 column; a clerk adds 备注: neither warns."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    units = (data / "units.csv").read_text("utf-8").splitlines()
    units = [units[0] + ",备注"] + [line + ",联系人出差" for line in units[1:]]
    (data / "units.csv").write_text("\n".join(units) + "\n", "utf-8")
    plan = load(data)
    assert not [w for w in plan.warnings if "备注" in w.message]
    units[0] += ",联系电话2"  # an unknown column still warns
    (data / "units.csv").write_text("\n".join(units) + "\n", "utf-8")
    assert [w for w in load(data).warnings if "联系电话2" in w.message]

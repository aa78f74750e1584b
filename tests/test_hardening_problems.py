"""All problems at once: every missing setting, every bad cell of a row, and each number named for
what it counts (minutes are minutes, not "a number of people")."""

from __future__ import annotations

from pathlib import Path

import pytest

from roster.errors import InputError
from roster.readers import load

from .conftest import read_rows, write_rows


def problems(folder: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load(folder)
    return [str(p) for p in caught.value.problems if p.severity.name == "ERROR"]


def test_an_empty_settings_file_names_every_missing_key(sample_copy: Path) -> None:
    (sample_copy / "settings.toml").write_text("", "utf-8")
    found = problems(sample_copy)
    assert found == [
        "settings.toml, setting start: the campaign period is incomplete; "
        "expected start = YYYY-MM-DD",
        "settings.toml, setting end: the campaign period is incomplete; expected end = YYYY-MM-DD",
    ]


def test_a_missing_end_is_named_beside_a_bad_setting(sample_copy: Path) -> None:
    path = sample_copy / "settings.toml"
    text = path.read_text("utf-8").replace("end = 2022-12-31\n", "")
    path.write_text(text.replace("daily_cap_hours = 4", 'daily_cap_hours = "x"'), "utf-8")
    found = problems(sample_copy)
    assert len(found) == 2
    assert any("setting daily_cap_hours" in p for p in found)
    assert any("setting end: the campaign period is incomplete" in p for p in found)


@pytest.mark.parametrize(
    "key", ["travel_buffer_minutes", "reminder_minutes", "sign_in_opens_minutes"]
)
def test_a_negative_minute_count_is_called_minutes(sample_copy: Path, key: str) -> None:
    path = sample_copy / "settings.toml"
    path.write_text(path.read_text("utf-8") + f"{key} = -5\n", "utf-8")
    if key == "travel_buffer_minutes":
        path.write_text(path.read_text("utf-8").replace("travel_buffer_minutes = 30\n", ""))
    [found] = problems(sample_copy)
    assert found == (
        f"settings.toml, setting {key}: not a number of minutes: got '-5'; "
        "expected whole minutes such as 30, or 0"
    )
    assert "people" not in found


def test_minutes_may_be_written_with_their_unit(sample_copy: Path) -> None:
    path = sample_copy / "settings.toml"
    text = path.read_text("utf-8").replace(
        "travel_buffer_minutes = 30", 'travel_buffer_minutes = "45分钟"'
    )
    path.write_text(text, "utf-8")
    assert load(sample_copy).settings.travel_buffer_minutes == 45


def test_every_bad_cell_of_a_volunteer_row_is_named(sample_copy: Path) -> None:
    rows = read_rows(sample_copy / "volunteers.csv")
    header, row = rows[0], rows[1]
    row[header.index("姓名")] = ""
    row[header.index("联系电话")] = "12"
    row[header.index("带队")] = "maybe"
    row[header.index("每周上限小时")] = "-4"
    write_rows(sample_copy / "volunteers.csv", rows)
    found = [p for p in problems(sample_copy) if p.startswith("volunteers.csv, row 2,")]
    columns = sorted(p.split(": ")[0].split("column ")[1] for p in found)
    assert columns == ["姓名 (B)", "带队 (E)", "每周上限小时 (F)", "联系电话 (D)"]


def test_every_bad_cell_of_a_duty_row_is_named(sample_copy: Path) -> None:
    rows = read_rows(sample_copy / "duties.csv")
    header, row = rows[0], rows[1]
    row[header.index("责任区域")] = ""
    row[header.index("开始时间")] = "25:00"
    row[header.index("结束时间")] = ""
    row[header.index("最少人数")] = "many"
    write_rows(sample_copy / "duties.csv", rows)
    found = [p for p in problems(sample_copy) if p.startswith("duties.csv, row 2,")]
    assert len(found) == 4, found
    joined = "\n".join(found)
    for text in (
        "column 责任区域 (B): the area is empty",
        "column 开始时间 (E): no such time of day: got '25:00'",
        "column 结束时间 (F): the time is empty",
        "column 最少人数 (H): not a number of people: got 'many'",
    ):
        assert text in joined


def test_a_leave_row_with_a_bad_date_and_no_id_names_both(sample_copy: Path) -> None:
    rows = read_rows(sample_copy / "leave.csv")
    rows[1][0] = ""
    rows[1][1] = ""
    rows[1][rows[0].index("开始日期")] = "2022-13-01"
    write_rows(sample_copy / "leave.csv", rows)
    found = [p for p in problems(sample_copy) if p.startswith("leave.csv, row 2,")]
    assert any("column 编号 (A): the volunteer id is empty" in p for p in found)
    assert any("column 开始日期 (C): no such date" in p for p in found)


def test_a_row_with_one_mistake_names_it_once(sample_copy: Path) -> None:
    rows = read_rows(sample_copy / "volunteers.csv")
    rows[1][rows[0].index("每周上限小时")] = "-4"
    write_rows(sample_copy / "volunteers.csv", rows)
    assert len(problems(sample_copy)) == 1

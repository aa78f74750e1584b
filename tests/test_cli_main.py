"""The command line as a user meets it: exit codes, what it prints, what it writes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cli import main as cli
from roster.fileio import write_with
from roster.tables import ALL_TABLES, SETTINGS

from .conftest import SAMPLE

runner = CliRunner()


def run(*args: str):
    return runner.invoke(cli.app, list(args))


def test_check_on_the_shipped_sample_prints_duties_and_units() -> None:
    result = run("check")
    assert result.exit_code == 0, result.output
    for text in (
        "蔡池路与群英路交叉路口",
        "周三 17:30–18:30 夏季",
        "2021-10-01..10-07 国庆节放假",
        "园林事务中心",
        "2876 slots",
    ):
        assert text in result.stdout


def test_check_on_bad_input_exits_2_with_the_row_and_no_traceback(sample_copy: Path) -> None:
    path = sample_copy / "duties.csv"
    path.write_text(path.read_text("utf-8").replace("07:30,08:30", "07:30,25:00"), "utf-8")
    result = run("check", str(sample_copy))
    assert result.exit_code == 2
    assert "duties.csv, row 3, column 结束时间 (F): no such time of day: got '25:00'" in (
        result.stderr.replace("\n", "")
    )
    assert "Traceback" not in result.output


def test_internal_error_exits_1_without_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(cli, "check_tables", boom)
    result = run("check")
    assert result.exit_code == 1
    assert "internal error" in result.stderr and "Traceback" not in result.output


def test_slots_writes_the_days_slots_as_csv() -> None:
    result = run("slots", str(SAMPLE), "--from", "2021-12-01", "--to", "2021-12-01")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    crossing = [(r["start"], r["end"]) for r in rows if r["duty"] == "包路口"]
    assert crossing == [("07:30", "08:30"), ("17:00", "18:00")]
    assert {r["weekday"] for r in rows} == {"周三"}
    assert rows[0]["source"].startswith("duties.csv, row ")


def test_slots_to_a_file_has_a_bom_for_excel(tmp_path: Path) -> None:
    target = tmp_path / "slots.csv"
    result = run("slots", "--from", "2022-06-13", "--to", "2022-06-19", "--out", str(target))
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert len(data.decode("utf-8-sig").splitlines()) == 1 + 1 + 2 + 33 + 7  # header + week
    assert list(tmp_path.iterdir()) == [target]


def test_slots_rejects_a_bad_date() -> None:
    result = run("slots", "--from", "2022-13-01")
    assert result.exit_code == 2
    assert "expected YYYY-MM-DD" in result.output


def test_template_has_every_table_dropdowns_and_an_explanation_of_each_column(
    tmp_path: Path,
) -> None:
    target = tmp_path / "模板.xlsx"
    result = run("template", str(target))
    assert result.exit_code == 0, result.output
    wb = load_workbook(target)
    assert wb.sheetnames == ["说明", *(t.sheets[0] for t in ALL_TABLES), SETTINGS.sheets[0]]
    duties = wb["责任分工表"]
    assert [c.value for c in duties[1]][:6] == [
        "工作任务",
        "责任区域",
        "责任单位",
        "时间",
        "开始时间",
        "结束时间",
    ]
    lists = {str(dv.sqref): dv.formula1 for dv in duties.data_validations.dataValidation}
    assert lists["G2:G1000"] == '"全年,夏季,冬季"'
    assert lists["C2:C1000"].startswith("='单位'!")
    explained = {(r[0].value, r[2].value) for r in wb["说明"].iter_rows(min_row=2)}
    for table in (*ALL_TABLES, SETTINGS):
        for column in table.columns:
            assert (table.sheets[0], column.key) in explained


def test_a_filled_in_template_is_read_back(tmp_path: Path) -> None:
    target = tmp_path / "plan.xlsx"
    assert run("template", str(target)).exit_code == 0
    wb = load_workbook(target)
    wb["单位"].append(["局机关"])
    wb["志愿者"].append(["A1", "测试甲", "局机关", "13800000001", "是"])
    wb["志愿者"].append(["A2", "测试乙", "局机关", "13800000002", "否"])
    wb["责任分工表"].append(["联社区", "牌楼社区", "局机关", "每周一", "08:30", "12:30"])
    settings = wb["设置"]
    for row in settings.iter_rows(min_row=2):
        if row[0].value == "开始日期":
            row[1].value = "2022-01-01"
        if row[0].value == "结束日期":
            row[1].value = "2022-03-31"
    wb.save(target)
    result = run("check", str(target))
    assert result.exit_code == 0, result.output
    assert "牌楼社区" in result.stdout


def test_every_command_has_help_with_an_example() -> None:
    for command in cli.app.registered_commands:
        name = command.name or command.callback.__name__
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Example: roster " + name in result.stdout, name


def test_a_failed_write_leaves_the_previous_file_intact(tmp_path: Path) -> None:
    target = tmp_path / "roster.xlsx"
    target.write_bytes(b"previous")

    def failing_save(path: Path) -> None:
        path.write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_with(target, failing_save)
    assert target.read_bytes() == b"previous"
    assert list(tmp_path.iterdir()) == [target]


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_solve_writes_feeds_and_workbooks_and_export_rebuilds_them_identically(
    sample_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = run("solve", str(sample_copy), "--week", "2022-06-15", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "calendar feeds" in result.stdout and "workbooks" in result.stdout
    assert (out / "ical" / "all.ics").is_file() and (out / "excel" / "roster.xlsx").is_file()
    assert (sample_copy / "feed_tokens.csv").is_file()  # kept with the tables
    before = _tree(out)
    result = run("export", str(out), str(sample_copy))
    assert result.exit_code == 0, result.output
    assert "0 files changed" in result.stdout.replace("\n", " ")
    assert _tree(out) == before


def test_export_without_a_roster_exits_2_and_says_which_file(tmp_path: Path) -> None:
    result = run("export", str(tmp_path))
    assert result.exit_code == 2
    assert "assignments.csv" in result.output and "Traceback" not in result.output


def test_rotate_gives_one_volunteer_a_new_link(sample_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("solve", str(sample_copy), "--week", "2022-06-15", "--out", str(out)).exit_code == 0
    links = (out / "feeds.csv").read_text(encoding="utf-8-sig")
    assert run("rotate", "YL002", "--data", str(sample_copy)).exit_code == 0
    assert run("export", str(out), str(sample_copy)).exit_code == 0
    after = (out / "feeds.csv").read_text(encoding="utf-8-sig")
    changed = [a for a, b in zip(links.splitlines(), after.splitlines(), strict=True) if a != b]
    assert [c.split(",")[0] for c in changed] == ["YL002"]
    unknown = run("rotate", "NOBODY", "--data", str(sample_copy))
    assert unknown.exit_code == 2 and "NOBODY" in unknown.output


@pytest.mark.parametrize(
    ("args", "option", "said"),
    [
        (("solve", "--week", "2022-06-15", "--out", "{file}"), "--out", "is a file"),
        (("slots", "--from", "2022-06-13", "--to", "2022-06-19", "--out", "{folder}"), "--out",
         "is a folder"),
        (("solve", "--week", "2022-06-15", "--out", "{folder}/o", "--time-limit", "0"),
         "--time-limit", "is not a time limit"),
        (("solve", "--week", "2022-06-15", "--out", "{folder}/o", "--time-limit", "-2"),
         "--time-limit", "is not a time limit"),
    ],
)  # fmt: skip
def test_usage_mistakes_are_usage_errors_that_say_what_to_give(
    tmp_path: Path, args: tuple[str, ...], option: str, said: str
) -> None:
    (tmp_path / "a.csv").write_text("kept\n", "utf-8")
    filled = [a.format(file=tmp_path / "a.csv", folder=tmp_path) for a in args]
    result = run(*filled)
    assert result.exit_code == 2, result.output
    shown = " ".join(result.output.replace("│", " ").split())  # the box wraps long paths
    assert option in shown and said in shown
    assert (tmp_path / "a.csv").read_text("utf-8") == "kept\n"  # nothing written over it
    assert not (tmp_path / "o").exists()

"""`roster import OFFICIAL --out DIR`, and the workspace's import of a published table."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli import main as cli
from roster.errors import InputError
from roster.model import Plan
from roster.readers import load

from .conftest import SAMPLE, read_rows
from .official_tables import cleanups_xlsx, leiyang_docx, patrols_docx, publicity_txt

PAGE = Path(__file__).parent / "data" / "official" / "耒阳市城管局责任分工表.txt"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(cli.app, list(args))


def windows(plan: Plan) -> set[tuple[object, ...]]:
    """Each duty row as the roster uses it: place, units, weekdays, window, season, people."""
    return {
        (d.area, d.units, d.days.weekdays, d.start, d.end, d.season, d.min_people, d.max_people)
        for d in plan.duties
    }


def with_sample_volunteers(folder: Path) -> Plan:
    shutil.copy(SAMPLE / "volunteers.csv", folder / "volunteers.csv")
    return load(folder)


@pytest.fixture(params=["docx", "txt"])
def published(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "docx":
        return leiyang_docx(tmp_path / "责任分工表.docx")
    return PAGE


def test_the_seeds_table_imports_to_the_samples_duties(published: Path, tmp_path: Path) -> None:
    out = tmp_path / "数据"
    result = run("import", str(published), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert read_rows(out / "volunteers.csv") == [
        ["编号", "姓名", "所属单位", "联系电话", "带队", "每周上限小时", "不可值班日"]
    ]
    plan = with_sample_volunteers(out)
    assert windows(plan) == windows(load(SAMPLE))
    assert [u.name for u in plan.units] == [u.name for u in load(SAMPLE).units]
    assert plan.settings.end.isoformat() == "2022-12-31"
    assert (out / "import-report.txt").read_text("utf-8") in result.stdout.replace("\r", "")


def choices(report: str) -> list[str]:
    section = report.split("What the table does not say, and what was chosen:\n")[1]
    return [line for line in section.split("\n\n")[0].splitlines() if "the whole table" not in line]


def test_the_report_lists_exactly_the_choices_the_table_leaves(
    published: Path, tmp_path: Path
) -> None:
    result = run("import", str(published), "--out", str(tmp_path / "数据"))
    listed = choices((tmp_path / "数据" / "import-report.txt").read_text("utf-8"))
    assert len(listed) == 5, listed
    visit, intersection, parks, segments, segment_people = listed
    assert "“每周一”; chosen: 08:30–12:30" in visit and "--visit-start" in visit
    assert "summer from 05-01 to 09-30" in intersection and "--summer-start" in intersection
    assert "column 要" in parks and "2 people per slot" in parks and "--people" in parks
    assert "summer from 05-01" in segments
    assert "2 people per slot" in segment_people
    if published.suffix == ".docx":
        assert "rows 4–6" in parks and "rows 8–14" in segment_people
    assert "no column 需带队" in result.stdout


def test_options_override_the_defaults(tmp_path: Path) -> None:
    out = tmp_path / "数据"
    result = run(
        "import",
        str(leiyang_docx(tmp_path / "表.docx")),
        "--out",
        str(out),
        "--visit-start",
        "14:00",
        "--people",
        "3",
        "--summer-start",
        "06-01",
        "--start",
        "2022-01-01",
    )
    assert result.exit_code == 0, result.output
    plan = with_sample_volunteers(out)
    visit = next(d for d in plan.duties if d.kind == "联社区")
    assert (visit.window, visit.min_people) == ("14:00–18:00", 2)
    park = next(d for d in plan.duties if d.area == "西湖游园")
    assert park.min_people == 3
    assert plan.settings.summer_start == (6, 1)
    assert plan.settings.start.isoformat() == "2022-01-01"
    assert "given on the command line (--visit-start)" in result.stdout


@pytest.mark.parametrize(
    ("make", "name", "rows"),
    [
        (patrols_docx, "巡查.docx", 4),
        (cleanups_xlsx, "扫除.xlsx", 3),
        (publicity_txt, "宣传.txt", 2),
    ],
)
def test_other_bureaus_tables_import(
    make: Callable[[Path], Path], name: str, rows: int, tmp_path: Path
) -> None:
    out = tmp_path / "数据"
    source = make(tmp_path / name)
    result = run("import", str(source), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert len(read_rows(out / "duties.csv")) == rows + 1
    assert with_sample_volunteers_units(out)


def with_sample_volunteers_units(out: Path) -> Plan:
    units = [r[0] for r in read_rows(out / "units.csv")[1:]]
    lines = ["编号,姓名,所属单位"] + [f"T{i},测试,{u}" for i, u in enumerate(units)]
    (out / "volunteers.csv").write_text("\n".join(lines) + "\n", "utf-8")
    return load(out)


def test_the_patrols_read_afternoon_times_and_a_range(tmp_path: Path) -> None:
    out = tmp_path / "数据"
    run("import", str(patrols_docx(tmp_path / "巡查.docx")), "--out", str(out))
    plan = with_sample_volunteers_units(out)
    street = sorted(
        (d.window, d.min_people, d.max_people) for d in plan.duties if d.area == "青溪步行街"
    )
    assert street == [("09:00–11:30", 4, 5), ("15:00–17:00", 4, 5)]
    market = next(d for d in plan.duties if d.area == "东门夜市")
    assert market.window == "19:30–20:30" and market.days.workdays


def test_the_monthly_afternoon_is_a_listed_choice(tmp_path: Path) -> None:
    out = tmp_path / "数据"
    result = run("import", str(cleanups_xlsx(tmp_path / "扫除.xlsx")), "--out", str(out))
    assert "the table names 下午 but no times" in result.stdout
    plan = with_sample_volunteers_units(out)
    lane = next(d for d in plan.duties if d.area == "和平巷")
    assert (lane.window, lane.min_people, lane.units) == ("15:00–17:00", 10, ("物业办",))


def test_a_phrase_it_cannot_read_exits_2_naming_it_and_writes_the_report(tmp_path: Path) -> None:
    out = tmp_path / "数据"
    result = run("import", str(publicity_txt(tmp_path / "宣传.txt", bad=True)), "--out", str(out))
    assert result.exit_code == 2
    report = (out / "import-report.txt").read_text("utf-8")
    assert "row 6, column 时间: cannot read the time phrase from “逢集日上午”" in report
    assert "expected a weekday" in report
    assert "row 4, column 时间: “周末上午9:00-11:00” → 周末 09:00–11:00" in report  # the rest
    assert not (out / "duties.csv").exists()
    assert "Traceback" not in result.output


def test_no_period_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "表.txt"
    path.write_text(
        "工作任务\t时间\t责任区域\t要求\t责任单位\n巡查\t每天9:00-10:00\t甲路\t2人\t局机关\n"
    )
    result = run("import", str(path), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "the document states no period" in result.stdout
    assert (
        run(
            "import",
            str(path),
            "--out",
            str(tmp_path / "o"),
            "--start",
            "2023-01-01",
            "--end",
            "2023-12-31",
        ).exit_code
        == 0
    )


def test_out_refuses_roster_s_own_tables(tmp_path: Path) -> None:
    result = run("import", str(SAMPLE), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "not one" in result.stderr


def test_a_second_import_keeps_the_volunteers_the_units_filled_in(tmp_path: Path) -> None:
    out = tmp_path / "数据"
    source = leiyang_docx(tmp_path / "表.docx")
    run("import", str(source), "--out", str(out))
    shutil.copy(SAMPLE / "volunteers.csv", out / "volunteers.csv")
    result = run("import", str(source), "--out", str(out))
    assert result.exit_code == 0
    assert "volunteers.csv already holds volunteers: kept" in result.stdout
    assert load(out).volunteers == load(SAMPLE).volunteers


def test_the_workspace_imports_a_published_table_keeping_its_volunteers(
    workspace: tuple[Path, Any],
) -> None:
    folder, ops = workspace
    assert run("init", "--tables", str(SAMPLE), "--workspace", str(folder)).exit_code == 0
    result = run("import", str(PAGE), "--workspace", str(folder))
    assert result.exit_code == 0, result.output
    assert "What the table does not say" in result.stdout
    assert "table version 2" in result.stdout
    assert "volunteers gone" not in result.stdout and "units gone" not in result.stdout
    plan = ops.current_plan()
    assert plan.volunteers == load(SAMPLE).volunteers
    assert windows(plan) == windows(load(SAMPLE))
    assert [u.phone for u in plan.units] == [u.phone for u in load(SAMPLE).units]
    again = run("import", str(PAGE), "--workspace", str(folder))
    assert "unchanged" in again.stdout, again.output


def test_the_workspace_refuses_a_table_it_cannot_read_and_changes_nothing(
    workspace: tuple[Path, Any], tmp_path: Path
) -> None:
    folder, ops = workspace
    assert run("init", "--tables", str(SAMPLE), "--workspace", str(folder)).exit_code == 0
    bad = publicity_txt(tmp_path / "宣传.txt", bad=True)
    result = run("import", str(bad), "--workspace", str(folder))
    assert result.exit_code == 2
    assert "逢集日上午" in result.stdout
    assert ops.current_plan().duties == load(SAMPLE).duties


def test_an_uploaded_word_table_is_previewed_as_a_data_folder(
    workspace: tuple[Path, Any], tmp_path: Path
) -> None:
    folder, _ = workspace
    assert run("init", "--tables", str(SAMPLE), "--workspace", str(folder)).exit_code == 0
    from application import read_tables
    from workspace import uploads

    data = leiyang_docx(tmp_path / "责任分工表.docx").read_bytes()
    tables = uploads.upload(uploads.save_upload("责任分工表.docx", [data]))
    assert tables.is_dir() and tables.name == "责任分工表"
    plan = read_tables(tables)
    assert windows(plan) == windows(load(SAMPLE))
    assert plan.volunteers == load(SAMPLE).volunteers
    bad = publicity_txt(tmp_path / "宣传.txt", bad=True).read_bytes()
    with pytest.raises(InputError) as caught:
        uploads.save_upload("宣传.txt", [bad])
    assert "逢集日上午" in str(caught.value.problems[0])


def test_blank_cells_of_a_file_without_merges_are_the_row_above_s_and_said_so(
    tmp_path: Path,
) -> None:
    path = tmp_path / "导出.txt"
    text = (
        "（2023年1月1日至2023年12月31日）\n"
        "工作任务\t时间\t责任区域\t要求\t责任单位\n"
        "包路段\t每周五16:30至17:30\t甲路\t3人\t局机关\n"
        "\t\t乙路\t\t环卫所\n"
    )
    path.write_bytes(text.encode("utf-16"))
    out = tmp_path / "数据"
    result = run("import", str(path), "--out", str(out))
    assert result.exit_code == 0, result.output
    plan = with_sample_volunteers_units(out)
    second = next(d for d in plan.duties if d.area == "乙路")
    assert (second.kind, second.window, second.min_people) == ("包路段", "16:30–17:30", 3)
    assert "row 4, column 时间: “”; chosen: the row above's: “每周五16:30至17:30”" in result.stdout

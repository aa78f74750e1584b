"""Formula injection: a name beginning with = + - @ (or a tab, a carriage return) reaches the CSV
files and workbooks the office opens as text, never as a live formula, and reads back exactly."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cli import main as cli
from exports.sheet import list_workbook
from roster.csvfile import excel_csv_text, excel_text, original_text
from roster.rosterfiles import read_assignments, read_shortfalls

from .conftest import read_rows, write_rows

runner = CliRunner()
WEEK = "2022-06-15"

# 园林事务中心's people (YL…) and its Wednesday intersection, renamed to formulas.
NAMES = {
    "YL001": "=1+2",
    "YL002": "+8613800000000",
    "YL003": "-林",
    "YL004": "@王",
    "YL005": "'=吕",  # a real name beginning with an apostrophe and a formula start
    "YL006": "''+黄",
}
AREA = '=HYPERLINK("http://example.invalid","路口")'
UNIT = "@园林"


def run(*args: str) -> Any:
    return runner.invoke(cli.app, list(args))


@pytest.fixture
def data(sample_copy: Path) -> Path:
    for name in ("units.csv", "volunteers.csv", "duties.csv", "leave.csv"):
        rows = [
            [c.replace("园林事务中心", UNIT).replace("蔡池路与群英路交叉路口", AREA) for c in row]
            for row in read_rows(sample_copy / name)
        ]
        if name == "volunteers.csv":
            for row in rows[1:]:
                row[1] = NAMES.get(row[0], row[1])
        if name == "leave.csv":  # the leave table's names are only checked against the ids
            for row in rows[1:]:
                row[1] = ""
        write_rows(sample_copy / name, rows)
    return sample_copy


def cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def dangerous(cell: str) -> bool:
    return cell[:1] in ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize(
    "text",
    ["=1+2", "+x", "-", "@a", "\tx", "\rx", "'=x", "''+y", "'abc", "'", "", "a=b", "林"],
)
def test_excel_text_is_never_a_formula_and_reads_back(text: str) -> None:
    written = excel_text(text)
    assert not dangerous(written)
    assert original_text(written) == text


def test_a_text_that_begins_with_an_apostrophe_and_a_formula_start_keeps_it() -> None:
    assert excel_text("'=x") == "''=x"
    assert excel_text("'abc") == "'abc"  # nothing to tell apart: written as it is
    assert original_text("'abc") == "'abc"


def test_the_roster_tables_hold_no_formula_and_read_back_exactly(
    data: Path, tmp_path: Path
) -> None:
    rows = read_rows(data / "duties.csv")
    header = rows[0]
    for row in rows[1:]:  # a gap at the renamed intersection: shortfalls.csv names it
        if row[header.index("责任区域")] == AREA:
            row[header.index("最少人数")] = row[header.index("最多人数")] = "40"
    write_rows(data / "duties.csv", rows)
    out = tmp_path / "out"
    result = run("solve", str(data), "--week", WEEK, "--out", str(out), "--time-limit", "2")
    assert result.exit_code == 3, result.output
    for name in ("assignments.csv", "shortfalls.csv"):
        table = cells(out / name)
        assert len(table) > 1
        assert not [c for row in table for c in row if dangerous(c)], name
    written = cells(out / "assignments.csv")
    assert any(r[4] == "'" + AREA and r[5] == "'" + UNIT for r in written)
    assert "''=吕" in {r[7] for r in written} or "'''+黄" in {r[7] for r in written}
    back = read_assignments(out / "assignments.csv")
    assert {r.area for r in back} >= {AREA} and {r.unit for r in back} >= {UNIT}
    assert {r.volunteer_name for r in back if r.volunteer_id in NAMES} <= set(NAMES.values())
    assert {r.volunteer_name for r in back if r.volunteer_id in NAMES}
    gaps = read_shortfalls(out / "shortfalls.csv")
    assert any(g.area == AREA and g.unit == UNIT and g.reason.startswith(UNIT) for g in gaps)


def test_previous_and_export_read_such_a_roster_back_exactly(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run("solve", str(data), "--week", WEEK, "--out", str(out), "--time-limit", "2")
    assert first.exit_code == 0, first.output
    before = (out / "assignments.csv").read_bytes()
    again = run(
        "solve", str(data), "--week", WEEK, "--out", str(out), "--time-limit", "2",
        "--previous", str(out / "assignments.csv"),
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    assert "0 no longer match a slot or volunteer" in again.stdout
    assert (out / "assignments.csv").read_bytes() == before  # kept as it was, row for row
    exported = run("export", str(out))
    assert exported.exit_code == 0, exported.output  # every area and unit found in the tables
    workbook = load_workbook(out / "excel" / "roster.xlsx")
    values = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row]
    texts = [c for c in values if isinstance(c.value, str) and dangerous(c.value)]
    assert texts and all(c.data_type == "s" for c in texts)
    assert AREA in {c.value for c in texts}


def test_slots_csv_holds_no_formula(data: Path, tmp_path: Path) -> None:
    path = tmp_path / "slots.csv"
    result = run("slots", str(data), "--from", WEEK, "--to", WEEK, "--out", str(path))
    assert result.exit_code == 0, result.output
    table = cells(path)
    assert not [c for row in table for c in row if dangerous(c)]
    assert any(r[5] == "'" + AREA for r in table)


def test_excel_csv_text_leaves_numbers_alone() -> None:
    text = excel_csv_text(("a", "b"), [("-1", -1), ("=x", 2.5)])
    assert text == "a,b\n'-1,-1\n'=x,2.5\n"


def test_a_list_workbook_stores_formula_text_as_text() -> None:
    data = list_workbook(
        "changes", ["name", "hours"], [["=1+2", 1.5], ["@SUM(A1)", "-x"]], [10, 10]
    )
    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None
    assert [(c.value, c.data_type) for c in ws[2]] == [("=1+2", "s"), (1.5, "n")]
    assert [(c.value, c.data_type) for c in ws[3]] == [("@SUM(A1)", "s"), ("-x", "s")]


def test_the_ranking_circular_stores_a_unit_named_like_a_formula_as_text(
    workspace: tuple[Path, Any],
) -> None:
    from workspace.ranking import Ranking, UnitResult, circular

    result = UnitResult(1, "=1+2", 3, 3, 6, 6, 0, 0, 0, 360)
    data = circular(Ranking(date(2022, 6, 13), date(2022, 6, 19), 1, [result]), "=campaign")
    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None
    found = [c for row in ws.iter_rows() for c in row if c.value == "=1+2"]
    assert found and all(c.data_type == "s" for c in found)
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_workspace_imports_such_a_roster_and_writes_its_lists_without_formulas(
    data: Path, tmp_path: Path, workspace: tuple[Path, Any]
) -> None:
    folder = workspace[0]
    out = tmp_path / "out"
    solved = run("solve", str(data), "--week", WEEK, "--out", str(out), "--time-limit", "2")
    assert solved.exit_code == 0, solved.output
    made = run(
        "init", "--tables", str(data), "--history", str(out / "assignments.csv"),
        "--workspace", str(folder),
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    published = folder / "published" / "2022-06-13" / "assignments.csv"
    assert read_assignments(published) == read_assignments(out / "assignments.csv")
    links = tmp_path / "links.csv"
    assert run("links", "--out", str(links), "--workspace", str(folder)).exit_code == 0
    table = cells(links)
    assert not [c for row in table for c in row if dangerous(c)]
    assert "'=1+2" in {r[1] for r in table}


def test_feeds_csv_quotes_a_name_that_excel_would_run(sample_copy: Path, tmp_path: Path) -> None:
    """feeds.csv names every volunteer and is opened in Excel like the rosters."""
    path = sample_copy / "volunteers.csv"
    path.write_text(path.read_text("utf-8-sig").replace("钱丽平", "=HYPERLINK(1)"), "utf-8")
    units = sample_copy / "units.csv"
    units.write_text(units.read_text("utf-8-sig").replace("钱丽平", "钱丽萍"), "utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli.app, ["solve", str(sample_copy), "--week", "2022-06-15", "--out", str(out)]
    )
    assert result.exit_code in (0, 3), result.output
    text = (out / "feeds.csv").read_text("utf-8-sig")
    assert ",'=HYPERLINK(1)," in text and ",=HYPERLINK" not in text

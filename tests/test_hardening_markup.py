"""Console markup in the data: square-bracket tags in a cell never crash a command and every
message shows the value exactly as written (the console reads `[bold]` as markup unless escaped)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli import main as cli

from .conftest import SAMPLE, read_rows, write_rows

runner = CliRunner()

UNIT = "[bold]园林"  # 园林事务中心 renamed
AREA = "[link=x]路口[/link] ["  # 蔡池路与群英路交叉路口 renamed
KIND = "[/]联社区"  # a closing tag with nothing to close: rich raises MarkupError on it
NAME = "[red]孙桂[/red]"  # YL004
OTHER = "[/]谢静强"  # JG005
HEADER = "[yellow]备用[/]"  # an unknown column, named in a warning
CAMPAIGN = "[b]耒阳[/b]创文"


def run(*args: str) -> Any:
    return runner.invoke(cli.app, list(args))


def hostile(folder: Path) -> Path:
    """The sample with markup in a unit, an area, a duty, two names, a header and the title."""
    shutil.copytree(SAMPLE, folder)
    for name in ("units.csv", "volunteers.csv", "duties.csv"):
        rows = [
            [
                c.replace("园林事务中心", UNIT)
                .replace("蔡池路与群英路交叉路口", AREA)
                .replace("联社区", KIND)
                for c in row
            ]
            for row in read_rows(folder / name)
        ]
        if name == "volunteers.csv":
            rows[0].append(HEADER)
            for row in rows[1:]:
                row.append("")
                if row[0] == "YL004":
                    row[1] = NAME
                if row[0] == "JG005":
                    row[1] = OTHER
        write_rows(folder / name, rows)
    settings = folder / "settings.toml"
    text = settings.read_text("utf-8").replace(
        'name = "耒阳市城管局“衡阳群众”耒阳志愿者联社区、促文明"', f'name = "{CAMPAIGN}"'
    )
    settings.write_text(text, "utf-8")
    return folder


def flat(text: str) -> str:
    return text.replace("\n", "")


def test_check_shows_markup_in_cells_and_headers_as_written(tmp_path: Path) -> None:
    data = hostile(tmp_path / "data")
    result = run("check", str(data))
    assert result.exit_code == 0, result.output
    for text in (UNIT, AREA, KIND, CAMPAIGN):
        assert text in result.stdout, text
    # the leave table names 孙桂 and 谢静强: the warnings quote the volunteers' names as written
    assert f"({NAME})" in flat(result.stderr) and f"({OTHER})" in flat(result.stderr)
    assert HEADER in flat(result.stderr)


def test_a_bad_value_with_brackets_is_quoted_exactly(sample_copy: Path) -> None:
    rows = read_rows(sample_copy / "duties.csv")
    rows[1][rows[0].index("最少人数")] = "[/]8[bold]"
    write_rows(sample_copy / "duties.csv", rows)
    result = run("check", str(sample_copy))
    assert result.exit_code == 2, result.output
    assert "got '[/]8[bold]'" in flat(result.stderr)
    assert "internal error" not in result.output


def test_solve_and_export_print_the_names_as_written(tmp_path: Path) -> None:
    data = hostile(tmp_path / "data")
    # a gap at the renamed area: its line and reason name the unit and the area
    rows = read_rows(data / "duties.csv")
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("责任区域")] == AREA:
            row[header.index("最少人数")] = row[header.index("最多人数")] = "40"
    write_rows(data / "duties.csv", rows)
    out = tmp_path / "[bold]out[/]"
    result = run("solve", str(data), "--week", "2022-06-15", "--out", str(out), "--time-limit", "2")
    assert result.exit_code == 3, result.output
    text = flat(result.stdout)
    assert UNIT in text and AREA in text
    assert str(out / "assignments.csv") in text  # the folder's brackets are kept too
    with (out / "assignments.csv").open(encoding="utf-8-sig", newline="") as f:
        assert any(r[5] == UNIT for r in csv.reader(f))
    exported = run("export", str(out))
    assert exported.exit_code == 0, exported.output
    assert str(out / "ical") in flat(exported.stdout)


def test_the_summary_table_names_every_unit_as_written(tmp_path: Path) -> None:
    """A cell of a console table is markup too unless escaped."""
    data = hostile(tmp_path / "data")
    result = run(
        "solve", str(data), "--week", "2022-06-15", "--out", str(tmp_path / "o"), "--seed", "1"
    )
    assert result.exit_code in (0, 3), result.output
    assert f"│ {UNIT}" in result.stdout


@pytest.fixture
def markup_workspace(workspace: tuple[Path, Any], tmp_path: Path) -> Path:
    folder, _ = workspace
    data = hostile(tmp_path / "data")
    created = run("init", "--tables", str(data), "--workspace", str(folder))
    assert created.exit_code == 0, created.output
    return folder


def test_workspace_commands_print_the_names_as_written(markup_workspace: Path) -> None:
    folder = str(markup_workspace)
    planned = run("plan", "--week", "2022-06-15", "--workspace", folder, "--time-limit", "2")
    assert planned.exit_code in (0, 3), planned.output
    assert UNIT in planned.stdout
    published = run("publish", "--week", "2022-06-15", "--workspace", folder)
    assert published.exit_code == 0, published.output
    changes = run("changes", "--week", "2022-06-15", "--workspace", folder)
    assert changes.exit_code == 0, changes.output
    assert UNIT in changes.stdout
    added = run(
        "volunteer", "add", "YL099", "--name", "[/]柳新", "--unit", UNIT, "--workspace", folder
    )
    assert added.exit_code == 0, added.output
    leave = run(
        "leave", "add", "YL099", "2022-06-20", "2022-06-21", "--reason", "[i]病假[/i]",
        "--workspace", folder,
    )  # fmt: skip
    assert leave.exit_code == 0, leave.output
    listed = run("leave", "list", "--week", "2022-06-20", "--workspace", folder)
    assert listed.exit_code == 0, listed.output
    assert "[/]柳新" in listed.stdout and "[i]病假[/i]" in listed.stdout
    moved = run("plan", "--week", "2022-06-22", "--workspace", folder, "--time-limit", "2")
    assert moved.exit_code in (0, 3), moved.output
    assert "MarkupError" not in moved.output

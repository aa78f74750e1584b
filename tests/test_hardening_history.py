"""Foreign history: rows of another campaign's roster (units and people these tables do not have)
given as --history are left out of the fairness counts and of every feed, with a warning naming
the file and how many rows were left out."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli import main as cli

from .conftest import SAMPLE

runner = CliRunner()
STRANGER = "陌生人甲"
FOREIGN_UNIT = "外市交通局"
# Another city's roster of the week before: its own unit and people, and one of its people
# under an id the sample also has (JG001) but in its own unit.
FOREIGN = [
    ["2022-06-08", "07:30", "08:30", "包路口", "外市路口", FOREIGN_UNIT, "WS001", STRANGER, "1"],
    ["2022-06-08", "07:30", "08:30", "包路口", "外市路口", FOREIGN_UNIT, "JG001", "陌生人乙", "0"],
]


def run(*args: str) -> Any:
    return runner.invoke(cli.app, list(args))


@pytest.fixture
def histories(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The sample's tables, its roster of the week of 2022-06-08, and that roster with the
    foreign rows added."""
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    earlier = tmp_path / "earlier"
    solved = run("solve", str(data), "--week", "2022-06-08", "--out", str(earlier))
    assert solved.exit_code == 0, solved.output
    mixed = tmp_path / "mixed.csv"
    text = (earlier / "assignments.csv").read_text("utf-8-sig")
    with mixed.open("w", encoding="utf-8-sig", newline="") as f:
        f.write(text)
        csv.writer(f, lineterminator="\n").writerows(FOREIGN)
    return data, earlier / "assignments.csv", mixed


def every_text(folder: Path) -> str:
    return "\n".join(
        p.read_bytes().decode("utf-8", "replace") for p in folder.rglob("*") if p.is_file()
    )


def test_solve_leaves_another_campaigns_rows_out_and_says_so(
    histories: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    data, own, mixed = histories
    clean, dirty = tmp_path / "clean", tmp_path / "dirty"
    week = ("--week", "2022-06-15")
    assert run("solve", str(data), *week, "--out", str(clean), "--history", str(own)).exit_code == 0
    result = run("solve", str(data), *week, "--out", str(dirty), "--history", str(mixed))
    assert result.exit_code == 0, result.output
    warning = result.stderr.replace("\n", "")
    said = f"warning: {mixed}: 2 of its rows name units or volunteers these tables do not have"
    assert said in warning
    assert FOREIGN_UNIT in warning and "WS001" in warning
    texts = every_text(dirty / "ical")
    assert STRANGER not in texts and "陌生人乙" not in texts and FOREIGN_UNIT not in texts
    # the sample's own rows still count: the roster is the one the clean history gives
    assert (dirty / "assignments.csv").read_bytes() == (clean / "assignments.csv").read_bytes()


def test_export_leaves_them_out_of_the_feeds_too(
    histories: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    data, _, mixed = histories
    out = tmp_path / "out"
    assert run("solve", str(data), "--week", "2022-06-15", "--out", str(out)).exit_code == 0
    result = run("export", str(out), "--history", str(mixed))
    assert result.exit_code == 0, result.output
    assert "2 of its rows name units or volunteers" in result.stderr.replace("\n", "")
    texts = every_text(out / "ical") + every_text(out / "excel")
    assert STRANGER not in texts and FOREIGN_UNIT not in texts


def test_a_new_workspace_takes_only_its_own_people_from_history(
    histories: tuple[Path, Path, Path], workspace: tuple[Path, Any]
) -> None:
    data, _, mixed = histories
    folder = workspace[0]
    result = run("init", "--tables", str(data), "--history", str(mixed), "--workspace", str(folder))
    assert result.exit_code == 0, result.output
    assert "2 of its rows name units or volunteers" in result.output.replace("\n", "")
    published = folder / "published" / "2022-06-06"
    assert (published / "assignments.csv").is_file()
    assert STRANGER not in every_text(published) and FOREIGN_UNIT not in every_text(published)

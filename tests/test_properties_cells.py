"""Properties of cells: any Unicode text in a name, an area or a unit cell (console markup, formula
starts, tabs, NUL, line breaks, right-to-left marks, very long text) never crashes `roster check`
(exit 0 or 2, never 1) and, when accepted, reads back exactly from the CSV files roster writes."""

from __future__ import annotations

import csv
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli import main as cli
from exports.tables import assignments_csv, shortfalls_csv
from roster.assignments import AssignmentRow, ShortfallRow
from roster.model import Plan
from roster.readers import load
from roster.rosterfiles import read_assignments, read_shortfalls

from .conftest import SAMPLE, read_rows, write_rows

runner = CliRunner()

# Pieces a careful attacker or a clumsy paste puts in a cell.
PIECES = st.sampled_from(
    [
        "[bold]", "[/]", "[link=x]", "[red]x[/red]", "[", "]", "\\", "=", "+", "-", "@", "'",
        '"', ",", "、", "/", "|", ";", "\t", "\x00", "\n", "\r", "\r\n", "\u200f", "\u202e",
        "\u2066", "\ufeff", " ", "\u3000", "园林", "路口", "孙桂", "=1+2", "@SUM(A1)", "CON",
    ]
)  # fmt: skip
TEXT = st.one_of(
    st.text(min_size=1, max_size=30),
    st.lists(st.one_of(PIECES, st.text(max_size=4)), min_size=1, max_size=8).map("".join),
    st.text(alphabet=st.sampled_from("长路口=[/]\t "), min_size=200, max_size=1200),
)
PROPERTY = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def _replace(folder: Path, files: tuple[str, ...], old: str, new: str) -> None:
    for name in files:
        path = folder / name
        rows = [[new if c == old else c for c in row] for row in read_rows(path)]
        write_rows(path, rows)


def with_name(folder: Path, text: str) -> None:
    rows = read_rows(folder / "volunteers.csv")
    rows[1][1] = text  # JG001 钱丽平
    write_rows(folder / "volunteers.csv", rows)


def with_area(folder: Path, text: str) -> None:
    _replace(folder, ("duties.csv",), "蔡池路与群英路交叉路口", text)


def with_unit(folder: Path, text: str) -> None:
    _replace(folder, ("units.csv", "volunteers.csv", "duties.csv"), "园林事务中心", text)


def checked(put: Callable[[Path, str], None], text: str) -> Plan | None:
    """`roster check` on the sample with `text` put in; the plan when it was accepted."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(SAMPLE, folder)
        put(folder, text)
        result = runner.invoke(cli.app, ["check", str(folder)])
        assert result.exit_code in (0, 2), (result.exit_code, result.output)
        assert "internal error" not in result.output
        return load(folder) if result.exit_code == 0 else None


def round_trip(plan_value: str, field: str) -> None:
    """The value written to assignments.csv and shortfalls.csv reads back exactly."""
    values: dict[str, Any] = {"area": "牌楼社区", "unit": "局机关", "volunteer_name": "钱丽平"}
    values[field] = plan_value
    row = AssignmentRow(
        date(2022, 6, 15), 450, values["area"], "JG001", 510, "包路口", values["unit"],
        values["volunteer_name"], True,
    )  # fmt: skip
    gap = ShortfallRow(
        date(2022, 6, 15), 450, values["area"], "包路口", 510, values["unit"], 8, 6,
        f"{values['unit']} {plan_value}",
    )  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        assignments, shortfalls = Path(tmp) / "assignments.csv", Path(tmp) / "shortfalls.csv"
        assignments.write_bytes(assignments_csv((row,)).encode("utf-8-sig"))
        shortfalls.write_bytes(shortfalls_csv((gap,)).encode("utf-8-sig"))
        [back] = read_assignments(assignments)
        [gap_back] = read_shortfalls(shortfalls)
        with assignments.open(encoding="utf-8-sig", newline="") as f:
            cells = [c for r in csv.reader(f) for c in r]
    assert back == row
    assert (gap_back.area, gap_back.unit, gap_back.reason) == (gap.area, gap.unit, gap.reason)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


@PROPERTY
@given(TEXT)
def test_any_name_is_checked_and_reads_back(text: str) -> None:
    plan = checked(with_name, text)
    if plan is not None:
        [person] = [v for v in plan.volunteers if v.id == "JG001"]
        assert person.name == text.strip()
        round_trip(person.name, "volunteer_name")


@PROPERTY
@given(TEXT)
def test_any_area_is_checked_and_reads_back(text: str) -> None:
    plan = checked(with_area, text)
    if plan is not None:
        areas = {d.area for d in plan.duties if d.units == ("园林事务中心",)}
        assert text.strip() in areas
        round_trip(text.strip(), "area")


@PROPERTY
@given(TEXT)
def test_any_unit_is_checked_and_reads_back(text: str) -> None:
    plan = checked(with_unit, text)
    if plan is not None:
        assert text.strip() in {u.name for u in plan.units}
        round_trip(text.strip(), "unit")

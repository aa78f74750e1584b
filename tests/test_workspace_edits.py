"""Units and volunteers changed one at a time in a workspace, checked as the tables would be."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli import main as cli

from .conftest import SAMPLE, read_rows, write_rows

runner = CliRunner()


def run(folder: Path, *args: str) -> Any:
    return runner.invoke(cli.app, [*args, "--workspace", str(folder)])


@pytest.fixture
def started(workspace: tuple[Path, Any]) -> tuple[Path, Any]:
    folder, ops = workspace
    assert run(folder, "init", "--tables", str(SAMPLE)).exit_code == 0
    return folder, ops


def test_an_added_volunteer_is_rostered_and_an_unavailable_day_is_kept(
    started: tuple[Path, Any],
) -> None:
    folder, ops = started
    added = run(
        folder, "volunteer", "add", "YL099", "--name", "柳新", "--unit", "园林事务中心",
        "--phone", "13800009999",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    # 孙桂 (YL004) can no longer do Wednesdays: the 2022-06-15 draft leaves them out that day.
    changed = run(folder, "volunteer", "set", "YL004", "--unavailable", "周三")
    assert changed.exit_code == 0, changed.output
    plan = ops.current_plan()
    assert {v.id for v in plan.volunteers} >= {"YL099", "YL004"}
    assert next(v for v in plan.volunteers if v.id == "YL004").unavailable == frozenset({2})
    assert run(folder, "plan", "--week", "2022-06-15").exit_code == 0
    draft = read_rows(folder / "drafts" / "2022-06-13" / "assignments.csv")
    assert not [r for r in draft if r[6] == "YL004" and r[0] == "2022-06-15"]
    assert [e.action for e in ops.audit()][:3] == ["init", "volunteer add", "volunteer set"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("volunteer", "set", "YL004", "--phone", "123"), "roster volunteer set, column --phone"),
        (("volunteer", "add", "YL098", "--name", "柳二", "--unit", "不存在"), "unknown unit"),
        (("volunteer", "remove", "ZZ1"), "no such entry"),
        (("unit", "add", "局机关"), "already there"),
    ],
)
def test_an_edit_the_tables_would_refuse_is_refused_and_not_kept(
    started: tuple[Path, Any], args: tuple[str, ...], said: str
) -> None:
    folder, ops = started
    result = run(folder, *args)
    assert result.exit_code == 2 and said in result.output, result.output
    assert [e.action for e in ops.audit()] == ["init"]


def test_an_import_keeps_the_edits_that_still_fit(
    started: tuple[Path, Any], sample_copy: Path
) -> None:
    folder, ops = started
    assert run(folder, "volunteer", "set", "YL004", "--phone", "13800000099").exit_code == 0
    assert run(folder, "volunteer", "set", "YL005", "--phone", "13800000098").exit_code == 0
    rows = read_rows(sample_copy / "volunteers.csv")
    write_rows(sample_copy / "volunteers.csv", [r for r in rows if r[0] != "YL005"])
    result = run(folder, "import", str(sample_copy))
    assert result.exit_code == 0, result.output
    assert "1 kept on top of the new tables, 1 dropped" in result.output
    phones = {v.id: v.phone for v in ops.current_plan().volunteers}
    assert phones["YL004"] == "13800000099" and "YL005" not in phones


def test_a_change_with_nothing_to_change_is_refused(started: tuple[Path, Any]) -> None:
    folder, ops = started
    result = run(folder, "volunteer", "set", "YL004")
    assert result.exit_code == 2 and "nothing to change" in result.output
    assert [e.action for e in ops.audit()] == ["init"]

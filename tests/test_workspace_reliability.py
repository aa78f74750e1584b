"""A workspace survives what offices do to it: mistakes, a kill -9, two publishes at once, an
older version's database. On SQLite, and on PostgreSQL when DATABASE_URL is set."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli import main as cli

from .conftest import SAMPLE, read_rows, write_rows

runner = CliRunner()
WEEK, MONDAY = "2022-06-15", "2022-06-13"


def run(folder: Path, *args: str) -> Any:
    return runner.invoke(cli.app, [*args, "--workspace", str(folder)])


def roster(folder: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "ROSTER_LANG": "en"}
    return subprocess.Popen(
        [sys.executable, "-m", "roster", *args, "--workspace", str(folder)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def started(workspace: tuple[Path, Any]) -> tuple[Path, Any]:
    folder, ops = workspace
    result = run(folder, "init", "--tables", str(SAMPLE))
    assert result.exit_code == 0, result.output
    return folder, ops


def test_a_week_outside_the_campaign_is_refused_naming_its_dates(
    started: tuple[Path, Any],
) -> None:
    folder, _ = started
    result = run(folder, "plan", "--week", "2023-06-14")  # a mistyped year
    assert result.exit_code == 2
    assert "2023-06-12 to 2023-06-18 is outside the campaign" in result.output
    assert "a date from 2021-09-27 to 2022-12-31" in result.output
    assert not (folder / "drafts").exists()


def test_init_refuses_a_folder_that_is_already_a_workspace(started: tuple[Path, Any]) -> None:
    folder, _ = started
    result = run(folder, "init", "--tables", str(SAMPLE))
    assert result.exit_code == 2 and "already a workspace" in result.output


def test_a_command_outside_a_workspace_says_how_to_make_one(tmp_path: Path) -> None:
    result = run(tmp_path / "nothing", "plan", "--week", WEEK)
    assert result.exit_code == 2 and "roster init" in result.output


def test_a_table_that_does_not_read_changes_nothing(
    started: tuple[Path, Any], sample_copy: Path
) -> None:
    folder, _ = started
    rows = read_rows(sample_copy / "volunteers.csv")
    rows[3][rows[0].index("所属单位")] = "不存在的单位"
    write_rows(sample_copy / "volunteers.csv", rows)
    result = run(folder, "import", str(sample_copy))
    assert result.exit_code == 2 and "volunteers.csv" in result.output
    from workspace.models import TableVersion

    assert TableVersion.objects.count() == 1


def test_an_import_prints_what_changed(started: tuple[Path, Any], sample_copy: Path) -> None:
    folder, _ = started
    rows = read_rows(sample_copy / "volunteers.csv")
    rows.append(["YL099", "柳新", "园林事务中心", "13800009999", "0", "", ""][: len(rows[0])])
    write_rows(sample_copy / "volunteers.csv", rows)
    result = run(folder, "import", str(sample_copy))
    assert result.exit_code == 0, result.output
    assert "table version 2" in result.output and "柳新（YL099）" in result.output
    again = run(folder, "import", str(sample_copy))
    assert "unchanged (version 2)" in again.output


def test_a_hand_edited_draft_that_breaks_a_rule_is_refused(started: tuple[Path, Any]) -> None:
    folder, ops = started
    assert run(folder, "plan", "--week", WEEK).exit_code == 0
    draft = folder / "drafts" / MONDAY / "assignments.csv"
    rows = read_rows(draft)
    # the first row's person put on the same duty a second time
    volunteer = rows[0].index("volunteer_id")
    rows.append(list(rows[1]))
    write_rows(draft, rows)
    result = run(folder, "publish", "--week", WEEK)
    assert result.exit_code == 2, result.output
    assert f"row {len(rows)}" in result.output and rows[1][volunteer] in result.output
    assert ops.latest(date(2022, 6, 13)) is None  # nothing published


def test_publishing_without_a_draft_says_to_plan_first(started: tuple[Path, Any]) -> None:
    folder, _ = started
    result = run(folder, "publish", "--week", WEEK)
    assert result.exit_code == 2 and "roster plan --week 2022-06-13" in result.output


def _published_whole(folder: Path, ops: Any) -> None:
    """The week's files are exactly its latest published version, or there is none."""
    ops.open_workspace(folder)
    version = ops.latest(date(2022, 6, 13))
    week = folder / "published" / MONDAY
    leftovers = [p.name for p in (folder / "published").glob(".*")] if week.parent.exists() else []
    assert leftovers == []
    if version is None:
        assert not week.exists()
        return
    assert (week / "version.txt").read_text().strip() == str(version.number)
    with (week / "assignments.csv").open(encoding="utf-8-sig") as f:
        assert len(list(csv.reader(f))) - 1 == version.rows.count()
    assert (week / "excel" / "roster.xlsx").is_file() and (week / "feeds.csv").is_file()


def test_kill_9_during_publish_leaves_it_before_or_after(started: tuple[Path, Any]) -> None:
    folder, ops = started
    outcomes = set()
    for delay in (0.3, 0.8, 1.2, 1.6, 2.0, 2.6):
        assert run(folder, "plan", "--week", WEEK).exit_code == 0
        process = roster(folder, "publish", "--week", WEEK)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        outcomes.add(process.returncode)
        _published_whole(folder, ops)
    assert -signal.SIGKILL in outcomes  # at least one kill landed mid-way


def test_kill_9_during_plan_leaves_the_draft_before_or_after(started: tuple[Path, Any]) -> None:
    folder, ops = started
    for delay in (0.5, 1.0, 1.5, 2.0):
        process = roster(folder, "plan", "--week", WEEK)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        ops.open_workspace(folder)
        drafts = folder / "drafts"
        leftovers = [p.name for p in drafts.glob(".*")] if drafts.exists() else []
        assert leftovers == []
        from workspace.models import WeekVersion

        draft = WeekVersion.objects.filter(number=0).first()
        path = drafts / MONDAY / "assignments.csv"
        if draft is not None and path.is_file():
            with path.open(encoding="utf-8-sig") as f:
                assert len(list(csv.reader(f))) - 1 == draft.rows.count()


def test_two_publishes_of_one_week_at_once_never_mix(started: tuple[Path, Any]) -> None:
    folder, ops = started
    assert run(folder, "plan", "--week", WEEK).exit_code == 0
    first, second = (
        roster(folder, "publish", "--week", WEEK),
        roster(folder, "publish", "--week", WEEK),
    )
    codes = sorted([first.wait(), second.wait()])
    assert codes == [0, 2], (first.stderr.read() if first.stderr else "", codes)
    from workspace.models import WeekVersion

    assert list(WeekVersion.objects.values_list("number", flat=True)) == [1]
    _published_whole(folder, ops)


def test_a_workspace_of_the_first_schema_is_migrated_on_open(workspace: tuple[Path, Any]) -> None:
    """A database made by the first version (no event SEQUENCE yet) opens and keeps its rows."""
    from django.core.management import call_command
    from django.db import connection

    folder, ops = workspace
    folder.mkdir(parents=True, exist_ok=True)
    call_command("migrate", "workspace", "0001", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO workspace_feedstamp (slot, digest, modified) VALUES (%s, %s, %s)",
            ["2022-06-15|07:30|包路口|蔡池路与群英路交叉路口", "d" * 64, "20220610T000000Z"],
        )
    (folder / "workspace.txt").write_text("a roster workspace\n", encoding="utf-8")
    ops.open_workspace(folder)
    from workspace.models import FeedStamp

    stamp = FeedStamp.objects.get()
    assert stamp.modified == "20220610T000000Z" and stamp.sequence == 0


def test_the_models_and_the_migrations_agree(workspace: tuple[Path, Any]) -> None:
    """A model changed without its migration would leave older workspaces unmigrated."""
    from django.core.management import call_command

    workspace[0].mkdir(parents=True, exist_ok=True)  # where the database's file goes
    call_command("makemigrations", "workspace", "--check", "--dry-run", verbosity=0)


def test_publishing_the_same_roster_again_makes_no_version(started: tuple[Path, Any]) -> None:
    folder, _ = started
    assert run(folder, "plan", "--week", WEEK).exit_code == 0
    assert run(folder, "publish", "--week", WEEK).exit_code == 0
    told = run(folder, "changes", "--week", WEEK).output
    assert run(folder, "plan", "--week", WEEK).exit_code == 0  # nothing changed since
    again = run(folder, "publish", "--week", WEEK)
    assert again.exit_code == 0 and "the same as published version 1" in again.output
    from workspace.models import WeekVersion

    assert list(WeekVersion.objects.values_list("number", flat=True)) == [1]
    assert run(folder, "changes", "--week", WEEK).output == told  # whom to tell is kept

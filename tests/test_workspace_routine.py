"""The office's weekly routine in a workspace, as the commands run it, on the sample's campaign.

init, plan and publish two June 2022 weeks, a leave in the second, plan it again: only the broken
assignments move, `changes` names exactly the people affected, and the second week's fairness
counts the first's hours. Runs on SQLite, and on PostgreSQL when DATABASE_URL is set.
"""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cli import main as cli
from roster import fileio, i18n
from roster.rosterfiles import read_assignments

from .conftest import SAMPLE, english_words

runner = CliRunner()
WEEK1, WEEK2 = "2022-06-15", "2022-06-22"
MONDAY1, MONDAY2 = "2022-06-13", "2022-06-20"


def run(folder: Path, *args: str) -> Any:
    return runner.invoke(cli.app, [*args, "--workspace", str(folder)])


def rows_of(path: Path) -> set[tuple[str, ...]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {tuple(r) for r in list(csv.reader(f))[1:]}


@pytest.fixture
def routine(workspace: tuple[Path, Any], tmp_path: Path) -> dict[str, Any]:
    """Two weeks published, then a leave for someone on duty in the second, planned again;
    in Chinese, as the office runs it."""
    with i18n.speaking(i18n.CHINESE):
        return _routine(*workspace)


def _routine(folder: Path, ops: Any) -> dict[str, Any]:
    assert run(folder, "init", "--tables", str(SAMPLE)).exit_code == 0
    for week in (WEEK1, WEEK2):
        planned = run(folder, "plan", "--week", week)
        assert planned.exit_code == 0, planned.output
        published = run(folder, "publish", "--week", week)
        assert published.exit_code == 0, published.output
    week2 = folder / "published" / MONDAY2 / "assignments.csv"
    first = rows_of(week2)
    # 孙桂 (YL004) stands at 蔡池路与群英路交叉路口 on Wednesday 2022-06-22 in this roster.
    taken = sorted(r for r in first if r[6] == "YL004")
    assert taken, "the sample's roster puts YL004 on duty in the second week"
    added = run(folder, "leave", "add", "YL004", "2022-06-20", "2022-06-26", "--reason", "病假")
    assert added.exit_code == 0, added.output
    replanned = run(folder, "plan", "--week", WEEK2)
    assert replanned.exit_code == 0, replanned.output
    republished = run(folder, "publish", "--week", WEEK2)
    assert republished.exit_code == 0, republished.output
    return {
        "folder": folder,
        "ops": ops,
        "before": first,
        "after": rows_of(week2),
        "taken": taken,
        "replanned": replanned.output,
        "republished": republished.output,
    }


def test_a_replan_after_leave_moves_only_the_broken_assignments(routine: dict[str, Any]) -> None:
    before, after, taken = routine["before"], routine["after"], routine["taken"]
    removed, added = before - after, after - before
    assert removed == set(taken)  # only 孙桂's duties of the week were given up
    # each of them went to one other person of the same unit, on the very same slot
    assert sorted(r[:6] for r in added) == sorted(r[:6] for r in removed)
    assert all(r[6] != "YL004" for r in added)


def test_changes_names_exactly_the_people_affected(routine: dict[str, Any]) -> None:
    before, after = routine["before"], routine["after"]
    moved = {r[6] for r in before ^ after}
    folder = routine["folder"]
    out = folder.parent / "changes.csv"
    result = run(folder, "changes", "--week", WEEK2, "--out", str(out))
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as f:
        listed = list(csv.DictReader(f))
    assert {r["volunteer_id"] for r in listed} == moved
    gone = next(r for r in listed if r["volunteer_id"] == "YL004")
    assert "蔡池路与群英路交叉路口" in gone["removed"] and not gone["added"]
    assert gone["phone"]  # whom to call


def test_the_second_week_counts_the_first_weeks_hours(routine: dict[str, Any]) -> None:
    """The draft of week 2 is the file solve of week 2 with week 1 as --history, row for row."""
    folder, ops = routine["folder"], routine["ops"]
    week1 = folder / "published" / MONDAY1 / "assignments.csv"
    history = ops.history_before(date(2022, 6, 20))
    assert {r.volunteer_id for r in history} and set(history) == set(read_assignments(week1))
    out = folder.parent / "file-solve"
    tables = folder.parent / "tables"  # a copy: the file solve keeps its feed tokens beside it
    shutil.copytree(SAMPLE, tables)
    solved = runner.invoke(
        cli.app,
        ["solve", str(tables), "--week", WEEK2, "--out", str(out), "--history", str(week1)],
    )
    assert solved.exit_code == 0, solved.output
    from workspace.models import WeekVersion

    version1 = WeekVersion.objects.get(monday=MONDAY2, number=1)
    first = {(r.volunteer_id, r.date, r.start, r.area) for r in version1.rows.all()}
    assert first == {
        (r.volunteer_id, r.date, r.start, r.area) for r in read_assignments(out / "assignments.csv")
    }


def test_a_republished_week_gives_changed_events_a_higher_sequence(
    routine: dict[str, Any],
) -> None:
    folder, ops = routine["folder"], routine["ops"]
    links = {x.volunteer_id: x.path for x in ops.links() if x.volunteer_id}
    replacement = min(r[6] for r in routine["after"] - routine["before"])
    feed = (folder / "published" / MONDAY2 / links[replacement]).read_text(encoding="utf-8")
    assert "SEQUENCE:1" in feed
    moved = routine["after"] ^ routine["before"]
    changed_slots = {r[:5] for r in moved}  # a teammate of a changed slot sees it change too
    untouched = min(r[6] for r in routine["after"] if r[:5] not in changed_slots)
    other = (folder / "published" / MONDAY2 / links[untouched]).read_text(encoding="utf-8")
    assert "SEQUENCE" not in other


def test_the_routine_speaks_chinese(routine: dict[str, Any], tmp_path: Path) -> None:
    """What the office reads: the re-plan, whom to tell, the changes, in Chinese only."""
    folder = routine["folder"]
    out = tmp_path / "通知.xlsx"
    with i18n.speaking(i18n.CHINESE):
        listed = run(folder, "leave", "list", "--week", WEEK2)
        result = run(folder, "changes", "--week", WEEK2, "--out", str(out))
    assert result.exit_code == 0 and listed.exit_code == 0
    sheet = load_workbook(out).active
    cells = [[str(c.value or "") for c in row] for row in sheet.iter_rows()]
    assert cells[0] == ["单位", "编号", "姓名", "电话", "新增", "取消", "通知"]
    notice = next(row[6] for row in cells if row[1] == "YL004")
    assert notice.startswith(
        "孙桂：您的值班有变动。取消 6月22日周三 17:30–18:30 包路口 蔡池路与群英路"
    )
    assert "孙桂" in routine["republished"] and "需要通知的人（2 人）" in routine["republished"]
    text = routine["replanned"] + routine["republished"] + listed.output
    ids = [v.id for v in routine["ops"].current_plan().volunteers]
    places = [folder / "drafts" / MONDAY2, folder / "published" / MONDAY2, folder]
    values = [*map(str, places), *ids]
    assert english_words(text, values) == []


def test_every_feed_has_a_link_of_its_own(routine: dict[str, Any]) -> None:
    folder, ops = routine["folder"], routine["ops"]
    result = run(folder, "links")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    plan = ops.current_plan()
    kinds = [r["kind"] for r in rows]
    assert kinds.count("city") == 1
    assert kinds.count("unit") == len(plan.units)
    assert kinds.count("area") == len({d.area for d in plan.duties})
    assert kinds.count("volunteer") == len(plan.volunteers)
    tokens = [Path(r["path"]).stem for r in rows]
    assert len(set(tokens)) == len(tokens) and all(len(t) >= 22 for t in tokens)
    week = folder / "published" / MONDAY2
    for row in rows:  # every area's and unit's feed exists, with duties this week or not
        assert (week / row["path"]).is_file(), row
    names = {p.name for p in (week / "ical").rglob("*.ics")}
    assert not any(u.name in n for u in plan.units for n in names)  # no guessable file name


def test_export_writes_a_published_week_for_a_web_server(
    routine: dict[str, Any], tmp_path: Path
) -> None:
    folder = routine["folder"]
    site = tmp_path / "site"
    result = run(folder, "export", "--week", WEEK2, "--out", str(site))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in site.iterdir()) == ["ical"]  # no names, no phones, no links list
    week = folder / "published" / MONDAY2 / "ical"
    files = sorted(p.relative_to(week) for p in week.rglob("*.ics"))
    assert sorted(p.relative_to(site / "ical") for p in (site / "ical").rglob("*.ics")) == files
    assert site.stat().st_mode & 0o055 == 0o055 & ~fileio.UMASK  # a web server may read it


def test_the_audit_log_says_who_did_what(routine: dict[str, Any]) -> None:
    actions = [e.action for e in routine["ops"].audit()]
    assert actions == [
        "init",
        "plan",
        "publish",
        "plan",
        "publish",
        "leave add",
        "plan",
        "publish",
    ]


def test_a_weeks_feeds_show_the_weeks_published_around_it(routine: dict[str, Any]) -> None:
    """Week 2's feeds carry week 1 too, so the folder published last is the current calendar;
    weeks more than four away are left out, so that a week's files do not grow all campaign."""
    folder, ops = routine["folder"], routine["ops"]
    city = next(x.path for x in ops.links() if x.kind == "city")
    feed = (folder / "published" / MONDAY2 / city).read_text(encoding="utf-8")
    assert "DTSTART;TZID=Asia/Shanghai:20220615T" in feed  # week 1
    assert "DTSTART;TZID=Asia/Shanghai:20220622T" in feed  # week 2
    early = ops.neighbours(date(2022, 7, 18))  # four weeks after week 2, five after week 1
    assert {r.date for r in early} and min(r.date for r in early) >= date(2022, 6, 20)


def test_rotating_a_link_renames_the_feed_and_touches_nothing_else(
    routine: dict[str, Any],
) -> None:
    folder, ops = routine["folder"], routine["ops"]
    week = folder / "published" / MONDAY2
    before = {p.relative_to(week): p.read_bytes() for p in week.rglob("*") if p.is_file()}
    old = next(x.path for x in ops.links() if x.volunteer_id == "YL017")
    result = run(folder, "rotate", "YL017")
    assert result.exit_code == 0, result.output
    new = next(x.path for x in ops.links() if x.volunteer_id == "YL017")
    assert new != old and not (week / old).exists() and (week / new).is_file()
    after = {p.relative_to(week): p.read_bytes() for p in week.rglob("*") if p.is_file()}
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed == {Path(old), Path(new), Path("feeds.csv")}
    assert after[Path(new)] == before[Path(old)]  # the same feed under its new name

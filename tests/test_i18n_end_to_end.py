"""The sample with a leave that leaves a gap, solved as an office runs it: Chinese by default, with
no English word in the summary, shortfalls.csv, conflicts.txt or the 缺口 sheet; English on
request (ROSTER_LANG=en)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from roster.readers import load

from .conftest import english_words, read_rows, write_rows

WEEK = "2022-06-15"


@pytest.fixture
def short_of_people(sample_copy: Path) -> Path:
    """13 of 园林事务中心's 20 volunteers on sick leave on Wednesday 2022-06-15."""
    people = read_rows(sample_copy / "volunteers.csv")
    garden = [r[0] for r in people[1:] if r[2] == "园林事务中心"]
    leave = read_rows(sample_copy / "leave.csv")
    leave += [[vid, "", WEEK, WEEK, "病假"] for vid in garden[7:20]]
    write_rows(sample_copy / "leave.csv", leave)
    return sample_copy


def solve(
    data: Path, out: Path, *extra: str, english: bool = False
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ROSTER_LANG"}  # the default language
    if english:
        env["ROSTER_LANG"] = "en"
    command = [
        sys.executable,
        "-m",
        "roster",
        "solve",
        str(data),
        "--week",
        WEEK,
        "--out",
        str(out),
    ]
    return subprocess.run([*command, *extra], env=env, capture_output=True, text=True)


def data_words(data: Path) -> list[str]:
    """Everything of the user's data that may stand in a message: names, areas, units, ids."""
    plan = load(data)
    words = [v.name for v in plan.volunteers] + [v.id for v in plan.volunteers]
    words += [u.name for u in plan.units] + [d.area for d in plan.duties] + [plan.settings.name]
    return words


def gap_sheet(out: Path) -> str:
    sheet = load_workbook(out / "excel" / "roster.xlsx")["缺口"]
    return "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)


def test_the_gap_reads_in_chinese_everywhere_by_default(
    short_of_people: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    done = solve(short_of_people, out)
    assert done.returncode == 3, done.stderr
    reason = "2022-06-15 07:30–08:30 蔡池路与群英路交叉路口 需 8 人，园林事务中心 只有 6 人有空："
    shortfalls = (out / "shortfalls.csv").read_text(encoding="utf-8-sig")
    sheet = gap_sheet(out)
    for text in (done.stdout, shortfalls, sheet):
        assert reason in text
    assert shortfalls.startswith(
        "日期,开始时间,结束时间,工作任务,责任区域,责任单位,需要人数,已安排人数,原因"
    )
    assert "已证明不可能更公平" in done.stdout and "2 个缺口" in done.stdout
    paths = [out / "ical", out / "excel", out, short_of_people]
    values = [*data_words(short_of_people), *map(str, paths)]
    for text in (done.stdout, done.stderr, shortfalls, sheet):
        assert english_words(text, values) == []


def test_strict_conflicts_read_in_chinese(short_of_people: Path, tmp_path: Path) -> None:
    out = tmp_path / "strict"
    done = solve(short_of_people, out, "--strict")
    assert done.returncode == 4, done.stderr
    conflicts = (out / "conflicts.txt").read_text(encoding="utf-8")
    assert conflicts.startswith(
        "duties.csv，第 3 行：包路口 蔡池路与群英路交叉路口 2022-06-15 07:30–08:30 需 8 人"
    )
    values = [*data_words(short_of_people), str(out), str(short_of_people)]
    assert english_words(conflicts + done.stderr + done.stdout, values) == []


def test_the_same_gap_reads_in_english_on_request(short_of_people: Path, tmp_path: Path) -> None:
    out = tmp_path / "en"
    done = solve(short_of_people, out, english=True)
    assert done.returncode == 3, done.stderr
    shortfalls = (out / "shortfalls.csv").read_text(encoding="utf-8-sig")
    assert shortfalls.startswith("date,start,end,duty,area,unit,needed,assigned,reason")
    assert "园林事务中心 has only 6 volunteers free on 2022-06-15 07:30–08:30" in shortfalls
    sheet = load_workbook(out / "excel" / "roster.xlsx")
    assert "Gaps" in sheet.sheetnames or any("gap" in n.lower() for n in sheet.sheetnames)
    assert "2 gaps" in done.stdout

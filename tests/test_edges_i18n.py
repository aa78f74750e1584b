"""The edges in the user's language: every `--help`, the solve summary, the CSV files, the workbooks
and the calendar events read in Chinese by default and in English with ROSTER_LANG=en; a roster
written in one language is read back in the other; terminal tables stay aligned around Chinese.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rich.console import Console
from typer.testing import CliRunner

from application import check_tables
from application.rows import assignment_rows, shortfall_rows
from cli import main as cli
from cli.report import print_check, print_summary
from exports.excel import PAGE_WIDTH, master_workbook, text_width, unit_workbook
from exports.ical import describe
from exports.tables import assignments_csv, shortfalls_csv
from exports.view import build_view
from roster.assignments import ASSIGNMENT_HEADERS_ZH, SHORTFALL_HEADERS_ZH
from roster.errors import InputError
from roster.i18n import speaking
from roster.model import Leave, Plan
from roster.rosterfiles import read_assignments, read_shortfalls
from solver import Params, Result
from solver.solve import solve
from tests.conftest import ROOT, english_words
from tests.export_helpers import WEEK, do_export

DAY = date(2022, 6, 15)
GARDENS = "园林事务中心"


@pytest.fixture(scope="module")
def ill(sample_plan: Plan) -> Plan:
    """The sample with 16 of the gardens centre's 20 volunteers on leave on 2022-06-15: the
    crossing's two slots that day go short."""
    away = [v for v in sample_plan.volunteers if v.unit == GARDENS][:16]
    leave = tuple(Leave(v.id, DAY, DAY, "病假") for v in away)
    return replace(sample_plan, leave=(*sample_plan.leave, *leave))


@pytest.fixture(scope="module")
def solved(ill: Plan) -> Result:
    return solve(ill, *WEEK, Params())


def data_of(plan: Plan) -> list[str]:
    """The plan's own words (names, units, areas, duties, the campaign): data, never English."""
    words = [plan.settings.name, *(u.name for u in plan.units)]
    words += [x for v in plan.volunteers for x in (v.id, v.name, v.phone)]
    words += [x for d in plan.duties for x in (d.kind, d.area, d.requirement)]
    return [w for w in words if w]


# --- --help -------------------------------------------------------------------------------------

HELP_SCRIPT = """
import json, sys
from typer.testing import CliRunner
from cli import main as cli
runner = CliRunner()
mine = [c.name or c.callback.__name__ for c in cli.app.registered_commands
        if c.callback.__module__ == "cli.main"]
def show(*args):
    return runner.invoke(cli.app, [*args, "--help"], prog_name="roster").stdout
out = {"": show()}
for name in mine:
    out[name] = show(name)
json.dump(out, sys.stdout)
"""


def helps(language: str | None) -> dict[str, str]:
    """The help of `roster` and of each command of cli/main.py, in a fresh process (typer reads
    the texts at import, so the language must be chosen before)."""
    env = {k: v for k, v in os.environ.items() if k != "ROSTER_LANG"}
    if language:
        env["ROSTER_LANG"] = language
    env["PYTHONPATH"] = str(ROOT)
    env["COLUMNS"] = "100"
    done = subprocess.run(
        [sys.executable, "-c", HELP_SCRIPT], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def chinese_helps() -> dict[str, str]:
    return helps(None)


FOLDERS = ("ical/", "excel/")  # the folders `roster solve` writes, named as they are


def _values(text: str) -> list[str]:
    """What a help may show as typed: the example command, the defaults (`[默认：out]`)."""
    found = re.findall(r"示例：(roster [^\n]*?)\s*(?:\n|$)", text)
    found += re.findall(r"\[默认：([^\]]+)\]", text)
    return found


def _own_lines(text: str, foreign: set[str]) -> str:
    """The root help without the rows of commands that are not cli/main.py's (`cli.workspace`
    documents its own commands)."""
    kept, skipping = [], False
    for line in text.splitlines():
        row = re.match(r"│ (\S+)?\s", line)
        if row and row.group(1):
            skipping = row.group(1) in foreign
        elif not row:
            skipping = False
        if not skipping:
            kept.append(line)
    return "\n".join(kept)


def test_every_help_in_chinese_has_no_english_word_but_options_and_commands(
    chinese_helps: dict[str, str],
) -> None:
    everyone = {c.name or c.callback.__name__ for c in cli.app.registered_commands}
    everyone |= {g.name for g in cli.app.registered_groups if g.name}
    mine = set(chinese_helps) - {""}
    assert {"check", "slots", "template", "solve", "export", "rotate", "synth"} <= mine
    leaks = {}
    for name, text in chinese_helps.items():
        shown = _own_lines(text, everyone - mine) if name == "" else text
        for value in sorted([*_values(text), *FOLDERS], key=len, reverse=True):
            shown = shown.replace(value, " ")
        # a command's name as a word of its own (not the `unit` of `--units`)
        shown = re.sub(rf"(?<![\w-])(?:{'|'.join(everyone)})(?![\w-])", " ", shown)
        words = english_words(shown)
        if words:
            leaks[name or "roster"] = words
    assert leaks == {}


def test_chinese_help_keeps_the_literal_example_and_says_usage_options_defaults_in_chinese(
    chinese_helps: dict[str, str],
) -> None:
    solve_help = chinese_helps["solve"]
    assert "用法：roster solve [选项] [数据]" in solve_help
    assert "示例：roster solve --week 2022-06-15 --out out" in solve_help
    for word in ("╭─ 参数 ", "╭─ 选项 ", "显示本帮助并退出。", "[默认：out]", "<整数>", "<数字>"):
        assert word in solve_help, word
    assert "用法：roster [选项] 命令 [参数]..." in chinese_helps[""]
    assert "╭─ 命令 " in chinese_helps[""]
    for name in set(chinese_helps) - {""}:
        assert f"示例：roster {name}" in chinese_helps[name], name


def test_help_in_english_with_roster_lang_en() -> None:
    english = helps("en")
    assert "Usage: roster solve [OPTIONS] [DATA]" in english["solve"]
    assert "Example: roster solve --week 2022-06-15 --out out" in english["solve"]
    assert "Show this message and exit." in english["solve"]
    assert "[default: out]" in english["solve"] and "<integer>" in english["solve"]
    assert "Usage: roster [OPTIONS] COMMAND [ARGS]..." in english[""]
    # Chinese appears only as data the English text names: 文明城市志愿者排班, 说明, 编号, a file
    cjk = re.compile(r"[\u4e00-\u9fff]+")
    found = {w for text in english.values() for w in cjk.findall(text)}
    assert found <= {"文明城市志愿者排班", "说明", "编号", "责任分工表"}


# --- the solve summary --------------------------------------------------------------------------


def summary(result: Result, language: str, width: int = 110) -> str:
    console = Console(record=True, width=width)
    with speaking(language):
        print_summary(console, result, *WEEK)
    return console.export_text()


def test_the_summary_reads_in_chinese_with_its_numbers(solved: Result, ill: Plan) -> None:
    text = summary(solved, "zh_Hans")
    slots, gaps = len(solved.slots), len({s.slot for s in solved.shortfalls})
    assert gaps == 2 and solved.needed == 98
    assert text.splitlines()[0] == (
        f"排班 2022-06-13 至 2022-06-19：{slots} 个时段中 {slots - gaps} 个已排满；"
        f"共安排 {len(solved.assignments)} 人次（需要 98 人次）；2 个缺口"
    )
    for words in ("最大", "差距", "不可能", "少于", "带队", "多排", "已证明不可能更公平"):
        assert words in text, words
    flat = text.replace("\n", "")
    assert "“不可能少于”：已证明无论怎么排，这个差距都不会更小" in flat
    assert "缺口 2022-06-15 07:30–08:30 包路口 蔡池路与群英路交叉路口：需 8 人，已安排" in text
    assert text.rstrip().splitlines()[-1].startswith("结果：已证明是最好的排法")
    values = [*data_of(ill), *(s.reason for s in solved.shortfalls)]
    assert english_words(text, values) == []


def test_the_summary_reads_in_english_with_roster_lang_en(solved: Result) -> None:
    text = summary(solved, "en")
    assert "41 of 43 slots fully staffed" in text and "2 gaps" in text
    assert "max dev" in text and "proven lower bound" in text.replace("\n", " ")
    assert "status optimal: proven best" in text


# --- terminal tables ----------------------------------------------------------------------------

BORDERS = set("│┃┏┓┗┛┡┩└┘┌┐├┤┬┴┼╇╋┳┻━─╭╮╰╯")


def cells(char: str) -> int:
    """A character's width on a terminal: 2 for wide and fullwidth (Chinese), else 1."""
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def borders(line: str) -> tuple[list[int], int]:
    """The display columns of a table line's vertical borders, and its display width."""
    at, found = 0, []
    for char in line:
        if char in "│┃┏┓┗┛┡┩└┘┳┻╇┬┴┼┌┐├┤":
            found.append(at)
        at += cells(char)
    return found, at


def misaligned(text: str) -> list[str]:
    """The lines of the tables in `text` whose borders are not where the table's first line has
    them (a Chinese character counted once would shift every border after it)."""
    bad, first = [], None
    for line in text.splitlines():
        if not line.strip() or not (set(line) & BORDERS):
            first = None  # between tables
            continue
        found = borders(line)
        if first is None:
            first = found
        elif found != first:
            bad.append(line)
    return bad


def test_the_alignment_check_finds_a_border_shifted_by_a_chinese_cell() -> None:
    good = "┏━━━━━━┳━━━┓\n┃ 单位 ┃ n ┃\n┗━━━━━━┻━━━┛"
    shifted = "┏━━━━━━┳━━━┓\n┃ 单位   ┃ n ┃\n┗━━━━━━┻━━━┛"  # padded as if 单位 were 2 wide
    assert misaligned(good) == [] and misaligned(shifted) == ["┃ 单位   ┃ n ┃"]


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_printed_tables_with_chinese_cells_have_aligned_columns(
    solved: Result, ill: Plan, language: str
) -> None:
    text = summary(solved, language, width=100)
    assert GARDENS in text and misaligned(text) == []
    console = Console(record=True, width=100)
    with speaking(language):
        print_check(console, check_tables(ill))
    checked = console.export_text()
    assert "蔡池路与群英路交叉路口" in checked and misaligned(checked) == []


# --- CSV files ----------------------------------------------------------------------------------


def test_csv_headers_are_chinese_by_default_and_english_with_roster_lang_en(
    solved: Result,
) -> None:
    rows, gaps = assignment_rows(solved), shortfall_rows(solved)
    with speaking("zh_Hans"):
        zh = assignments_csv(rows), shortfalls_csv(gaps)
    with speaking("en"):
        en = assignments_csv(rows), shortfalls_csv(gaps)
    assert zh[0].splitlines()[0] == ",".join(ASSIGNMENT_HEADERS_ZH)
    assert (
        zh[0].splitlines()[0] == "日期,开始时间,结束时间,工作任务,责任区域,责任单位,编号,姓名,带队"
    )
    assert zh[1].splitlines()[0] == ",".join(SHORTFALL_HEADERS_ZH)
    assert en[0].splitlines()[0] == (
        "date,start,end,duty,area,unit,volunteer_id,volunteer_name,leader"
    )
    assert en[1].splitlines()[0].startswith("date,start,end,duty,area,unit,needed,assigned")
    assert {line.rsplit(",", 1)[1] for line in zh[0].splitlines()[1:]} == {"是", "否"}


@pytest.mark.parametrize(("written", "read"), [("zh_Hans", "en"), ("en", "zh_Hans")])
def test_a_roster_written_in_one_language_is_read_back_in_the_other(
    solved: Result, tmp_path: Path, written: str, read: str
) -> None:
    rows, gaps = assignment_rows(solved), shortfall_rows(solved)
    with speaking(written):
        (tmp_path / "assignments.csv").write_text(assignments_csv(rows), encoding="utf-8-sig")
        (tmp_path / "shortfalls.csv").write_text(shortfalls_csv(gaps), encoding="utf-8-sig")
    with speaking(read):
        back = read_assignments(tmp_path / "assignments.csv")
        gaps_back = read_shortfalls(tmp_path / "shortfalls.csv")
    assert back == rows and gaps_back == gaps and any(r.leader for r in back)


def test_a_mistake_in_a_chinese_roster_names_the_column_as_the_file_spells_it(
    solved: Result, tmp_path: Path
) -> None:
    with speaking("zh_Hans"):
        text = assignments_csv(assignment_rows(solved))
    lines = text.splitlines()
    lines[1] = lines[1].replace("08:30", "8点半", 1)
    path = tmp_path / "assignments.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with speaking("zh_Hans"), pytest.raises(InputError) as caught:
        read_assignments(path)
    with speaking("zh_Hans"):
        message = str(caught.value.problems[0])
    assert (
        message.startswith("assignments.csv，第 2 行，开始时间 (B) 列：") and "“8点半”" in message
    )
    path.write_text("日期,开始时间\n2022-06-13,08:30\n", encoding="utf-8")
    with speaking("zh_Hans"), pytest.raises(InputError) as caught:
        read_assignments(path)
    with speaking("zh_Hans"):
        missing = str(caught.value.problems[0])
    assert "缺少必需的列" in missing and "结束时间、工作任务" in missing
    assert english_words(missing, ["assignments.csv", "date,start,end,duty,area,unit"]) == [
        "volunteer_id",
        "volunteer_name",
        "leader",
    ]  # only the English headers the file may use instead


def test_feeds_csv_has_chinese_headers_by_default(
    solved: Result, ill: Plan, tmp_path: Path
) -> None:
    rows, gaps = assignment_rows(solved), shortfall_rows(solved)
    with speaking("zh_Hans"):
        do_export(ill, rows, gaps, tmp_path / "zh", tmp_path / "s1")
    with speaking("en"):
        do_export(ill, rows, gaps, tmp_path / "en", tmp_path / "s2")
    zh = (tmp_path / "zh" / "feeds.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    en = (tmp_path / "en" / "feeds.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert (zh, en) == (
        "编号,姓名,所属单位,订阅文件,订阅链接",
        "volunteer_id,volunteer_name,unit,path,url",
    )


def test_roster_solve_in_chinese_then_roster_export_in_english(
    sample_copy: Path, tmp_path: Path
) -> None:
    """The command line end to end: the Chinese files of a solve feed an English export."""
    runner, out = CliRunner(), tmp_path / "out"
    with speaking("zh_Hans"):
        solved = runner.invoke(
            cli.app, ["solve", str(sample_copy), "--week", "2022-06-15", "--out", str(out)]
        )
    assert solved.exit_code == 0, solved.output
    assert "个时段中" in solved.stdout and "已写出" in solved.stdout
    header = (out / "assignments.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("日期,开始时间")
    with speaking("en"):
        exported = runner.invoke(cli.app, ["export", str(out), str(sample_copy)])
    assert exported.exit_code == 0, exported.output
    assert "calendar feeds" in exported.stdout


# --- workbooks ----------------------------------------------------------------------------------


def workbooks(ill: Plan, solved: Result, language: str, tmp_path: Path):
    view = build_view(ill, assignment_rows(solved), shortfall_rows(solved), *WEEK)
    with speaking(language):
        master, unit = master_workbook(view), unit_workbook(view, GARDENS)
    (tmp_path / "master.xlsx").write_bytes(master)
    (tmp_path / "unit.xlsx").write_bytes(unit)
    return load_workbook(tmp_path / "master.xlsx"), load_workbook(tmp_path / "unit.xlsx")


def texts(book) -> list[str]:
    return [
        c.value for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)
    ]


def test_sheets_read_in_chinese(ill: Plan, solved: Result, tmp_path: Path) -> None:
    master, unit = workbooks(ill, solved, "zh_Hans", tmp_path)
    assert master.sheetnames == ["单位汇总", "排班表", "缺口", "工时"]
    assert unit.sheetnames == ["排班表", "周视图", "工时"]
    gaps = master["缺口"]
    assert gaps["A1"].value == f"{ill.settings.name}：缺口及原因"
    assert gaps["A2"].value == f"{ill.settings.name}｜2022-06-13 至 2022-06-19｜2 个时段"
    assert [c.value for c in gaps[3]] == [
        "日期", "星期", "开始", "结束", "工作任务", "责任区域", "责任单位", "需要", "已安排", "原因"
    ]  # fmt: skip
    assert gaps["B4"].value == "周三" and gaps.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert [c.value for c in master["排班表"][3]][6:9] == ["责任单位", "带队", "志愿者"]
    assert unit["周视图"]["A1"].value == f"{GARDENS} 周视图（2022-06-13 至 2022-06-19）"
    assert any(str(v).startswith("缺 ") and str(v).endswith(" 人") for v in texts(unit))
    values = [*data_of(ill), *(s.reason for s in solved.shortfalls)]
    leaks = {w for text in texts(master) + texts(unit) for w in english_words(text, values)}
    assert leaks == set()


def test_the_gaps_sheet_wraps_long_reasons_inside_the_printed_page(
    ill: Plan, solved: Result, tmp_path: Path
) -> None:
    master, _ = workbooks(ill, solved, "zh_Hans", tmp_path)
    ws = master["缺口"]
    widths = [ws.column_dimensions[chr(65 + i)].width for i in range(10)]
    assert sum(widths) <= PAGE_WIDTH and widths[9] >= 30  # the reason takes the rest of the page
    reason = ws["J4"]
    assert len(reason.value) > 2 * widths[9]  # longer than a line: it has to wrap
    assert reason.alignment.wrap_text and reason.alignment.vertical == "top"
    lines = -(-text_width(reason.value) // int(widths[9] - 2))  # Chinese characters: 2 wide
    assert lines > 3 and ws.row_dimensions[4].height >= 15 * lines  # tall enough to show it all
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage


def test_sheets_read_in_english_with_roster_lang_en(
    ill: Plan, solved: Result, tmp_path: Path
) -> None:
    master, unit = workbooks(ill, solved, "en", tmp_path)
    assert master.sheetnames == ["Units", "Roster", "Gaps", "Hours"]
    assert unit.sheetnames == ["Roster", "Week", "Hours"]
    gaps = master["Gaps"]
    assert gaps["A1"].value == f"{ill.settings.name}: gaps and their reasons"
    assert [c.value for c in gaps[3]][-3:] == ["Needed", "Placed", "Reason"]
    assert gaps["B4"].value == "Wed" and gaps.oddFooter.center.text == "page &P of &N"


# --- calendar events ----------------------------------------------------------------------------


def test_calendar_events_read_in_chinese_and_in_english(ill: Plan, solved: Result) -> None:
    view = build_view(ill, assignment_rows(solved), shortfall_rows(solved), *WEEK)
    team = next(t for t in view.teams if t.area == "牌楼社区" and t.date == date(2022, 6, 13))
    short = next(t for t in view.teams if t.missing)
    with speaking("zh_Hans"):
        zh, zh_short = describe(team).splitlines(), describe(short)
    with speaking("en"):
        en = describe(team).splitlines()
    names = [m.name for m in team.members]
    leader = team.leader
    assert leader is not None
    assert zh[0] == "2022-06-13 周一 08:30–12:30｜联社区｜牌楼社区"
    assert zh[1] == f"责任单位：{team.unit}"
    assert zh[2] == f"带队：{leader.name}（{leader.phone}）"
    assert zh[3] == f"队员（{len(names)}人）：{'、'.join(names)}"
    assert zh[-1] == "请在志愿服务平台（APP）上申请报备本次活动，并按时签到、签退。"
    assert f"尚缺 {short.missing} 人" in zh_short
    assert en[0] == "2022-06-13 Mon 08:30–12:30 | 联社区 | 牌楼社区"
    assert en[1:4] == [
        f"Unit: {team.unit}",
        f"Leader: {leader.name} ({leader.phone})",
        f"Team ({len(names)} people): {', '.join(names)}",
    ]
    assert en[-1].startswith("Please report this duty on the volunteer service platform (APP)")
    values = data_of(ill)
    assert english_words("\n".join([*zh, zh_short]), values) == []


def test_feed_names_read_in_the_users_language(ill: Plan, solved: Result, tmp_path: Path) -> None:
    rows, gaps = assignment_rows(solved), shortfall_rows(solved)
    with speaking("zh_Hans"):
        do_export(ill, rows, gaps, tmp_path / "zh", tmp_path / "s1")
    with speaking("en"):
        do_export(ill, rows, gaps, tmp_path / "en", tmp_path / "s2")
    for language, name, summary in (("zh", "我的值班｜", "｜"), ("en", "My duties | ", " | ")):
        feeds = [p.read_text("utf-8") for p in (tmp_path / language / "ical").rglob("*.ics")]
        person = next(f for f in feeds if f"X-WR-CALNAME:{name}" in f and "SUMMARY:" in f)
        assert re.search(rf"SUMMARY:\S+{re.escape(summary)}\S+", person), language


def test_refused_values_and_problems_are_introduced_in_chinese(tmp_path: Path) -> None:
    runner = CliRunner()
    with speaking("zh_Hans"):
        few = runner.invoke(
            cli.app, ["synth", "--out", str(tmp_path / "c"), "--units", "2", "--volunteers", "3"]
        )
        day = runner.invoke(cli.app, ["slots", "--from", "2022-13-01"])
        missing = runner.invoke(cli.app, ["check", str(tmp_path / "nowhere")])
    assert few.exit_code == day.exit_code == missing.exit_code == 2
    assert "--volunteers 的值不对：每个单位至少要有 6 名志愿者" in few.output
    assert "值不对：“2022-13-01” 不是日期；应写成 YYYY-MM-DD" in day.output
    assert missing.stderr.startswith("错误：") and "1 个错误：请按提示改正命令后再运行。" in (
        missing.stderr
    )
    with speaking("en"):
        few = runner.invoke(
            cli.app, ["synth", "--out", str(tmp_path / "c"), "--units", "2", "--volunteers", "3"]
        )
    assert "Invalid value for --volunteers: give at least 6 volunteers per unit" in few.output

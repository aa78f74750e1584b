"""Excel rosters: one workbook per unit to print and post, and a master workbook for the office.

Made to be printed and filtered: Chinese headers, real dates and times, widths that fit the text,
a frozen header row with an autofilter, A4 landscape one page wide with the header repeated on every
page. Workbooks are written by `exports.xlsx` (a streaming writer, fast at city scale) with fixed
document dates and zip times, so the same roster gives the same bytes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from exports.view import RosterView, Team
from exports.xlsx import PLAIN, Book, Cell, PageSetup, Style
from roster.days import WEEKDAY_NAMES_ZH
from roster.model import hhmm

DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"
HOURS_FORMAT = "0.0"
TITLE = Style(font="title")
BOLD = Style(font="bold")
HEADER = Style(font="bold", fill="header", border=True)
GRID_HEADER = Style(font="bold", fill="header", border=True, align="center")
GRID = Style(border=True, align="wrap")
GRID_GAP = Style(border=True, align="wrap", fill="gap")

ROSTER_HEADERS = (
    "日期",
    "星期",
    "开始",
    "结束",
    "工作任务",
    "责任区域",
    "带队",
    "志愿者",
    "联系电话",
    "签到",
)


@dataclass(frozen=True)
class Column:
    header: str
    format: str = ""
    width: float | None = None  # fixed width; None fits the content


def text_width(value: Any) -> int:
    """Display width in Excel's character units (CJK characters count twice), longest line."""
    if isinstance(value, time):
        return 5
    if isinstance(value, datetime | date):
        return 10
    return max(
        (sum(2 if ord(c) > 0x2E7F else 1 for c in line) for line in str(value).split("\n")),
        default=0,
    )


class Sheet:
    """A table to write: title lines, one header row, data rows; then `write` streams it."""

    def __init__(
        self,
        title: str,
        lines: Sequence[str],
        columns: Sequence[Column],
        row_height: float | None = None,
    ) -> None:
        self.title = title
        self.row_height = row_height  # room to sign on a printed roster
        self.lines = lines
        self.columns = columns
        self.rows: list[tuple[list[Any], bool]] = []  # cells, highlighted

    def add(self, cells: list[Any], highlight: bool = False) -> None:
        self.rows.append((cells, highlight))

    def write(self, book: Book) -> None:
        widths = []
        for i, col in enumerate(self.columns):
            width = col.width
            if width is None:
                width = max(
                    [text_width(col.header) + 2]
                    + [text_width(r[i]) + 2 for r, _ in self.rows if r[i] is not None]
                )
            widths.append(min(width, 60))
        header_row = len(self.lines) + 1
        book.add_sheet(
            self.title,
            widths,
            self._rows(),
            freeze_row=header_row,
            filter_row=header_row,
            page=PageSetup(title_row=header_row),
        )

    def _rows(self) -> Iterator[tuple[float | None, Sequence[Cell]]]:
        for k, line in enumerate(self.lines):
            yield None, [(line, TITLE if k == 0 else PLAIN)]
        yield None, [(c.header, HEADER) for c in self.columns]
        normal = [Style(border=True, number_format=c.format) for c in self.columns]
        marked = [
            Style(border=True, number_format=c.format, fill="gap", font="red") for c in self.columns
        ]
        for cells, highlight in self.rows:
            styles = marked if highlight else normal
            yield self.row_height, list(zip(cells, styles, strict=True))


def _clock(minutes: int) -> time:
    return time(minutes // 60 % 24, minutes % 60)


def _period(view: RosterView) -> str:
    return f"{view.first.isoformat()} 至 {view.last.isoformat()}"


def _weekday(team: Team) -> str:
    return WEEKDAY_NAMES_ZH[team.date.weekday()]


def roster_sheet(view: RosterView, teams: Iterable[Team], title: str, with_unit: bool) -> Sheet:
    """One row per person per slot, a highlighted row for each missing person count."""
    teams = list(teams)
    people = sum(len(t.members) for t in teams)
    missing = sum(t.missing for t in teams)
    headers = list(ROSTER_HEADERS)
    if with_unit:
        headers.insert(6, "责任单位")
    columns = [
        Column(h, DATE_FORMAT if h == "日期" else TIME_FORMAT if h in ("开始", "结束") else "")
        for h in headers
    ]
    columns[-1] = Column("签到", width=14)
    summary = f"{view.campaign}｜{_period(view)}｜{len(teams)} 个时段，{people} 人次" + (
        f"，缺 {missing} 人次" if missing else ""
    )
    sheet = Sheet("排班表", (title, summary), columns, row_height=None if with_unit else 22)
    for t in teams:
        base = [t.date, _weekday(t), _clock(t.start), _clock(t.end), t.duty, t.area]
        unit = [t.unit] if with_unit else []
        for m in t.members:
            sheet.add([*base, *unit, "是" if m.leader else "", m.name, m.phone, None])
        if t.missing:
            sheet.add([*base, *unit, "", f"缺 {t.missing} 人", "", None], highlight=True)
    return sheet


def week_grid(book: Book, view: RosterView, teams: Sequence[Team], title: str) -> None:
    """Areas down, days across, one block per week; each cell lists the windows and the people."""
    book.add_sheet("周视图", [26, 10] + [20] * 7, _grid_rows(view, teams, title), page=PageSetup())


def _grid_rows(
    view: RosterView, teams: Sequence[Team], title: str
) -> Iterator[tuple[float | None, Sequence[Cell]]]:
    yield None, [(title, TITLE)]
    rows = sorted({(t.area, t.duty) for t in teams})
    cells: dict[tuple[str, str, Any], list[Team]] = defaultdict(list)
    for t in teams:
        cells[(t.area, t.duty, t.date)].append(t)
    for n, monday in enumerate(view.weeks, start=1):
        days = [monday + timedelta(days=i) for i in range(7)]
        yield None, []
        yield None, [(f"第 {n} 周：{days[0].isoformat()} 至 {days[-1].isoformat()}", BOLD)]
        head = ["责任区域", "工作任务"] + [
            f"{WEEKDAY_NAMES_ZH[d.weekday()]} {d.month}月{d.day}日" for d in days
        ]
        yield None, [(h, GRID_HEADER) for h in head]
        for area, duty in rows:
            line: list[Cell] = [(area, GRID), (duty, GRID)]
            lines = _lines(area, 26)
            for d in days:
                found = cells.get((area, duty, d), [])
                text = "\n".join(_grid_text(t) for t in found)
                lines = max(lines, _lines(text, 20))
                short = any(t.missing for t in found)
                line.append((text or None, GRID_GAP if short else GRID))
            yield 14 * lines + 3, line  # Excel does not grow rows


def _grid_text(team: Team) -> str:
    names = "、".join(("★" if m.leader else "") + m.name for m in team.members)
    gap = f" 缺{team.missing}人" if team.missing else ""
    return f"{hhmm(team.start)}–{hhmm(team.end)}{gap}\n{names}"


def _lines(text: str, width: int) -> int:
    """Lines `text` takes when wrapped in a column `width` characters wide."""
    return sum(max(1, -(-text_width(line) // (width - 2))) for line in text.split("\n"))


def hours_sheet(view: RosterView, unit: str | None, title: str) -> Sheet:
    """Hours per volunteer of the unit (or of all units), zero-hour volunteers included."""
    period, total, count = view.served
    columns = [Column("编号"), Column("姓名")]
    if unit is None:
        columns.append(Column("责任单位"))
    columns += [
        Column("带队"),
        Column("次数"),
        Column("本期小时", HOURS_FORMAT),
        Column("累计小时", HOURS_FORMAT),
    ]
    sheet = Sheet("工时", (title, f"{view.campaign}｜{_period(view)}"), columns)
    for vid, name, vunit, leader in sorted(view.volunteers):
        if unit is not None and vunit != unit:
            continue
        cells: list[object] = [vid, name, *([vunit] if unit is None else [])]
        cells += ["是" if leader else "", count[vid], period[vid] / 60, total[vid] / 60]
        sheet.add(cells)
    return sheet


def gaps_sheet(view: RosterView, title: str) -> Sheet:
    columns = [
        Column("日期", DATE_FORMAT),
        Column("星期"),
        Column("开始", TIME_FORMAT),
        Column("结束", TIME_FORMAT),
        Column("工作任务"),
        Column("责任区域"),
        Column("责任单位"),
        Column("需要"),
        Column("已安排"),
        Column("原因", width=60),
    ]
    gaps = [t for t in view.current if t.missing or t.gap]
    sheet = Sheet("缺口", (title, f"{view.campaign}｜{_period(view)}｜{len(gaps)} 个时段"), columns)
    for t in gaps:
        sheet.add(
            [
                t.date,
                _weekday(t),
                _clock(t.start),
                _clock(t.end),
                t.duty,
                t.area,
                t.unit,
                t.needed,
                len(t.members),
                t.gap or f"缺 {t.missing} 人",
            ]
        )
    return sheet


def units_sheet(view: RosterView, title: str) -> Sheet:
    """Per unit: coverage of its slots and the spread of its volunteers' hours in the period."""
    columns = [
        Column("责任单位"),
        Column("志愿者"),
        Column("时段"),
        Column("满员时段"),
        Column("覆盖率", "0.0%"),
        Column("缺人次"),
        Column("总小时", HOURS_FORMAT),
        Column("最少小时", HOURS_FORMAT),
        Column("最多小时", HOURS_FORMAT),
        Column("工时极差", HOURS_FORMAT),
    ]
    sheet = Sheet("单位汇总", (title, f"{view.campaign}｜{_period(view)}"), columns)
    minutes: dict[str, int] = defaultdict(int)
    for t in view.current:
        for m in t.members:
            minutes[m.id] += t.minutes
    by_unit: dict[str, list[Team]] = defaultdict(list)
    for t in view.current:
        by_unit[t.unit].append(t)
    for unit in view.units:
        teams = by_unit.get(unit, [])
        hours = [minutes[v[0]] / 60 for v in view.volunteers if v[2] == unit]
        full = sum(1 for t in teams if not t.missing and not t.gap)
        sheet.add(
            [
                unit,
                len(hours),
                len(teams),
                full,
                full / len(teams) if teams else 1.0,
                sum(t.missing for t in teams),
                sum(hours),
                min(hours, default=0),
                max(hours, default=0),
                max(hours, default=0) - min(hours, default=0),
            ]
        )
    return sheet


def unit_workbook(view: RosterView, unit: str) -> bytes:
    teams = [t for t in view.current if t.unit == unit]
    title = f"{unit} 志愿者值班表（{_period(view)}）"
    book = _book(view)
    roster_sheet(view, teams, title, with_unit=False).write(book)
    week_grid(book, view, teams, f"{unit} 周视图（{_period(view)}）")
    hours_sheet(view, unit, f"{unit} 志愿者工时").write(book)
    return book.bytes()


def master_workbook(view: RosterView) -> bytes:
    book = _book(view)
    name = view.campaign or "志愿者排班"
    units_sheet(view, f"{name}：各单位汇总").write(book)
    roster_sheet(view, view.current, f"{name}：总排班表", with_unit=True).write(book)
    gaps_sheet(view, f"{name}：缺口及原因").write(book)
    hours_sheet(view, None, f"{name}：志愿者工时").write(book)
    return book.bytes()


def _book(view: RosterView) -> Book:
    """Document dates are the period's first day, so equal rosters give equal bytes."""
    return Book(created=datetime.combine(view.first, time()))

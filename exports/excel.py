"""Excel rosters: one workbook per unit to print and post, and a master workbook for the office.

Made to be printed and filtered: Chinese headers, real dates and times, widths that fit the text,
a frozen header row with an autofilter, A4 landscape one page wide with the header repeated on every
page. Workbooks are written in openpyxl's streaming mode (fast at city scale) and their zip entries
get fixed timestamps, so the same roster gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports.view import RosterView, Team
from roster.days import WEEKDAY_NAMES_ZH
from roster.model import hhmm

DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"
HOURS_FORMAT = "0.0"
TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
RED = Font(color="C00000", bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
GAP_FILL = PatternFill("solid", fgColor="FCE4D6")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center")

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

    def write(self, wb: Workbook) -> None:
        ws = wb.create_sheet(self.title)
        n = len(self.columns)
        for i, col in enumerate(self.columns, start=1):
            width = col.width
            if width is None:
                width = max(
                    [text_width(col.header) + 2]
                    + [text_width(r[i - 1]) + 2 for r, _ in self.rows if r[i - 1] is not None]
                )
            ws.column_dimensions[get_column_letter(i)].width = min(width, 60)
        header_row = len(self.lines) + 1
        _print_setup(ws, header_row)
        ws.freeze_panes = f"A{header_row + 1}"
        last = header_row + max(len(self.rows), 1)
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(n)}{last}"
        for k, line in enumerate(self.lines):
            ws.append([_cell(ws, line, font=TITLE if k == 0 else None)])
        ws.append(
            [_cell(ws, c.header, font=BOLD, fill=HEADER_FILL, border=BOX) for c in self.columns]
        )
        formats = [c.format for c in self.columns]
        for k, (cells, highlight) in enumerate(self.rows, start=header_row + 1):
            if self.row_height:
                ws.row_dimensions[k].height = self.row_height
            ws.append(
                [
                    _cell(
                        ws,
                        v,
                        number_format=formats[i],
                        border=BOX,
                        fill=GAP_FILL if highlight else None,
                        font=RED if highlight else None,
                    )
                    for i, v in enumerate(cells)
                ]
            )


_STYLES: dict[tuple[int, tuple], StyleArray] = {}


def _cell(ws: Worksheet, value: Any, **style: Any) -> WriteOnlyCell:
    """A cell with the given style; each distinct style is resolved once per workbook (setting
    style attributes cell by cell costs more than everything else in a city's export)."""
    cell = WriteOnlyCell(ws, value=value)
    wanted = tuple((k, v) for k, v in style.items() if v)
    if not wanted:
        return cell
    # by identity: hashing openpyxl's style objects is itself slow
    key = (id(ws.parent), tuple((k, v if isinstance(v, str) else id(v)) for k, v in wanted))
    cached = _STYLES.get(key)
    if cached is None:
        for name, v in wanted:
            setattr(cell, name, v)
        _STYLES[key] = copy(cell._style)
    else:
        cell._style = copy(cached)
    return cell


def _print_setup(ws: Worksheet, header_row: int | None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.8
    ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"


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


def week_grid(wb: Workbook, view: RosterView, teams: Sequence[Team], title: str) -> None:
    """Areas down, days across, one block per week; each cell lists the windows and the people."""
    ws = wb.create_sheet("周视图")
    _print_setup(ws, None)
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 10
    for i in range(7):
        ws.column_dimensions[get_column_letter(3 + i)].width = 20
    ws.append([_cell(ws, title, font=TITLE)])
    row_number = 1
    rows = sorted({(t.area, t.duty) for t in teams})
    cells: dict[tuple[str, str, Any], list[Team]] = defaultdict(list)
    for t in teams:
        cells[(t.area, t.duty, t.date)].append(t)
    for n, monday in enumerate(view.weeks, start=1):
        days = [monday + timedelta(days=i) for i in range(7)]
        ws.append([])
        ws.append(
            [_cell(ws, f"第 {n} 周：{days[0].isoformat()} 至 {days[-1].isoformat()}", font=BOLD)]
        )
        row_number += 3
        head = ["责任区域", "工作任务"] + [
            f"{WEEKDAY_NAMES_ZH[d.weekday()]} {d.month}月{d.day}日" for d in days
        ]
        ws.append(
            [_cell(ws, h, font=BOLD, fill=HEADER_FILL, border=BOX, alignment=CENTER) for h in head]
        )
        for area, duty in rows:
            line = [
                _cell(ws, area, border=BOX, alignment=WRAP),
                _cell(ws, duty, border=BOX, alignment=WRAP),
            ]
            lines = _lines(area, 26)
            for d in days:
                found = cells.get((area, duty, d), [])
                text = "\n".join(_grid_text(t) for t in found)
                lines = max(lines, _lines(text, 20))
                short = any(t.missing for t in found)
                line.append(
                    _cell(
                        ws,
                        text or None,
                        border=BOX,
                        alignment=WRAP,
                        fill=GAP_FILL if short else None,
                    )
                )
            row_number += 1
            ws.row_dimensions[row_number].height = 14 * lines + 3  # Excel does not grow rows
            ws.append(line)


def _grid_text(team: Team) -> str:
    names = "、".join(("★" if m.leader else "") + m.name for m in team.members)
    gap = f" 缺{team.missing}人" if team.missing else ""
    return f"{hhmm(team.start)}–{hhmm(team.end)}{gap}\n{names}"


def _lines(text: str, width: int) -> int:
    """Lines `text` takes when wrapped in a column `width` characters wide."""
    return sum(max(1, -(-text_width(line) // (width - 2))) for line in text.split("\n"))


_SERVED: dict[int, tuple[RosterView, tuple[dict[str, int], ...]]] = {}


def _served(view: RosterView) -> tuple[dict[str, int], ...]:
    """Minutes in the period, minutes in all, and duties in the period, per volunteer id; once
    per view, not once per unit."""
    found = _SERVED.get(id(view))
    if found is not None and found[0] is view:
        return found[1]
    period: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    count: dict[str, int] = defaultdict(int)
    for t in view.teams:
        for m in t.members:
            total[m.id] += t.minutes
            if t.current:
                period[m.id] += t.minutes
                count[m.id] += 1
    _SERVED.clear()
    _SERVED[id(view)] = (view, (period, total, count))
    return period, total, count


def hours_sheet(view: RosterView, unit: str | None, title: str) -> Sheet:
    """Hours per volunteer of the unit (or of all units), zero-hour volunteers included."""
    period, total, count = _served(view)
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
        cells = [vid, name] + ([vunit] if unit is None else [])
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
    wb = Workbook(write_only=True)
    _STYLES.clear()
    roster_sheet(view, teams, title, with_unit=False).write(wb)
    week_grid(wb, view, teams, f"{unit} 周视图（{_period(view)}）")
    hours_sheet(view, unit, f"{unit} 志愿者工时").write(wb)
    return _save(wb, view)


def master_workbook(view: RosterView) -> bytes:
    wb = Workbook(write_only=True)
    _STYLES.clear()
    name = view.campaign or "志愿者排班"
    units_sheet(view, f"{name}：各单位汇总").write(wb)
    roster_sheet(view, view.current, f"{name}：总排班表", with_unit=True).write(wb)
    gaps_sheet(view, f"{name}：缺口及原因").write(wb)
    hours_sheet(view, None, f"{name}：志愿者工时").write(wb)
    return _save(wb, view)


def _save(wb: Workbook, view: RosterView) -> bytes:
    """The workbook's bytes, with document dates and zip times fixed so equal rosters are equal."""
    fixed = datetime.combine(view.first, time())
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "roster"
    stamp = fixed.strftime("%Y-%m-%dT%H:%M:%SZ")
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            dst.writestr(entry, data)
    return out.getvalue()

"""Excel rosters: one workbook per unit to print and post, and a master workbook for the office.

Made to be printed and filtered: Chinese headers (English with ROSTER_LANG=en), real dates and
times, widths that fit the text, a frozen header row with an autofilter, A4 landscape one page wide
with the header repeated on every page; the gaps' reasons wrap inside the page. Workbooks are
written by `exports.xlsx` (a streaming writer, fast at city scale) with fixed document dates and
zip times, so the same roster gives the same bytes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from exports.view import RosterView, Team, weekday_name
from exports.xlsx import PLAIN, Book, Cell, PageSetup, Style
from roster.i18n import N_, join, ntr, tr
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
# What fits across an A4 landscape page at 100 % (0.4 in margins), in Excel's character units.
PAGE_WIDTH = 140
LINE_HEIGHT = 15  # points per line of 11 pt text, Chinese included

# The headers' English; each is translated where the sheet is written.
DATE = N_("Date")
WEEKDAY = N_("Day")
START = N_("Start")
END = N_("End")
DUTY = N_("Duty")
AREA = N_("Area")
UNIT = N_("Unit")
LEADER = N_("Leader")
VOLUNTEER = N_("Volunteer")
PHONE = N_("Phone")
SIGN = N_("Signature")
ROSTER_HEADERS = (DATE, WEEKDAY, START, END, DUTY, AREA, LEADER, VOLUNTEER, PHONE, SIGN)


@dataclass(frozen=True)
class Column:
    header: str
    format: str = ""
    width: float | None = None  # fixed width; None fits the content
    wrap: bool = False  # long text wraps within the width; the row grows to show it all


def text_width(value: Any) -> int:
    """Display width in Excel's character units (CJK characters count twice), longest line."""
    if isinstance(value, str):
        return _width(value)
    if isinstance(value, time):
        return 5
    if isinstance(value, datetime | date):
        return 10
    return _width(str(value))


@lru_cache(maxsize=1 << 16)
def _width(text: str) -> int:
    """A province's workbooks measure the same names, areas and units over and over."""
    lines = text.split("\n")
    if text.isascii():
        return max(len(line) for line in lines)
    return max(sum(2 if ord(c) > 0x2E7F else 1 for c in line) for line in lines)


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

    def widths(self) -> list[float]:
        """Each column's width: fixed, or fitting its text; a wrapping column without a fixed
        width takes what the others leave of the page's width (at least 30)."""
        widths: list[float] = []
        for i, col in enumerate(self.columns):
            width = col.width
            if width is None:
                width = max(
                    [text_width(col.header) + 2]
                    + [text_width(r[i]) + 2 for r, _ in self.rows if r[i] is not None]
                )
            widths.append(min(width, 60))
        for i, col in enumerate(self.columns):
            if col.wrap and col.width is None:
                rest = sum(w for k, w in enumerate(widths) if k != i)
                widths[i] = max(30, min(widths[i], PAGE_WIDTH - rest))
        return widths

    def write(self, book: Book) -> None:
        widths = self.widths()
        header_row = len(self.lines) + 1
        book.add_sheet(
            self.title,
            widths,
            self._rows(widths),
            freeze_row=header_row,
            filter_row=header_row,
            page=PageSetup(title_row=header_row),
        )

    def _rows(self, widths: Sequence[float]) -> Iterator[tuple[float | None, Sequence[Cell]]]:
        for k, line in enumerate(self.lines):
            yield None, [(line, TITLE if k == 0 else PLAIN)]
        yield None, [(c.header, HEADER) for c in self.columns]
        wrapping = any(c.wrap for c in self.columns)
        align = "top" if wrapping else ""  # a wrapped row reads from the top of every cell
        normal = [
            Style(border=True, number_format=c.format, align="wrap" if c.wrap else align)
            for c in self.columns
        ]
        marked = [
            Style(border=True, number_format=c.format, fill="gap", font="red") for c in self.columns
        ]
        for cells, highlight in self.rows:
            styles = marked if highlight else normal
            height = self.row_height
            if wrapping:  # Excel does not grow a row for wrapped text written by a program
                lines = max(
                    wrapped_lines(str(v), int(widths[i]))
                    for i, (v, c) in enumerate(zip(cells, self.columns, strict=True))
                    if c.wrap and v is not None
                )
                height = max(height or 0, LINE_HEIGHT * lines + 3) if lines > 1 else height
            yield height, list(zip(cells, styles, strict=True))


def _clock(minutes: int) -> time:
    return time(minutes // 60 % 24, minutes % 60)


def _period(view: RosterView) -> str:
    return tr("{first} to {last}", first=view.first.isoformat(), last=view.last.isoformat())


def _weekday(team: Team) -> str:
    return weekday_name(team.date)


def _heading(*parts: str) -> str:
    """A sheet's second line: the campaign, the period and a count, set apart as the language
    sets them (｜ in Chinese)."""
    return tr(" | ").join(p for p in parts if p)


def _missing(n: int) -> str:
    return ntr("{n} missing", "{n} missing", n)


def _yes(flag: bool) -> str:
    return tr("yes") if flag else ""


def roster_sheet(view: RosterView, teams: Iterable[Team], title: str, with_unit: bool) -> Sheet:
    """One row per person per slot, a highlighted row for each missing person count."""
    teams = list(teams)
    people = sum(len(t.members) for t in teams)
    missing = sum(t.missing for t in teams)
    headers = list(ROSTER_HEADERS)
    if with_unit:
        headers.insert(6, UNIT)
    columns = [
        Column(tr(h), DATE_FORMAT if h == DATE else TIME_FORMAT if h in (START, END) else "")
        for h in headers
    ]
    columns[-1] = Column(tr(SIGN), width=14)
    count = ntr(
        "{n} slot, {people} places filled",
        "{n} slots, {people} places filled",
        len(teams),
        people=people,
    )
    if missing:
        count = tr("{count}, {missing} unfilled", count=count, missing=missing)
    summary = _heading(view.campaign, _period(view), count)
    sheet = Sheet(tr("Roster"), (title, summary), columns, row_height=None if with_unit else 22)
    for t in teams:
        base = [t.date, _weekday(t), _clock(t.start), _clock(t.end), t.duty, t.area]
        unit = [t.unit] if with_unit else []
        for m in t.members:
            sheet.add([*base, *unit, _yes(m.leader), m.name, m.phone, None])
        if t.missing:
            sheet.add([*base, *unit, "", _missing(t.missing), "", None], highlight=True)
    return sheet


def week_grid(book: Book, view: RosterView, teams: Sequence[Team], title: str) -> None:
    """Areas down, days across, one block per week; each cell lists the windows and the people."""
    book.add_sheet(
        tr("Week"), [26, 10] + [20] * 7, _grid_rows(view, teams, title), page=PageSetup()
    )


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
        week = tr(
            "Week {n}: {first} to {last}", n=n, first=days[0].isoformat(), last=days[-1].isoformat()
        )
        yield None, [(week, BOLD)]
        head = [tr(AREA), tr(DUTY)] + [
            tr("{weekday} {month}/{day}", weekday=weekday_name(d), month=d.month, day=d.day)
            for d in days
        ]
        yield None, [(h, GRID_HEADER) for h in head]
        for area, duty in rows:
            line: list[Cell] = [(area, GRID), (duty, GRID)]
            lines = wrapped_lines(area, 26)
            for d in days:
                found = cells.get((area, duty, d), [])
                text = "\n".join(_grid_text(t) for t in found)
                lines = max(lines, wrapped_lines(text, 20))
                short = any(t.missing for t in found)
                line.append((text or None, GRID_GAP if short else GRID))
            yield 14 * lines + 3, line  # Excel does not grow rows


def _grid_text(team: Team) -> str:
    names = join([("★" if m.leader else "") + m.name for m in team.members])
    gap = f" {_missing(team.missing)}" if team.missing else ""
    return f"{hhmm(team.start)}–{hhmm(team.end)}{gap}\n{names}"


def wrapped_lines(text: str, width: int) -> int:
    """Lines `text` takes when wrapped in a column `width` characters wide."""
    return sum(max(1, -(-text_width(line) // (width - 2))) for line in text.split("\n"))


def hours_sheet(view: RosterView, unit: str | None, title: str) -> Sheet:
    """Hours per volunteer of the unit (or of all units), zero-hour volunteers included."""
    period, total, count = view.served
    columns = [Column(tr("ID")), Column(tr("Name"))]
    if unit is None:
        columns.append(Column(tr(UNIT)))
    columns += [
        Column(tr(LEADER)),
        Column(tr("Duties")),
        Column(tr("Hours this period"), HOURS_FORMAT),
        Column(tr("Hours in all"), HOURS_FORMAT),
    ]
    sheet = Sheet(tr("Hours"), (title, _heading(view.campaign, _period(view))), columns)
    people = view.volunteers if unit is None else view.people_of(unit)
    for vid, name, vunit, leader in sorted(people):
        cells: list[object] = [vid, name, *([vunit] if unit is None else [])]
        cells += [_yes(leader), count[vid], period[vid] / 60, total[vid] / 60]
        sheet.add(cells)
    return sheet


def gaps_sheet(view: RosterView, title: str) -> Sheet:
    columns = [
        Column(tr(DATE), DATE_FORMAT),
        Column(tr(WEEKDAY)),
        Column(tr(START), TIME_FORMAT),
        Column(tr(END), TIME_FORMAT),
        Column(tr(DUTY)),
        Column(tr(AREA)),
        Column(tr(UNIT)),
        Column(tr("Needed")),
        Column(tr("Placed")),
        Column(tr("Reason"), wrap=True),
    ]
    gaps = [t for t in view.current if t.missing or t.gap]
    count = ntr("{n} slot", "{n} slots", len(gaps))
    sheet = Sheet(tr("Gaps"), (title, _heading(view.campaign, _period(view), count)), columns)
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
                t.gap or _missing(t.missing),
            ]
        )
    return sheet


def units_sheet(view: RosterView, title: str) -> Sheet:
    """Per unit: coverage of its slots and the spread of its volunteers' hours in the period."""
    columns = [
        Column(tr(UNIT)),
        Column(tr("Volunteers")),
        Column(tr("Slots")),
        Column(tr("Fully staffed")),
        Column(tr("Coverage"), "0.0%"),
        Column(tr("Places unfilled")),
        Column(tr("Total hours"), HOURS_FORMAT),
        Column(tr("Fewest hours"), HOURS_FORMAT),
        Column(tr("Most hours"), HOURS_FORMAT),
        Column(tr("Spread of hours"), HOURS_FORMAT),
    ]
    sheet = Sheet(tr("Units"), (title, _heading(view.campaign, _period(view))), columns)
    minutes: dict[str, int] = defaultdict(int)
    for t in view.current:
        for m in t.members:
            minutes[m.id] += t.minutes
    for unit in view.units:
        teams = view.teams_of(unit)
        hours = [minutes[v[0]] / 60 for v in view.people_of(unit)]
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
    teams = view.teams_of(unit)
    title = tr("{unit} duty roster ({period})", unit=unit, period=_period(view))
    book = _book(view)
    roster_sheet(view, teams, title, with_unit=False).write(book)
    week_grid(book, view, teams, tr("{unit} by week ({period})", unit=unit, period=_period(view)))
    hours_sheet(view, unit, tr("{unit}: volunteers' hours", unit=unit)).write(book)
    return book.bytes()


def master_workbook(view: RosterView) -> bytes:
    book = _book(view)
    name = view.campaign or tr("Volunteer duty roster")
    units_sheet(view, tr("{name}: units", name=name)).write(book)
    roster_sheet(view, view.current, tr("{name}: roster", name=name), with_unit=True).write(book)
    gaps_sheet(view, tr("{name}: gaps and their reasons", name=name)).write(book)
    hours_sheet(view, None, tr("{name}: volunteers' hours", name=name)).write(book)
    return book.bytes()


def _book(view: RosterView) -> Book:
    """Document dates are the period's first day, so equal rosters give equal bytes."""
    return Book(created=datetime.combine(view.first, time()))

"""The rows of a published table as roster's data folder: duties.csv, units.csv, settings.toml and
an empty volunteers.csv, with a report of what was read and of every choice made.

One published row becomes one duty row per day pattern and time window (the intersection's
morning, summer evening and winter evening are three). What the table does not say is taken from
`Options` — the command line — or else from the documented defaults below, and each such choice
is listed per cell in the report; nothing is filled in silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from official.documents import Document, Record
from official.grammar import (
    Group,
    Headcount,
    Mentions,
    Period,
    PhraseError,
    Schedule,
    Window,
    find_mentions,
    hm,
    parse_schedule,
)
from official.report import Cell, Choice, Reading, Report
from roster.errors import FieldError, Problem, Source
from roster.fileio import csv_text
from roster.i18n import join, tr
from roster.model import Plan, Season
from roster.tables import DUTIES, LEAVE, UNITS, VOLUNTEERS
from roster.values import parse_headcount

# The documented defaults (README, "Importing a published table"); each has its option.
DEFAULT_VISIT_START = 8 * 60 + 30  # --visit-start: a visit of stated hours, no time of day
DEFAULT_PEOPLE = 2  # --people: a row that states no headcount
DEFAULT_SUMMER = ((5, 1), (9, 30))  # --summer-start, --summer-end
DEFAULT_PARTS = {  # --part: a part of the day named without times
    "早上": (7 * 60 + 30, 8 * 60 + 30),
    "早晨": (7 * 60 + 30, 8 * 60 + 30),
    "清晨": (7 * 60 + 30, 8 * 60 + 30),
    "上午": (9 * 60, 11 * 60),
    "中午": (12 * 60, 13 * 60),
    "下午": (15 * 60, 17 * 60),
    "傍晚": (17 * 60 + 30, 18 * 60 + 30),
    "晚上": (19 * 60, 20 * 60),
    "晚间": (19 * 60, 20 * 60),
    "夜间": (19 * 60, 20 * 60),
}
DUTY_HEADER = DUTIES.chinese_header("valid_from", "valid_to")
UNIT_HEADER = UNITS.chinese_header()
VOLUNTEER_HEADER = VOLUNTEERS.chinese_header()
LEAVE_HEADER = LEAVE.chinese_header()
HOLIDAY_HEADER = ("日期", "类型", "名称")
_ENUMERATOR = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])\s*"
)
_TITLE_END = re.compile(r"(?:责任分工表|分工表|任务分解表|一览表|安排表)$")
_CARRY_DOWN = ("kind", "days", "requirement", "people")


@dataclass(frozen=True)
class Options:
    """What the command line says where the table is silent; None: the documented default."""

    visit_start: int | None = None
    people: int | None = None
    summer_start: tuple[int, int] | None = None
    summer_end: tuple[int, int] | None = None
    start: date | None = None
    end: date | None = None
    parts: tuple[tuple[str, int, int], ...] = ()


@dataclass(frozen=True)
class Carried:
    """What a workspace's current tables keep through an import of a published document: the
    volunteers, the table's leave and holidays, the units' contacts and the other settings."""

    units: dict[str, tuple[str, str]]
    volunteers: tuple[tuple[str, ...], ...]
    leave: tuple[tuple[str, ...], ...]
    holidays: tuple[tuple[str, ...], ...]
    settings: tuple[tuple[str, str], ...]  # TOML lines key = value, besides the period
    summer: tuple[tuple[int, int], tuple[int, int]]


@dataclass
class Converted:
    """The data folder's files as texts (written only when nothing failed)."""

    files: dict[str, str] = field(default_factory=dict)
    duty_rows: int = 0
    units: list[str] = field(default_factory=list)


def carried_from(plan: Plan) -> Carried:
    """The parts of a plan that a published table does not have, to carry into the new tables."""
    s = plan.settings
    names = {v.id: v.name for v in plan.volunteers}
    settings: list[tuple[str, str]] = [
        ("weekly_cap_hours", _number(s.weekly_cap_hours)),
        ("daily_cap_hours", _number(s.daily_cap_hours)),
        ("travel_buffer_minutes", str(s.travel_buffer_minutes)),
        ("feed_refresh_hours", _number(s.feed_refresh_hours)),
        ("sign_in_opens_minutes", str(s.sign_in_opens_minutes)),
        ("sign_in_closes_hours", _number(s.sign_in_closes_hours)),
        ("swaps_without_office", _toml("是" if s.swaps_without_office else "否")),
    ]
    if s.timezone:
        settings.insert(0, ("timezone", _toml(s.timezone)))
    if s.feed_base_url:
        settings.append(("feed_base_url", _toml(s.feed_base_url)))
    if s.reminder_minutes is not None:
        settings.append(("reminder_minutes", str(s.reminder_minutes)))
    if s.yearly_target_hours:
        settings.append(("yearly_target_hours", _number(s.yearly_target_hours)))
    if s.calendar_years:
        settings.append(("calendar_years", "[" + ", ".join(map(str, s.calendar_years)) + "]"))
    weekdays = "一二三四五六日"
    return Carried(
        {u.name: (u.contact, u.phone) for u in plan.units},
        tuple(
            (
                v.id,
                v.name,
                v.unit,
                v.phone,
                "是" if v.leader else "否",
                _number(v.weekly_cap_hours) if v.weekly_cap_hours is not None else "",
                "、".join(f"周{weekdays[d]}" for d in sorted(v.unavailable)),
            )
            for v in plan.volunteers
        ),
        tuple(
            (x.volunteer_id, names.get(x.volunteer_id, ""), str(x.start), str(x.end), x.reason)
            for x in plan.leave
        ),
        tuple((str(c.date), c.kind.value, c.name) for c in plan.calendar),
        tuple(settings),
        (s.summer_start, s.summer_end),
    )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class _Merged:
    """A choice about a cell that may cover several rows: reported once, with all its rows."""

    cell: Cell
    read: str
    chosen: str
    why: str


class _Converter:
    def __init__(self, document: Document, options: Options, carried: Carried | None) -> None:
        self.document = document
        self.options = options
        self.carried = carried
        self.report = Report(document.name, document.form, list(document.notes))
        self.report.problems.extend(document.problems)
        self.choices: dict[tuple[str, str, int, str], _Merged] = {}
        self.readings: dict[tuple[str, str, int], Reading] = {}
        self.rows: list[tuple[str, ...]] = []

    # choices and readings, one per cell and subject however many rows the cell covers
    def _cell(self, record: Record, key: str) -> tuple[tuple[str, str, int], Cell]:
        cell = record.cells[key]
        source = record.source
        ident = (source.sheet or "", cell.header, cell.origin)
        return ident, Cell(source.file, (cell.origin,), cell.header, source.sheet)

    def choose(self, record: Record, key: str, subject: str, chosen: str, why: str) -> None:
        ident, cell = self._cell(record, key)
        rows = (*self._rows(ident, subject), record.source.row or 0)
        text = record.cells[key].text
        self.choices[(*ident, subject)] = _Merged(
            Cell(cell.file, tuple(sorted(set(rows))), cell.column, cell.sheet), text, chosen, why
        )

    def _rows(self, ident: tuple[str, str, int], subject: str) -> tuple[int, ...]:
        found = self.choices.get((*ident, subject))
        return found.cell.rows if found else ()

    def read(self, record: Record, key: str, understood: str) -> None:
        ident, cell = self._cell(record, key)
        rows: tuple[int, ...] = (record.source.row or 0,)
        if ident in self.readings:
            rows = (*self.readings[ident].cell.rows, *rows)
        self.readings[ident] = Reading(
            Cell(cell.file, tuple(sorted(set(rows))), cell.column, cell.sheet),
            record.cells[key].text,
            understood,
        )

    def problem(self, record: Record, key: str, message: str, value: str, expected: str) -> None:
        header = record.cells[key].header if key in record.cells else key
        self.report.problems.append(Problem(message, record.source, header, value, expected))

    # the table
    def convert(self) -> Converted:
        period = self._period()
        above: dict[str, Record] = {}
        for record in self.document.records:
            record = self._filled(record, above)
            self._record(record)
        units = self._units()
        out = Converted(duty_rows=len(self.rows), units=units)
        self.report.readings = sorted(self.readings.values(), key=_order)
        self.report.choices.extend(
            Choice(m.cell, m.read, m.chosen, m.why)
            for m in sorted(self.choices.values(), key=lambda m: (m.cell.rows, m.cell.column))
        )
        self._table_defaults()
        if not self.document.records and not self.report.failed:
            self.report.problems.append(
                Problem(
                    tr("the table has no rows"),
                    Source(self.document.name),
                    expected=tr("rows of duties below the header row"),
                )
            )
        if period is None or self.report.failed:
            return out
        out.files = self._files(period, units)
        return out

    def _filled(self, record: Record, above: dict[str, Record]) -> Record:
        """A blank duty, time or requirement cell under a filled one is the merged cell of a
        file that keeps no merges (.xls, text with tabs): the row above's, and said so."""
        cells = dict(record.cells)
        for key in _CARRY_DOWN:
            cell = cells.get(key)
            if cell is None:
                continue
            if cell.text:
                above[key] = record
                continue
            if key in above:
                from_row = above[key].cells[key]
                cells[key] = type(cell)(from_row.text, cell.header, from_row.origin, True)
                self.report.choices.append(
                    Choice(
                        Cell(
                            record.source.file,
                            (record.source.row or 0,),
                            cell.header,
                            record.source.sheet,
                        ),
                        "",
                        tr("the row above's: {text}", text=_short(from_row.text)),
                        tr("a blank cell below a filled one is read as merged with it"),
                    )
                )
        return Record(record.source, cells)

    def _record(self, record: Record) -> None:
        kind = _ENUMERATOR.sub("", record.text("kind")).strip()
        area = " ".join(record.text("area").split())
        unit = "、".join(u for u in re.split(r"[、,，\s]+", record.text("unit")) if u)
        for key, value in (("kind", kind), ("area", area), ("unit", unit)):
            if not value and key in record.cells:
                self.problem(record, key, tr("the cell is empty"), "", tr("the table's text"))
        schedule = self._schedule(record)
        mentions = find_mentions(record.text("requirement"))
        people = self._people(record, mentions)
        if schedule is None or people is None or not (kind and area and unit):
            return
        requirement = " ".join(record.text("requirement").split())
        for group in schedule.groups:
            for days, window in self._windows(record, group, mentions):
                low, high = people
                self.rows.append(
                    (
                        kind,
                        area,
                        unit,
                        days,
                        hm(window.start or 0),
                        hm(window.end or 0),
                        window.season.zh,
                        str(low),
                        str(high) if high is not None else "",
                        "",
                        "",
                        "",
                        requirement,
                    )
                )

    def _schedule(self, record: Record) -> Schedule | None:
        text = record.text("days")
        if "days" not in record.cells:
            return None
        try:
            schedule = parse_schedule(text)
        except PhraseError as exc:
            self.problem(
                record,
                "days",
                tr("cannot read the time phrase from {found}", found=_found(exc.found)),
                text,
                exc.expected,
            )
            return None
        if any(not g.days for g in schedule.groups):
            self.problem(
                record,
                "days",
                tr("the time phrase names no days"),
                text,
                tr("days before the times, such as 每周三 or 星期一至星期五"),
            )
            return None
        if any(
            len(g.days) > 1 and any(d.startswith("RRULE") for d in g.days) for g in schedule.groups
        ):
            self.problem(
                record,
                "days",
                tr("a day of the month cannot be combined with other days"),
                text,
                tr("each day of the month in its own row"),
            )
            return None
        self.read(record, "days", _schedule_text(schedule))
        if any(w.season is not Season.ALL for g in schedule.groups for w in g.windows):
            self._summer(record)
        return schedule

    def _summer(self, record: Record) -> None:
        (start, end), why = self.summer()
        self.choose(
            record,
            "days",
            "summer",
            tr(
                "summer from {start} to {end}, winter the rest of the year",
                start=_md(start),
                end=_md(end),
            ),
            why,
        )

    def summer(self) -> tuple[tuple[tuple[int, int], tuple[int, int]], str]:
        given = (self.options.summer_start, self.options.summer_end)
        base, why = (
            DEFAULT_SUMMER,
            tr(
                "the table says 夏季/冬季 but not their dates; roster's default (common practice "
                "in China), --summer-start/--summer-end to change it"
            ),
        )
        if self.carried is not None:
            base, why = (
                self.carried.summer,
                tr(
                    "the table says 夏季/冬季 but not their dates; kept from the workspace's "
                    "tables, --summer-start/--summer-end to change it"
                ),
            )
        if any(given):
            why = tr("the table says 夏季/冬季 but not their dates; given on the command line")
        return (given[0] or base[0], given[1] or base[1]), why

    def _people(self, record: Record, mentions: Mentions) -> tuple[int, int | None] | None:
        if record.text("people"):
            text = record.text("people")
            try:
                low, high = parse_headcount(text, "people")
            except FieldError as exc:
                self.problem(record, "people", exc.message, text, exc.expected)
                return None
            self.read(record, "people", _people_text(low, high))
            return low, high
        counts = list(dict.fromkeys((h.low, h.high) for h in mentions.headcounts))
        key = "requirement" if "requirement" in record.cells else "area"
        if len(counts) > 1:
            self.problem(
                record,
                key,
                tr(
                    "the requirement names several headcounts: {counts}",
                    counts=join([h.text for h in mentions.headcounts]),
                ),
                record.text(key),
                tr("one headcount per row, or a 人数 column"),
            )
            return None
        default = self.options.people or DEFAULT_PEOPLE
        why_default = (
            tr("given on the command line (--people)")
            if self.options.people
            else tr("roster's default, --people to change it")
        )
        if not counts:
            self.choose(
                record,
                key,
                "people",
                tr("{n} people per slot", n=default),
                tr("the table states no headcount here; {why}", why=why_default),
            )
            return default, None
        headcount = mentions.headcounts[0]
        if headcount.low is None:
            high = headcount.high or default
            low = min(default, high)
            self.choose(
                record,
                key,
                "people",
                _people_text(low, high),
                tr(
                    "the table states only the most ({text}); {why}",
                    text=headcount.text,
                    why=why_default,
                ),
            )
            return low, high
        self.read(record, key, _headcount_text(headcount))
        return headcount.low, headcount.high

    def _windows(
        self, record: Record, group: Group, mentions: Mentions
    ) -> Iterable[tuple[str, Window]]:
        days = [d for d in group.days if d.startswith("RRULE")] or ["、".join(group.days)]
        windows = [w for w in group.windows if w.timed]
        for window in group.windows:
            if not window.timed:
                windows.append(self._part_window(record, window, mentions))
        if not group.windows:
            visit = self._visit(record, group, mentions)
            if visit is None:
                return
            windows.append(visit)
        for pattern in days:
            for window in windows:
                yield pattern, window

    def _part_window(self, record: Record, window: Window, mentions: Mentions) -> Window:
        part = window.part or ""
        given = {p: (a, b) for p, a, b in self.options.parts}
        start, end = given.get(part) or DEFAULT_PARTS[part]
        why = (
            tr("given on the command line (--part {part}=…)", part=part)
            if part in given
            else tr(
                "roster's default for {part}, --part {part}=HH:MM-HH:MM to change it", part=part
            )
        )
        if mentions.durations and part not in given:
            end = start + mentions.durations[0].minutes
            why = tr(
                "{why}; lasting {duration} as the requirement says",
                why=why,
                duration=mentions.durations[0].text,
            )
        self.choose(
            record,
            "days",
            "part:" + part,
            f"{hm(start)}–{hm(min(end, 24 * 60))}",
            tr("the table names {part} but no times; {why}", part=part, why=why),
        )
        return Window(part, start, min(end, 24 * 60), window.season, part)

    def _visit(self, record: Record, group: Group, mentions: Mentions) -> Window | None:
        if not mentions.durations:
            self.problem(
                record,
                "days",
                tr("no time of day and no duration"),
                record.text("days"),
                tr(
                    "a time such as 7:30至8:30 or a part of the day (下午) in this cell, or the "
                    "hours of a visit in the requirement (每次4小时)"
                ),
            )
            return None
        duration = mentions.durations[0]
        start = self.options.visit_start
        why = tr("given on the command line (--visit-start)")
        if start is None:
            start = DEFAULT_VISIT_START
            why = tr("roster's default start, --visit-start HH:MM to change it")
        end = min(start + duration.minutes, 24 * 60)
        self.choose(
            record,
            "days",
            "visit",
            f"{hm(start)}–{hm(end)}",
            tr(
                "the table gives no time of day, only {duration} per visit (要求); starts at "
                "{start}: {why}",
                duration=duration.text,
                start=hm(start),
                why=why,
            ),
        )
        return Window(None, start, end, Season.ALL, f"{hm(start)}–{hm(end)}")

    # the period, the units and the files
    def _period(self) -> tuple[date, date, str] | None:
        heading = [p for line in self.document.heading for p in find_mentions(line).periods]
        text = [p for line in self.document.text for p in find_mentions(line).periods]
        where = Source(self.document.name)
        if self.options.start and self.options.end:
            self.report.notes.append(
                tr(
                    "the period {start} to {end}: given on the command line",
                    start=self.options.start,
                    end=self.options.end,
                )
            )
            return self.options.start, self.options.end, ""
        found: Period | None = None
        if text and heading and (text[0].start, text[0].end) != (heading[0].start, heading[0].end):
            found = text[0]
            self.report.choices.append(
                Choice(
                    None,
                    tr(
                        "the period: the heading above the table says {heading}, the plan's "
                        "text says {text}",
                        heading=_period_text(heading[0]),
                        text=_period_text(text[0]),
                    ),
                    _period_text(text[0]),
                    tr(
                        "the plan sets the period of the work, the table is its attachment; "
                        "--start and --end to choose another"
                    ),
                )
            )
        elif heading or text:
            found = (heading or text)[0]
            self.report.notes.append(
                tr(
                    "the period {start} to {end}, read from {text}",
                    start=found.start,
                    end=found.end,
                    text=_quote(found.text),
                )
            )
        start = self.options.start or (found.start if found else None)
        end = self.options.end or (found.end if found else None)
        if start is None or end is None:
            self.report.problems.append(
                Problem(
                    tr("the document states no period"),
                    where,
                    expected=tr(
                        "a line such as （2021年9月20日至2022年12月31日） above the table, "
                        "or --start and --end"
                    ),
                )
            )
            return None
        return start, end, found.text if found else ""

    def _units(self) -> list[str]:
        names: dict[str, None] = {}
        for row in self.rows:
            for unit in row[2].split("、"):
                names.setdefault(unit, None)
        return list(names)

    def _table_defaults(self) -> None:
        for read, chosen in (
            (
                tr("the table has no column 最多人数"),
                tr("the minimum, unless the table gives a range (4—5名)"),
            ),
            (tr("the table has no column 需带队"), tr("否: no slot needs a leader")),
            (tr("the table has no column 节假日"), tr("不安排: no duty on statutory holidays")),
            (
                tr("the table has no column 调休上班日"),
                tr("按工作日: a make-up working day runs the Monday-to-Friday duties"),
            ),
        ):
            self.report.choices.append(
                Choice(
                    None,
                    read,
                    chosen,
                    tr("roster's default for a blank cell; change it in duties.csv"),
                )
            )

    def _files(self, period: tuple[date, date, str], units: list[str]) -> dict[str, str]:
        start, end, _ = period
        (summer_start, summer_end), _why = self.summer()
        name = self._name()
        carried = self.carried
        lines = [
            "# " + tr("Converted by roster import from {document}.", document=self.document.name),
            f"name = {_toml(name)}",
            f"start = {start.isoformat()}",
            f"end = {end.isoformat()}",
            f'summer_start = "{_md(summer_start)}"',
            f'summer_end = "{_md(summer_end)}"',
        ]
        if carried is not None:
            lines += [f"{k} = {v}" for k, v in carried.settings]
        else:
            lines.append('timezone = "Asia/Shanghai"')
        known = carried.units if carried else {}
        all_units = list(dict.fromkeys([*units, *known]))
        files = {
            "duties.csv": csv_text(DUTY_HEADER, self.rows),
            "units.csv": csv_text(UNIT_HEADER, [(u, *known.get(u, ("", ""))) for u in all_units]),
            "volunteers.csv": csv_text(VOLUNTEER_HEADER, carried.volunteers if carried else ()),
            "settings.toml": "\n".join(lines) + "\n",
        }
        if carried is not None and carried.leave:
            files["leave.csv"] = csv_text(LEAVE_HEADER, carried.leave)
        if carried is not None and carried.holidays:
            files["holidays.csv"] = csv_text(HOLIDAY_HEADER, carried.holidays)
        return files

    def _name(self) -> str:
        for line in self.document.heading:
            if not find_mentions(line).periods:
                return _TITLE_END.sub("", line.strip()) or line.strip()
        return ""


def convert(
    document: Document, options: Options, carried: Carried | None = None
) -> tuple[Report, Converted]:
    """The report and the data folder's files of a document read by `official.documents`."""
    converter = _Converter(document, options, carried)
    converted = converter.convert()
    report = converter.report
    if converted.files:
        report.notes.append(
            tr(
                "{rows} duty rows from {records} rows of the table; {units} units",
                rows=converted.duty_rows,
                records=len(document.records),
                units=len(converted.units),
            )
        )
    return report, converted


def _order(r: Reading) -> tuple[tuple[int, ...], str]:
    return r.cell.rows, r.cell.column


def _md(value: tuple[int, int]) -> str:
    return f"{value[0]:02d}-{value[1]:02d}"


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return f"“{flat[:30]}…”" if len(flat) > 30 else f"“{flat}”"


def _quote(text: str) -> str:
    return f"“{text}”"


def _found(text: str) -> str:
    return _short(text) if text else tr("the end of the cell")


def _period_text(p: Period) -> str:
    return f"{p.start.isoformat()}–{p.end.isoformat()}"


def _people_text(low: int, high: int | None) -> str:
    return (
        tr("{n} people per slot", n=low)
        if high is None
        else tr("{low} to {high} people per slot", low=low, high=high)
    )


def _headcount_text(h: Headcount) -> str:
    return _people_text(h.low or 0, h.high)


def _schedule_text(schedule: Schedule) -> str:
    parts = []
    for group in schedule.groups:
        windows = [
            w.text if w.season is Season.ALL else f"{w.text}（{w.season.zh}）"
            for w in group.windows
        ]
        parts.append(" ".join([group.written, join(windows)]).strip())
    return "；".join(parts)

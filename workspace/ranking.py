"""The weekly ranking of the units (通报): what each unit planned, what its leaders recorded and
what the inspectors found, one line per unit, ranked; a page and a printable circular.

How each column is computed (the circular's notes say the same):

- slots planned: the unit's slots in the week's latest published version (staffed or not);
- staffed as planned: those of its slots with no gap in that version (enough people, a leader
  where one is needed);
- planned seats: the people that version has on the unit's slots;
- attended: planned seats whose sign-in record says present or late; a seat with no record counts
  as not attended, and a walk-in substitute fills no planned seat (their hours still count below);
- attendance rate: attended ÷ planned seats (none planned: no rate);
- absences without leave: records marked absent and not on leave;
- spot checks failed: the inspectors' checks of the unit's slots that week that found fewer
  people than planned or no leader;
- credited hours: the minutes credited by every record of the unit that week, in hours.

Order: the higher attendance rate first; then fewer absences without leave; then fewer failed
spot checks; then more credited hours; then the unit's name. A unit without planned seats comes
after those with some. Units that tie on all four share a rank (1, 2, 2, 4).

`rank` is a pure function over plain rows so that a test can recompute it from the records.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from exports.excel import wrapped_lines
from exports.sheet import text_only
from roster.i18n import N_, tr
from workspace import operations as ops
from workspace.models import Attendance, SpotCheck, WeekVersion

Slot = tuple[date, int, str, str]  # date, start, duty, area


@dataclass(frozen=True)
class Seat:
    """One person the published week has on one of the unit's slots."""

    unit: str
    date: date
    start: int
    duty: str
    area: str
    volunteer_id: str

    @property
    def slot(self) -> Slot:
        return (self.date, self.start, self.duty, self.area)


@dataclass(frozen=True)
class Shortfall:
    """A slot the published week could not staff as its rule asks (a gap)."""

    unit: str
    date: date
    start: int
    duty: str
    area: str

    @property
    def slot(self) -> Slot:
        return (self.date, self.start, self.duty, self.area)


@dataclass(frozen=True)
class Record:
    """One person's sign-in record at a slot, as the leader made it."""

    unit: str
    date: date
    start: int
    duty: str
    area: str
    volunteer_id: str
    state: str  # Attendance.PRESENT, LATE or ABSENT
    on_leave: bool = False
    walk_in: bool = False
    credited: int = 0  # minutes


@dataclass(frozen=True)
class Check:
    """An inspector's spot check of one of the unit's slots."""

    unit: str
    passed: bool


@dataclass(frozen=True)
class UnitResult:
    rank: int
    unit: str
    slots: int
    staffed: int
    seats: int
    attended: int
    absent_without_leave: int
    checks: int
    checks_failed: int
    credited_minutes: int

    @property
    def rate(self) -> float | None:
        """Attended ÷ planned seats; None when nothing was planned."""
        return self.attended / self.seats if self.seats else None

    @property
    def rate_text(self) -> str:
        """The rate as a page shows it (66.7%), a dash without planned seats."""
        return "—" if self.rate is None else f"{self.rate:.1%}"

    @property
    def credited_hours(self) -> float:
        return self.credited_minutes / 60


def _order(r: UnitResult) -> tuple[object, ...]:
    return (
        r.rate is None,
        -(r.rate or 0.0),
        r.absent_without_leave,
        r.checks_failed,
        -r.credited_minutes,
    )


def rank(
    seats: Iterable[Seat],
    shortfalls: Iterable[Shortfall],
    records: Iterable[Record],
    checks: Iterable[Check],
) -> list[UnitResult]:
    """Every unit met in the rows, computed and ranked as the module's docstring says."""
    seats, shortfalls, records, checks = list(seats), list(shortfalls), list(records), list(checks)
    slots: dict[str, set[Slot]] = defaultdict(set)
    short: dict[str, set[Slot]] = defaultdict(set)
    for s in seats:
        slots[s.unit].add(s.slot)
    for g in shortfalls:
        slots[g.unit].add(g.slot)
        short[g.unit].add(g.slot)
    came = {
        (r.unit, r.date, r.start, r.duty, r.area, r.volunteer_id)
        for r in records
        if r.state in (Attendance.PRESENT, Attendance.LATE) and not r.walk_in
    }
    planned = Counter(s.unit for s in seats)
    attended = Counter(s.unit for s in set(seats) if (s.unit, *s.slot, s.volunteer_id) in came)
    absent = Counter(r.unit for r in records if r.state == Attendance.ABSENT and not r.on_leave)
    credited = Counter[str]()
    for r in records:
        credited[r.unit] += r.credited
    checked = Counter(c.unit for c in checks)
    failed = Counter(c.unit for c in checks if not c.passed)
    units = set(slots) | {r.unit for r in records} | set(checked)
    results = [
        UnitResult(
            rank=0,
            unit=u,
            slots=len(slots[u]),
            staffed=len(slots[u] - short[u]),
            seats=planned[u],
            attended=attended[u],
            absent_without_leave=absent[u],
            checks=checked[u],
            checks_failed=failed[u],
            credited_minutes=credited[u],
        )
        for u in units
    ]
    results.sort(key=lambda r: (*_order(r), r.unit))
    ranked: list[UnitResult] = []
    for position, result in enumerate(results, start=1):
        tied = ranked and _order(ranked[-1]) == _order(result)
        ranked.append(_with_rank(result, ranked[-1].rank if tied else position))
    return ranked


def _with_rank(r: UnitResult, number: int) -> UnitResult:
    return UnitResult(
        number,
        r.unit,
        r.slots,
        r.staffed,
        r.seats,
        r.attended,
        r.absent_without_leave,
        r.checks,
        r.checks_failed,
        r.credited_minutes,
    )


# The week's rows, from the workspace ----------------------------------------------------------


@dataclass(frozen=True)
class Ranking:
    monday: date
    sunday: date
    version: int  # the published version the plan columns come from
    results: list[UnitResult]


def week_rows(
    monday: date,
) -> tuple[WeekVersion, list[Seat], list[Shortfall], list[Record], list[Check]] | None:
    """The plain rows `rank` takes for the week of `monday`; None when it was never published."""
    version = ops.latest(monday)
    if version is None:
        return None
    sunday = monday + timedelta(days=6)
    seats = [
        Seat(r.unit, r.date, r.start, r.duty, r.area, r.volunteer_id) for r in ops._rows(version)
    ]
    shortfalls = [Shortfall(g.unit, g.date, g.start, g.duty, g.area) for g in version.gaps.all()]
    records = [
        Record(
            a.unit,
            a.date,
            a.start,
            a.duty,
            a.area,
            a.volunteer_id,
            a.state,
            a.on_leave,
            a.walk_in,
            a.credited,
        )
        for a in Attendance.objects.filter(date__range=(monday, sunday))
    ]
    checks = [
        Check(c.unit, c.passed) for c in SpotCheck.objects.filter(date__range=(monday, sunday))
    ]
    return version, seats, shortfalls, records, checks


def week_ranking(day: date) -> Ranking | None:
    """The ranking of the week of `day`; None when that week was never published."""
    monday = ops._monday(day)
    rows = week_rows(monday)
    if rows is None:
        return None
    version, seats, shortfalls, records, checks = rows
    results = rank(seats, shortfalls, records, checks)
    return Ranking(monday, monday + timedelta(days=6), version.number, results)


def ranked_weeks() -> list[date]:
    """The Mondays of the published weeks, newest first: the weeks a ranking can be made for."""
    return sorted(
        set(
            WeekVersion.objects.filter(number__gt=WeekVersion.DRAFT).values_list(
                "monday", flat=True
            )
        ),
        reverse=True,
    )


def latest_week(today: date) -> date | None:
    """The week to show by default: the newest published week begun by `today` (a campaign of
    the past: its last published week); None when nothing was published."""
    weeks = ranked_weeks()
    begun = [w for w in weeks if w <= today] or weeks
    return begun[0] if begun else None


# The circular ---------------------------------------------------------------------------------

HEADERS = (
    N_("Rank"),
    N_("Unit"),
    N_("Slots planned"),
    N_("Staffed as planned"),
    N_("Planned seats"),
    N_("Attended"),
    N_("Attendance rate"),
    N_("Absences without leave"),
    N_("Spot checks"),
    N_("Spot checks failed"),
    N_("Credited hours"),
)
NOTES = (
    N_("Slots planned: the unit's slots in the week's latest published roster, staffed or not."),
    N_(
        "Staffed as planned: the slots of those with no gap in the published roster (enough "
        "people, and a leader where one is needed)."
    ),
    N_("Planned seats: the people the published roster has on the unit's slots."),
    N_(
        "Attended: planned seats whose sign-in record says present or late; a seat without a "
        "record counts as not attended; a walk-in substitute fills no planned seat."
    ),
    N_("Attendance rate: attended ÷ planned seats."),
    N_("Absences without leave: sign-in records marked absent, without leave for the day."),
    N_(
        "Spot checks failed: the inspection group's checks that found fewer people than "
        "planned, or no leader."
    ),
    N_("Credited hours: the hours credited by the sign-in records, within each slot's window."),
    N_(
        "Order: attendance rate, higher first; then fewer absences without leave; then fewer "
        "failed spot checks; then more credited hours. Units equal on all four share a rank."
    ),
)
WIDTHS = (6, 20, 9, 9, 9, 9, 10, 11, 9, 10, 10)


def title(campaign: str) -> str:
    return tr("Circular on the volunteer service of {campaign}", campaign=campaign)


def period(ranking: Ranking) -> str:
    return tr(
        "Period: {first} to {last} (published roster version {number})",
        first=ranking.monday,
        last=ranking.sunday,
        number=ranking.version,
    )


def cells(r: UnitResult) -> list[object]:
    """A line of the table as the circular has it: numbers as numbers, no rate as a dash."""
    return [
        r.rank,
        r.unit,
        r.slots,
        r.staffed,
        r.seats,
        r.attended,
        r.rate if r.rate is not None else "—",
        r.absent_without_leave,
        r.checks,
        r.checks_failed,
        round(r.credited_hours, 2),
    ]


def circular(ranking: Ranking, campaign: str) -> bytes:
    """The ranking as a printable circular: title, period, the table, the notes on how each
    column is computed; A4 landscape one page wide, long texts wrapped, the header repeated."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = tr("Ranking")
    last = len(HEADERS)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    page = sum(WIDTHS)

    def line(row: int, text: str, font: Font, align: Alignment) -> None:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        cell = ws.cell(row, 1, text)
        cell.font, cell.alignment = font, align
        ws.row_dimensions[row].height = 20 * wrapped_lines(text, page)

    line(1, title(campaign), Font(bold=True, size=16), centre)
    ws.row_dimensions[1].height = 24 * wrapped_lines(title(campaign), page // 2 + 2)
    line(2, period(ranking), Font(size=11), Alignment(horizontal="center"))
    header = 4
    for column, (text, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        cell = ws.cell(header, column, tr(text))
        cell.font, cell.alignment, cell.border = Font(bold=True), centre, box
        ws.column_dimensions[cell.column_letter].width = width
    ws.row_dimensions[header].height = 15 * max(
        wrapped_lines(tr(t), w) for t, w in zip(HEADERS, WIDTHS, strict=True)
    )
    for row, result in enumerate(ranking.results, start=header + 1):
        for column, value in enumerate(cells(result), start=1):
            cell = ws.cell(row, column, value)
            cell.border = box
            cell.alignment = Alignment(vertical="center", wrap_text=column == 2)
            if column == 7 and isinstance(value, float):
                cell.number_format = "0.0%"
            if column == 11:
                cell.number_format = "0.0"
        ws.row_dimensions[row].height = 15 * wrapped_lines(result.unit, WIDTHS[1])
    row = header + len(ranking.results) + 2
    if not ranking.results:
        line(header + 1, tr("Nothing was planned for this week."), Font(), Alignment())
    line(row, tr("Notes:"), Font(bold=True), Alignment())
    for number, note in enumerate(NOTES, start=1):
        text = f"{number}. {tr(note)}"
        line(row + number, text, Font(), Alignment(wrap_text=True, vertical="top"))
        ws.row_dimensions[row + number].height = 15 * wrapped_lines(text, page)
    ws.print_title_rows = f"{header}:{header}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = tr("page {page} of {pages}", page="&P", pages="&N")
    text_only(ws)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def top_and_bottom(
    results: Sequence[UnitResult], n: int = 3
) -> tuple[list[UnitResult], list[UnitResult]]:
    """The first `n` and the last `n` (the last not repeating the first) for the overview."""
    top = list(results[:n])
    bottom = [r for r in results[-n:] if r not in top]
    return top, bottom

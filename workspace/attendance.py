"""Who came: the leaders' sign-in sheets, the hours credited from them, the service hours per
volunteer, who is behind the yearly target, and the report for the volunteer app (报备).

A roster is a plan; service hours come from who actually came (志愿服务记录与证明出具办法,
民政部令第67号: records true, accurate, complete and timely, certified by who recorded them). So:

- a slot's leader in its week's latest published version signs the team in on a sheet open from
  `sign_in_opens_minutes` before the start to `sign_in_closes_hours` after the end; saving
  replaces the slot's records in one transaction, as the leader's;
- the minutes credited are the time signed in within the slot's window (`credited`), and only a
  record credits anything: nobody is credited for a slot without their record;
- planned hours are read from the published versions, credited hours from the records alone;
- behind the target: credited hours of the calendar year up to a day below the yearly target
  prorated to that day (`target × days of the year so far ÷ days of the year`).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Max

from exports.sheet import list_workbook
from roster.assignments import slot_key
from roster.errors import InputError, Problem, Source
from roster.i18n import N_, tr
from roster.model import Plan, Volunteer, hhmm
from workspace import operations as ops
from workspace.models import Assignment, Attendance, Preference, WeekVersion

WALK_IN_ROWS = 2  # empty walk-in lines offered on a sheet, besides those already recorded
STATES = (Attendance.PRESENT, Attendance.LATE, Attendance.ABSENT)


def credited(start: int, end: int, state: str, arrived: int | None, left: int | None) -> int:
    """Minutes credited for one record of a slot from `start` to `end` (minutes after midnight):
    the time signed in, never outside the slot's window. Present or late: from the arrival
    (the start when none is given) to the departure (the end when none is given); absent: 0."""
    if state == Attendance.ABSENT:
        return 0
    begin = start if arrived is None else max(arrived, start)
    finish = end if left is None else min(left, end)
    return max(0, finish - begin)


# The sign-in sheet -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One person of the team the published roster has on the slot, and their record so far."""

    volunteer_id: str
    name: str
    leader: bool
    on_leave: bool
    record: Attendance | None


@dataclass(frozen=True)
class Sheet:
    """A slot of a week's latest published version, as its leader signs it in."""

    key: str
    date: date
    start: int
    end: int
    duty: str
    area: str
    unit: str
    leaders: frozenset[str]  # who leads it (volunteer ids)
    team: tuple[Member, ...]  # the leader first
    walk_ins: tuple[Attendance, ...]  # walk-ins recorded so far
    others: tuple[Volunteer, ...]  # the unit's volunteers not on the team: who may walk in
    opens: datetime  # local time
    closes: datetime

    @property
    def when(self) -> str:
        return f"{self.date} {hhmm(self.start)}–{hhmm(self.end)}"

    def window(self, now: datetime) -> str:
        """ "early", "open" or "closed" at the local time `now`."""
        if now < self.opens:
            return "early"
        return "open" if now <= self.closes else "closed"


def _at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(minutes=minutes)


def _on_leave(plan: Plan, volunteer_id: str, day: date) -> bool:
    return any(x.volunteer_id == volunteer_id and x.covers(day) for x in plan.leave)


def find_sheet(key: str) -> Sheet | None:
    """The slot `key` (`AssignmentRow.slot_key`) of its week's latest published version; None
    when no published roster has it."""
    try:
        day = date.fromisoformat(key[:10])
    except ValueError:
        return None
    version = ops.latest(ops._monday(day))
    if version is None:
        return None
    rows = [
        r
        for r in Assignment.objects.filter(version=version, date=day).order_by(
            "-leader", "volunteer_id"
        )
        if slot_key(r.date, r.start, r.duty, r.area) == key
    ]
    if not rows:
        return None
    first = rows[0]
    plan = ops.current_plan()
    records = {a.volunteer_id: a for a in _records(day, first.start, first.duty, first.area)}
    team = tuple(
        Member(
            r.volunteer_id,
            r.volunteer_name,
            r.leader,
            _on_leave(plan, r.volunteer_id, day),
            records.get(r.volunteer_id),
        )
        for r in rows
    )
    ids = {m.volunteer_id for m in team}
    s = plan.settings
    return Sheet(
        key=key,
        date=day,
        start=first.start,
        end=first.end,
        duty=first.duty,
        area=first.area,
        unit=first.unit,
        leaders=frozenset(r.volunteer_id for r in rows if r.leader),
        team=team,
        walk_ins=tuple(a for a in records.values() if a.walk_in),
        others=tuple(v for v in plan.volunteers_of(first.unit) if v.id not in ids),
        opens=_at(day, first.start) - timedelta(minutes=s.sign_in_opens_minutes),
        closes=_at(day, first.end) + timedelta(hours=s.sign_in_closes_hours),
    )


def _records(day: date, start: int, duty: str, area: str) -> list[Attendance]:
    return list(Attendance.objects.filter(date=day, start=start, duty=duty, area=area))


@dataclass(frozen=True)
class Mark:
    """What the leader recorded for one person."""

    volunteer_id: str
    name: str
    state: str
    arrived: int | None = None
    left: int | None = None
    walk_in: bool = False
    stands_for: str = ""


def _time(text: str) -> int | None:
    """'HH:MM' as minutes after midnight; '' as None; ValueError for anything else."""
    text = text.strip()
    if not text:
        return None
    hours, _, minutes = text.partition(":")
    h, m = int(hours), int(minutes)
    if not (0 <= h <= 24 and 0 <= m < 60) or h * 60 + m > 1440:
        raise ValueError(text)
    return h * 60 + m


def _problem(who: str, message: str, column: str, value: str, expected: str) -> Problem:
    return Problem(
        tr("{name}: {message}", name=who, message=message),
        Source(tr("Sign-in sheet")),
        column,
        value,
        expected,
    )


def _times(
    who: str, form: Mapping[str, str], fields: tuple[str, str], problems: list[Problem]
) -> tuple[int | None, int | None]:
    """The arrival and departure of the form's `fields`, a problem for each that is no time."""
    out: list[int | None] = []
    for field, column in zip(fields, (N_("Arrived at"), N_("Left at")), strict=True):
        text = form.get(field, "")
        try:
            out.append(_time(text))
        except ValueError:
            problems.append(
                _problem(who, tr("not a time"), tr(column), text, tr("HH:MM, e.g. 07:40"))
            )
            out.append(None)
    return out[0], out[1]


def read_marks(sheet: Sheet, form: Mapping[str, str]) -> list[Mark]:
    """The sheet's form as marks: per team member `state-ID` (present, late, absent) and
    `arrived-ID`, `left-ID` (HH:MM, optional); per walk-in line N `walkin-N` (a volunteer id of
    the unit), `walkin-N-for` (a team member, optional), `walkin-N-arrived`, `walkin-N-left`.
    Refused (InputError, every problem at once): a state missing, a late arrival without its
    time, a departure before the arrival, a walk-in not of the unit, on the team or twice."""
    problems: list[Problem] = []
    marks = _team_marks(sheet, form, problems) + _walk_in_marks(sheet, form, problems)
    for mark in marks:
        if mark.arrived is not None and mark.left is not None and mark.left <= mark.arrived:
            problems.append(
                _problem(
                    f"{mark.name}（{mark.volunteer_id}）",
                    tr("leaves before arriving"),
                    tr("Left at"),
                    hhmm(mark.left),
                    tr("a time after {time}", time=hhmm(mark.arrived)),
                )
            )
    if problems:
        raise InputError(problems)
    return marks


def _team_marks(sheet: Sheet, form: Mapping[str, str], problems: list[Problem]) -> list[Mark]:
    marks = []
    for m in sheet.team:
        vid = m.volunteer_id
        who = f"{m.name}（{vid}）"
        state = form.get(f"state-{vid}", "")
        arrived, left = _times(who, form, (f"arrived-{vid}", f"left-{vid}"), problems)
        if state not in STATES:
            problems.append(
                _problem(
                    who, tr("present, late or absent?"), tr("State"), state, tr("one of the three")
                )
            )
            continue
        if state == Attendance.ABSENT:
            arrived = left = None
        if state == Attendance.LATE and arrived is None:
            problems.append(
                _problem(
                    who,
                    tr("a late arrival needs its time"),
                    tr("Arrived at"),
                    "",
                    tr("HH:MM, e.g. 07:40"),
                )
            )
        marks.append(Mark(vid, m.name, state, arrived, left))
    return marks


def _walk_in_marks(sheet: Sheet, form: Mapping[str, str], problems: list[Problem]) -> list[Mark]:
    """The walk-in lines filled in; a walk-in arriving after the start is marked late."""
    team = {m.volunteer_id for m in sheet.team}
    others = {v.id: v for v in sheet.others}
    marks: list[Mark] = []
    for n in range(len(sheet.walk_ins) + WALK_IN_ROWS):
        vid = form.get(f"walkin-{n}", "").strip()
        if not vid:
            continue
        person = others.get(vid)
        who = f"{person.name}（{vid}）" if person else vid
        arrived, left = _times(who, form, (f"walkin-{n}-arrived", f"walkin-{n}-left"), problems)
        stands_for = form.get(f"walkin-{n}-for", "").strip()
        if person is None or any(x.volunteer_id == vid for x in marks):
            if person is not None:
                wrong = tr("given twice")
            elif vid in team:
                wrong = tr("already on the team")
            else:
                wrong = tr("not a volunteer of {unit}", unit=sheet.unit)
            expected = tr("a volunteer of {unit} not on the team, once", unit=sheet.unit)
            problems.append(_problem(who, wrong, tr("Walk-in substitute"), vid, expected))
            continue
        if stands_for and stands_for not in team:
            problems.append(
                _problem(
                    who,
                    tr("not on the team"),
                    tr("In place of"),
                    stands_for,
                    tr("a team member, or nobody"),
                )
            )
            continue
        late = arrived is not None and arrived > sheet.start
        state = Attendance.LATE if late else Attendance.PRESENT
        marks.append(Mark(vid, person.name, state, arrived, left, True, stands_for))
    return marks


def record(sheet: Sheet, marks: Iterable[Mark], leader: str, now: datetime) -> list[Attendance]:
    """The slot's records replaced by `marks`, in one transaction, as `leader`'s (their id);
    refused unless `leader` leads the slot and the sheet is open at the local time `now`."""
    if leader not in sheet.leaders:
        raise InputError(
            [Problem(tr("only the slot's leader signs its team in"), Source(tr("Sign-in sheet")))]
        )
    if sheet.window(now) != "open":
        raise InputError([Problem(window_text(sheet, now), Source(tr("Sign-in sheet")))])
    plan = ops.current_plan()
    stamp = ops._now()
    rows = [
        Attendance(
            date=sheet.date,
            start=sheet.start,
            end=sheet.end,
            duty=sheet.duty,
            area=sheet.area,
            unit=sheet.unit,
            volunteer_id=m.volunteer_id,
            volunteer_name=m.name,
            state=m.state,
            arrived=m.arrived,
            left=m.left,
            credited=credited(sheet.start, sheet.end, m.state, m.arrived, m.left),
            walk_in=m.walk_in,
            stands_for=m.stands_for,
            on_leave=m.state == Attendance.ABSENT and _on_leave(plan, m.volunteer_id, sheet.date),
            recorded_by=leader,
            recorded_at=stamp,
        )
        for m in marks
    ]
    with ops._locked():
        Attendance.objects.filter(
            date=sheet.date, start=sheet.start, duty=sheet.duty, area=sheet.area
        ).delete()
        Attendance.objects.bulk_create(rows)
        ops._audit("sign in", f"{sheet.key}: {len(rows)} by {leader}")
    return rows


def window_text(sheet: Sheet, now: datetime) -> str:
    """What the sheet says of its window at `now`."""
    state = sheet.window(now)
    opens, closes = sheet.opens.strftime("%Y-%m-%d %H:%M"), sheet.closes.strftime("%Y-%m-%d %H:%M")
    if state == "early":
        return tr("The sheet opens at {opens}.", opens=opens)
    if state == "closed":
        return tr(
            "The sheet closed at {closes}; ask the office to correct a record.", closes=closes
        )
    return tr("Open until {closes}.", closes=closes)


# Service hours ---------------------------------------------------------------------------------

WEEK, MONTH, CAMPAIGN, YEAR = "week", "month", "campaign", "year"
PERIODS = (WEEK, MONTH, CAMPAIGN, YEAR)


@dataclass(frozen=True)
class Period:
    kind: str
    first: date
    last: date
    label: str


def period_of(kind: str, day: date, plan: Plan) -> Period:
    """The week, month or calendar year of `day`, or the campaign (an unknown kind: the week)."""
    s = plan.settings
    if kind == CAMPAIGN:
        return Period(
            kind, s.start, s.end, tr("the campaign, {first} to {last}", first=s.start, last=s.end)
        )
    if kind == MONTH:
        first = day.replace(day=1)
        last = first.replace(day=calendar.monthrange(day.year, day.month)[1])
        return Period(kind, first, last, first.strftime("%Y-%m"))
    if kind == YEAR:
        first, last = date(day.year, 1, 1), date(day.year, 12, 31)
        return Period(kind, first, last, tr("the year {year}", year=day.year))
    monday = ops._monday(day)
    sunday = monday + timedelta(days=6)
    return Period(
        WEEK, monday, sunday, tr("the week of {first} to {last}", first=monday, last=sunday)
    )


@dataclass(frozen=True)
class Hours:
    """One volunteer's minutes in a period: planned by the published rosters, credited by the
    sign-in records."""

    volunteer_id: str
    name: str
    unit: str
    planned: int
    credited: int

    @property
    def planned_hours(self) -> float:
        return round(self.planned / 60, 2)

    @property
    def credited_hours(self) -> float:
        return round(self.credited / 60, 2)


def published_rows(first: date, last: date, unit: str = "") -> list[Assignment]:
    """The rows from `first` to `last` of each week's latest published version (of `unit`)."""
    published = WeekVersion.objects.filter(
        monday__gte=ops._monday(first), monday__lte=last, number__gt=WeekVersion.DRAFT
    )
    grouped = published.order_by().values("monday").annotate(top=Max("number"))
    top = dict(grouped.values_list("monday", "top"))
    ids = [v.pk for v in published if top[v.monday] == v.number]
    rows = Assignment.objects.filter(version_id__in=ids, date__range=(first, last))
    return list(rows.filter(unit=unit) if unit else rows)


def records(first: date, last: date, unit: str = "") -> list[Attendance]:
    """The sign-in records from `first` to `last` (of `unit`)."""
    found = Attendance.objects.filter(date__range=(first, last))
    return list(found.filter(unit=unit) if unit else found)


def hours(first: date, last: date, unit: str = "") -> list[Hours]:
    """Every volunteer of the tables (of `unit`), and anyone else with a row or a record, with
    their planned and credited minutes from `first` to `last`; by unit, then id."""
    planned: dict[str, int] = defaultdict(int)
    got: dict[str, int] = defaultdict(int)
    names: dict[str, tuple[str, str]] = {}
    for r in published_rows(first, last, unit):
        planned[r.volunteer_id] += r.end - r.start
        names.setdefault(r.volunteer_id, (r.volunteer_name, r.unit))
    for a in records(first, last, unit):
        got[a.volunteer_id] += a.credited
        names.setdefault(a.volunteer_id, (a.volunteer_name, a.unit))
    plan = ops.current_plan()
    people = plan.volunteers_of(unit) if unit else plan.volunteers
    names.update({v.id: (v.name, v.unit) for v in people})
    out = [Hours(vid, n, u, planned.get(vid, 0), got.get(vid, 0)) for vid, (n, u) in names.items()]
    return sorted(out, key=lambda h: (h.unit, h.volunteer_id))


@dataclass(frozen=True)
class Behind:
    """A volunteer credited less in the calendar year up to `day` than the target prorated."""

    volunteer_id: str
    name: str
    unit: str
    credited: int  # minutes, 1 January to `day`
    expected: int  # minutes
    preferred_until: date | None

    @property
    def credited_hours(self) -> float:
        return round(self.credited / 60, 2)

    @property
    def short_hours(self) -> float:
        return round((self.expected - self.credited) / 60, 2)


def expected_minutes(target_hours: float, day: date) -> int:
    """The yearly target prorated to `day`: target × days of the year up to `day` (included) ÷
    days of the year."""
    days = 366 if calendar.isleap(day.year) else 365
    return round(target_hours * 60 * day.timetuple().tm_yday / days)


def behind_target(day: date, unit: str = "") -> list[Behind] | None:
    """The volunteers of the tables (of `unit`) behind the yearly target at `day`, the furthest
    behind first; None when the campaign sets no target."""
    plan = ops.current_plan()
    target = plan.settings.yearly_target_hours
    if not target:
        return None
    expected = expected_minutes(target, day)
    got: dict[str, int] = defaultdict(int)
    for a in records(date(day.year, 1, 1), day, unit):
        got[a.volunteer_id] += a.credited
    until = dict(Preference.objects.values_list("volunteer_id", "until"))
    people = plan.volunteers_of(unit) if unit else plan.volunteers
    out = [
        Behind(v.id, v.name, v.unit, got.get(v.id, 0), expected, until.get(v.id))
        for v in people
        if got.get(v.id, 0) < expected
    ]
    return sorted(out, key=lambda b: (b.credited, b.unit, b.volunteer_id))


def prefer(volunteer_ids: Iterable[str], until: date) -> int:
    """Ask the planner to prefer these volunteers in the drafts of the weeks up to `until`
    (`workspace.preferences`); a volunteer preferred already gets the new date."""
    plan = ops.current_plan()
    known = {v.id for v in plan.volunteers}
    ids = sorted(set(volunteer_ids))
    unknown = [v for v in ids if v not in known]
    source = Source(tr("Prefer in the next weeks"))
    if unknown or not ids:
        raise InputError(
            [
                Problem(
                    tr("no such volunteer"),
                    source,
                    "ID",
                    v,
                    tr("an id (编号) from the volunteers table"),
                )
                for v in unknown
            ]
            or [Problem(tr("nobody chosen"), source, expected=tr("tick at least one volunteer"))]
        )
    if not plan.settings.start <= until <= plan.settings.end:
        raise InputError(
            [
                Problem(
                    tr("the date is outside the campaign"),
                    source,
                    tr("Until"),
                    str(until),
                    tr(
                        "a date from {start} to {end}",
                        start=plan.settings.start,
                        end=plan.settings.end,
                    ),
                )
            ]
        )
    with ops._locked():
        for vid in ids:
            Preference.objects.update_or_create(
                volunteer_id=vid,
                defaults={"until": until, "made_by": ops.who(), "made_at": ops._now()},
            )
        ops._audit("prefer", f"{', '.join(ids)} until {until}")
    return len(ids)


def unprefer(volunteer_id: str) -> bool:
    """The preference of a volunteer removed; False when there was none."""
    with ops._locked():
        gone, _ = Preference.objects.filter(volunteer_id=volunteer_id).delete()
        if gone:
            ops._audit("prefer remove", volunteer_id)
    return bool(gone)


def preferences(unit: str = "") -> list[tuple[Preference, str, str]]:
    """Every preference with the volunteer's name and unit (of `unit`)."""
    people = {v.id: v for v in ops.current_plan().volunteers}
    out = []
    for p in Preference.objects.order_by("volunteer_id"):
        v = people.get(p.volunteer_id)
        if v is not None and unit in ("", v.unit):
            out.append((p, v.name, v.unit))
    return out


# The report for the volunteer app (报备) -------------------------------------------------------

# The report's columns, in order (the headers as the reader's language has them).
REPORT_COLUMNS = (
    N_("Activity name"),  # 活动名称: the duty and its area
    N_("Activity date"),  # 日期
    N_("Start time"),  # 开始时间
    N_("End time"),  # 结束时间
    N_("Place"),  # 地点: the area
    N_("Volunteer's unit"),  # 单位: the slot's unit
    N_("Responsible leader"),  # 负责人: the leader who signed the team in
    N_("Volunteer's name"),  # 姓名
    N_("Volunteer number"),  # 志愿者编号
    N_("Service hours (hours)"),  # 服务时长（小时）: credited minutes ÷ 60, two decimals
)
REPORT_WIDTHS = (24, 11, 9, 9, 18, 16, 10, 10, 12, 12)


@dataclass(frozen=True)
class ReportRow:
    """One person credited at one activity, as the volunteer app takes it."""

    activity: str
    date: date
    start: int
    end: int
    place: str
    unit: str
    leader: str
    name: str
    volunteer_id: str
    minutes: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)

    def cells(self) -> list[str | float]:
        return [
            self.activity,
            self.date.isoformat(),
            hhmm(self.start),
            hhmm(self.end),
            self.place,
            self.unit,
            self.leader,
            self.name,
            self.volunteer_id,
            self.hours,  # a number the app and Excel can sum
        ]


def report_rows(first: date, last: date, unit: str = "") -> list[ReportRow]:
    """Per activity, one row per person credited (more than 0 minutes) from `first` to `last`
    (of `unit`), in the order of the activities; the leader is who recorded the sheet."""
    names = {v.id: v.name for v in ops.current_plan().volunteers}
    return [
        ReportRow(
            activity=f"{a.duty}·{a.area}",
            date=a.date,
            start=a.start,
            end=a.end,
            place=a.area,
            unit=a.unit,
            leader=names.get(a.recorded_by, a.recorded_by),
            name=a.volunteer_name,
            volunteer_id=a.volunteer_id,
            minutes=a.credited,
        )
        for a in records(first, last, unit)
        if a.credited > 0
    ]


def report_workbook(rows: list[ReportRow]) -> bytes:
    """The report as one sheet in the documented columns (`REPORT_COLUMNS`)."""
    return list_workbook(
        tr("Service report"),
        [tr(c) for c in REPORT_COLUMNS],
        [r.cells() for r in rows],
        REPORT_WIDTHS,
    )

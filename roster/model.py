"""The problem as plain, validated, frozen data.

Each record checks its own fields on construction (a `FieldError` names the field), and `Plan`
checks the references between records, collecting every error before raising one `InputError`.
Nothing here knows about files, pandas, the solver or any output format.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from roster.days import DayRule
from roster.errors import FieldError, InputError, Problem, Severity, Source, every_error
from roster.i18n import N_, join, tr

MINUTES_PER_DAY = 24 * 60


class Season(Enum):
    ALL = "all"
    SUMMER = "summer"
    WINTER = "winter"

    @property
    def zh(self) -> str:
        return {"all": "全年", "summer": "夏季", "winter": "冬季"}[self.value]


class HolidayPolicy(Enum):
    """What a duty does on a statutory holiday (法定节假日)."""

    SKIP = "skip"  # 不安排: no slots on statutory holidays
    RUN = "run"  # 照常: slots as the calendar weekday says
    REST = "rest"  # 按休息日: a holiday is a rest day; only rules covering Sat and Sun run

    @property
    def zh(self) -> str:
        return {"skip": "不安排", "run": "照常", "rest": "按休息日"}[self.value]


class MakeupPolicy(Enum):
    """How a duty treats a make-up working day (调休上班日, e.g. Saturday 2021-10-09)."""

    WORKDAY = "workday"  # 按工作日: an ordinary working day; only rules covering Mon–Fri run
    CALENDAR = "calendar"  # 按星期: its calendar weekday (a Saturday follows the Saturday rules)

    @property
    def zh(self) -> str:
        return {"workday": "按工作日", "calendar": "按星期"}[self.value]


class DayKind(Enum):
    """A row of the local calendar override table."""

    HOLIDAY = "holiday"  # a statutory holiday (休)
    WORKDAY = "workday"  # a make-up working day (班)
    NORMAL = "normal"  # neither: an ordinary weekday or weekend, cancelling the package's entry


def hhmm(minutes: int) -> str:
    """Minutes after midnight as 'HH:MM' (1440 is '24:00')."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def slot_key(day: date, start: int, kind: str, area: str) -> str:
    """A slot's stable identity: the same duty at the same area and time on the same date."""
    return f"{day.isoformat()}T{hhmm(start)}/{kind}/{area}"


class TimeWindow:
    """Shared by records with `start` and `end` in minutes after midnight."""

    start: int
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def window(self) -> str:
        return f"{hhmm(self.start)}–{hhmm(self.end)}"


_PHONE = re.compile(r"^(?:\+?86)?(?:1\d{10}|0\d{9,11})$")
PHONE_EXPECTED = N_(
    "an 11-digit mobile number (13800000000) or a landline with area code (0734-1234567)"
)


# What an empty required cell should hold.
ID_EXPECTED = N_("a unique id such as V001")
NAME_EXPECTED = N_("the volunteer's name")
UNIT_EXPECTED = N_("a unit from the units table")
KIND_EXPECTED = N_("a duty such as 包路口")
AREA_EXPECTED = N_("an area such as 牌楼社区")


def _required(name: str, value: str, message: str, expected: str) -> None:
    """An empty required field; `message` and `expected` are translated only then."""
    if not value:
        raise FieldError(name, tr(message), "", tr(expected))


def _check_phone(name: str, phone: str) -> None:
    if phone and not _PHONE.match(re.sub(r"[\s-]", "", phone)):
        raise FieldError(name, tr("not a phone number"), phone, tr(PHONE_EXPECTED))


@dataclass(frozen=True)
class Settings:
    """Campaign-wide settings (settings.toml, or the settings sheet of a workbook)."""

    start: date
    end: date
    name: str = ""
    timezone: str = "Asia/Shanghai"
    summer_start: tuple[int, int] = (5, 1)
    summer_end: tuple[int, int] = (9, 30)
    weekly_cap_hours: float = 6.0
    daily_cap_hours: float = 4.0
    travel_buffer_minutes: int = 30
    calendar_years: tuple[int, ...] = ()
    feed_base_url: str = ""  # where the ical/ folder is published, for the links in feeds.csv
    feed_refresh_hours: float = 2.0
    reminder_minutes: int | None = None  # a VALARM this long before each duty; none by default
    sign_in_opens_minutes: int = 30  # a leader's sign-in sheet opens this long before the start
    sign_in_closes_hours: float = 24.0  # and closes this long after the end
    yearly_target_hours: float = 0.0  # 服务时长目标 per volunteer and calendar year; 0: none
    swaps_without_office: bool = False  # an accepted swap needs no confirmation by the office
    source: Source | None = field(default=None, compare=False)  # the settings file or sheet

    def __post_init__(self) -> None:
        self._check_calendar()
        self._check_numbers()
        if self.feed_base_url and not re.match(r"^(https?|webcal)://[^\s/]+", self.feed_base_url):
            raise FieldError(
                "feed_base_url",
                tr("not a web address"),
                self.feed_base_url,
                tr("https://host/path where the ical folder is published"),
            )

    def _check_calendar(self) -> None:
        if self.end < self.start:
            raise FieldError(
                "end",
                tr("the campaign ends before it starts"),
                self.end,
                tr("a date on or after {date}", date=self.start),
            )
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise FieldError(
                "timezone",
                tr("unknown time zone"),
                self.timezone,
                tr("an IANA zone such as Asia/Shanghai"),
            ) from exc
        for name in ("summer_start", "summer_end"):
            month, day = getattr(self, name)
            try:
                date(2024, month, day)
            except ValueError as exc:
                raise FieldError(
                    name, tr("not a day of the year"), f"{month}-{day}", "MM-DD"
                ) from exc
        if self.summer_start == self.summer_end:
            raise FieldError(
                "summer_end",
                tr("summer must last more than one day"),
                self.summer_end,
                tr("a later MM-DD"),
            )

    def _check_numbers(self) -> None:
        for name in ("weekly_cap_hours", "daily_cap_hours"):
            if not getattr(self, name) > 0:
                raise FieldError(name, tr("must be positive"), getattr(self, name), tr("hours > 0"))
        if not 0 <= self.travel_buffer_minutes <= 240:
            raise FieldError(
                "travel_buffer_minutes",
                tr("out of range"),
                self.travel_buffer_minutes,
                tr("minutes from 0 to {most}", most=240),
            )
        if not 0 < self.feed_refresh_hours <= 168:
            raise FieldError(
                "feed_refresh_hours",
                tr("out of range"),
                self.feed_refresh_hours,
                tr("hours from 0 to {most}", most=168),
            )
        if self.reminder_minutes is not None and not 0 <= self.reminder_minutes <= 2880:
            raise FieldError(
                "reminder_minutes",
                tr("out of range"),
                self.reminder_minutes,
                tr("minutes from 0 to {most}", most=2880),
            )
        if not 0 <= self.sign_in_opens_minutes <= 1440:
            raise FieldError(
                "sign_in_opens_minutes",
                tr("out of range"),
                self.sign_in_opens_minutes,
                tr("minutes from 0 to {most}", most=1440),
            )
        if not 0 <= self.sign_in_closes_hours <= 720:
            raise FieldError(
                "sign_in_closes_hours",
                tr("out of range"),
                self.sign_in_closes_hours,
                tr("hours from 0 to {most}", most=720),
            )
        if not 0 <= self.yearly_target_hours <= 8760:
            raise FieldError(
                "yearly_target_hours",
                tr("out of range"),
                self.yearly_target_hours,
                tr("hours from 0 to {most}", most=8760),
            )

    def is_summer(self, day: date) -> bool:
        """Summer timetable on `day`? The bounds are inclusive and may wrap the new year."""
        md = (day.month, day.day)
        if self.summer_start <= self.summer_end:
            return self.summer_start <= md <= self.summer_end
        return md >= self.summer_start or md <= self.summer_end


@dataclass(frozen=True)
class Unit:
    """A responsible unit (责任单位) whose staff volunteer."""

    name: str
    contact: str = ""
    phone: str = ""
    source: Source | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        every_error(self._check_name, lambda: _check_phone("phone", self.phone))

    def _check_name(self) -> None:
        if not self.name:
            raise FieldError(
                "name", tr("the unit name is empty"), "", tr("a unit name such as 局机关")
            )


@dataclass(frozen=True)
class Volunteer:
    """One person; `unavailable` holds weekdays (0 = Monday) they can never do."""

    id: str
    name: str
    unit: str
    phone: str = ""
    leader: bool = False
    weekly_cap_hours: float | None = None
    unavailable: frozenset[int] = frozenset()
    source: Source | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        every_error(
            lambda: _required("id", self.id, N_("the volunteer id is empty"), ID_EXPECTED),
            lambda: _required("name", self.name, N_("the name is empty"), NAME_EXPECTED),
            lambda: _required("unit", self.unit, N_("the unit is empty"), UNIT_EXPECTED),
            lambda: _check_phone("phone", self.phone),
            self._check_cap,
            self._check_available,
        )

    def _check_cap(self) -> None:
        if self.weekly_cap_hours is not None and not self.weekly_cap_hours > 0:
            raise FieldError(
                "weekly_cap_hours",
                tr("must be positive"),
                self.weekly_cap_hours,
                tr("hours per week > 0, or blank for the default"),
            )

    def _check_available(self) -> None:
        if len(self.unavailable) == 7:
            raise FieldError(
                "unavailable",
                tr("the volunteer would never be available"),
                tr("every day"),
                tr("only the weekdays they cannot do"),
            )


@dataclass(frozen=True)
class Leave:
    """A volunteer away from `start` to `end`, both days included."""

    volunteer_id: str
    start: date
    end: date
    reason: str = ""
    source: Source | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        every_error(
            lambda: _required(
                "volunteer_id",
                self.volunteer_id,
                N_("the volunteer id is empty"),
                N_("an id from volunteers"),
            ),
            self._check_dates,
        )

    def _check_dates(self) -> None:
        if self.end < self.start:
            raise FieldError(
                "end",
                tr("the leave ends before it starts"),
                self.end,
                tr("a date on or after {date}", date=self.start),
            )

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class CalendarDay:
    """A local correction to the official holiday calendar."""

    date: date
    kind: DayKind
    name: str = ""
    source: Source | None = field(default=None, compare=False)


@dataclass(frozen=True)
class DutyRule(TimeWindow):
    """One recurring time window of a duty: a row of the responsibility table.

    A duty with several windows (the intersection in the morning and the evening, summer and
    winter hours) is several rules with the same kind and area. Times are minutes after midnight.
    """

    kind: str
    area: str
    units: tuple[str, ...]
    days: DayRule
    start: int
    end: int
    season: Season = Season.ALL
    min_people: int = 1
    max_people: int = 1
    leader_required: bool = False
    holidays: HolidayPolicy = HolidayPolicy.SKIP
    makeup: MakeupPolicy = MakeupPolicy.WORKDAY
    valid_from: date | None = None
    valid_to: date | None = None
    requirement: str = ""
    source: Source | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        every_error(
            lambda: _required("kind", self.kind, N_("the duty is empty"), KIND_EXPECTED),
            lambda: _required("area", self.area, N_("the area is empty"), AREA_EXPECTED),
            self._check_units,
            self._check_window,
            self._check_people,
            self._check_validity,
        )

    def _check_units(self) -> None:
        if not self.units:
            raise FieldError(
                "unit", tr("no responsible unit"), "", tr("one unit, or several separated by 、")
            )
        if len(set(self.units)) != len(self.units):
            raise FieldError(
                "unit", tr("a unit is listed twice"), "、".join(self.units), tr("distinct units")
            )

    def _check_validity(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise FieldError(
                "valid_to",
                tr("the validity ends before it starts"),
                self.valid_to,
                tr("a date on or after {date}", date=self.valid_from),
            )

    def _check_window(self) -> None:
        if not 0 <= self.start < MINUTES_PER_DAY:
            raise FieldError(
                "start",
                tr("not a time of day"),
                hhmm(self.start),
                tr("HH:MM from 00:00 to {last}", last="23:59"),
            )
        if not 0 < self.end <= MINUTES_PER_DAY:
            raise FieldError(
                "end", tr("not a time of day"), hhmm(self.end), tr("HH:MM from 00:01 to 24:00")
            )
        if self.end <= self.start:
            raise FieldError(
                "end",
                tr("the window ends before it starts"),
                hhmm(self.end),
                tr("a time after {time} (duties cannot cross midnight)", time=hhmm(self.start)),
            )

    def _check_people(self) -> None:
        if self.min_people < 1:
            raise FieldError(
                "min_people", tr("at least one person is needed"), self.min_people, tr(">= 1")
            )
        if self.max_people < self.min_people:
            raise FieldError(
                "max_people",
                tr("fewer than the minimum"),
                self.max_people,
                tr("a number >= min_people ({count})", count=self.min_people),
            )

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or day >= self.valid_from) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class Plan:
    """Everything a solve needs: settings, units, volunteers, duty rules, leave, calendar fixes.

    Construction checks references between the tables and raises one `InputError` listing every
    error; `warnings` lists what is suspicious but usable.
    """

    settings: Settings
    units: tuple[Unit, ...]
    volunteers: tuple[Volunteer, ...]
    duties: tuple[DutyRule, ...]
    leave: tuple[Leave, ...] = ()
    calendar: tuple[CalendarDay, ...] = ()
    warnings: tuple[Problem, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        problems = self._cross_check()
        errors = [p for p in problems if p.severity is Severity.ERROR]
        if errors:
            raise InputError(problems)
        object.__setattr__(self, "warnings", tuple(self.warnings) + tuple(problems))

    def volunteers_of(self, unit: str) -> tuple[Volunteer, ...]:
        return self._by_unit.get(unit, ())

    @cached_property
    def _by_unit(self) -> dict[str, tuple[Volunteer, ...]]:
        """Volunteers per unit, grouped once (a city asks for each of its units)."""
        out: dict[str, list[Volunteer]] = {}
        for v in self.volunteers:
            out.setdefault(v.unit, []).append(v)
        return {u: tuple(vs) for u, vs in out.items()}

    def weekly_cap(self, volunteer: Volunteer) -> float:
        if volunteer.weekly_cap_hours is None:
            return self.settings.weekly_cap_hours
        return volunteer.weekly_cap_hours

    def _cross_check(self) -> list[Problem]:
        """Problems between tables, in table order: units, volunteers, duties, leave."""
        unit_names = Counter(u.name for u in self.units)
        known = join(sorted(unit_names)) or tr("(the units table is empty)")
        out = [
            _error(tr("the unit is listed twice"), u.source, "name", u.name, tr("each unit once"))
            for u in self.units
            if unit_names[u.name] > 1
        ]
        out += self._check_volunteers(unit_names, known)
        staff = Counter(v.unit for v in self.volunteers)
        leaders = Counter(v.unit for v in self.volunteers if v.leader)
        for d in self.duties:
            out += self._check_duty(d, unit_names, known, staff, leaders)
        ids = {v.id for v in self.volunteers}
        out += [
            _error(
                tr("unknown volunteer"),
                leave.source,
                "volunteer_id",
                leave.volunteer_id,
                tr("an id from the volunteers table"),
            )
            for leave in self.leave
            if leave.volunteer_id not in ids
        ]
        return out

    def _check_volunteers(self, unit_names: Counter[str], known: str) -> list[Problem]:
        out: list[Problem] = []
        first_of: dict[str, Volunteer] = {}
        for v in self.volunteers:
            first = first_of.setdefault(v.id, v)
            if first is not v:
                out.append(
                    _error(
                        tr("duplicate volunteer id (first used at {first})", first=first.source),
                        v.source,
                        "id",
                        v.id,
                        tr("a unique id per volunteer"),
                    )
                )
            if v.unit not in unit_names:
                out.append(
                    _error(
                        tr("unknown unit"),
                        v.source,
                        "unit",
                        v.unit,
                        tr("one of: {units}", units=known),
                    )
                )
            if v.leader and not v.phone:
                out.append(
                    _warn(
                        tr(
                            "leader {name} has no phone number; teams cannot reach them",
                            name=v.name,
                        ),
                        v.source,
                        "phone",
                    )
                )
        return out

    def _check_duty(
        self,
        d: DutyRule,
        unit_names: Counter[str],
        known: str,
        staff: Counter[str],
        leaders: Counter[str],
    ) -> list[Problem]:
        out = [
            _error(tr("unknown unit"), d.source, "unit", unit, tr("one of: {units}", units=known))
            for unit in d.units
            if unit not in unit_names
        ]
        people = sum(staff[u] for u in d.units)
        if not people and all(u in unit_names for u in d.units):
            out.append(
                _warn(
                    tr(
                        "{units} has no volunteers for {duty} {area}",
                        units="、".join(d.units),
                        duty=d.kind,
                        area=d.area,
                    ),
                    d.source,
                    "unit",
                )
            )
        elif people and d.leader_required and not sum(leaders[u] for u in d.units):
            out.append(
                _warn(
                    tr(
                        "{duty} {area} needs a leader but {units} has none",
                        duty=d.kind,
                        area=d.area,
                        units="、".join(d.units),
                    ),
                    d.source,
                    "leader_required",
                )
            )
        if (d.valid_to and d.valid_to < self.settings.start) or (
            d.valid_from and d.valid_from > self.settings.end
        ):
            out.append(
                _warn(
                    tr(
                        "{duty} {area} is valid only outside the campaign period",
                        duty=d.kind,
                        area=d.area,
                    ),
                    d.source,
                    "valid_from",
                )
            )
        return out + self._check_rrule(d)

    def _check_rrule(self, d: DutyRule) -> list[Problem]:
        """A rule that ends before its row's part of the campaign starts (an UNTIL or a COUNT) or
        falls on no day at all (the 30th of February) is a mistake, not a duty never needed."""
        first = max(self.settings.start, d.valid_from or self.settings.start)
        last = min(self.settings.end, d.valid_to or self.settings.end)
        days = d.days
        if not days.rrule or days.weekdays or days.workdays or days.restdays or last < first:
            return []
        # a monthly rule in a short campaign has dates, only none in this period: no mistake
        if not days.ends_before(first, d.valid_from or self.settings.start):
            return []
        return [
            _error(
                tr("the rule falls on no day from {first} to {last}", first=first, last=last),
                d.source,
                "days",
                days.text,
                tr("a rule with dates in the row's period, e.g. RRULE:FREQ=MONTHLY;BYDAY=-1FR"),
            )
        ]


def _error(msg: str, src: Source | None, col: str, value: str, expected: str = "") -> Problem:
    return Problem(msg, src, col, value, expected)


def _warn(msg: str, src: Source | None, col: str | None = None) -> Problem:
    return Problem(msg, src, col, severity=Severity.WARNING)

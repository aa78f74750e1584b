"""Day patterns of a duty: "every Wednesday", "Mon–Fri", "working days", "last Friday monthly".

Bureaus write these in Chinese or English; `parse_days` turns the text into a `DayRule`, a small
value object that the calendar expansion evaluates against each date. Anything it cannot read is a
`FieldError` that says which token was wrong and what is accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import MAXYEAR, date, datetime

from dateutil.rrule import rrulestr

from roster.errors import FieldError, detail, quote
from roster.i18n import N_, tr

WEEKDAY_NAMES_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

_EN = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}
_ZH_DIGIT = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_ZH_WEEKDAY = re.compile(r"^(?:每)?(?:周|星期|礼拜)([一二三四五六日天七])$")
_DAILY = {"daily", "everyday", "每天", "每日", "天天"}
_WORKDAYS = {"workdays", "workday", "working", "工作日", "每个工作日"}
_RESTDAYS = {"restdays", "restday", "休息日", "节假日及周末"}
_WEEKEND = {"weekend", "weekends", "周末", "双休日"}
_RANGE = re.compile(r"^(.+?)(?:-|–|—|~|～|至|到)(.+)$")
_MONTHLY_ZH = re.compile(
    r"^每月(?:的)?(?:第([一二三四1-4])|(最后|倒数第一))(?:一?个)?(?:周|星期|礼拜)([一二三四五六日天])$"
)
_ORDINAL_ZH = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

EXPECTED = N_(
    "daily/每天, workdays/工作日, restdays/休息日, weekend/周末, a weekday (Mon, 周一, 星期一), "
    "a range (Mon-Fri, 周一至周五), 每月最后一个周五, or an iCalendar rule "
    "(RRULE:FREQ=MONTHLY;BYDAY=-1FR), several separated by commas"
)


@dataclass(frozen=True)
class DayRule:
    """Which dates a duty happens on, as the union of its parts.

    `weekdays` are calendar weekdays (0 = Monday); `workdays` and `restdays` follow the official
    calendar (make-up working days count as working days); `rrule` is an RFC 5545 rule evaluated
    from the duty's first valid date.
    """

    weekdays: frozenset[int] = frozenset()
    workdays: bool = False
    restdays: bool = False
    rrule: str | None = None
    text: str = ""

    def __post_init__(self) -> None:
        if not (self.weekdays or self.workdays or self.restdays or self.rrule):
            raise FieldError("days", tr("no day given"), self.text, tr(EXPECTED))
        if any(not 0 <= d <= 6 for d in self.weekdays):
            raise FieldError("days", tr("weekday out of range"), sorted(self.weekdays), "0..6")

    @property
    def covers_working_week(self) -> bool:
        """True when the rule runs on every ordinary working day (Mon–Fri, 工作日, 每天).

        A make-up working day (调休) treated as a working day has no weekday of its own, so only
        such rules run on it.
        """
        return self.workdays or set(range(5)) <= self.weekdays

    @property
    def covers_weekend(self) -> bool:
        """True when the rule runs on every rest day (Sat and Sun, 休息日, 每天).

        A statutory holiday treated as a rest day has no weekday of its own, so only such rules
        run on it.
        """
        return self.restdays or {5, 6} <= self.weekdays

    def rrule_dates(self, start: date, end: date, dtstart: date) -> set[date]:
        """Dates in [start, end] produced by the rrule, counted from `dtstart`.

        A rule that never matches (the 30th of February) makes dateutil search up to the year
        9999; the Gregorian calendar repeats every 400 years to the weekday, so the rule is
        evaluated that many centuries later, close to 9999, and the dates brought back."""
        if not self.rrule or end < start or end < dtstart:
            return set()
        shift = 400 * ((MAXYEAR - end.year) // 400)
        text = _shift_until(self.rrule, shift, end)
        rule = rrulestr(text, dtstart=datetime.combine(_later(dtstart, shift), datetime.min.time()))
        hits = rule.between(
            datetime.combine(_later(start, shift), datetime.min.time()),
            datetime.combine(_later(end, shift), datetime.max.time()),
            inc=True,
        )
        return {_later(h.date(), -shift) for h in hits}

    def ends_before(self, day: date, dtstart: date) -> bool:
        """Whether the rrule, counted from `dtstart`, has no date on or after `day`: it ended
        before (UNTIL, COUNT) or never matches at all. Evaluated 400 to 800 years later, the same
        calendar, so that dateutil's search stops within those centuries."""
        if not self.rrule:
            return False
        shift = max(0, 400 * ((MAXYEAR - max(day, dtstart).year) // 400 - 1))
        start = datetime.combine(_later(dtstart, shift), datetime.min.time())
        after = datetime.combine(_later(day, shift), datetime.min.time())
        # A daily or weekly rule's days are among those its filters allow in a year: when no year
        # has one, it never matches, found year by year rather than day by day.
        days = _days_it_allows(self.rrule)
        if days is not None and rrulestr(days, dtstart=start).after(after, inc=True) is None:
            return True
        text = _shift_until(self.rrule, shift, date(MAXYEAR - shift, 12, 31))
        return rrulestr(text, dtstart=start).after(after, inc=True) is None

    def describe(self) -> str:
        """A short Chinese description, as `roster check` prints it: '周一至周五', '周六、周日'."""
        parts: list[str] = []
        if self.weekdays == frozenset(range(7)):
            parts.append("每天")
        elif self.weekdays:
            parts.append(_weekday_runs(sorted(self.weekdays)))
        if self.workdays:
            parts.append("工作日")
        if self.restdays:
            parts.append("休息日")
        if self.rrule:
            parts.append(self.rrule)
        return "，".join(parts)


def _weekday_runs(days: list[int]) -> str:
    """[0, 1, 2, 3, 4, 6] → '周一至周五、周日': runs of three or more become ranges."""
    runs: list[list[int]] = []
    for d in days:
        if runs and d == runs[-1][-1] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    names = WEEKDAY_NAMES_ZH
    return "、".join(
        f"{names[r[0]]}至{names[r[-1]]}" if len(r) >= 3 else "、".join(names[d] for d in r)
        for r in runs
    )


def _weekday(token: str) -> int | None:
    key = token.lower().rstrip(".")
    if key in _EN:
        return _EN[key]
    m = _ZH_WEEKDAY.match(token)
    return _ZH_DIGIT[m.group(1)] if m else None


_FILTERS = ("BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY", "WKST")


def _days_it_allows(rule: str) -> str | None:
    """For a daily or weekly rule, a yearly rule of every day its filters allow (a superset of
    its dates); None for other rules."""
    parts = dict(p.partition("=")[::2] for p in rule.upper().removeprefix("RRULE:").split(";"))
    if parts.get("FREQ") not in ("DAILY", "WEEKLY"):
        return None
    kept = [f"{k}={parts[k]}" for k in _FILTERS if parts.get(k)]
    if not any(parts.get(k) for k in _FILTERS[1:5]):  # else dateutil takes dtstart's day
        kept.append("BYDAY=MO,TU,WE,TH,FR,SA,SU")
    return "RRULE:" + ";".join(["FREQ=YEARLY", *kept])


def _later(day: date, years: int) -> date:
    """`day` so many years later; a multiple of 400 keeps every 29 February."""
    return day.replace(year=day.year + years)


_UNTIL = re.compile(r"(;?)UNTIL=(\d{4})(\d{2})(\d{2})([^;]*)", re.IGNORECASE)


def _shift_until(rule: str, years: int, end: date) -> str:
    """The rule with its UNTIL so many years later; an UNTIL after `end` changes nothing
    before it, and is left out."""

    def later(m: re.Match[str]) -> str:
        year, month, day = int(m.group(2)), int(m.group(3)), int(m.group(4))
        if (year, month, day) > (end.year, end.month, end.day):
            return ""
        return f"{m.group(1)}UNTIL={year + years:04d}{m.group(3)}{m.group(4)}{m.group(5)}"

    return _UNTIL.sub(later, rule).replace(":;", ":")


# The parts of a rule that say how often it repeats, and the ranges of its lists (negative
# values count from the end: BYMONTHDAY=-1 is the last day of the month).
_TOO_OFTEN = ("HOURLY", "MINUTELY", "SECONDLY")
_RANGES = {
    "BYMONTH": (12, False),
    "BYMONTHDAY": (31, True),
    "BYYEARDAY": (366, True),
    "BYWEEKNO": (53, True),
    "BYSETPOS": (366, True),
}
_BYDAY = re.compile(r"^([+-]?\d+)?(MO|TU|WE|TH|FR|SA|SU)$")
_INTEGER = re.compile(r"^[+-]?\d+$")


def _check_parts(body: str, text: str) -> None:
    """Refuse a rule that never ends, never matches or repeats within a day, before any date is
    computed: each of these would make the expansion run for minutes or fail."""
    parts: dict[str, str] = {}
    for item in body.split(";"):
        key, _, value = item.partition("=")
        parts[key.strip().upper()] = value.strip().upper()

    def refuse(message: str, expected: str) -> None:
        raise FieldError("days", message, text, expected)

    freq = parts.get("FREQ", "")
    if freq in _TOO_OFTEN:
        refuse(
            tr(
                "the rule repeats more often than daily (FREQ={freq}); a duty's times are "
                "its start and end",
                freq=freq,
            ),
            tr("FREQ=DAILY, WEEKLY, MONTHLY or YEARLY"),
        )
    for key in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        if key in parts:
            refuse(
                tr("{part}: a duty's times are its start and end columns", part=key),
                tr("a rule of dates only, without BYHOUR, BYMINUTE or BYSECOND"),
            )
    for key, wanted in (("INTERVAL", tr("INTERVAL=1 or more")), ("COUNT", tr("COUNT=1 or more"))):
        given = parts.get(key)
        if given is not None and (not given.isdigit() or int(given) < 1):
            part = key + "=" + given
            refuse(tr("{part} never gives a date", part=part), wanted)
    _check_ranges(parts, refuse)
    _check_byday(parts, freq, refuse)


def _check_ranges(parts: dict[str, str], refuse: Callable[[str, str], None]) -> None:
    """Each number of a BY list within what a month or a year has (dateutil fails on some)."""
    for key, (most, negative) in _RANGES.items():
        for value in filter(None, parts.get(key, "").split(",")):
            n = int(value) if _INTEGER.match(value) else None
            if n is not None and not (1 <= abs(n) <= most and (n > 0 or negative)):
                low, part = (-most if negative else 1), key + "=" + value
                refuse(
                    tr("{part} is out of range", part=part),
                    tr("from {low} to {high}, but not 0", low=low, high=most),
                )


def _check_byday(parts: dict[str, str], freq: str, refuse: Callable[[str, str], None]) -> None:
    """A numbered weekday (2MO, -1FR) exists only within a month (at most 5) or a year (53)."""
    for value in filter(None, parts.get("BYDAY", "").split(",")):
        m = _BYDAY.match(value)
        if m is None or m.group(1) is None:
            continue
        part = f"BYDAY={value}"
        if freq not in ("MONTHLY", "YEARLY"):
            refuse(
                tr("{part}: a numbered weekday needs FREQ=MONTHLY or YEARLY", part=part),
                tr("a weekday without a number, e.g. BYDAY=FR"),
            )
        n = int(m.group(1))
        if freq == "YEARLY" and "BYMONTH" not in parts:
            if not 1 <= abs(n) <= 53:
                refuse(
                    tr("{part}: a year has at most 53 of each weekday", part=part),
                    tr("from -53 to 53, but not 0, before the weekday"),
                )
        elif not 1 <= abs(n) <= 5:
            refuse(
                tr("{part}: a month has at most five of each weekday", part=part),
                tr("from -5 to 5, but not 0, before the weekday, e.g. BYDAY=-1FR"),
            )


def _check_rrule(text: str) -> str:
    rule = text if text.upper().startswith("RRULE:") else f"RRULE:{text}"
    _check_parts(rule[len("RRULE:") :], text)
    try:
        rrulestr(rule, dtstart=datetime(2021, 1, 1))
    except (ValueError, TypeError) as exc:
        raise FieldError(
            "days",
            tr("cannot read the iCalendar rule{detail}", detail=detail(exc)),
            text,
            tr(EXPECTED),
        ) from exc
    return rule


def parse_days(text: str) -> DayRule:
    """Read a day pattern such as '周一至周五', 'Sat,Sun', '每周三' or an iCalendar RRULE."""
    raw = text.strip()
    if not raw:
        raise FieldError("days", tr("the day pattern is empty"), text, tr(EXPECTED))
    if "FREQ=" in raw.upper():
        return DayRule(rrule=_check_rrule(raw), text=raw)
    found = _Found()
    tokens = [t.strip(":：") for t in re.split(r"[,，、;；/\s]+", raw) if t.strip(":：")]
    for token in tokens:
        if not (found.named(token.lower()) or found.dated(token)):
            raise FieldError("days", tr("unknown day {day}", day=quote(token)), raw, tr(EXPECTED))
    return DayRule(frozenset(found.weekdays), found.workdays, found.restdays, found.rrule, raw)


@dataclass
class _Found:
    """What the parts of one day pattern have said so far."""

    weekdays: set[int] = field(default_factory=set)
    workdays: bool = False
    restdays: bool = False
    rrule: str | None = None

    def named(self, low: str) -> bool:
        """A word for a set of days: every day, working days, rest days, the weekend."""
        if low in _DAILY:
            self.weekdays.update(range(7))
        elif low in _WORKDAYS:
            self.workdays = True
        elif low in _RESTDAYS:
            self.restdays = True
        elif low in _WEEKEND:
            self.weekdays.update((5, 6))
        else:
            return False
        return True

    def dated(self, token: str) -> bool:
        """A weekday, a monthly rule such as 每月最后一个周五, or a range of weekdays."""
        if (day := _weekday(token)) is not None:
            self.weekdays.add(day)
        elif m := _MONTHLY_ZH.match(token):
            if self.rrule:
                raise FieldError("days", tr("only one monthly rule per row"), token, tr(EXPECTED))
            nth = -1 if m.group(2) else _ORDINAL_ZH[m.group(1)]
            self.rrule = f"RRULE:FREQ=MONTHLY;BYDAY={nth}{_RRULE_DAYS[_ZH_DIGIT[m.group(3)]]}"
        elif (m := _RANGE.match(token)) and (run := _range(m.group(1), m.group(2))) is not None:
            self.weekdays.update(run)
        else:
            return False
        return True


def _range(first: str, last: str) -> list[int] | None:
    """Weekdays from `first` to `last` inclusive; '周一至五' borrows the prefix of the first."""
    a = _weekday(first)
    b = _weekday(last)
    if b is None and a is not None and last in _ZH_DIGIT:
        b = _ZH_DIGIT[last]
    if a is None or b is None:
        return None
    if a > b:
        raise FieldError(
            "days", tr("a weekday range must run forwards"), f"{first}-{last}", tr(EXPECTED)
        )
    return list(range(a, b + 1))

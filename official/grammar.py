"""The Chinese phrases of a published responsibility table, read by a grammar.

Two grammars, written as grammars (Lark, Earley): `SCHEDULE` reads a whole 时间 cell — day words
and ranges, parts of the day with 12-hour times, windows joined by 至/到/-/—, seasons in brackets
attached to the window they follow, several groups of days and windows in one cell; `MENTIONS`
finds, inside free text (a 要求 cell, a title, the plan's paragraphs), the headcounts, the
durations without a time of day and the periods of dates. Everything else in that text is prose
and is skipped. The words of the grammar are data — the table's own language — not translations.

A phrase the schedule grammar cannot read is a `PhraseError` with the place it stopped and what
it expected there, in the user's language.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from lark import (
    Lark,
    Token,
    Transformer,
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    v_args,
)
from lark.exceptions import VisitError
from lark.tree import Meta

from roster.days import WEEKDAY_NAMES_ZH
from roster.i18n import N_, join, tr
from roster.model import Season

SCHEDULE_GRAMMAR = r"""
start: _SEP? (undated | undated? (_SEP? dated)* _SEP? last) _SEP?

dated: days COLON? _SEP? windows
last: days COLON? (_SEP? windows)?     -> dated
undated: windows

windows: timed (_SEP? timed)*
       | part_only (_SEP? part_only)*
timed: PART? span season?
part_only: PART season?
span: clock TO PART? clock
clock: HOUR COLON MINUTE             -> hour_minute
     | hour DIAN HALF                -> half_past
     | hour DIAN (MINUTE FEN?)?      -> on_the_hour
season: LPAR SEASON RPAR
hour: HOUR | ZHNUM

days: day (_DAYSEP day)*
day: DAILY                                        -> daily
   | weekday TO WEEKPREFIX? WDAY                  -> weekday_range
   | weekday                                      -> one_weekday
   | WEEKEND                                      -> weekend
   | WORKDAYS                                     -> workdays
   | RESTDAYS                                     -> restdays
   | MONTHLY ORDINAL COUNTER? weekday             -> monthly_weekday
   | MONTHLY DAYNUM DAYMARK                       -> monthly_day
weekday: EVERY? WEEKPREFIX WDAY

DAILY: "每天" | "每日" | "天天"
WEEKEND: "每周末" | "周末" | "双休日"
WORKDAYS: "每个工作日" | "工作日"
RESTDAYS: "休息日"
MONTHLY: "每月的" | "每月" | "每个月"
ORDINAL: "第一" | "第二" | "第三" | "第四" | "第1" | "第2" | "第3" | "第4"
       | "最后一" | "最后" | "倒数第一"
COUNTER: "个"
DAYNUM: /3[01]|[12]\d|[1-9]/
DAYMARK: "日" | "号"
EVERY: "每"
WEEKPREFIX: "周" | "星期" | "礼拜"
WDAY: /[一二三四五六日天七]/
_DAYSEP: "、" | "," | "和" | "及"
PART: "早上" | "早晨" | "清晨" | "上午" | "中午" | "下午" | "傍晚" | "晚上" | "晚间" | "夜间"
HOUR: /2[0-4]|[01]?\d/
MINUTE: /[0-5]\d/
ZHNUM: /[一二两三四五六七八九十]{1,3}/
DIAN: "点" | "时"
HALF: "半"
FEN: "分"
COLON: ":"
TO: "至" | "到" | "-" | "—" | "–" | "~" | "－"
LPAR: "("
RPAR: ")"
SEASON: "夏季" | "冬季" | "夏令时" | "冬令时" | "夏" | "冬"
_SEP: /[,、;。\s]+/
"""

MENTIONS_GRAMMAR = r"""
start: (_mention | _OTHER | _NUMBER)*
_mention: headcount | duration | period

headcount.3: BOUND? VERB? count MEASURE NOUN? AFTER?
count: number (TO number)?
duration.3: EACH? VERB? number COUNTER? HOURS AFTER?
period.3: full_date TO (full_date | month_day)
full_date: number YEAR number MONTH number DAYMARK
month_day: number MONTH number DAYMARK
number: DIGITS | ZHNUM

BOUND: "至少" | "不少于" | "最少" | "不低于" | "不得少于" | "最多" | "不超过" | "不多于"
VERB: "安排" | "派出" | "派" | "组织" | "确保" | "需要" | "需" | "配备" | "抽调" | "保证"
EACH: "每次" | "每班" | "每天" | "每日" | "每岗"
MEASURE: "名" | "人" | "位"
NOUN: "志愿者" | "人员" | "干部" | "职工" | "同志"
AFTER: "以上" | "以内" | "以下" | "左右"
COUNTER: "个"
HOURS: "小时"
YEAR: "年"
MONTH: "月"
DAYMARK: "日" | "号"
TO: "至" | "到" | "-" | "—" | "–" | "~" | "－"
DIGITS: /\d+/
ZHNUM: /[零一二两三四五六七八九十]+/
_NUMBER: DIGITS | ZHNUM
_OTHER: /[^\d零一二两三四五六七八九十]/s
"""

# What each terminal of the schedule grammar is, said to a user who wrote something else.
_EXPECTED = {
    "DAILY": N_("a day word such as 每天, 每周三, 星期一至星期五, 周末, 工作日"),
    "WEEKEND": N_("a day word such as 每天, 每周三, 星期一至星期五, 周末, 工作日"),
    "WORKDAYS": N_("a day word such as 每天, 每周三, 星期一至星期五, 周末, 工作日"),
    "RESTDAYS": N_("a day word such as 每天, 每周三, 星期一至星期五, 周末, 工作日"),
    "MONTHLY": N_("a day word such as 每天, 每周三, 星期一至星期五, 周末, 工作日"),
    "EVERY": N_("a day word such as 每天, 每周三, 星期一至星期五, 周末, 工作日"),
    "WEEKPREFIX": N_("a weekday such as 周三 or 星期三"),
    "WDAY": N_("a weekday such as 周三 or 星期三"),
    "ORDINAL": N_("which week of the month, such as 第一个 or 最后一个"),
    "DAYNUM": N_("a day of the month such as 15日"),
    "DAYMARK": N_("a day of the month such as 15日"),
    "PART": N_("a part of the day (早上, 上午, 中午, 下午, 晚上)"),
    "HOUR": N_("a time such as 7:30, 7点 or 7点半"),
    "ZHNUM": N_("a time such as 7:30, 7点 or 7点半"),
    "MINUTE": N_("minutes such as 30"),
    "COLON": N_("a colon between hours and minutes, such as 7:30"),
    "DIAN": N_("a time such as 7:30, 7点 or 7点半"),
    "TO": N_("至 between the start and the end of a time window"),
    "LPAR": N_("a season in brackets, such as (夏季)"),
    "SEASON": N_("a season in brackets, such as (夏季)"),
    "RPAR": N_("a closing bracket"),
}
_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_ZH_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_SEASONS = {"夏": Season.SUMMER, "冬": Season.WINTER}
# Parts of the day whose 12-hour times are afternoon or evening times: 下午5:30 is 17:30.
_PM = frozenset({"下午", "傍晚", "晚上", "晚间", "夜间"})
_RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class PhraseError(ValueError):
    """A phrase the grammar cannot read: where it stopped, what it found, what it expected."""

    def __init__(self, text: str, position: int, expected: str) -> None:
        self.text = text
        self.position = position
        self.expected = expected
        found = text[position:] or tr("the end of the cell")
        super().__init__(found)

    @property
    def found(self) -> str:
        return self.text[self.position :]


@dataclass(frozen=True)
class Window:
    """One time window as read: minutes after midnight (24-hour), or a part of the day alone."""

    part: str | None
    start: int | None
    end: int | None
    season: Season
    text: str

    @property
    def timed(self) -> bool:
        return self.start is not None and self.end is not None


@dataclass(frozen=True)
class Group:
    """Days and the windows that run on them; `days` are roster's day patterns (周一至周五,
    每月最后一个周五, an RRULE), `written` the words as the cell spells them."""

    days: tuple[str, ...]
    written: str
    windows: tuple[Window, ...]


@dataclass(frozen=True)
class Schedule:
    groups: tuple[Group, ...]
    text: str


@dataclass(frozen=True)
class Headcount:
    low: int | None  # None: only an upper bound was written (最多5人)
    high: int | None  # None: no upper bound (至少八名, 不少于2人)
    text: str


@dataclass(frozen=True)
class Duration:
    minutes: int
    text: str


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    text: str


@dataclass(frozen=True)
class Mentions:
    """What free text says of people, durations and periods, in the order written."""

    headcounts: tuple[Headcount, ...]
    durations: tuple[Duration, ...]
    periods: tuple[Period, ...]


def normalize(text: str) -> str:
    """Full-width punctuation and digits as ASCII (：→:, （→(, １→1); the dashes are kept."""
    return unicodedata.normalize("NFKC", text).strip()


def zh_value(text: str) -> int:
    """'八' → 8, '十二' → 12, '二十' → 20, '19' → 19."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        value = 0
        for c in text:
            value = value * 10 + _ZH_DIGITS[c]
        return value
    tens, _, ones = text.partition("十")
    return (_ZH_DIGITS[tens] if tens else 1) * 10 + (_ZH_DIGITS[ones] if ones else 0)


def _ordinal(token: str) -> int:
    if token.startswith(("最后", "倒数")):
        return -1
    return zh_value(token.removeprefix("第"))


@dataclass(frozen=True)
class _Clock:
    hour: int
    minute: int


@dataclass(frozen=True)
class _Span:
    first: _Clock
    end_part: str | None  # 上午9:00至下午1:00: the end's own part of the day
    last: _Clock


@dataclass(frozen=True)
class _Raw:
    """A window before the part of the day carried from the windows before it is known."""

    part: str | None
    span: _Span | None
    season: Season | None


@dataclass(frozen=True)
class _Days:
    patterns: tuple[str, ...]


def _part(items: list[object]) -> str | None:
    return next((str(t) for t in items if isinstance(t, Token) and t.type == "PART"), None)


class _ScheduleTree(Transformer[Token, Schedule]):
    """The schedule's tree as values; times are made 24-hour once the part of the day is known."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    # days
    def weekday(self, items: list[Token]) -> int:
        return _WEEKDAY[str(items[-1])]

    def one_weekday(self, items: list[int]) -> int:
        return items[0]

    def daily(self, _: list[Token]) -> str:
        return "每天"

    def weekend(self, _: list[Token]) -> str:
        return "周末"

    def workdays(self, _: list[Token]) -> str:
        return "工作日"

    def restdays(self, _: list[Token]) -> str:
        return "休息日"

    def weekday_range(self, items: list[object]) -> str:
        first, last = items[0], _WEEKDAY[str(items[-1])]
        assert isinstance(first, int)
        return f"{WEEKDAY_NAMES_ZH[first]}至{WEEKDAY_NAMES_ZH[last]}"

    def monthly_weekday(self, items: list[object]) -> str:
        which = _ordinal(str(items[1]))
        day = items[-1]
        assert isinstance(day, int)
        ordinal = "最后一" if which == -1 else "第" + "一二三四"[which - 1]
        return f"每月{ordinal}个{WEEKDAY_NAMES_ZH[day]}"

    def monthly_day(self, items: list[Token]) -> str:
        return f"RRULE:FREQ=MONTHLY;BYMONTHDAY={int(items[1])}"

    def days(self, items: list[object]) -> _Days:
        return _Days(tuple(WEEKDAY_NAMES_ZH[x] if isinstance(x, int) else str(x) for x in items))

    # times
    def hour(self, items: list[Token]) -> int:
        return zh_value(str(items[0]))

    def hour_minute(self, items: list[Token]) -> _Clock:
        return _Clock(int(items[0]), int(items[2]))

    def half_past(self, items: list[object]) -> _Clock:
        assert isinstance(items[0], int)
        return _Clock(items[0], 30)

    def on_the_hour(self, items: list[object]) -> _Clock:
        assert isinstance(items[0], int)
        minutes = [int(t) for t in items[2:] if isinstance(t, Token) and t.type == "MINUTE"]
        return _Clock(items[0], minutes[0] if minutes else 0)

    def span(self, items: list[object]) -> _Span:
        clocks = [t for t in items if isinstance(t, _Clock)]
        return _Span(clocks[0], _part(items), clocks[1])

    def season(self, items: list[Token]) -> Season:
        return _SEASONS[str(items[1])[0]]

    def timed(self, items: list[object]) -> _Raw:
        span = next(t for t in items if isinstance(t, _Span))
        season = next((t for t in items if isinstance(t, Season)), None)
        return _Raw(_part(items), span, season)

    def part_only(self, items: list[object]) -> _Raw:
        season = next((t for t in items if isinstance(t, Season)), None)
        return _Raw(_part(items), None, season)

    def windows(self, items: list[_Raw]) -> list[Window]:
        out: list[Window] = []
        current: str | None = None  # a part of the day carries on until another is named
        for raw in items:
            chosen = raw.season or Season.ALL
            current = raw.part or current
            if raw.span is None:
                out.append(Window(current, None, None, chosen, current or ""))
                continue
            start = _clock(raw.span.first, current)
            end = _clock(raw.span.last, raw.span.end_part or current)
            out.append(Window(current, start, end, chosen, f"{hm(start)}–{hm(end)}"))
        return out

    def dated(self, items: list[object]) -> Group:
        days = items[0]
        assert isinstance(days, _Days)
        windows = next((x for x in items[1:] if isinstance(x, list)), [])
        return Group(days.patterns, "、".join(days.patterns), tuple(windows))

    def undated(self, items: list[list[Window]]) -> Group:
        return Group((), "", tuple(items[0]))

    def start(self, items: list[Group]) -> Schedule:
        return Schedule(tuple(items), self.text)


def _clock(clock: _Clock, part: str | None) -> int:
    hour, minute = clock.hour, clock.minute
    if (part in _PM and hour < 12) or (part == "中午" and hour < 5):
        hour += 12
    if hour > 24 or (hour == 24 and minute):
        raise ValueError(hour)
    return hour * 60 + minute


def hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@lru_cache(maxsize=1)
def _schedule_parser() -> Lark:
    return Lark(SCHEDULE_GRAMMAR, parser="earley", lexer="dynamic", ambiguity="resolve")


@lru_cache(maxsize=1)
def _mentions_parser() -> Lark:
    return Lark(
        MENTIONS_GRAMMAR,
        parser="earley",
        lexer="dynamic",
        ambiguity="resolve",
        propagate_positions=True,
    )


def _expected(names: set[str]) -> str:
    said: dict[str, None] = {}
    for name in sorted(names):
        text = _EXPECTED.get(name)
        if text is not None:
            said[tr(text)] = None
    return tr(" or ").join(said) if said else tr("a day and time phrase such as 每周三7:30至8:30")


@lru_cache(maxsize=4096)
def parse_schedule(text: str) -> Schedule:
    """A 时间 cell as groups of days and windows; `PhraseError` says where it could not go on."""
    clean = normalize(text)
    try:
        tree = _schedule_parser().parse(clean)
        return _ScheduleTree(clean).transform(tree)
    except UnexpectedCharacters as exc:
        allowed = set(exc.allowed or ())
        raise PhraseError(clean, exc.pos_in_stream or 0, _expected(allowed)) from None
    except UnexpectedEOF as exc:
        raise PhraseError(clean, len(clean), _expected(set(exc.expected or ()))) from None
    except UnexpectedInput as exc:  # pragma: no cover - the other errors of a dynamic lexer
        raise PhraseError(clean, exc.pos_in_stream or 0, _expected(set())) from None
    except VisitError as exc:  # a time past 24:00, such as 晚上25点
        raise PhraseError(clean, 0, tr("times of day from 0:00 to 24:00")) from exc.orig_exc


class _MentionsTree(Transformer[Token, Mentions]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def _said(self, meta: Meta) -> str:
        return self.text[meta.start_pos : meta.end_pos]

    def number(self, items: list[Token]) -> int:
        return zh_value(str(items[0]))

    def count(self, items: list[object]) -> tuple[int, int | None]:
        numbers = [x for x in items if isinstance(x, int)]
        return numbers[0], numbers[1] if len(numbers) > 1 else None

    @v_args(meta=True)
    def headcount(self, meta: Meta, items: list[object]) -> Headcount:
        words = {str(t) for t in items if isinstance(t, Token)}
        low, high = next(x for x in items if isinstance(x, tuple))
        text = self._said(meta)
        if high is not None:
            return Headcount(low, high, text)
        if words & {"最多", "不超过", "不多于", "以内", "以下"}:
            return Headcount(None, low, text)
        return Headcount(low, None, text)

    @v_args(meta=True)
    def duration(self, meta: Meta, items: list[object]) -> Duration:
        hours = next(x for x in items if isinstance(x, int))
        return Duration(hours * 60, self._said(meta))

    def full_date(self, items: list[object]) -> date | None:
        y, m, d = (x for x in items if isinstance(x, int))
        try:
            return date(y, m, d)
        except ValueError:  # 2月30日 is no date, and so no period
            return None

    def month_day(self, items: list[object]) -> tuple[int, int]:
        m, d = (x for x in items if isinstance(x, int))
        return m, d

    @v_args(meta=True)
    def period(self, meta: Meta, items: list[object]) -> Period | None:
        first, last = items[0], items[-1]
        if not isinstance(first, date):
            return None
        try:
            end = last if isinstance(last, date) else date(first.year, *last)  # type: ignore[misc]
        except (TypeError, ValueError):
            return None
        return Period(first, end, self._said(meta))

    def start(self, items: list[object]) -> Mentions:
        return Mentions(
            tuple(x for x in items if isinstance(x, Headcount)),
            tuple(x for x in items if isinstance(x, Duration)),
            tuple(x for x in items if isinstance(x, Period)),
        )


@lru_cache(maxsize=4096)
def find_mentions(text: str) -> Mentions:
    """The headcounts, durations and periods written anywhere in free text (prose skipped)."""
    clean = normalize(text)
    if not clean:
        return Mentions((), (), ())
    return _MentionsTree(clean).transform(_mentions_parser().parse(clean))


def describe_groups(schedule: Schedule) -> str:
    """What was read, as one line: '每周三 07:30–08:30；17:30–18:30（夏季）'."""
    parts = []
    for group in schedule.groups:
        windows = join(
            [
                w.text + ("" if w.season is Season.ALL else f"（{w.season.zh}）")
                for w in group.windows
            ]
        )
        parts.append(f"{group.written} {windows}".strip())
    return "；".join(parts)

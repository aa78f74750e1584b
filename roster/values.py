"""Parsers for single cells as office staff type them: '7:30', '八名', '是', '2022/6/15', '夏季'.

Each parser takes the cell's text (already stripped) and the field it belongs to, and either
returns a value or raises `FieldError` with what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import TypeVar

from roster.errors import FieldError
from roster.i18n import ENGLISH, language, tr

E = TypeVar("E", bound=Enum)
D = TypeVar("D")  # the default, which may be None: the cell left blank

_TIME = re.compile(r"^(\d{1,2})\s*[:：.时点]\s*(\d{2})(?:\s*[:：]\s*(\d{2}))?\s*分?$")
_HOUR_ONLY = re.compile(r"^(\d{1,2})\s*[点时]$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_MONTH_DAY = re.compile(r"^(?:\d{4}-)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_ZH_NUM = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_TRUE = {"1", "yes", "y", "true", "t", "是", "需要", "要", "√", "✓", "✔", "有"}
_FALSE = {"0", "no", "n", "false", "f", "否", "不需要", "不要", "×", "✗", "无", "-"}


def parse_time(text: str, field: str, *, allow_24: bool = False) -> int:
    """'7:30', '07:30', '19：00', '7点' → minutes after midnight; '24:00' only as an end."""
    m = _TIME.match(text)
    if m:
        hours, minutes = int(m.group(1)), int(m.group(2))
    elif m := _HOUR_ONLY.match(text):
        hours, minutes = int(m.group(1)), 0
    else:
        raise FieldError(field, tr("not a time"), text, tr("HH:MM, for example 07:30 or 17:00"))
    limit = 24 if allow_24 else 23
    if hours > limit or minutes > 59 or (hours == 24 and minutes):
        raise FieldError(
            field,
            tr("no such time of day"),
            text,
            tr("HH:MM from 00:00 to {last}", last="24:00" if allow_24 else "23:59"),
        )
    return hours * 60 + minutes


def parse_date(text: str, field: str) -> date:
    """'2022-06-15', '2022/6/15', '2022年6月15日', '2022.6.15' → a date."""
    m = _DATE.match(text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
        raise FieldError(field, tr("no such date"), text, tr("a real date, YYYY-MM-DD"))
    raise FieldError(field, tr("not a date"), text, tr("YYYY-MM-DD, for example 2022-06-15"))


def parse_month_day(text: str, field: str) -> tuple[int, int]:
    """'05-01', '5月1日' → (5, 1): a day of the year, for season boundaries."""
    m = _MONTH_DAY.match(text)
    if m:
        md = (int(m.group(1)), int(m.group(2)))
        try:
            date(2024, *md)
            return md
        except ValueError:
            pass
    raise FieldError(field, tr("not a day of the year"), text, tr("MM-DD, for example 05-01"))


def parse_bool(text: str, field: str, default: bool) -> bool:
    if not text:
        return default
    low = text.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise FieldError(field, tr("not yes or no"), text, tr("是/否 (or yes/no, 1/0)"))


def parse_choice(text: str, field: str, choices: Mapping[str, E], default: D) -> E | D:
    """Look `text` up among the spellings in `choices` (lower-cased keys)."""
    if not text:
        return default
    try:
        return choices[text.lower()]
    except KeyError:
        # Chinese lists the Chinese spellings; the English ones are accepted all the same.
        english = language() == ENGLISH
        shown = " / ".join(k for k in dict.fromkeys(choices) if english or not k.isascii())
        raise FieldError(field, tr("not one of the choices"), text, shown) from None


def zh_number(text: str) -> int | None:
    """'八' → 8, '十二' → 12, '二十' → 20, '两' → 2; None when not a Chinese numeral below 100."""
    if not text or any(c not in _ZH_NUM and c != "十" for c in text):
        return None
    if "十" not in text:
        return _ZH_NUM[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    return (_ZH_NUM[tens] if tens else 1) * 10 + (_ZH_NUM[ones] if ones else 0)


_HEADCOUNT = re.compile(
    r"^(?:不少于|至少|最少|不低于|最多|不超过)?\s*(\S+?)\s*(?:(?:-|–|—|~|～|至|到)\s*(\S+?))?\s*(?:名|人|个)?(?:志愿者)?$"
)


def parse_count(text: str, field: str) -> int:
    """'8', '8.0', '八', '八名', '8人' → 8."""
    lo, hi = parse_headcount(text, field)
    if hi is not None:
        raise FieldError(field, tr("a range is not allowed here"), text, tr("one number"))
    return lo


def parse_headcount(text: str, field: str) -> tuple[int, int | None]:
    """A headcount or a range as plans write it: '8', '八名', '不少于2人', '4—5名' → (lo, hi)."""
    m = _HEADCOUNT.match(text.replace(" ", ""))
    expected = tr("a whole number of people such as 8, 八名 or 4-5")
    if not m:
        raise FieldError(field, tr("not a number of people"), text, expected)

    def one(part: str) -> int:
        if re.fullmatch(r"\d+(?:\.0+)?", part):
            return int(float(part))
        value = zh_number(part)
        if value is None:
            raise FieldError(field, tr("not a number of people"), text, expected)
        return value

    lo = one(m.group(1))
    hi = one(m.group(2)) if m.group(2) else None
    return lo, hi


def parse_minutes(text: str, field: str) -> int:
    """'30', '30分钟', '30 min' → 30: a whole number of minutes, 0 or more."""
    m = re.fullmatch(r"(\d+)(?:\.0+)?\s*(?:min|mins|minutes|分钟|分)?", text.lower())
    if not m:
        raise FieldError(
            field, tr("not a number of minutes"), text, tr("whole minutes such as 30, or 0")
        )
    return int(m.group(1))


def parse_hours(text: str, field: str) -> float:
    """'6', '6.5', '6小时' → hours as a float."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(?:h|小时|时)?", text.lower())
    if not m:
        raise FieldError(field, tr("not a number of hours"), text, tr("hours such as 6 or 4.5"))
    return float(m.group(1))


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a user meant: dates as ISO, times as HH:MM, 8.0 as '8'."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN: an empty cell
            return ""
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime):
        if (value.year, value.month) == (1899, 12) and value.day in (30, 31):
            return value.strftime("%H:%M")  # a time typed into a cell formatted as date-time
        if value.hour or value.minute:
            return value.strftime("%Y-%m-%d %H:%M")
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "strftime") and hasattr(value, "hour"):  # datetime.time
        return value.strftime("%H:%M")
    return str(value).strip()

"""The official China calendar: statutory holidays and make-up working days (调休).

Backed by the `chinese-calendar` package, which follows the State Council's yearly notices, with a
local override table on top (a city's own holiday, a correction, or a whole year the package does
not know yet). A year neither covers is an error that says what to do, never a silent guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.metadata import version

import chinese_calendar

from roster.i18n import tr
from roster.model import CalendarDay, DayKind


@dataclass(frozen=True)
class DayInfo:
    """What the calendar says of one date."""

    date: date
    workday: bool  # an official working day (including make-up days)
    holiday: bool  # a statutory holiday (法定节假日), not an ordinary weekend
    makeup: bool  # a Saturday or Sunday that is a working day (调休上班)
    name: str = ""  # the holiday's name, if any


class CalendarNotCovered(Exception):
    """A date lies in a year that neither the package nor the local table covers."""

    def __init__(self, year: int, first: int, last: int) -> None:
        self.year = year
        self.first = first
        self.last = last
        super().__init__(self.message())

    def message(self, setting: str = "calendar_years") -> str:
        """What to do, naming the setting as the user's settings spell it."""
        return tr(
            "the official holiday calendar (chinese-calendar {version}) covers {first}–{last}, "
            "not {year}. Upgrade it (pip install -U chinese-calendar), or list {year}'s statutory "
            "holidays and make-up working days in holidays.csv and add {year} to {setting} in "
            "settings.toml",
            version=package_version(),
            first=self.first,
            last=self.last,
            year=self.year,
            setting=setting,
        )


def package_version() -> str:
    return version("chinese-calendar")


def _package_years() -> tuple[int, int]:
    years = [d.year for d in chinese_calendar.holidays] + [
        d.year for d in chinese_calendar.workdays
    ]
    return min(years), max(years)


class ChinaCalendar:
    """Day types for dates, the local table taking precedence over the package."""

    def __init__(self, overrides: tuple[CalendarDay, ...] = (), own_years: tuple[int, ...] = ()):
        self._overrides = {d.date: d for d in overrides}
        self._own_years = set(own_years)
        self.first_year, self.last_year = _package_years()
        self._cache: dict[date, DayInfo] = {}

    def covers(self, year: int) -> bool:
        return year in self._own_years or self.first_year <= year <= self.last_year

    def check_covers(self, start: date, end: date) -> None:
        """Raise `CalendarNotCovered` for the first year of [start, end] that is not covered."""
        for year in range(start.year, end.year + 1):
            if not self.covers(year):
                raise CalendarNotCovered(year, self.first_year, self.last_year)

    def info(self, day: date) -> DayInfo:
        cached = self._cache.get(day)
        if cached is None:
            cached = self._cache[day] = self._info(day)
        return cached

    def _info(self, day: date) -> DayInfo:
        weekend = day.weekday() >= 5
        override = self._overrides.get(day)
        if override is not None:
            if override.kind is DayKind.HOLIDAY:
                return DayInfo(day, False, True, False, override.name)
            if override.kind is DayKind.WORKDAY:
                return DayInfo(day, True, False, weekend, override.name)
            return DayInfo(day, not weekend, False, False, override.name)
        if day.year in self._own_years and not self.first_year <= day.year <= self.last_year:
            return DayInfo(day, not weekend, False, False)
        if not self.covers(day.year):
            raise CalendarNotCovered(day.year, self.first_year, self.last_year)
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        if is_holiday:
            return DayInfo(
                day, False, name is not None, False, _ZH_NAMES.get(name or "", name or "")
            )
        return DayInfo(day, True, False, weekend, _ZH_NAMES.get(name or "", name or ""))


_ZH_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}

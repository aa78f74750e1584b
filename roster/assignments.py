"""The roster's records: one row per person per slot (`assignments.csv`), one per gap
(`shortfalls.csv`), with their exact columns.

`roster solve` writes them; `--previous` and `--history` read them back (`roster.rosterfiles`), so
they are part of the domain, and the solver takes them without any file reading. The files' headers
are the columns (English, `ROSTER_LANG=en`) or their Chinese headers; either is read back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from roster.model import TimeWindow, hhmm, slot_key

ASSIGNMENT_COLUMNS = (
    "date",
    "start",
    "end",
    "duty",
    "area",
    "unit",
    "volunteer_id",
    "volunteer_name",
    "leader",
)


@dataclass(frozen=True, order=True)
class AssignmentRow(TimeWindow):
    """One person on one slot, as written in assignments.csv (times in minutes after midnight)."""

    date: date
    start: int
    area: str
    volunteer_id: str
    end: int
    duty: str
    unit: str = ""
    volunteer_name: str = ""
    leader: bool = False
    line: int = field(default=0, compare=False)  # row number in the file read (header: row 1)

    @cached_property
    def slot_key(self) -> str:
        """Matches `Slot.key`: the same duty at the same area and time on the same date."""
        return slot_key(self.date, self.start, self.duty, self.area)


@dataclass(frozen=True, order=True)
class ShortfallRow(TimeWindow):
    """One slot below its minimum or without its leader, as written in shortfalls.csv."""

    date: date
    start: int
    area: str
    duty: str
    end: int
    unit: str = ""
    needed: int = 0
    assigned: int = 0
    reason: str = ""

    @property
    def slot_key(self) -> str:
        return slot_key(self.date, self.start, self.duty, self.area)


SHORTFALL_COLUMNS = ("date", "start", "end", "duty", "area", "unit", "needed", "assigned", "reason")

# The Chinese headers, in the columns' order: the input tables' words where they have the column.
ASSIGNMENT_HEADERS_ZH = (
    "日期",
    "开始时间",
    "结束时间",
    "工作任务",
    "责任区域",
    "责任单位",
    "编号",
    "姓名",
    "带队",
)
SHORTFALL_HEADERS_ZH = (
    "日期",
    "开始时间",
    "结束时间",
    "工作任务",
    "责任区域",
    "责任单位",
    "需要人数",
    "已安排人数",
    "原因",
)


def unprefixed(reason: str, day: date, start: int, end: int, area: str) -> str:
    """A gap's reason without the when and where it begins with (shortfalls.csv reads on its
    own; a page shows when and where beside it)."""
    return reason.removeprefix(f"{day} {hhmm(start)}–{hhmm(end)} {area} ")

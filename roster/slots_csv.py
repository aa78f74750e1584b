"""The expanded slots as a CSV table (`roster slots`), for checking the expansion in Excel."""

from __future__ import annotations

from roster.days import WEEKDAY_NAMES_ZH
from roster.expand import Slot
from roster.fileio import csv_text
from roster.model import hhmm

SLOT_COLUMNS = (
    "date",
    "weekday",
    "start",
    "end",
    "duty",
    "area",
    "unit",
    "min_people",
    "max_people",
    "leader_required",
    "season",
    "holiday",
    "source",
)


def slots_csv(slots: tuple[Slot, ...]) -> str:
    """One row per slot, in slot order; several candidate units are joined with '、'."""
    return csv_text(
        SLOT_COLUMNS,
        (
            (
                s.date.isoformat(),
                WEEKDAY_NAMES_ZH[s.date.weekday()],
                hhmm(s.start),
                hhmm(s.end),
                s.kind,
                s.area,
                "、".join(s.units),
                s.min_people,
                s.max_people,
                int(s.leader_required),
                s.season.value,
                s.holiday,
                str(s.source) if s.source else "",
            )
            for s in slots
        ),
    )

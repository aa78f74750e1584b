"""The expanded slots as a CSV table (`roster slots`), for checking the expansion in Excel."""

from __future__ import annotations

import csv
import io

from roster.days import WEEKDAY_NAMES_ZH
from roster.expand import Slot
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
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SLOT_COLUMNS)
    for s in slots:
        writer.writerow(
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
        )
    return buffer.getvalue()

"""The expanded slots as a CSV table (`roster slots`), for checking the expansion in Excel.

The headers are English (the columns' keys) with ROSTER_LANG=en, else the Chinese headers of the
input tables, so the table reads like the duties table it was expanded from.
"""

from __future__ import annotations

from roster.csvfile import excel_csv_text
from roster.days import WEEKDAY_NAMES_ZH
from roster.expand import Slot
from roster.i18n import ENGLISH, language
from roster.model import hhmm
from roster.tables import DUTIES

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

# The Chinese header of each column: the duties table's own, where the column comes from it.
SLOT_HEADERS_ZH = (
    "日期",
    "星期",
    DUTIES.column("start").zh,
    DUTIES.column("end").zh,
    DUTIES.column("kind").zh,
    DUTIES.column("area").zh,
    DUTIES.column("unit").zh,
    DUTIES.column("min_people").zh,
    DUTIES.column("max_people").zh,
    DUTIES.column("leader_required").zh,
    DUTIES.column("season").zh,
    DUTIES.column("holidays").zh,
    "来源",
)


def slots_csv(slots: tuple[Slot, ...]) -> str:
    """One row per slot, in slot order; several candidate units are joined with '、'.

    In Chinese the season and the leader rule are written as the duties table writes them
    (全年/夏季/冬季, 是/否); in English as `all`/`summer`/`winter` and 1/0.
    """
    english = language() == ENGLISH
    return excel_csv_text(
        SLOT_COLUMNS if english else SLOT_HEADERS_ZH,
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
                int(s.leader_required) if english else ("是" if s.leader_required else "否"),
                s.season.value if english else s.season.zh,
                s.holiday,
                str(s.source) if s.source else "",
            )
            for s in slots
        ),
    )

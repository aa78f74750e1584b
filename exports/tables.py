"""The roster's CSV tables: assignments.csv (one row per person per slot), shortfalls.csv.

The rows are what every export is built from, so a roster read back from its CSV files exports to
the same bytes as the solve that wrote them. The headers are Chinese, or English with
ROSTER_LANG=en (`roster.rosterfiles` reads either); so is the leader mark (是/否, or 1/0).
"""

from __future__ import annotations

from roster.assignments import (
    ASSIGNMENT_COLUMNS,
    ASSIGNMENT_HEADERS_ZH,
    SHORTFALL_COLUMNS,
    SHORTFALL_HEADERS_ZH,
    AssignmentRow,
    ShortfallRow,
)
from roster.csvfile import excel_csv_text
from roster.i18n import ENGLISH, language
from roster.model import hhmm


def english() -> bool:
    """The files' headers and marks in English (ROSTER_LANG=en), else in Chinese."""
    return language() == ENGLISH


def _leader(leader: bool) -> object:
    if english():
        return int(leader)
    return "是" if leader else "否"


def assignments_csv(rows: tuple[AssignmentRow, ...]) -> str:
    """`leader` is 1 (是) for the one who leads the team."""
    return excel_csv_text(
        ASSIGNMENT_COLUMNS if english() else ASSIGNMENT_HEADERS_ZH,
        (
            (
                r.date.isoformat(),
                hhmm(r.start),
                hhmm(r.end),
                r.duty,
                r.area,
                r.unit,
                r.volunteer_id,
                r.volunteer_name,
                _leader(r.leader),
            )
            for r in rows
        ),
    )


def shortfalls_csv(rows: tuple[ShortfallRow, ...]) -> str:
    """Every slot below its minimum or without its leader, with the reason in words."""
    return excel_csv_text(
        SHORTFALL_COLUMNS if english() else SHORTFALL_HEADERS_ZH,
        (
            (
                s.date.isoformat(),
                hhmm(s.start),
                hhmm(s.end),
                s.duty,
                s.area,
                s.unit,
                s.needed,
                s.assigned,
                s.reason,
            )
            for s in rows
        ),
    )

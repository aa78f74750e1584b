"""The short notice each person gets when a published week changes (an SMS, a WeChat message)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from exports.sheet import list_workbook
from roster.assignments import AssignmentRow
from roster.days import WEEKDAY_NAMES_ZH
from roster.i18n import N_, join, tr
from roster.model import hhmm

LIMIT = 3  # duties named in one notice; the rest are counted (an SMS holds 70 characters)


def duty(row: AssignmentRow) -> str:
    """`6月15日周三 07:30–08:30 包路口 蔡池路与群英路交叉路口`."""
    day = f"{row.date.month}月{row.date.day}日{WEEKDAY_NAMES_ZH[row.date.weekday()]}"
    lead = tr(" (leader)") if row.leader else ""
    return f"{day} {hhmm(row.start)}–{hhmm(row.end)} {row.duty} {row.area}{lead}"


def _listed(rows: tuple[AssignmentRow, ...]) -> str:
    named = [duty(r) for r in rows[:LIMIT]]
    more = len(rows) - LIMIT
    text = join(named)
    return text + (tr(" and {n} more", n=more) if more > 0 else "")


def notice(
    name: str, added: tuple[AssignmentRow, ...], removed: tuple[AssignmentRow, ...], changed: bool
) -> str:
    """One person's notice; `changed` when the week had been published before. No campaign
    name in front: the sender's signature says who it is from, and an SMS holds 70 characters."""
    parts = []
    if added:
        parts.append(tr("new: {duties}", duties=_listed(added)))
    if removed:
        parts.append(tr("cancelled: {duties}", duties=_listed(removed)))
    if changed:
        text = tr("{name}, your duties changed. {what}.", name=name, what=tr("; ").join(parts))
    else:
        text = tr("{name}, your duties this week: {duties}.", name=name, duties=_listed(added))
    return text + tr(" Details in your calendar link.")


CHANGE_COLUMNS = (
    N_("unit"),
    N_("volunteer_id"),
    N_("volunteer_name"),
    N_("phone"),
    N_("added"),
    N_("removed"),
    N_("notice"),
)


class _Change(Protocol):
    unit: str
    volunteer_id: str
    volunteer_name: str
    phone: str
    added: str
    removed: str
    notice: str


def cells(changes: Iterable[_Change]) -> list[tuple[str, ...]]:
    """The rows of `CHANGE_COLUMNS`, one per person told."""
    return [
        (c.unit, c.volunteer_id, c.volunteer_name, c.phone, c.added, c.removed, c.notice)
        for c in changes
    ]


def workbook(table: Sequence[tuple[str, ...]]) -> bytes:
    """Whom to tell and what (`cells`), as the office's workbook: wrapped cells, a person a row."""
    header = [tr(h) for h in CHANGE_COLUMNS]
    return list_workbook(tr("changes"), header, table, (14, 10, 10, 14, 36, 36, 50))

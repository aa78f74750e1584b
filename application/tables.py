"""Reading the tables and what they ask for: `roster check` and `roster slots`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from roster.expand import Slot, calendar_for, expand
from roster.model import Plan
from roster.readers import load
from roster.sample import sample_dir
from roster.summary import (
    DayMark,
    DutySummary,
    UnitSummary,
    duty_summaries,
    special_days,
    unit_summaries,
)


def read_tables(data: Path | None) -> Plan:
    """The plan of a data folder or workbook (None: the shipped sample), its warnings attached.

    Raises `InputError` with every problem of every table when the tables do not read cleanly.
    """
    return load(data or sample_dir())


@dataclass(frozen=True)
class CheckReport:
    """What was understood of the tables, before anything is solved."""

    plan: Plan
    duties: list[DutySummary]
    units: list[UnitSummary]
    special_days: list[DayMark]
    slot_count: int


def check_tables(plan: Plan) -> CheckReport:
    """Expand the whole campaign and summarize it per duty, per unit and per special day."""
    calendar = calendar_for(plan)
    slots = expand(plan, plan.settings.start, plan.settings.end, calendar)
    return CheckReport(
        plan,
        duty_summaries(plan, slots),
        unit_summaries(plan),
        special_days(plan, calendar),
        len(slots),
    )


@dataclass(frozen=True)
class SlotsRequest:
    """The dated slots of a period; either end defaults to the campaign's."""

    plan: Plan
    first: date | None = None
    last: date | None = None


def expand_slots(request: SlotsRequest) -> tuple[Slot, ...]:
    settings = request.plan.settings
    return expand(request.plan, request.first or settings.start, request.last or settings.end)

"""What the downloads page and the printable QR sheets hand out: each published week's workbooks and
the feed links of a unit and of its volunteers.

A workbook is found among its week's own units (the units of the version's rows and gaps and of
the plan) whose file is in the week's `excel/` folder, so no file path is ever made from a name
typed into an address: a name that is not one of them finds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from exports.names import unit_stems
from roster.i18n import tr
from workspace import config
from workspace.models import Assignment, FeedToken, Gap, WeekVersion
from workspace.operations import PUBLISHED, Link, current_plan, links

EXCEL = "excel"
MASTER = "roster.xlsx"  # the master workbook's file, beside one `<unit>.xlsx` per unit


@dataclass(frozen=True)
class PublishedWeek:
    """A week's latest published version and the workbooks its folder holds."""

    monday: date
    number: int
    made_at: datetime
    master: Path | None
    workbooks: dict[str, Path]  # unit name → its workbook, in the plan's order

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


def published_weeks() -> list[PublishedWeek]:
    """Every published week, newest first: one look at the database for all of them."""
    latest: dict[date, tuple[int, int, datetime]] = {}
    for pk, monday, number, made_at in (
        WeekVersion.objects.filter(number__gt=WeekVersion.DRAFT)
        .order_by("-monday", "-number")
        .values_list("id", "monday", "number", "made_at")
    ):
        latest.setdefault(monday, (pk, number, made_at))
    return _weeks(latest)


def published_week(week: str) -> PublishedWeek | None:
    """The published week whose Monday is `week`, ISO text from an address; None for any other."""
    try:
        monday = date.fromisoformat(week)
    except ValueError:
        return None
    if monday.isoformat() != week:  # one address per week (fromisoformat also reads 20220613)
        return None
    version = (
        WeekVersion.objects.filter(monday=monday, number__gt=WeekVersion.DRAFT)
        .order_by("-number")
        .values_list("id", "number", "made_at")
        .first()
    )
    if version is None:
        return None
    return _weeks({monday: version})[0]


def _weeks(latest: dict[date, tuple[int, int, datetime]]) -> list[PublishedWeek]:
    ids = {pk: monday for monday, (pk, _, _) in latest.items()}
    named: dict[date, set[str]] = defaultdict(set)
    for model in (Assignment, Gap):
        for pk, unit in (
            model.objects.filter(version_id__in=list(ids))
            .order_by()  # no Meta ordering in the SELECT, which would undo the DISTINCT
            .values_list("version_id", "unit")
            .distinct()
        ):
            named[ids[pk]].add(unit)
    planned = [u.name for u in current_plan().units]
    out = []
    for monday, (_, number, made_at) in sorted(latest.items(), reverse=True):
        excel = config.folder() / PUBLISHED / monday.isoformat() / EXCEL
        units = planned + sorted(named[monday] - set(planned))  # then units since removed
        stems = unit_stems(units)
        files = {u: excel / f"{stems[u]}.xlsx" for u in units}
        master = excel / MASTER
        out.append(
            PublishedWeek(
                monday,
                number,
                made_at,
                master if master.is_file() else None,
                {u: path for u, path in files.items() if path.is_file() and path != master},
            )
        )
    return out


def download_name(week: PublishedWeek, unit: str | None) -> tuple[str, str]:
    """The name a workbook is saved as (master: `unit` None), the week in it so that a contact's
    weeks do not overwrite one another, and an ASCII name for browsers that read no other."""
    monday = week.monday.isoformat()
    if unit is None:
        return tr("roster_{week}.xlsx", week=monday), f"roster_{monday}.xlsx"
    name = f"{unit_stems([unit])[unit]}_{monday}.xlsx"
    return name, name if name.isascii() else f"unit_{monday}.xlsx"


def unit_feeds() -> list[Link]:
    """Every unit's own feed link (all of the unit's duties), in the plan's order of units."""
    return [x for x in links() if x.kind == FeedToken.UNIT]


@dataclass(frozen=True)
class UnitLinks:
    """What a unit's QR sheet prints: the campaign, the unit's feed, each volunteer's."""

    campaign: str
    unit: Link
    volunteers: list[Link]


def unit_links(unit: str) -> UnitLinks | None:
    """A unit's feed link and its volunteers' (by id), from `links()`; None for a unit the plan
    does not have."""
    every = links()
    own = next((x for x in every if x.kind == FeedToken.UNIT and x.unit == unit), None)
    if own is None:
        return None
    people = [x for x in every if x.kind == FeedToken.VOLUNTEER and x.unit == unit]
    return UnitLinks(current_plan().settings.name, own, people)

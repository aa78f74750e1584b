"""What the inspection group (督查组) works from: who should be where now and in the next hours,
from the latest published version of each week, and the spot checks they record there.

An inspector sees every slot's team by name and the leaders' phones only: the leader answers for
the team on the spot, and nobody else's number leaves the office.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from roster.assignments import AssignmentRow
from roster.errors import InputError, Problem, Source
from roster.i18n import tr
from roster.model import hhmm
from workspace import operations as ops
from workspace.models import FeedToken, SpotCheck

MAX_HOURS = 24
MAX_PEOPLE = 999


@dataclass(frozen=True)
class Member:
    name: str
    leader: bool


@dataclass(frozen=True)
class DutySlot:
    """One slot of the published roster with its team, as an inspector is shown it."""

    date: date
    start: int
    end: int
    duty: str
    area: str
    unit: str
    team: tuple[Member, ...]
    leaders: tuple[tuple[str, str], ...]  # (name, phone) of each leader; phone may be ""
    under_way: bool

    @property
    def when(self) -> str:
        return f"{self.date} {hhmm(self.start)}–{hhmm(self.end)}"

    @property
    def planned(self) -> int:
        return len(self.team)


@dataclass(frozen=True)
class OnDuty:
    now: datetime
    until: datetime
    slots: list[DutySlot]  # those asked for (area, unit)
    areas: list[str]  # of every slot in the window, for the filters
    units: list[str]


def local_now(timezone: str) -> datetime:
    """The campaign's wall clock now, without a zone (the roster's times are local times)."""
    return datetime.now(ZoneInfo(timezone)).replace(tzinfo=None)


def _begins(day: date, minutes: int) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(minutes=minutes)


def _window(row: AssignmentRow) -> tuple[datetime, datetime]:
    """A slot's start and end; an end at or before the start is the next day's (overnight)."""
    start = _begins(row.date, row.start)
    end = _begins(row.date, row.end)
    return start, end if end > start else end + timedelta(days=1)


def _published(first: date, last: date) -> list[AssignmentRow]:
    """The latest published rows of the weeks from `first`'s to `last`'s."""
    rows: list[AssignmentRow] = []
    monday = ops._monday(first)
    while monday <= last:
        rows += ops._rows(ops.latest(monday))
        monday += timedelta(days=7)
    return rows


def on_duty(now: datetime, hours: float = 3, area: str = "", unit: str = "") -> OnDuty:
    """The slots under way at `now` and those starting within `hours` after it, in time order;
    `area` and `unit` narrow them (empty: all)."""
    until = now + timedelta(hours=hours)
    teams: dict[str, list[AssignmentRow]] = defaultdict(list)
    for row in _published(now.date() - timedelta(days=1), until.date()):
        start, end = _window(row)
        if start <= now < end or now < start <= until:
            teams[row.slot_key].append(row)
    phones = {v.id: v.phone for v in ops.current_plan().volunteers}
    slots = []
    for rows in teams.values():
        first = rows[0]
        ordered = sorted(rows, key=lambda r: (not r.leader, r.volunteer_id))
        slots.append(
            DutySlot(
                date=first.date,
                start=first.start,
                end=first.end,
                duty=first.duty,
                area=first.area,
                unit=first.unit,
                team=tuple(Member(r.volunteer_name, r.leader) for r in ordered),
                leaders=tuple(
                    (r.volunteer_name, phones.get(r.volunteer_id, "")) for r in ordered if r.leader
                ),
                under_way=_window(first)[0] <= now,
            )
        )
    slots.sort(key=lambda s: (s.date, s.start, s.area, s.duty))
    chosen = [s for s in slots if (not area or s.area == area) and (not unit or s.unit == unit)]
    return OnDuty(
        now,
        until,
        chosen,
        sorted({s.area for s in slots}),
        sorted({s.unit for s in slots}),
    )


def find_slot(day: date, start: int, duty: str, area: str) -> DutySlot | None:
    """The slot as the latest published version of its week has it; None if it has none."""
    rows = [
        r
        for r in ops._rows(ops.latest(ops._monday(day)))
        if (r.date, r.start, r.duty, r.area) == (day, start, duty, area)
    ]
    if not rows:
        return None
    begins, _ = _window(rows[0])
    found = on_duty(begins, 0, area=area)
    return next((s for s in found.slots if (s.date, s.start, s.duty) == (day, start, duty)), None)


def _refuse(message: str, field: str, expected: str = "") -> InputError:
    return InputError([Problem(message, Source(tr("spot check")), column=field, expected=expected)])


def people_present(text: str) -> int:
    """The number of people found, as typed; a clear message when it is not a count."""
    try:
        count = int(text.strip())
    except ValueError:
        count = -1
    if not 0 <= count <= MAX_PEOPLE:
        raise _refuse(
            tr("people present: not a number of people: {value}", value=text or "—"),
            "present",
            tr("a whole number from 0 to {most}", most=MAX_PEOPLE),
        )
    return count


def record_check(
    slot: DutySlot, present: int, leader_present: bool, remarks: str, inspector: str
) -> SpotCheck:
    """What an inspector found at `slot`, stored in one transaction; planned is the published
    team's size, so the check reads against what the office had announced. A team planned
    without a leader cannot miss one: the unit is not charged for the planner's choice."""
    leader_present = leader_present or not slot.leaders
    with transaction.atomic():
        check = SpotCheck.objects.create(
            date=slot.date,
            start=slot.start,
            end=slot.end,
            duty=slot.duty,
            area=slot.area,
            unit=slot.unit,
            planned=slot.planned,
            present=present,
            leader_present=leader_present,
            remarks=remarks.strip()[:2000],
            inspector=inspector,
            checked_at=ops._now(),
        )
        ops._audit(
            "spot check",
            f"{slot.when} {slot.duty} {slot.area} {slot.unit}: "
            f"{present}/{slot.planned}, leader {'yes' if leader_present else 'no'}",
        )
    return check


def checks(inspector: str | None = None) -> list[SpotCheck]:
    """Every spot check, newest first; `inspector` narrows them to one inspector's own."""
    found = SpotCheck.objects.order_by("-checked_at", "-id")
    if inspector is not None:
        found = found.filter(inspector=inspector)
    return list(found)


def city_feed() -> ops.Link:
    """The city's feed link: every duty of the campaign with its team and leader's phone, the
    inspectors' calendar of their own."""
    return next(x for x in ops.links() if x.kind == FeedToken.CITY)
